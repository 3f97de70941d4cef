/**
 * Canonical output (sorted keys) written by native `JSON.stringify`: the speed code of issue 17 item 6, all of it here.
 *
 * The plain way is `stableStringify` (src/util/stable-json.ts, on fast-json-stable-stringify): it sorts every object's
 * keys and builds the text in JavaScript. `JSON.stringify` writes an object's keys in its own order, which is the sorted
 * order when the object holds them in that order and has no array-index key ("0", "10": those always come first, in
 * numeric order). So `canonicalJson` walks the record once, keeps every object already in order and replaces only the
 * others by a sorted copy (copy on write: the record, which may share objects with the input, is never modified).
 * Arrays keep their order (`absent` lists included). An object no copy can put in order (array-index keys, a `toJSON`)
 * sends the whole record to `stableStringify`: the bytes are those of `stableStringify` in every case (tested on every
 * fixture, example and sample in every pair, and on generated values: test/engine/canonical.test.ts).
 *
 * Measured (paired whole-process runs, `convert --jobs 1` of the 52 MB bench inputs, 1 warm-up, on a shared 2-core
 * machine at load 15-19, so only the ratios mean anything), this file against `stableStringify`: liveperson → neutral
 * CPU 0.93x (8 pairs, range 0.86-1.11) and 0.94x (5 pairs), wall 0.94x and 0.86x; ada → liveperson CPU 0.99x (0.69-1.14),
 * wall 1.00x: vendor records are mostly rebuilt objects out of order, copied here. Building the neutral elements in key
 * order in the engine (field groups sorted by neutral key when a mapping compiles, the remainder copied sorted in
 * diff.ts) left a third fewer objects to copy here but measured CPU 0.99x (0.90-1.09) against this alone, under the 3%
 * that would pay for spreading the speed code over rules.ts and diff.ts, so the engine builds records as it did.
 *
 * Which is used where: `canonicalJson`/`canonicalLine` for converted records (convert and its worker pool, archive
 * create and export); `stableStringify` (fast-json-stable-stringify) for everything else, and as the fallback here.
 */
import {stableStringify} from '../util/stable-json.js'
import {type JsonObject, setOwn} from './json.js'

/** What `inOrder` returns for a value that `JSON.stringify` cannot write in sorted order, whatever the copy. */
const UNORDERABLE = Symbol('unorderable')

/** `value` itself when every object in it enumerates its keys sorted, else a copy (of only what is out of order). */
function inOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return arrayInOrder(value)
  if (typeof (value as {toJSON?: unknown}).toJSON === 'function') return UNORDERABLE
  const object = value as JsonObject
  if (!keysInOrder(object)) return sortedObject(object)
  let copy: JsonObject | undefined
  // eslint-disable-next-line guard-for-in
  for (const key in object) {
    const child = object[key]
    const ordered = inOrder(child)
    if (ordered === UNORDERABLE) return UNORDERABLE
    if (ordered !== child) copy ??= {...object}
    if (copy) setOwn(copy, key, ordered)
  }

  return copy ?? object
}

/** Whether `object` enumerates its own keys in sorted order (UTF-16 code units, as `Array#sort` compares them). */
function keysInOrder(object: JsonObject): boolean {
  let previous: string | undefined
  // for…in allocates no key array; JSON values have no enumerable inherited keys to filter out.
  // eslint-disable-next-line guard-for-in
  for (const key in object) {
    if (previous !== undefined && !(previous < key)) return false
    previous = key
  }

  return true
}

function arrayInOrder(array: unknown[]): unknown {
  let copy: undefined | unknown[]
  for (let i = 0; i < array.length; i++) {
    const ordered = inOrder(array[i])
    if (ordered === UNORDERABLE) return UNORDERABLE
    if (ordered !== array[i]) copy ??= [...array]
    if (copy) copy[i] = ordered
  }

  return copy ?? array
}

/** A copy of `object` with its keys inserted in sorted order (and its values in order), if that order holds. */
function sortedObject(object: JsonObject): unknown {
  const keys = Object.keys(object).sort()
  const out: JsonObject = {}
  for (const key of keys) {
    const ordered = inOrder(object[key])
    if (ordered === UNORDERABLE) return UNORDERABLE
    setOwn(out, key, ordered)
  }

  // An array-index key is enumerated first whatever the insertion order: then no object can hold the sorted order.
  return keysInOrder(out) ? out : UNORDERABLE
}

/** `value` as JSON with sorted keys: the same text as `stableStringify(value)`. */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return stableStringify(value)
  const ordered = inOrder(value)
  return ordered === UNORDERABLE ? stableStringify(value) : JSON.stringify(ordered)
}

/** `canonicalJson(value)` followed by a newline: one JSON Lines record. */
export function canonicalLine(value: unknown): string {
  return canonicalJson(value) + '\n'
}
