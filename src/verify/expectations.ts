import {type Side} from '../convert/pipeline.js'
import {type Classifier, type DiffKind, type Verdict} from './compare.js'

/**
 * What the target mapping says it cannot hold, as a classifier of differences:
 * - `unsupported` fields (and everything under them): an expected loss;
 * - `lossy` fields: a declared lossy transform;
 * - another vendor's `extensions` when the target has no free-form field to carry them: an expected loss.
 * Anything else is unexpected. A pattern covers itself and its subfields: `customer` covers `customer.city`, `dialogs`
 * covers `dialogs[].closeReason`; `customData.*` covers every key under customData, and `!customData.sdes` in the same
 * list takes one back.
 */
function covers(declared: string, field: string): boolean {
  if (declared.endsWith('.*')) {
    // `customData.*`: any key under customData (and what is under it), but not customData itself.
    const parent = declared.slice(0, -1)
    return field.startsWith(parent) && field.length > parent.length
  }

  return field === declared || field.startsWith(`${declared}.`) || field.startsWith(`${declared}[]`)
}

export function classifierFor(target: Side): Classifier {
  const definition = target.mapping?.definition
  // `!customData.sdes` takes a field back out of a wider entry (`customData.*`): the shape holds that one.
  const unsupported = (definition?.unsupported ?? []).filter((u) => !u.startsWith('!'))
  const held = (definition?.unsupported ?? []).filter((u) => u.startsWith('!')).map((u) => u.slice(1))
  const lossy = definition?.lossy ?? []
  const hasCarry = definition?.carry !== undefined
  const cache = new Map<string, undefined | Verdict>()

  const decide = (field: string): undefined | Verdict => {
    const extension = /(?:^|\.)extensions\.([^.[]+)/.exec(field)
    if (extension && extension[1] !== target.format && !hasCarry && definition) {
      return {class: 'expected', reason: `${target.format} has no free-form field for ${extension[1]}-specific data`}
    }

    const declared = held.some((h) => covers(h, field)) ? undefined : unsupported.find((u) => covers(u, field))
    if (declared !== undefined)
      return {class: 'expected', reason: `${target.format} cannot hold ${declared} (mapping: unsupported)`}
    const approximate = lossy.find((l) => covers(l.field, field))
    if (approximate) return {class: 'transformed', reason: approximate.note}
    return undefined
  }

  return (field: string, _kind: DiffKind) => {
    if (!cache.has(field)) cache.set(field, decide(field))
    return cache.get(field)
  }
}
