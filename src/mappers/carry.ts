/**
 * The carry document: what a conversation from another record shape cannot hold natively in this one.
 *
 * Converting neutral → B for a conversation that came from A, the engine maps B's record back to neutral and
 * diffs that against the input. The difference (the fields B has no home for, A's extensions, values B would
 * change) is exactly what B → neutral would lose, so it is written into B's free-form field; B → neutral applies
 * it again and gets the input back. The diff is computed, never declared, so it is right whatever B's rules do.
 */
import {childPointer, deepEqual, hasOwn, isPlainObject, type JsonObject, removeAt, setAt} from './json.js'
import {fromPointer} from './paths.js'

export const CARRY_VERSION = 1

export interface CarryDocument {
  convoshift: typeof CARRY_VERSION
  /** JSON Pointers of neutral fields the target adds, to remove when restoring. */
  remove?: string[]
  /** JSON Pointer → neutral value to restore. */
  set?: JsonObject
}

/** Neutral keys that name the record's own shape rather than the conversation. */
const OWN_SHAPE_KEYS = new Set(['format', 'schemaVersion', 'vendor'])

/** The patch that turns `mapped` (what B's record maps to) back into `wanted` (the neutral input). */
export function neutralResidual(
  wanted: JsonObject,
  mapped: JsonObject,
  format: string,
  derived?: string,
): {remove: string[]; respelled: Set<string>; set: JsonObject} {
  const set: JsonObject = {}
  const remove: string[] = []
  const respelled = new Set<string>()
  const skip = (pointer: string, key: string): boolean =>
    (pointer === '' && OWN_SHAPE_KEYS.has(key)) || (pointer === '/extensions' && (key === format || key === derived))
  diffInto(wanted, mapped, '', {remove, respelled, set}, skip)
  return {remove, respelled, set}
}

function diffInto(
  wanted: JsonObject,
  mapped: JsonObject,
  pointer: string,
  out: {remove: string[]; respelled: Set<string>; set: JsonObject},
  skip: (pointer: string, key: string) => boolean,
): void {
  const {remove, respelled, set} = out
  for (const key of Object.keys(wanted)) {
    if (skip(pointer, key)) continue
    const here = childPointer(pointer, key)
    const value = wanted[key]
    // Extensions are compared per shape even where `mapped` has none, so skipped shapes stay out.
    const other = hasOwn(mapped, key) ? mapped[key] : pointer === '' && key === 'extensions' ? {} : undefined
    if (other === undefined) {
      if (value !== undefined) set[here] = value
      continue
    }

    if (isPlainObject(value) && isPlainObject(other)) {
      diffInto(value, other, here, out, skip)
    } else if (Array.isArray(value) && Array.isArray(other) && value.length === other.length) {
      for (const [i, element] of value.entries()) {
        const otherElement = other[i]
        const at = `${here}/${i}`
        if (isPlainObject(element) && isPlainObject(otherElement)) diffInto(element, otherElement, at, out, skip)
        else if (!deepEqual(element, otherElement)) set[at] = element
      }
    } else if (!deepEqual(value, other)) {
      set[here] = value
      if (sameInstant(value, other)) respelled.add(here)
    }
  }

  for (const key of Object.keys(mapped)) {
    if (!hasOwn(wanted, key) && !skip(pointer, key)) remove.push(childPointer(pointer, key))
  }
}

const INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d*?))?0*Z$/

/** `…:20Z` and `…:20.000Z` name the same instant: carried for exactness, but not a loss worth reporting. */
function sameInstant(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false
  const x = INSTANT.exec(a)
  const y = INSTANT.exec(b)
  return x !== null && y !== null && x[1] === y[1] && (x[2] ?? '') === (y[2] ?? '')
}

/** Apply a carry document to the neutral record B's fields mapped to. */
export function applyResidual(neutral: JsonObject, document: CarryDocument): void {
  for (const pointer of document.remove ?? []) removeAt(neutral, fromPointer(pointer))
  for (const [pointer, value] of Object.entries(document.set ?? {})) setAt(neutral, fromPointer(pointer), value)
}

export function isCarryDocument(value: unknown): value is CarryDocument {
  if (!isPlainObject(value) || value.convoshift !== CARRY_VERSION) return false
  if (value.set !== undefined && !isPlainObject(value.set)) return false
  return value.remove === undefined || (Array.isArray(value.remove) && value.remove.every((p) => typeof p === 'string'))
}

/** `/messages/3/attachments/0/url` → `messages[].attachments[].url`; extensions are counted per shape. */
export function residualPath(pointer: string): string {
  const parts = fromPointer(pointer)
  if (parts[0] === 'extensions') return parts.slice(0, 2).join('.')
  let path = ''
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += '[]'
    else path += path === '' ? part : `.${part}`
  }

  return path
}
