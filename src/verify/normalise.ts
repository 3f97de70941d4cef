import {type Converter, diagnoseWrongFormat, loadSide, makeConverter, NEUTRAL, type Side} from '../convert/pipeline.js'
import {type InputRecord, openRecords, type RecordSource} from '../io/read-records.js'

/** One record of one side, read back to neutral: what pairing and comparison work on. */
export interface NeutralEntry {
  id: string
  /** 1-based line of the record in its input file (the source's, for a dry run's in-memory target). */
  line: number
  neutral: Record<string, unknown>
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

  return {entry: {id, line: item.line, neutral, ordinal: item.index}}
}

export interface SideReader extends AsyncIterable<SideEntry> {
  close(): Promise<void>
  readonly label: string
}

/**
 * Reads one file of `side` records and yields each as neutral (`withoutExtensions`: without the shape's own unmapped
 * fields, for a side whose extensions the comparison ignores). The first record not fitting the declared format
 * stops with the one-line diagnosis convert gives ("this is an ada record, not liveperson").
 */
export async function readSide(
  path: string,
  side: Side,
  options: {withoutExtensions?: boolean} = {},
): Promise<SideReader> {
  const converter = makeConverter(side, await loadNeutral(), options)
  const source: RecordSource = await openRecords({envelopeKeys: side.envelope, path})
  return {
    async *[Symbol.asyncIterator]() {
      for await (const item of source) {
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
