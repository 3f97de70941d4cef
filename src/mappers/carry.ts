/**
 * The carry document: what a conversation from another record shape cannot hold natively in this one.
 *
 * Converting neutral → B for a conversation that came from A, the engine maps B's record back to neutral and
 * diffs that against the input. The difference (the fields B has no home for, A's extensions, values B would
 * change) is exactly what B → neutral would lose, so it is written into B's free-form field; B → neutral applies
 * it again and gets the input back. The diff is computed, never declared, so it is right whatever B's rules do.
 */
import {childPointer, deepEqual, hasOwn, isPlainObject, type JsonObject, removeAt, setAt, setOwn} from './json.js'
import {fromPointer} from './paths.js'

export const CARRY_VERSION = 1

export interface CarryDocument {
  convoshift: typeof CARRY_VERSION
  /** JSON Pointers of neutral fields the target adds, to remove when restoring. */
  remove?: string[]
  /** JSON Pointer → neutral value to restore. */
  set?: JsonObject
}

/** The record, or an element of one of its arrays (at any depth): what can carry `extensions`. */
const ELEMENT = /^(?:\/[^/]+\/\d+)*$/
/** The `extensions` of the record or of such an element. */
const EXTENSIONS = /^(?:\/[^/]+\/\d+)*\/extensions$/

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
    (pointer === '' && OWN_SHAPE_KEYS.has(key)) || ((key === format || key === derived) && EXTENSIONS.test(pointer))
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
    // Extensions (of the record and of each element) are compared per shape even where `mapped` has none, so
    // skipped shapes stay out.
    const other = hasOwn(mapped, key) ? mapped[key] : key === 'extensions' && ELEMENT.test(pointer) ? {} : undefined
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
/**
 * Whether the value at `pointer` in `wanted` is in `mapped` after all, once array elements are matched by their `id`
 * rather than their position: the residual is positional (it must restore the exact order), but a participant the
 * target merely lists in another order has not lost its id or role, and is not counted as lost.
 */
export function survivesReordered(wanted: JsonObject, mapped: JsonObject, pointer: string): boolean {
  let want: unknown = wanted
  let have: unknown = mapped
  let reordered = false
  for (const part of fromPointer(pointer)) {
    if (Array.isArray(want) && Array.isArray(have) && /^\d+$/.test(part)) {
      want = want[Number(part)]
      const id = isPlainObject(want) ? want.id : undefined
      if (id === undefined) {
        have = have[Number(part)]
        continue
      }

      const match = have.find((element) => isPlainObject(element) && deepEqual(element.id, id))
      if (match !== have[Number(part)]) reordered = true
      have = match
      continue
    }

    if (!isPlainObject(want) || !isPlainObject(have)) return false
    want = hasOwn(want, part) ? want[part] : undefined
    have = hasOwn(have, part) ? have[part] : undefined
  }

  return reordered && want !== undefined && deepEqual(want, have)
}

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

/**
 * Where in a vendor record the carry document lives: an object key, or a named entry of a key/value list. Slots never
 * modify a record (its containers may be shared with the neutral record it was built from): they return copies along
 * the path. Removing the document leaves the containers it was written into, even empty, so that what B → neutral maps
 * is the same whether the containers were there before or not.
 */
export interface CarrySlot {
  /** Whether a document can be put in this record without overwriting anything of the record's own. */
  canPut(record: JsonObject): boolean
  /** The raw value in the slot, if any. */
  get(record: JsonObject): unknown
  /** The record without the document. */
  strip(record: JsonObject): JsonObject
  /** The record with `raw` in the slot, creating the containers on the path. */
  with(record: JsonObject, raw: unknown): JsonObject
}

/** The value under `keys` (object keys only). */
export function objectSlot(keys: readonly string[]): CarrySlot {
  const last = keys.at(-1)!
  const parentKeys = keys.slice(0, -1)
  return {
    canPut(record) {
      const parent = walkTo(record, parentKeys)
      return parent === undefined || (parent !== null && !hasOwn(parent, last))
    },
    get(record) {
      const parent = walkTo(record, parentKeys)
      return parent && hasOwn(parent, last) ? parent[last] : undefined
    },
    strip: (record) =>
      walkTo(record, parentKeys) ? updateAt(record, parentKeys, (parent) => withoutKey(parent, last)) : record,
    with: (record, raw) => updateAt(record, parentKeys, (parent) => withKey(parent, last, raw)),
  }
}

/** The `value` of the element of the list under `keys` whose `key` is `name`: `[{"key": "convoshift", "value": …}]`. */
export function entrySlot(keys: readonly string[], entry: {key: string; name: string; value: string}): CarrySlot {
  const parentKeys = keys.slice(0, -1)
  const last = keys.at(-1)!
  const list = (record: JsonObject): unknown => {
    const parent = walkTo(record, parentKeys)
    return parent && hasOwn(parent, last) ? parent[last] : undefined
  }

  const isEntry = (element: unknown): element is JsonObject =>
    isPlainObject(element) && element[entry.key] === entry.name
  return {
    canPut(record) {
      if (walkTo(record, parentKeys) === null) return false
      const elements = list(record)
      return elements === undefined || (Array.isArray(elements) && !elements.some((element) => isEntry(element)))
    },
    get(record) {
      const elements = list(record)
      return Array.isArray(elements) ? elements.find((element) => isEntry(element))?.[entry.value] : undefined
    },
    strip(record) {
      const elements = list(record)
      if (!Array.isArray(elements) || !elements.some((element) => isEntry(element))) return record
      const kept = elements.filter((element) => !isEntry(element))
      return updateAt(record, parentKeys, (parent) => withKey(parent, last, kept))
    },
    with(record, raw) {
      const elements = list(record)
      const element = {[entry.key]: entry.name, [entry.value]: raw}
      return updateAt(record, parentKeys, (parent) =>
        withKey(parent, last, [...(Array.isArray(elements) ? elements : []), element]),
      )
    },
  }
}

/** The object at `keys`: undefined when some key is absent, null when something other than an object is in the way. */
function walkTo(record: JsonObject, keys: readonly string[]): JsonObject | null | undefined {
  let current: JsonObject = record
  for (const key of keys) {
    if (!hasOwn(current, key)) return undefined
    const child = current[key]
    if (!isPlainObject(child)) return null
    current = child
  }

  return current
}

/** A copy of `record` along `keys` (objects created where missing) with the object at the end replaced by `change(it)`. */
function updateAt(record: JsonObject, keys: readonly string[], change: (target: JsonObject) => JsonObject): JsonObject {
  if (keys.length === 0) return change(record)
  const [head, ...rest] = keys as [string, ...string[]]
  const child = hasOwn(record, head) && isPlainObject(record[head]) ? (record[head] as JsonObject) : {}
  return withKey(record, head, updateAt(child, rest, change))
}

function withKey(target: JsonObject, key: string, value: unknown): JsonObject {
  const copy: JsonObject = {}
  for (const k of Object.keys(target)) setOwn(copy, k, target[k])
  setOwn(copy, key, value)
  return copy
}

function withoutKey(target: JsonObject, key: string): JsonObject {
  const copy: JsonObject = {}
  for (const k of Object.keys(target)) if (k !== key) setOwn(copy, k, target[k])
  return copy
}
