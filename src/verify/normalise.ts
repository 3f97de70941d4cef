import {type Converter, diagnoseWrongFormat, loadSide, makeConverter, NEUTRAL, type Side} from '../engine/pipeline.js'
import {type RecordLimits} from '../io/limits.js'
import {type InputRecord, openRecords, type RecordSource} from '../io/read-records.js'

/** One record of one side, read back to neutral: what pairing and comparison work on. */
export interface NeutralEntry {
  /** A target read with views: pointers where its own value won over the carried one. */
  conflicts?: string[]
  id: string
  /** 1-based line of the record in its input file (the source's, for a dry run's in-memory target). */
  line: number
  /** The record with what convoshift carries for it applied (for a target, what can be recovered). */
  neutral: Record<string, unknown>
  /** A target read with views: the record as its vendor shows it. Absent when it is `neutral` itself. */
  native?: Record<string, unknown>
  ordinal: number
}

export interface RejectedEntry {
  line: number
  ordinal: number
  reason: string
}

export type SideEntry = {entry: NeutralEntry; rejected?: undefined} | {entry?: undefined; rejected: RejectedEntry}

/** The neutral side, as a target of conversion. */
let neutralSide: Promise<Side> | undefined
export function loadNeutral(): Promise<Side> {
  neutralSide ??= loadSide(NEUTRAL)
  return neutralSide
}

/** Turns one converter outcome into a side entry; a neutral record without a source id cannot be paired. */
export function toEntry(outcome: ReturnType<Converter['convert']>, item: InputRecord): SideEntry {
  if (outcome.reason !== undefined) return {rejected: {line: item.line, ordinal: item.index, reason: outcome.reason}}
  const neutral = outcome.value as Record<string, unknown>
  const id = neutral.sourceId
  if (typeof id !== 'string' || id === '') {
    return {rejected: {line: item.line, ordinal: item.index, reason: 'no conversation id (sourceId) to pair it by'}}
  }

  const entry: NeutralEntry = {id, line: item.line, neutral, ordinal: item.index}
  if (outcome.native && outcome.native !== outcome.value) entry.native = outcome.native
  if (outcome.conflicts && outcome.conflicts.length > 0) entry.conflicts = outcome.conflicts
  return {entry}
}

export interface SideReader extends AsyncIterable<SideEntry> {
  close(): Promise<void>
  readonly label: string
}

/**
 * Reads one file of `side` records and yields each as neutral (`withoutExtensions`: without the shape's own unmapped
 * fields, for a side whose extensions the comparison ignores; `views`: natively and recoverably, for a target of
 * another shape). The first record not fitting the declared format stops with the one-line diagnosis convert gives
 * ("this is an ada record, not liveperson").
 */
export async function readSide(
  path: string,
  side: Side,
  options: {limits?: RecordLimits | undefined; views?: boolean; withoutExtensions?: boolean} = {},
): Promise<SideReader> {
  const {limits, ...views} = options
  const converter = makeConverter(side, await loadNeutral(), views)
  const source: RecordSource = await openRecords({envelopeKeys: side.envelope, limits, path})
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of source) {
        if (item.rejected) {
          // Input that cannot be read as written (malformed, too deep or large, changed by parsing) cannot be compared.
          yield {rejected: {line: item.line, ordinal: item.index, reason: item.rejected.reason}}
          continue
        }

        const outcome = converter.convert(item.value)
        if (outcome.reason !== undefined && item.index === 0) {
          const wrong = await diagnoseWrongFormat(item.value, side.format, `${path}:${item.line}`)
          if (wrong) throw wrong
        }

        yield toEntry(outcome, item)
      }
    },
    close: () => source.close(),
    label: path,
  }
}
