/**
 * Streaming record reader: JSON Lines or JSON documents (arrays, vendor envelopes, concatenated values), plain or gzip.
 *
 * Every top-level JSON value becomes records: an array gives its elements; an object holding an envelope key whose value
 * is an array (`{"_metadata": {…}, "conversationHistoryRecords": [ … ]}`) gives that array's elements; any other object
 * is one record. Scalars at the top level are an error (in JSON Lines: a rejected line).
 *
 * Two layouts share one buffer and one state machine:
 * - `jsonl`: the first line is a complete JSON value. Each top-level value is found with Buffer#indexOf('\n') and
 *   handed to JSON.parse whole; this is the fast path and costs little more than a hand-written split/parse loop.
 * - `json-document`: anything else (pretty-printed, a `[` spanning lines, a huge single-line envelope). A byte-level
 *   scanner tracks strings, escapes and depth to find value boundaries, and streams top-level arrays and envelope
 *   arrays element by element: only the element being parsed is held in memory, never the whole document.
 * A JSONL line longer than LINE_LIMIT is scanned the document way, so huge one-line pages also stream.
 *
 * In JSON Lines each line stands alone: a line that is malformed, too deep or larger than `maxRecordBytes` is handed
 * out as a rejected record (`rejected`, with the raw text) and reading goes on at the next line. A line that ends inside
 * its value is read on over the next lines (pretty-printed JSON after a one-line first value) only when the next line
 * cannot stand alone; if that fails too, the reader rewinds and rejects the line. In a JSON document the same faults
 * stop the read with a ConvoshiftError, one line: `file:line:column: malformed JSON: <reason>`. In both layouts a record
 * that JSON.parse would change (a duplicate key, a number a double cannot hold) is rejected (see json-guard.ts).
 * JSON.parse is the validator; when it fails, `locateJsonError` re-scans the failed text for a position and a reason.
 *
 * The layers, bottom up: byte-source.ts (a file, stdin or gunzip), byte-window.ts (the bytes in memory),
 * value-scanner.ts (where a value ends), record-reader.ts (values → records, with lines, limits and rejections).
 */
import {FileSource, type InputPosition, StreamSource} from './byte-source.js'
import {type RejectedInput} from './json-line.js'
import {DEFAULT_LIMITS, type RecordLimits} from './limits.js'
import {RecordReader} from './record-reader.js'

export {expandTopLevel, type RejectedInput} from './json-line.js'

export type InputLayout = 'json-document' | 'jsonl'

export interface InputRecord {
  /**
   * The parsed record; undefined for a rejected line. A rejected record keeps it when it
   * parsed (for its id), but it is not the record as written: `rejected.text` is.
   */
  value: unknown
  /** Input that cannot be a record as written: why, and its raw text. */
  rejected?: RejectedInput
  /** 1-based line where the record's value starts in the (decompressed) input. */
  line: number
  /** 0-based ordinal of the record across the whole input. */
  index: number
}

export interface ReadRecordsOptions {
  /** A file path, or '-' for stdin. */
  path: string
  /** Keys of vendor envelope objects whose array value holds the records, e.g. `conversationHistoryRecords`. */
  envelopeKeys: readonly string[]
  /** For tests; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream
  /** Size and depth limits of one record; defaults DEFAULT_LIMITS. */
  limits?: RecordLimits | undefined
  /** Stop with a ConvoshiftError at the first rejected record instead of handing it out (for `migrate`). */
  strict?: boolean
}

export interface RecordSource extends AsyncIterable<InputRecord> {
  /** Whether the input was gzip (detected by its magic bytes). */
  readonly compressed: boolean
  /** The layout detected from the start of the input. */
  readonly layout: InputLayout
  /** Envelope objects seen so far. */
  readonly envelopes: number
  /** For a regular file: bytes read of its size (records are parsed up to a few MiB behind). Else undefined. */
  readonly position: InputPosition | undefined
  /** Releases the file handle; safe to call more than once and while iterating. */
  close(): Promise<void>
}

/** Opens `options.path` (or stdin), detects gzip and the layout, and returns a single-use record iterator. */
export async function openRecords(options: ReadRecordsOptions): Promise<RecordSource> {
  const name = options.path === '-' ? '<stdin>' : options.path
  const source =
    options.path === '-' ? new StreamSource(options.stdin ?? process.stdin, name) : await FileSource.open(options.path)
  const reader = new RecordReader(name, options.envelopeKeys, source, {
    limits: options.limits ?? DEFAULT_LIMITS,
    strict: options.strict ?? false,
  })
  try {
    await reader.start()
  } catch (error) {
    await reader.close()
    throw error
  }

  return reader
}
