/**
 * Limits on one record of input, enforced while reading: its size (checked before the bytes are buffered, so a 2 GiB
 * line costs 64 MiB, not 4 GB) and its nesting depth (checked before parsing, so that no recursive step after it can
 * overflow the stack). The flags that set them are defined once, in src/flags.ts.
 */
export interface RecordLimits {
  /** Deepest nesting of objects and arrays in one value read whole (a JSON Lines line, a document's element). */
  maxDepth: number
  /** Largest value read whole, in bytes of input. */
  maxRecordBytes: number
}

export const DEFAULT_MAX_DEPTH = 1000
/**
 * The most `--max-depth` accepts: the recursive steps after parsing (mapping, stable stringify, verify, archive)
 * handle 2,500 levels on Node's default stack (test/io/depth.test.ts runs a record at this limit through each).
 */
export const MAX_MAX_DEPTH = 2000
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024

export const DEFAULT_LIMITS: RecordLimits = {maxDepth: DEFAULT_MAX_DEPTH, maxRecordBytes: DEFAULT_MAX_RECORD_BYTES}

export function sameLimits(a: RecordLimits, b: RecordLimits): boolean {
  return a.maxDepth === b.maxDepth && a.maxRecordBytes === b.maxRecordBytes
}

/** Levels and growth conversion may add to a record (neutral `extensions`, a carry field): the limits of its output. */
const CONVERSION_DEPTH = 16
const CONVERSION_GROWTH = 4

/**
 * Limits for reading a file convoshift converted from input within `limits` (verify's target): the output of every
 * record convert accepted stays readable.
 */
export function convertedLimits(limits: RecordLimits): RecordLimits {
  return {maxDepth: limits.maxDepth + CONVERSION_DEPTH, maxRecordBytes: limits.maxRecordBytes * CONVERSION_GROWTH}
}

/** `64 MiB`, `500 KiB`, `1000 bytes`: how a limit is named in messages. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`
  }

  return `${bytes} bytes`
}
