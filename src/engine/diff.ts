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
      setOwn(unmapped(), key, value)
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
      if (!pairElements(node.collection, {rebuilt: other, source: value}, run)) {
        ;(diff.original ??= {})[childPointer(pointer, key)] = value
      }

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

    if (Array.isArray(value) && Array.isArray(other)) {
      if (value.length === other.length) patchArray(value, other, childPointer(pointer, key), diff)
      else (diff.original ??= {})[childPointer(pointer, key)] = value
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
 * Where a source value and its rebuild differ, as JSON Pointers: source values to set (`original`) and rebuilt keys
 * to remove (`absent`). Only arrays of one length are entered, so each index names the same element in the source
 * and the rebuild, and applying the patch to that rebuild gives the source exactly. A key the rebuild lacks inside an
 * element is an `original` value (`unmapped` mirrors objects only). `size` is the patch's JSON length.
 */
interface Patch {
  absent: string[]
  original: Array<[string, unknown]>
  size: number
}

/**
 * A plain (not paired) array that differs from its rebuild in some elements is kept element by element (`/tags/2`,
 * `/notes/0/_id`) rather than whole, at every depth where that is smaller: a rebuild that gets one id of ten elements
 * wrong then costs one pointer, not a copy of the array.
 */
function patchArray(source: unknown[], rebuilt: unknown[], pointer: string, diff: Extension): void {
  const patch = patchValue(source, rebuilt, pointer)
  if (!patch) return
  for (const [at, value] of patch.original) (diff.original ??= {})[at] = value
  if (patch.absent.length > 0) (diff.absent ??= []).push(...patch.absent)
}

/** The smaller of the element-wise patch and the whole source value; undefined when they are equal. */
function patchValue(source: unknown, rebuilt: unknown, pointer: string): Patch | undefined {
  if (source === rebuilt) return undefined
  const parts: Patch = {absent: [], original: [], size: 0}
  const add = (patch: Patch | undefined): void => {
    if (!patch) return
    parts.original.push(...patch.original)
    parts.absent.push(...patch.absent)
    parts.size += patch.size
  }

  if (Array.isArray(source) && Array.isArray(rebuilt) && source.length === rebuilt.length) {
    for (const [i, element] of source.entries()) add(patchValue(element, rebuilt[i], `${pointer}/${i}`))
  } else if (isPlainObject(source) && isPlainObject(rebuilt)) {
    for (const key of Object.keys(source)) {
      const here = childPointer(pointer, key)
      add(hasOwn(rebuilt, key) ? patchValue(source[key], rebuilt[key], here) : whole(here, source[key]))
    }

    for (const key of Object.keys(rebuilt)) {
      if (hasOwn(source, key)) continue
      const here = childPointer(pointer, key)
      parts.absent.push(here)
      parts.size += JSON.stringify(here).length + 1
    }
  } else {
    return deepEqual(source, rebuilt) ? undefined : whole(pointer, source)
  }

  if (parts.original.length === 0 && parts.absent.length === 0) return undefined
  const all = whole(pointer, source)
  return parts.size < all.size ? parts : all
}

function whole(pointer: string, value: unknown): Patch {
  return {
    absent: [],
    original: [[pointer, value]],
    size: JSON.stringify(pointer).length + JSON.stringify(value).length + 2,
  }
}
