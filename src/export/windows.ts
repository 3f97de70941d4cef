import type {TimeRange} from './types.js'

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

/**
 * Splits [since, until) into consecutive windows of at most `maxMs`. With `alignMs`, the outer bounds are widened to
 * multiples of it (an API that rounds its bounds, like LivePerson's 10 minutes, then returns exactly what was asked)
 * and every inner boundary is a multiple of it too; the runner still filters records to the user's range.
 * Windows never overlap: each boundary ends one window and starts the next.
 */
export function splitRange(range: TimeRange, maxMs: number, alignMs = 1): TimeRange[] {
  if (!(maxMs >= alignMs) || alignMs < 1)
    throw new RangeError(`splitRange: window ${maxMs} ms, alignment ${alignMs} ms`)
  const since = Math.floor(range.since / alignMs) * alignMs
  const until = Math.ceil(range.until / alignMs) * alignMs
  const step = Math.floor(maxMs / alignMs) * alignMs
  const windows: TimeRange[] = []
  for (let start = since; start < until; start += step)
    windows.push({since: start, until: Math.min(until, start + step)})
  return windows
}
