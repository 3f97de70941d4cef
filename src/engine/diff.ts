import {routed} from './collections.js'
import {type Extension, extensionOf, mergeInto} from './extension.js'
import {childPointer, cloneJson, deepEqual, hasOwn, isPlainObject, type JsonObject, setOwn} from './json.js'
import {type CollectionNode, type CompiledCollection, type Level} from './level.js'

/**
 * The lossless diff: compare a vendor record with its rebuild from the neutral record and store the difference in the
 * neutral record's extension (extension.ts). Collection elements are paired with the neutral elements they were
 * rebuilt from, so each element's remainder travels with it.
 */
export function attachDiff(
  level: Level,
  records: {neutral: JsonObject; rebuilt: JsonObject; source: JsonObject},
  format: string,
): void {
  const {neutral, rebuilt, source} = records
  const diff: Extension = {}
  walk({pointer: '', rebuilt, source, tree: level.collectionTree}, {diff, format, neutral})
  if (!diff.unmapped && !diff.original && !diff.absent) return
  const extension = extensionOf(neutral, format, true)!
  // A second diff (against a base mapping's rebuild) only adds corrections; all carry source values.
  if (diff.unmapped) {
    if (extension.unmapped) {
      // The first diff's unmapped values are the input's own objects: merge into a copy, never into the input.
      const merged = cloneJson(extension.unmapped)
      mergeInto(merged, diff.unmapped)
      extension.unmapped = merged
    } else {
      extension.unmapped = diff.unmapped
    }
  }

  if (diff.original) extension.original = {...extension.original, ...diff.original}
  if (diff.absent) extension.absent = [...new Set([...(extension.absent ?? []), ...diff.absent])]
}

/** What one diff collects into, and the neutral element it belongs to. */
interface DiffRun {
  diff: Extension
  /** Inside an element of a `remainder: "enclosing"` collection: a key the rebuild lacks is kept by pointer. */
  flat?: boolean
  format: string
  neutral: JsonObject
}

/** A place in the source and its rebuild, walked side by side. */
interface Place {
  /** The object in `diff.unmapped` that mirrors the parent of `source`, and `source`'s key in it. */
  parent?: {key: string; unmapped: () => JsonObject}
  /** The JSON Pointer of `source`. */
  pointer: string
  rebuilt: JsonObject
  source: JsonObject
  /** The collections below this place, by vendor key. */
  tree: Map<string, CollectionNode> | undefined
}

/** The object in `diff.unmapped` that mirrors `source` is created only when something below needs it. */
function walk(place: Place, run: DiffRun): void {
  const {parent, pointer, rebuilt, source, tree} = place
  const {diff} = run
  let unmappedHere: JsonObject | undefined
  const unmapped = (): JsonObject => {
    if (unmappedHere) return unmappedHere
    if (parent) {
      const container = parent.unmapped()
      const existing = hasOwn(container, parent.key) ? container[parent.key] : undefined
      if (isPlainObject(existing)) {
        unmappedHere = existing
      } else {
        unmappedHere = {}
        setOwn(container, parent.key, unmappedHere)
      }
    } else {
      diff.unmapped ??= {}
      unmappedHere = diff.unmapped
    }

    return unmappedHere
  }

  let shared = 0
  for (const key of Object.keys(source)) {
    const value = source[key]
    const other = rebuilt[key]
    // A rebuilt value is JSON data, never a function: a function or nothing here means the key is not its own (an
    // inherited toString), which only hasOwn can tell apart. `__proto__` always reads the prototype, so always asks.
    if ((other === undefined || typeof other === 'function' || key === '__proto__') && !hasOwn(rebuilt, key)) {
      if (run.flat) (diff.original ??= {})[childPointer(pointer, key)] = value
      else setOwn(unmapped(), key, value)
      continue
    }

    shared++
    if (value === other) continue
    if (typeof value !== 'object' || value === null) {
      // Two different scalars, or a scalar and a container: unequal either way.
      ;(diff.original ??= {})[childPointer(pointer, key)] = value
      continue
    }

    const node = tree?.get(key)
    if (node?.collection && Array.isArray(value) && Array.isArray(other)) {
      const arrays = {rebuilt: other, source: value}
      const at = childPointer(pointer, key)
      const paired = node.collection.enclosing
        ? diffInPlace(arrays, at, run)
        : pairElements(node.collection, arrays, run)
      if (!paired) (diff.original ??= {})[at] = value

      continue
    }

    if (isPlainObject(value) && isPlainObject(other)) {
      const child = {key, unmapped}
      walk(
        {parent: child, pointer: childPointer(pointer, key), rebuilt: other, source: value, tree: node?.children},
        run,
      )
      continue
    }

    if (!deepEqual(value, other)) (diff.original ??= {})[childPointer(pointer, key)] = value
  }

  // Every rebuilt key the source also has was counted above; only when some are left is there anything absent.
  const rebuiltKeys = Object.keys(rebuilt)
  if (rebuiltKeys.length === shared) return
  for (const key of rebuiltKeys) {
    if (!hasOwn(source, key)) (diff.absent ??= []).push(childPointer(pointer, key))
  }
}

/** Diffs each element of a collection against its rebuild; false when they cannot be paired one to one. */
function pairElements(
  collection: CompiledCollection,
  arrays: {rebuilt: unknown[]; source: unknown[]},
  run: DiffRun,
): boolean {
  const {rebuilt, source} = arrays
  const elements = routed(collection, run.neutral)
  if (elements.length !== source.length || rebuilt.length !== source.length) return false
  for (const [i, element] of elements.entries()) {
    const from = source[i]
    const to = rebuilt[i]
    if (!isPlainObject(from) || !isPlainObject(to) || !isPlainObject(element)) return false
    attachDiff(collection.level, {neutral: element, rebuilt: to, source: from}, run.format)
  }

  return true
}

/**
 * `remainder: "enclosing"`: diffs each element against its rebuild in place, keeping what differs in this level's
 * extension by pointer (`/message_data/quick_replies/0/button_type`), so the neutral elements carry no extension of
 * their own. Arrays nested in an element are compared whole. False when the elements do not pair one to one.
 */
function diffInPlace(arrays: {rebuilt: unknown[]; source: unknown[]}, pointer: string, run: DiffRun): boolean {
  const {rebuilt, source} = arrays
  if (rebuilt.length !== source.length) return false
  if (!source.every((element, i) => isPlainObject(element) && isPlainObject(rebuilt[i]))) return false
  const flat = {...run, flat: true}
  for (const [i, element] of source.entries()) {
    const place = {pointer: `${pointer}/${i}`, rebuilt: rebuilt[i] as JsonObject, source: element as JsonObject}
    walk({...place, tree: undefined}, flat)
  }

  return true
}
