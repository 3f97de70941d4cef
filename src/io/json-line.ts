/**
 * One JSON Lines line into records, the same on the main thread and on a worker (`convert --jobs`): the line stands
 * alone, so a line that cannot be read, or a record that cannot be kept exactly, is rejected and the rest goes on.
 */
import {describeKind} from '../engine/json.js'
import {describeProblem, type JsonProblem, parseGuarded, valueEnd} from './json-guard.js'
import {END_OF_INPUT, suggestionsFor} from './json-syntax.js'

/** Input that is not a record: why, and the raw text it was (cut to its first bytes when it was too large to keep). */
export interface RejectedInput {
  /** With a cut `text`: the size of the whole, in bytes. */
  bytes?: number
  /** One line: the column or field path, and what is wrong. */
  reason: string
  text: string
}

export type LineRecord = {rejected: RejectedInput; value?: unknown} | {rejected?: undefined; value: unknown}

export type LineOutcome =
  /** The line ends inside its value: the value may go on over the next lines (see the reader), or be cut short. */
  {endsEarly: true} | {endsEarly?: undefined; envelope: boolean; records: LineRecord[]}

/** The hint a line that ends early gets when it is rejected. */
export const JSONL_HINT = 'each line of a JSON Lines file must hold one complete JSON value'

/**
 * The records one top-level JSON value holds: an array's items, a vendor page's records (envelope keys, in document
 * order), or the object itself. Undefined for a scalar, which no input may hold at top level.
 */
export function expandTopLevel(
  value: unknown,
  envelopeKeys: ReadonlySet<string>,
): undefined | {envelope: boolean; records: unknown[]} {
  if (Array.isArray(value)) return {envelope: false, records: value}
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  if (envelopeKeys.size > 0) {
    let found = false
    for (const key of envelopeKeys) if (Object.hasOwn(record, key) && Array.isArray(record[key])) found = true
    if (found) {
      const records: unknown[] = []
      for (const key of Object.keys(record)) {
        const items = record[key]
        if (envelopeKeys.has(key) && Array.isArray(items)) for (const item of items) records.push(item)
      }

      return {envelope: true, records}
    }
  }

  return {envelope: false, records: [record]}
}

/**
 * Reads one line (`text`, from its first non-blank character; `column` is that character's 1-based column).
 * `maxDepth` bounds nesting, counted from the line's top-level value.
 */
export function readJsonLine(
  text: string,
  envelopeKeys: ReadonlySet<string>,
  maxDepth: number,
  column: number,
): LineOutcome {
  const whole = (reason: string): LineOutcome => ({envelope: false, records: [{rejected: {reason, text}}]})
  const guarded = parseGuarded(text, maxDepth)
  if (guarded.kind === 'syntax') {
    const {index, reason} = guarded.located
    if (reason === END_OF_INPUT) return {endsEarly: true}
    const hint = suggestionsFor(text, index)
    return whole(`malformed JSON at column ${column + index}: ${reason}${hint.length > 0 ? `; ${hint[0]}` : ''}`)
  }

  if (guarded.kind === 'deep') return whole(describeProblem(guarded.problem, maxDepth))
  const expanded = expandTopLevel(guarded.value, envelopeKeys)
  if (!expanded) return whole(`the line holds ${describeKind(guarded.value)}: expected an object or array`)
  if (guarded.kind === 'ok') return {envelope: expanded.envelope, records: expanded.records.map((value) => ({value}))}

  const records: LineRecord[] = expanded.records.map((value) => ({value}))
  const {depth, ordinalOf} = recordLayout(guarded.value, expanded.envelope, envelopeKeys)
  for (const problem of guarded.problems) {
    const ordinal = problem.path.length >= depth ? ordinalOf(problem.path) : undefined
    if (ordinal === undefined) {
      // Outside the records (a page's metadata): a duplicate key there may hide records (a second `records` array);
      // anything else is not written anywhere, so it changes nothing.
      if (problem.kind === 'duplicate') return whole(describeProblem(problem, maxDepth, 0, 'page'))
      continue
    }

    const record = records[ordinal]!
    if (record.rejected) continue
    const start = problem.starts[depth]
    const own = depth === 0 ? text : start === undefined ? problem.detail : text.slice(start, valueEnd(text, start))
    records[ordinal] = {rejected: {reason: describeProblem(problem, maxDepth, depth), text: own}, value: record.value}
  }

  return {envelope: expanded.envelope, records}
}

/**
 * Which record a problem is in: an array's element (path [i, …]), a page's record (path [key, i, …]), or the object
 * itself; `depth` is how many path segments lead to a record.
 */
function recordLayout(
  value: unknown,
  envelope: boolean,
  envelopeKeys: ReadonlySet<string>,
): {depth: number; ordinalOf: (path: JsonProblem['path']) => number | undefined} {
  if (Array.isArray(value)) return {depth: 1, ordinalOf: (path) => path[0] as number | undefined}
  if (!envelope) return {depth: 0, ordinalOf: () => 0}
  // A page's records are its envelope arrays' items, in document order (expandTopLevel).
  const offsets = new Map<string, number>()
  let offset = 0
  for (const [key, items] of Object.entries(value as Record<string, unknown>)) {
    if (!envelopeKeys.has(key) || !Array.isArray(items)) continue
    offsets.set(key, offset)
    offset += items.length
  }

  return {
    depth: 2,
    ordinalOf(path) {
      const start = offsets.get(path[0] as string)
      return start === undefined || typeof path[1] !== 'number' ? undefined : start + path[1]
    },
  }
}

/** The reason a line that ends inside its value is rejected with. */
export function endsEarlyReason(lastLine: boolean): string {
  return lastLine
    ? 'malformed JSON: unexpected end of input (truncated file?)'
    : `malformed JSON: unexpected end of line (${JSONL_HINT})`
}
