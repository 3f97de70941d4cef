import {type Side} from '../convert/pipeline.js'
import {type Classifier, type DiffKind, type Verdict} from './compare.js'

/**
 * What the target mapping says it cannot hold, as a classifier of differences:
 * - `unsupported` fields (and everything under them): an expected loss;
 * - `lossy` fields: a declared lossy transform;
 * - another vendor's `extensions` when the target has no free-form field to carry them: an expected loss.
 * Anything else is unexpected. A pattern covers itself and its subfields: `customer` covers `customer.city`, `dialogs`
 * covers `dialogs[].closeReason`.
 */
function covers(declared: string, field: string): boolean {
  return field === declared || field.startsWith(`${declared}.`) || field.startsWith(`${declared}[]`)
}

export function classifierFor(target: Side): Classifier {
  const definition = target.mapping?.definition
  const unsupported = definition?.unsupported ?? []
  const lossy = definition?.lossy ?? []
  const hasCarry = definition?.carry !== undefined
  const cache = new Map<string, undefined | Verdict>()

  const decide = (field: string): undefined | Verdict => {
    const extension = /(?:^|\.)extensions\.([^.[]+)/.exec(field)
    if (extension && extension[1] !== target.format && !hasCarry && definition) {
      return {class: 'expected', reason: `${target.format} has no free-form field for ${extension[1]}-specific data`}
    }

    const declared = unsupported.find((u) => covers(u, field))
    if (declared !== undefined) return {class: 'expected', reason: `${target.format} cannot hold ${declared} (mapping: unsupported)`}
    const approximate = lossy.find((l) => covers(l.field, field))
    if (approximate) return {class: 'transformed', reason: approximate.note}
    return undefined
  }

  return (field: string, _kind: DiffKind) => {
    if (!cache.has(field)) cache.set(field, decide(field))
    return cache.get(field)
  }
}
