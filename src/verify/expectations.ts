import {deepEqual, isPlainObject} from '../engine/json.js'
import {type Side} from '../engine/pipeline.js'
import {type Classifier, type DiffKind, type Elements, type Lens, type Verdict} from './compare.js'

/**
 * What the target mapping says it cannot hold, as a classifier of differences:
 * - `unsupported` fields (and everything under them): an expected loss;
 * - `lossy` fields: a declared lossy transform;
 * - another vendor's `extensions` (the source's fields the neutral model has no place for): natively, never visible
 *   in the target, an expected loss; recoverably, expected only when the target has no free-form field to carry them.
 * Anything else is unexpected. A pattern covers itself and its subfields: `customer` covers `customer.city`, `dialogs`
 * covers `dialogs[].closeReason`; `customData.*` covers every key under customData, and `!customData.sdes` in the same
 * list takes one back. An entry with `where` applies only inside array elements that hold those values on either
 * side (`{"field": "participants[].id", "where": {"role": "bot"}}`: a bot's id, not a customer's); one with `kind`
 * only to differences of that kind (`lost`: the target does not show the field; `changed`: it shows it otherwise).
 */
export function covers(declared: string, field: string): boolean {
  if (declared.endsWith('.*')) {
    // `customData.*`: any key under customData (and what is under it), but not customData itself.
    const parent = declared.slice(0, -1)
    return field.startsWith(parent) && field.length > parent.length
  }

  return field === declared || field.startsWith(`${declared}.`) || field.startsWith(`${declared}[]`)
}

interface Declaration {
  field: string
  kind?: DiffKind | undefined
  verdict: Verdict
  where?: Record<string, unknown> | undefined
}

/** Some enclosing element, on the source or the target side, holds every value of `where`. */
function matches(where: Record<string, unknown>, elements: Elements | undefined): boolean {
  const holds = (element: unknown): boolean =>
    isPlainObject(element) && Object.entries(where).every(([key, value]) => deepEqual(element[key], value))
  return (elements ?? []).some((pair) => holds(pair.source) || holds(pair.target))
}

export function classifierFor(target: Side, lens: Lens = 'recoverable'): Classifier {
  const definition = target.mapping?.definition
  const declarations: Declaration[] = []
  const held: string[] = []
  for (const entry of definition?.unsupported ?? []) {
    if (typeof entry === 'string' && entry.startsWith('!')) {
      // `!customData.sdes` takes a field back out of a wider entry (`customData.*`): the shape holds that one.
      held.push(entry.slice(1))
      continue
    }

    const field = typeof entry === 'string' ? entry : entry.field
    const reason = `${target.format} cannot hold ${field} (mapping: unsupported)`
    declarations.push(
      typeof entry === 'string'
        ? {field, verdict: {class: 'expected', reason}}
        : {field, kind: entry.kind, verdict: {class: 'expected', reason: entry.note ?? reason}, where: entry.where},
    )
  }

  for (const entry of definition?.lossy ?? []) {
    declarations.push({
      field: entry.field,
      kind: entry.kind,
      verdict: {class: 'transformed', reason: entry.note},
      where: entry.where,
    })
  }

  const hasCarry = definition?.carry !== undefined
  const cache = new Map<string, Declaration[]>()
  const candidates = (field: string): Declaration[] => {
    let found = cache.get(field)
    if (!found) {
      found = held.some((h) => covers(h, field)) ? [] : declarations.filter((d) => covers(d.field, field))
      // Expected before transformed: a field the shape cannot hold at all is not merely approximated.
      found.sort((a, b) => (a.verdict.class === 'expected' ? 0 : 1) - (b.verdict.class === 'expected' ? 0 : 1))
      cache.set(field, found)
    }

    return found
  }

  return (field: string, kind: DiffKind, elements?: Elements): undefined | Verdict => {
    const extension = /(?:^|\.)extensions\.([^.[]+)/.exec(field)
    if (extension && extension[1] !== target.format && definition) {
      if (lens === 'native') {
        return {
          class: 'expected',
          reason: `${extension[1]}-specific fields have no place in ${target.format}'s own data`,
        }
      }

      if (!hasCarry) {
        return {class: 'expected', reason: `${target.format} has no free-form field for ${extension[1]}-specific data`}
      }
    }

    return candidates(field).find((d) => (!d.kind || d.kind === kind) && (!d.where || matches(d.where, elements)))
      ?.verdict
  }
}
