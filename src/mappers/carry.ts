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

/** Where in a vendor record the carry document lives: an object key, or a named entry of a key/value list. */
export interface CarrySlot {
  /** Whether the document can be put in this record without overwriting anything of the record's own. */
  canPut(record: JsonObject): boolean
  /** The raw value in the slot, if any. */
  get(record: JsonObject): unknown
  /** Put the raw value in the slot; the function returned takes it out again, leaving the record as it was. */
  put(record: JsonObject, raw: unknown): () => void
  /** A shallow copy of the record without the slot, nor containers its removal leaves empty. */
  strip(record: JsonObject): JsonObject
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
    put(record, raw) {
      const {container, undo} = makePath(record, parentKeys)
      setOwn(container, last, raw)
      return undo ?? (() => delete container[last])
    },
    strip: (record) => stripPath(record, keys, () => {}),
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

  const isEntry = (element: unknown): element is JsonObject => isPlainObject(element) && element[entry.key] === entry.name
  return {
    canPut(record) {
      const parent = walkTo(record, parentKeys)
      if (parent === null) return false
      const elements = parent === undefined ? undefined : list(record)
      return elements === undefined || (Array.isArray(elements) && !elements.some((element) => isEntry(element)))
    },
    get(record) {
      const elements = list(record)
      return Array.isArray(elements) ? elements.find((element) => isEntry(element))?.[entry.value] : undefined
    },
    put(record, raw) {
      const {container, undo} = makePath(record, parentKeys)
      const existing = hasOwn(container, last) ? container[last] : undefined
      const elements = Array.isArray(existing) ? existing : []
      if (!Array.isArray(existing)) setOwn(container, last, elements)
      elements.push({[entry.key]: entry.name, [entry.value]: raw})
      return (
        undo ??
        (() => {
          if (Array.isArray(existing)) elements.pop()
          else delete container[last]
        })
      )
    },
    strip: (record) =>
      stripPath(record, keys, (value) => {
        if (!Array.isArray(value)) return value
        const kept = value.filter((element) => !isEntry(element))
        return kept.length > 0 ? kept : undefined
      }),
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

/** The object at `keys`, creating what is missing; `undo` removes what was created (undefined when nothing was). */
function makePath(record: JsonObject, keys: readonly string[]): {container: JsonObject; undo?: () => void} {
  let current = record
  let undo: (() => void) | undefined
  for (const key of keys) {
    if (hasOwn(current, key)) {
      current = current[key] as JsonObject
    } else {
      const created: JsonObject = {}
      const parent = current
      undo ??= () => delete parent[key]
      setOwn(parent, key, created)
      current = created
    }
  }

  return undo ? {container: current, undo} : {container: current}
}

/**
 * A shallow copy along `keys` where `trim` decides what becomes of the value at the end (undefined: removed), and any
 * object the removal leaves empty is removed too.
 */
function stripPath(record: JsonObject, keys: readonly string[], trim: (value: unknown) => unknown): JsonObject {
  const [head, ...rest] = keys
  if (head === undefined || !hasOwn(record, head)) return record
  const child = record[head]
  let replacement: unknown
  if (rest.length === 0) {
    replacement = trim(child)
    if (replacement === child) return record
  } else if (isPlainObject(child)) {
    const trimmed = stripPath(child, rest, trim)
    if (trimmed === child) return record
    replacement = Object.keys(trimmed).length > 0 ? trimmed : undefined
  } else {
    return record
  }

  const copy: JsonObject = {}
  for (const key of Object.keys(record)) {
    if (key !== head) setOwn(copy, key, record[key])
    else if (replacement !== undefined) setOwn(copy, key, replacement)
  }

  return copy
}
