import {type MappingFile} from '../schemas/mapping.js'
import {type CarryDocument, isCarryDocument} from './carry-document.js'
import {keyPath, segmentsOf, transformOf} from './field-rule.js'
import {cloneJson, hasOwn, isPlainObject, type JsonObject, setOwn} from './json.js'

/**
 * Where in a vendor record the carry document (carry-document.ts) lives: an object key, or a named entry of a key/value
 * list. Slots never modify a record (its containers may be shared with the neutral record it was built from): they
 * return copies along the path. Removing the document leaves the containers it was written into, even empty, so that what B → neutral maps
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

/** A mapping's carry field, compiled: where its document lives in a record and how it is encoded there. */
export interface CompiledCarry {
  /** The carry document in a record, and the record without it (as `probe` makes it); undefined when absent. */
  read(record: JsonObject): undefined | {document: CarryDocument; stripped: JsonObject}
  /**
   * The record as `read` will strip it once a document is written, or undefined when a document cannot be written
   * without overwriting the record's own data.
   */
  probe(record: JsonObject): JsonObject | undefined
  /** The record with the document written in (a copy: the record is not modified). */
  write(record: JsonObject, document: CarryDocument): JsonObject
}

export function compileCarry(spec: NonNullable<MappingFile['carry']>, format: string): CompiledCarry {
  const at = `${format} carry (${spec.vendor})`
  const keys = keyPath(segmentsOf(spec.vendor, at), at)
  const slot = spec.entry ? entrySlot(keys, spec.entry) : objectSlot(keys)
  const {options, transform} = transformOf(spec.transform, at)
  return {
    probe: (record) => (slot.canPut(record) ? slot.strip(slot.with(record, null)) : undefined),
    read(record) {
      const raw = slot.get(record)
      if (raw === undefined) return
      const decoded = transform.toNeutral(raw, options)
      // Anything else under the key is the user's own data: it stays in the record like any unmapped field.
      if (!isCarryDocument(decoded)) return
      // A document parsed from a string is already a fresh value; a raw object is the input's own, so copied.
      return {document: typeof raw === 'string' ? decoded : cloneJson(decoded), stripped: slot.strip(record)}
    },
    write: (record, document) => slot.with(record, transform.fromNeutral(document, options)),
  }
}
