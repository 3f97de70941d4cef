/**
 * Deterministic JSON: keys sorted by the default string sort (UTF-16 code units), by fast-json-stable-stringify.
 *
 * Why the dependency and not our own: convoshift had its own (copy-on-write sorted copies, built by functions compiled
 * with `new Function` and cached in module-level state). On a whole `convert --from liveperson --to neutral` of a
 * 52 MB file (3,102 records), paired whole-process runs (5 pairs after a warm-up, loaded 2-core machine) gave ours
 * against the dependency CPU 0.97x (range 0.86-1.03) and wall 1.02x (medians): within the noise, not worth 300 lines
 * of code generation and a cache. Measure again before replacing it.
 * Converted records are written by src/engine/canonical.ts instead: the same bytes, native JSON.stringify where it can.
 */
import fastStableStringify from 'fast-json-stable-stringify'

/**
 * Serialize `value` with sorted keys.
 * Throws a `TypeError` (a programmer error) when there is nothing to serialize (`undefined`, a function, a symbol).
 */
export function stableStringify(value: unknown): string {
  const text = fastStableStringify(value) as string | undefined
  if (text === undefined) throw new TypeError(`stableStringify: cannot serialize a value of type ${typeof value}`)
  return text
}

/** `stableStringify(value)` followed by a newline: one JSON Lines record. */
export function stableLine(value: unknown): string {
  return stableStringify(value) + '\n'
}
