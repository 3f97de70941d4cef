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
 */
import {isAscii, isUtf8} from 'node:buffer'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {type ByteSource, CHUNK, FileSource, gunzipSource, type InputPosition, StreamSource} from './byte-source.js'
import {describeProblem, parseGuarded, quickScan} from './json-guard.js'
import {endsEarlyReason, readJsonLine, type RejectedInput} from './json-line.js'
import {describeCharacter, type JsonSyntaxError, locateJsonError, suggestionsFor} from './json-syntax.js'
import {DEFAULT_LIMITS, formatBytes, type RecordLimits} from './limits.js'

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

/** Records parsed ahead per batch (fewer promises per record), capped also by input bytes to bound memory. */
const BATCH_RECORDS = 64
const BATCH_BYTES = 256 * 1024
/** A JSONL line longer than this is scanned as a document, so that a huge one-line envelope streams. */
const LINE_LIMIT = 4 * 1024 * 1024
/** A JSON Lines line that only opens a value. */
const OPENER = /^[[{]\s*$/
/** How much of a line too large to keep goes into its rejected record. */
const REJECTED_PREFIX = 1024

// ---------------------------------------------------------------------------------------------------------------------
// The reader

/** Parser states (what comes next at `pos`). */
const enum State {
  /** Between top-level values. */
  Top,
  /** Just after an array's `[`. */
  ArrayOpen,
  /** Expecting an array element. */
  Element,
  /** After an element: `,` or `]`. */
  ArrayNext,
  /** Just after a top-level object's `{`. */
  ObjectOpen,
  /** Expecting an object key. */
  Key,
  /** After a key: `:`. */
  Colon,
  /** Expecting a member value. */
  MemberValue,
  /** After a member value: `,` or `}`. */
  ObjectNext,
  /** Inside a value whose end we are looking for; `afterScan` says what it was. */
  Scan,
  /** Discarding the rest of a JSON Lines line that cannot be read (`skipping` says why), without buffering it. */
  SkipLine,
  Done,
}

const enum Scanned {
  Element,
  Key,
  MemberValue,
}

const enum Pump {
  /** Records are ready in the batch. */
  Ready,
  /** The buffer is exhausted; read more. */
  NeedData,
  /** End of input, nothing pending. */
  Done,
}

/** A JSON Lines line that ends inside its value, being read on over the next lines: where to rewind to. */
interface FallbackMark {
  count: number
  envelopes: number
  line: number
  /** Absolute offsets of the line's value and of the newline ending the line. */
  newline: number
  start: number
}

/** Thrown while reading a JSON Lines line on over the next lines when that fails: rewind and reject the line. */
class Rewind extends Error {
  constructor(readonly reason?: string) {
    super('rewind')
  }
}

/** Thrown while reading a long JSON Lines line the document way when it cannot be read: reject the rest of it. */
class SkipRest extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

interface Anchor {
  /** Absolute byte offset of the first byte. */
  start: number
  end: number
  line: number
  /** Absolute byte offset of the start of `line`. */
  lineStart: number
}

class RecordReader implements AsyncIterator<InputRecord>, RecordSource {
  compressed = false
  envelopes = 0
  layout: InputLayout = 'jsonl'
  private afterScan = Scanned.Element
  /** Absolute offset of store[0]. */
  private base = 0
  /** Absolute offset of the start of the line containing `base`, and the UTF-16 length of that line before `base`. */
  private baseLineStart = 0
  private baseLineUnits = 0
  /** Records parsed but not yet handed out, and where the current batch started (absolute offset). */
  private readonly batch: InputRecord[] = []
  private batchHead = 0
  private batchStart = 0
  private closed = false
  private count = 0
  private readonly envelopeKeys: ReadonlySet<string>
  private eof = false
  /** An error met while filling a batch, thrown once the batch's records have been handed out. */
  private failure: unknown
  /** Set while a JSON Lines line that ends inside its value is read on over the next lines; records wait in `deferred`. */
  private fallback: FallbackMark | undefined
  private deferred: InputRecord[] = []
  private finished = false
  /** Whether the array being streamed is an envelope's (else it is a top-level array). */
  private inEnvelopeArray = false
  /** Whether the top-level object being read turned out to be an envelope. */
  private isEnvelope = false
  /** Absolute offset of the first byte that must stay in the buffer. */
  private keep = 0
  /** Set while a JSON Lines line longer than LINE_LIMIT is read the document way: its line and first bytes. */
  private longLine: undefined | {line: number; start: number; text: string}
  /** Set while an element of a long line, found larger than the limit, is scanned to its end without keeping it. */
  private discarding: undefined | {line: number; start: number; text: string}
  /** Set in State.SkipLine: the line being discarded, why, and its first bytes. */
  private skipping: undefined | {line: number; reason: string; start: number; text: string}
  /** Absolute offset of the first byte that is not UTF-8 (+Infinity while none is known). */
  private invalidAt = Number.POSITIVE_INFINITY
  private key = ''
  /** Bytes of `store` that hold data. */
  private len = 0
  private line = 1
  private lineStart = 0
  private object: Anchor = {end: 0, line: 1, lineStart: 0, start: 0}
  /** Absolute offset of the next byte to look at. */
  private pos = 0
  /** Member values of a top-level object seen before it turned out to be an envelope; validated on the switch. */
  private prefix: Anchor[] = []
  private scanDepth = 0
  private scanInString = false
  private scanPrimitive = false
  private scanStringStart = 0
  private state = State.Top
  /** Absolute offset up to which the input has been checked to be UTF-8. */
  private validated = 0
  private store = Buffer.allocUnsafe(2 * CHUNK)
  private value: Anchor = {end: 0, line: 1, lineStart: 0, start: 0}
  /** store.subarray(0, len): bounds Buffer#indexOf. */
  private view = this.store.subarray(0, 0)
  private readonly limits: RecordLimits
  private readonly strict: boolean
  /** The input file, also when `source` becomes its decompressor. */
  private readonly file: FileSource | undefined

  constructor(
    private readonly name: string,
    envelopeKeys: readonly string[],
    private source: ByteSource,
    options: {limits: RecordLimits; strict: boolean},
  ) {
    this.file = source instanceof FileSource ? source : undefined
    this.envelopeKeys = new Set(envelopeKeys)
    this.limits = options.limits
    this.strict = options.strict
  }

  get position(): InputPosition | undefined {
    return this.file?.position
  }

  [Symbol.asyncIterator](): AsyncIterator<InputRecord> {
    return this
  }

  async close(): Promise<void> {
    this.finished = true
    if (this.closed) return
    this.closed = true
    await this.source.close()
  }

  next(): Promise<IteratorResult<InputRecord>> {
    if (this.batchHead < this.batch.length) {
      return Promise.resolve({done: false, value: this.batch[this.batchHead++] as InputRecord})
    }

    return this.nextSlow()
  }

  async return(): Promise<IteratorResult<InputRecord>> {
    await this.close()
    return {done: true, value: undefined}
  }

  /** Detects gzip, a BOM and the layout; consumes nothing but leading whitespace. */
  async start(): Promise<void> {
    while (this.len < 3 && (await this.fill()));
    if (this.len >= 2 && this.store[0] === 0x1f && this.store[1] === 0x8b) {
      this.compressed = true
      const head = Buffer.from(this.store.subarray(0, this.len))
      this.source = gunzipSource(this.source, head, this.name)
      this.len = 0
      this.view = this.store.subarray(0, 0)
      this.eof = false
      this.validated = 0
      this.invalidAt = Number.POSITIVE_INFINITY
      while (this.len < 3 && (await this.fill()));
    }

    const [b0, b1, b2] = [this.store[0], this.store[1], this.store[2]]
    if (this.len >= 3 && b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
      this.pos = 3
      this.keep = 3
      this.lineStart = 3
      this.baseLineStart = 3
    } else if (this.len >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) {
      throw new ConvoshiftError(`${this.name}: input is UTF-16 encoded; expected UTF-8`, {
        code: 'INPUT_MALFORMED',
        exitCode: ExitCode.InvalidInput,
        suggestions: ['re-save the export as UTF-8'],
      })
    }

    // The layout: JSONL when the first non-blank line is, on its own, a complete JSON value.
    for (;;) {
      this.keep = this.pos
      if (this.skipWhitespace()) {
        const newline = this.view.indexOf(0x0a, this.pos - this.base)
        const end = newline === -1 ? this.base + this.len : this.base + newline
        if (newline !== -1 || this.eof) {
          this.layout = this.standsAlone(this.text(this.pos, end)) ? 'jsonl' : 'json-document'
          return
        }

        if (end - this.pos > LINE_LIMIT) {
          this.layout = 'json-document'
          return
        }
      } else if (this.eof) {
        return // empty input: no records
      }

      await this.fill()
    }
  }

  // --- buffer -------------------------------------------------------------------------------------------------------

  /** Reads more input, first dropping bytes before `keep`. Returns false (and sets eof) at the end of input. */
  private async fill(): Promise<boolean> {
    if (this.eof) return false
    const drop = this.holdFrom() - this.base
    if (drop > 0) {
      // Keep the column arithmetic valid for the line that now starts before the buffer.
      const newline = this.store.lastIndexOf(0x0a, drop - 1)
      if (newline === -1) {
        this.baseLineUnits += isAscii(this.store.subarray(0, drop)) ? drop : utf16Length(this.store, 0, drop)
      } else {
        this.baseLineStart = this.base + newline + 1
        this.baseLineUnits = utf16Length(this.store, newline + 1, drop)
      }

      const kept = this.len - drop
      if (this.store.length > 8 * CHUNK && kept < CHUNK) {
        // A huge value is done with; give the memory back.
        const smaller = Buffer.allocUnsafe(2 * CHUNK)
        this.store.copy(smaller, 0, drop, this.len)
        this.store = smaller
      } else {
        this.store.copy(this.store, 0, drop, this.len)
      }

      this.len = kept
      this.base += drop
    }

    if (this.store.length - this.len < CHUNK) {
      // Doubling, but never far past what the record limit lets the buffer hold (overLimit stops it there).
      const ceiling = Math.max(this.len + CHUNK, this.limits.maxRecordBytes + 2 * CHUNK)
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(this.store.length * 2, this.len + CHUNK), ceiling))
      this.store.copy(bigger, 0, 0, this.len)
      this.store = bigger
    }

    const n = await this.source.read(this.store, this.len, Math.min(CHUNK, this.store.length - this.len))
    this.len += n
    this.view = this.store.subarray(0, this.len)
    if (n === 0) this.eof = true
    this.validateUtf8()
    return n > 0
  }

  /** Column (1-based, UTF-16 units) of absolute offset `at` on the line starting at `lineStart`. */
  private column(at: number, lineStart: number): number {
    if (lineStart >= this.base) return utf16Length(this.store, lineStart - this.base, at - this.base) + 1
    return this.baseLineUnits + utf16Length(this.store, 0, at - this.base) + 1
  }

  private batchFull(): boolean {
    // While a line is read on over the next lines, its records wait: the batch is only full once they are released.
    return (
      this.fallback === undefined && (this.batch.length >= BATCH_RECORDS || this.pos - this.batchStart >= BATCH_BYTES)
    )
  }

  /** Absolute offset of the first byte that must stay in the buffer. */
  private holdFrom(): number {
    return this.fallback ? Math.min(this.fallback.start, this.keep) : this.keep
  }

  private async nextSlow(): Promise<IteratorResult<InputRecord>> {
    this.batch.length = 0
    this.batchHead = 0
    try {
      while (!this.finished) {
        if (this.failure) throw this.failure
        this.batchStart = this.pos
        let result: Pump
        try {
          result = this.step()
        } catch (error) {
          // Hand out the records before the error first.
          if (this.batch.length === 0) throw error
          this.failure = error
          result = Pump.Ready
        }

        if (this.batch.length > 0) return {done: false, value: this.batch[this.batchHead++] as InputRecord}
        if (result === Pump.Done) break
        await this.fill()
      }
    } catch (error) {
      await this.close()
      throw error
    }

    await this.close()
    return {done: true, value: undefined}
  }

  /** Runs the state machine; a JSON Lines line that cannot be read is rejected here and reading goes on. */
  private step(): Pump {
    for (;;) {
      try {
        const result = this.pump()
        if (result === Pump.NeedData && this.overLimit()) continue
        return result
      } catch (error) {
        if (error instanceof Rewind) this.rewind(error.reason)
        else if (error instanceof SkipRest) this.startSkip(this.longLine!.line, this.longLine!.start, error.reason)
        else throw error
      }
    }
  }

  /**
   * Before buffering more of a value: if it is already larger than the limit, a JSON Lines line (or the element of a
   * long line being scanned) is rejected (true: the state changed, run on); in a document it is an error. False when
   * within the limit. The same outcome as when the value is found too large complete (see `tooLarge`), whatever the
   * chunking.
   */
  private overLimit(): boolean {
    if (this.discarding) {
      // Keep only a run of backslashes before `pos`: the scanner looks back over it to tell an escaped quote.
      let at = this.pos
      while (at > this.base && this.store[at - 1 - this.base] === 0x5c) at--
      this.keep = at
    }

    if (this.base + this.len - this.holdFrom() <= this.limits.maxRecordBytes) return false
    const {state} = this
    if (
      !this.fallback &&
      (state === State.ArrayOpen ||
        state === State.Element ||
        state === State.ArrayNext ||
        (this.isEnvelope && state !== State.Scan))
    ) {
      // Only blanks between a streamed array's elements or a page's members are held: nothing to keep.
      this.keep = this.pos
      return false
    }

    const element = state === State.Scan && this.afterScan === Scanned.Element
    const line = state === State.Scan && (element || this.isEnvelope) ? this.value.line : this.object.line
    if (element && this.longLine && !this.fallback) {
      // Scanned on to its end without keeping it, then rejected (finishScan).
      this.discarding = {line, start: this.value.start, text: this.prefixText(this.value.start)}
      this.keep = this.pos
      return true
    }

    this.tooLarge(line)
  }

  /**
   * A value held whole is larger than the limit: a JSON Lines line read on over the next lines is rewound and
   * rejected, the rest of a long one is rejected; in a document, the error.
   */
  private tooLarge(line: number): never {
    const reason = `larger than --max-record-bytes (${formatBytes(this.limits.maxRecordBytes)})`
    if (this.fallback) throw new Rewind(`the value starting on this line runs on over the next lines and is ${reason}`)
    if (this.longLine) throw new SkipRest(`record ${reason}`)
    this.fail(line, undefined, `a value starting on this line is ${reason}`, [
      'raise the limit with --max-record-bytes, e.g. --max-record-bytes 512MiB',
    ])
  }

  /** Starts discarding the rest of the line whose value starts at `start` (absolute), to reject it. */
  private startSkip(line: number, start: number, reason: string): void {
    const text = this.longLine?.start === start ? this.longLine.text : this.prefixText(start)
    this.skipping = {line, reason, start, text}
    this.longLine = undefined
    this.discarding = undefined
    this.isEnvelope = false
    this.inEnvelopeArray = false
    this.prefix = []
    this.state = State.SkipLine
  }

  /** The first REJECTED_PREFIX bytes from `start` (absolute) that are in the buffer, cut at a character boundary. */
  private prefixText(start: number): string {
    let end = Math.min(this.base + this.len, start + REJECTED_PREFIX)
    for (
      let b = this.store[end - this.base] ?? 0;
      end > start && b >= 0x80 && b < 0xc0;
      b = this.store[end - this.base] ?? 0
    ) {
      end-- // a continuation byte: the character starts before
    }

    return this.text(start, end)
  }

  /** Reading a line on over the next lines failed: back to the line, which is rejected, and on from the next. */
  private rewind(reason = endsEarlyReason(false)): void {
    const mark = this.fallback!
    this.fallback = undefined
    this.deferred = []
    this.discarding = undefined
    this.count = mark.count
    this.envelopes = mark.envelopes
    this.isEnvelope = false
    this.inEnvelopeArray = false
    this.prefix = []
    this.state = State.Top
    this.pushRejected({reason, text: this.text(mark.start, mark.newline)}, mark.line)
    this.pos = mark.newline + 1
    this.line = mark.line + 1
    this.lineStart = this.pos
    this.keep = this.pos
  }

  /** Whether `text` is one complete JSON value on its own (not parsed when it is deep: see json-guard.ts). */
  private standsAlone(text: string): boolean {
    if (quickScan(text, this.limits.maxDepth).deep) return locateJsonError(text) === undefined
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }

  /** Advances over whitespace, counting lines. True when a non-whitespace byte is at `pos`. */
  private skipWhitespace(): boolean {
    const s = this.store
    const {base, len} = this
    let i = this.pos - base
    while (i < len) {
      const b = s[i]
      if (b === 0x20 || b === 0x09 || b === 0x0d) {
        i++
      } else if (b === 0x0a) {
        i++
        this.line++
        this.lineStart = base + i
      } else {
        this.pos = base + i
        return true
      }
    }

    this.pos = base + i
    return false
  }

  private text(start: number, end: number): string {
    if (end > this.invalidAt) this.invalidUtf8()
    return this.store.toString('utf8', start - this.base, end - this.base)
  }

  /**
   * Checks newly read bytes with the (SIMD) UTF-8 validator. A bad byte is not reported here but when a value
   * containing it is decoded (`text`), so that the records before it are still handed out first.
   */
  private validateUtf8(): void {
    if (this.invalidAt !== Number.POSITIVE_INFINITY) return
    const s = this.store
    const from = Math.max(this.validated, this.base) - this.base
    let cut = this.len
    if (!this.eof) {
      // Leave a possibly incomplete multi-byte sequence at the end for the next read.
      for (let k = 0; k < 4 && cut > from; k++) {
        const b = s[cut - 1] as number
        if (b < 0x80) break
        cut--
        if (b >= 0xc0) break
      }
    }

    if (cut <= from) return
    if (!isUtf8(s.subarray(from, cut))) {
      const bad = firstInvalidUtf8(s, from, cut)
      this.invalidAt = this.base + (bad === -1 ? from : bad)
    }

    this.validated = this.base + cut
  }

  // --- the state machine --------------------------------------------------------------------------------------------

  /** Runs the state machine until a record is ready, more input is needed, or the input ends. */
  private pump(): Pump {
    for (;;) {
      switch (this.state) {
        case State.Top: {
          if (this.fallback) {
            // The line read on over the next lines made one value after all: its records are released.
            if (this.pos - this.fallback.start > this.limits.maxRecordBytes) this.tooLarge(this.fallback.line)
            this.fallback = undefined
            for (const record of this.deferred) this.batch.push(record)
            this.deferred = []
          }

          this.longLine = undefined
          this.keep = this.pos
          if (!this.skipWhitespace()) {
            if (!this.eof) return Pump.NeedData
            this.state = State.Done
            return Pump.Done
          }

          this.keep = this.pos
          if (this.layout === 'jsonl') {
            const handled = this.readLine()
            if (handled === undefined) return Pump.NeedData
            if (handled) {
              if (this.batchFull()) return Pump.Ready
              continue
            }
          }

          this.startTopLevelValue()
          continue
        }

        case State.ArrayOpen: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          if (this.store[this.pos - this.base] === 0x5d) {
            this.pos++
            this.endArray()
          } else {
            this.state = State.Element
          }

          continue
        }

        case State.Element: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          this.keep = this.pos
          this.startScan(Scanned.Element)
          continue
        }

        case State.ArrayNext: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          const b = this.store[this.pos - this.base]
          if (b === 0x2c) {
            this.pos++
            this.state = State.Element
          } else if (b === 0x5d) {
            this.pos++
            this.endArray()
          } else {
            this.unexpectedAt(this.pos)
          }

          continue
        }

        case State.ObjectOpen: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          if (this.store[this.pos - this.base] === 0x7d) {
            this.pos++
            this.endObject()
            if (this.batchFull()) return Pump.Ready
          } else {
            this.state = State.Key
          }

          continue
        }

        case State.Key: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          if (this.store[this.pos - this.base] !== 0x22) this.unexpectedAt(this.pos)
          if (this.isEnvelope) this.keep = this.pos
          this.startScan(Scanned.Key)
          continue
        }

        case State.Colon: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          if (this.store[this.pos - this.base] !== 0x3a) this.unexpectedAt(this.pos)
          this.pos++
          this.state = State.MemberValue
          continue
        }

        case State.MemberValue: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          if (this.store[this.pos - this.base] === 0x5b && this.envelopeKeys.has(this.key)) {
            this.enterEnvelope()
            continue
          }

          if (this.isEnvelope) this.keep = this.pos
          this.startScan(Scanned.MemberValue)
          continue
        }

        case State.ObjectNext: {
          if (!this.skipWhitespace()) return this.needOrTruncated()
          const b = this.store[this.pos - this.base]
          if (b === 0x2c) {
            this.pos++
            this.state = State.Key
          } else if (b === 0x7d) {
            this.pos++
            this.endObject()
            if (this.batchFull()) return Pump.Ready
          } else {
            this.unexpectedAt(this.pos)
          }

          continue
        }

        case State.Scan: {
          if (!this.scan()) return this.needOrTruncated()
          if (this.finishScan() && this.batchFull()) return Pump.Ready
          continue
        }

        case State.SkipLine: {
          const skip = this.skipping!
          const newline = this.view.indexOf(0x0a, this.pos - this.base)
          if (newline === -1 && !this.eof) {
            this.pos = this.base + this.len
            this.keep = this.pos
            return Pump.NeedData
          }

          const end = newline === -1 ? this.base + this.len : this.base + newline
          this.skipping = undefined
          this.pushRejected({bytes: end - skip.start, reason: skip.reason, text: skip.text}, skip.line)
          this.pos = newline === -1 ? end : end + 1
          if (newline !== -1) {
            this.line++
            this.lineStart = this.pos
          }

          this.keep = this.pos
          this.state = State.Top
          if (this.batchFull()) return Pump.Ready
          continue
        }

        case State.Done: {
          return Pump.Done
        }
      }
    }
  }

  /**
   * JSONL fast path for the top-level value at `pos`: parse the rest of the line. Returns true when done (records may
   * be in the batch, or the line is being skipped), undefined when the line is not complete yet, false when the value
   * must be scanned instead (the line is too long, or the value continues on the next lines).
   */
  private readLine(): boolean | undefined {
    const start = this.pos
    const newline = this.view.indexOf(0x0a, start - this.base)
    // A line longer than a record may be is read the document way too: a page's records are checked one by one.
    const longest = Math.min(LINE_LIMIT, this.limits.maxRecordBytes)
    let end: number
    if (newline === -1) {
      if (!this.eof && this.base + this.len - start <= longest) return undefined
      end = this.base + this.len
    } else {
      end = this.base + newline
    }

    if (end - start > longest) {
      this.longLine = {line: this.line, start, text: this.prefixText(start)}
      return false
    }

    const text = this.text(start, end)
    const column = start === this.lineStart ? 1 : this.column(start, this.lineStart)
    const outcome = readJsonLine(text, this.envelopeKeys, this.limits.maxDepth, column)
    if (outcome.endsEarly) {
      // A line that only opens a value (`[`, `{`) starts a pretty-printed one, whatever follows.
      const next = newline === -1 ? 'last' : OPENER.test(text) ? false : this.nextLineStandsAlone(newline)
      if (next === undefined) return undefined
      if (next === false) {
        // Pretty-printed JSON after a one-line first value, perhaps: read on the document way, ready to rewind.
        this.fallback = {count: this.count, envelopes: this.envelopes, line: this.line, newline: end, start}
        return false
      }

      this.pushRejected({reason: endsEarlyReason(next === 'last'), text}, this.line)
    } else {
      if (outcome.envelope) this.envelopes++
      for (const record of outcome.records) {
        if (record.rejected) this.pushRejected(record.rejected, this.line, record.value)
        else this.push(record.value, this.line)
      }
    }

    if (newline === -1) {
      this.pos = end
    } else {
      this.pos = end + 1
      this.line++
      this.lineStart = this.pos
    }

    this.keep = this.pos
    return true
  }

  /**
   * After a line that ends inside its value (`newline`: its end, relative to the buffer): whether the next non-blank
   * line is a complete object or array on its own (a record line, so the line before was cut short), 'last' when no
   * line follows, undefined when more input is needed to tell.
   */
  private nextLineStandsAlone(newline: number): 'last' | boolean | undefined {
    const s = this.store
    let i = newline + 1
    while (i < this.len && isWhitespace(s[i])) i++
    if (i >= this.len) return this.eof ? 'last' : undefined
    let end = this.view.indexOf(0x0a, i)
    if (end === -1) {
      if (!this.eof) return this.len - i > LINE_LIMIT ? false : undefined
      end = this.len
    }

    const b = s[i]
    return (b === 0x7b || b === 0x5b) && this.standsAlone(this.store.toString('utf8', i, end))
  }

  /** Document path: a top-level value starts at `pos`. */
  private startTopLevelValue(): void {
    const b = this.store[this.pos - this.base]
    if (b === 0x5b) {
      this.pos++
      this.inEnvelopeArray = false
      this.state = State.ArrayOpen
    } else if (b === 0x7b) {
      this.object = {end: 0, line: this.line, lineStart: this.lineStart, start: this.pos}
      this.isEnvelope = false
      this.prefix = []
      this.pos++
      this.state = State.ObjectOpen
    } else if (
      b === 0x22 ||
      b === 0x2d ||
      (b !== undefined && b >= 0x30 && b <= 0x39) ||
      b === 0x74 ||
      b === 0x66 ||
      b === 0x6e
    ) {
      this.scalarError(
        this.pos,
        b === 0x22 ? 'a string' : b === 0x74 || b === 0x66 ? 'a boolean' : b === 0x6e ? 'null' : 'a number',
      )
    } else {
      this.unexpectedAt(this.pos)
    }
  }

  private endArray(): void {
    if (this.inEnvelopeArray) {
      this.inEnvelopeArray = false
      this.state = State.ObjectNext
    } else {
      this.state = State.Top
    }
  }

  private enterEnvelope(): void {
    if (!this.isEnvelope) {
      // Until now the object was held whole, as a record would be.
      if (this.pos - this.object.start > this.limits.maxRecordBytes) this.tooLarge(this.object.line)
      this.isEnvelope = true
      this.envelopes++
      // What came before the envelope key is not a record, but it must still be valid JSON.
      for (const member of this.prefix) this.parseValue(member)
      this.prefix = []
    }

    this.pos++
    this.keep = this.pos
    this.inEnvelopeArray = true
    this.state = State.ArrayOpen
  }

  private endObject(): void {
    this.object.end = this.pos
    if (!this.isEnvelope) this.pushRecord(this.object, false)
    this.isEnvelope = false
    this.prefix = []
    this.state = State.Top
  }

  private startScan(kind: Scanned): void {
    const {pos} = this
    const b = this.store[pos - this.base]
    if (b === 0x7b || b === 0x5b || b === 0x22) {
      this.scanPrimitive = false
    } else if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e) {
      this.scanPrimitive = true
    } else {
      this.unexpectedAt(pos)
    }

    this.value = {end: 0, line: this.line, lineStart: this.lineStart, start: pos}
    this.scanDepth = 0
    this.scanInString = false
    this.afterScan = kind
    this.state = State.Scan
  }

  /** Advances `pos` to the end of the value being scanned. False when the buffer ran out first. */
  private scan(): boolean {
    const s = this.view
    const {base, len} = this
    let i = this.pos - base

    if (this.scanPrimitive) {
      while (i < len) {
        const b = s[i]
        if (b === 0x2c || b === 0x5d || b === 0x7d || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break
        i++
      }

      this.pos = base + i
      return i < len || this.eof
    }

    let depth = this.scanDepth
    let inString = this.scanInString
    while (i < len) {
      if (inString) {
        const quote = s.indexOf(0x22, i)
        if (quote === -1) {
          i = len
          break
        }

        let backslashes = 0
        while (s[quote - 1 - backslashes] === 0x5c) backslashes++
        i = quote + 1
        if (backslashes % 2 === 0) {
          inString = false
          if (depth === 0) break
        }

        continue
      }

      switch (s[i]) {
        case 0x0a: {
          this.line++
          this.lineStart = base + i + 1
          break
        }

        case 0x22: {
          inString = true
          this.scanStringStart = base + i
          break
        }

        case 0x5b:
        case 0x7b: {
          depth++
          break
        }

        case 0x5d:
        case 0x7d: {
          depth--
          break
        }
      }

      i++
      // Outside a string, depth returns to 0 only at the value's closing bracket.
      if (depth === 0 && !inString) break
    }

    this.pos = base + i
    this.scanDepth = depth
    this.scanInString = inString
    return !inString && depth === 0 && i > this.value.start - base
  }

  /** The value `[value.start, pos)` is complete; act on it. True when a record is ready. */
  private finishScan(): boolean {
    const anchor = this.value
    anchor.end = this.pos
    switch (this.afterScan) {
      case Scanned.Element: {
        if (this.discarding) {
          const {line, start, text} = this.discarding
          this.discarding = undefined
          this.pushRejected({bytes: this.pos - start, reason: this.recordTooLarge(), text}, line)
        } else {
          this.pushRecord(anchor, true)
        }

        this.state = State.ArrayNext
        this.keep = this.pos
        return true
      }

      case Scanned.Key: {
        if (this.isEnvelope && anchor.end - anchor.start > this.limits.maxRecordBytes) this.tooLarge(anchor.line)
        this.key = this.decodeKey(anchor)
        this.state = State.Colon
        return false
      }

      case Scanned.MemberValue: {
        if (this.isEnvelope && anchor.end - anchor.start > this.limits.maxRecordBytes) this.tooLarge(anchor.line)
        if (this.isEnvelope) this.parseValue(anchor)
        else this.prefix.push(anchor)
        this.state = State.ObjectNext
        return false
      }
    }
  }

  private decodeKey(anchor: Anchor): string {
    const s = this.store
    for (let end = anchor.end - 1 - this.base, i = anchor.start + 1 - this.base; i < end; i++) {
      const b = s[i] as number
      if (b === 0x5c || b < 0x20) return this.parseValue(anchor) as string
    }

    return this.text(anchor.start + 1, anchor.end - 1)
  }

  private push(value: unknown, line: number): void {
    ;(this.fallback ? this.deferred : this.batch).push({index: this.count++, line, value})
  }

  /** Input that cannot be a record as written; `value` is the parsed record when there is one (for its id). */
  private pushRejected(rejected: RejectedInput, line: number, value?: unknown): void {
    if (this.strict) {
      throw new ConvoshiftError(`${this.name}:${line}: ${rejected.reason}`, {
        code: 'INPUT_MALFORMED',
        exitCode: ExitCode.InvalidInput,
      })
    }

    ;(this.fallback ? this.deferred : this.batch).push({index: this.count++, line, rejected, value})
  }

  /**
   * A record read the document way (an array's element, a top-level object): parsed and checked. In JSON Lines any
   * problem rejects it; in a document, nesting too deep is an error (as a syntax error is), other problems reject it.
   */
  private pushRecord(anchor: Anchor, element: boolean): void {
    const {maxDepth, maxRecordBytes} = this.limits
    if (anchor.end - anchor.start > maxRecordBytes) {
      if (!element || !this.longLine || this.fallback) this.tooLarge(anchor.line)
      const text = this.prefixText(anchor.start)
      this.pushRejected({bytes: anchor.end - anchor.start, reason: this.recordTooLarge(), text}, anchor.line)
      return
    }

    const text = this.text(anchor.start, anchor.end)
    const guarded = parseGuarded(text, maxDepth)
    switch (guarded.kind) {
      case 'deep': {
        const reason = describeProblem(guarded.problem, maxDepth)
        if (this.layout === 'jsonl') this.pushRejected({reason, text}, anchor.line)
        else this.fail(anchor.line, undefined, reason)
        return
      }

      case 'ok': {
        this.push(guarded.value, anchor.line)
        return
      }

      case 'problems': {
        const reason = describeProblem(guarded.problems[0]!, maxDepth)
        this.pushRejected({reason, text}, anchor.line, guarded.value)
        return
      }

      case 'syntax': {
        this.syntaxError(anchor, text, guarded.located)
      }
    }
  }

  private recordTooLarge(): string {
    return `record larger than --max-record-bytes (${formatBytes(this.limits.maxRecordBytes)})`
  }

  /** JSON.parse of a value that is not a record (a page's metadata, a key): valid, and not too deep to parse. */
  private parseValue(anchor: Anchor): unknown {
    const text = this.text(anchor.start, anchor.end)
    const guarded = parseGuarded(text, this.limits.maxDepth)
    if (guarded.kind === 'syntax') this.syntaxError(anchor, text, guarded.located)
    if (guarded.kind === 'deep')
      this.lineFault(anchor.line, undefined, describeProblem(guarded.problem, this.limits.maxDepth))
    return guarded.value
  }

  // --- errors -------------------------------------------------------------------------------------------------------

  /** Throws `file:line[:column]: detail`. */
  private fail(line: number, column: number | undefined, detail: string, suggestions: string[] = []): never {
    throw new ConvoshiftError(`${this.name}:${line}${column === undefined ? '' : `:${column}`}: ${detail}`, {
      code: 'INPUT_MALFORMED',
      exitCode: ExitCode.InvalidInput,
      suggestions,
    })
  }

  /**
   * Input that cannot be read: in a JSON Lines line read on over the next lines, rewind and reject the line; in one
   * read the document way because it is long, reject the rest of it; in a document, the error.
   */
  private lineFault(line: number, column: number | undefined, detail: string, suggestions: string[] = []): never {
    if (this.fallback) throw new Rewind()
    if (this.longLine) {
      const where =
        column === undefined ? detail : detail.replace(/^malformed JSON: /, `malformed JSON at column ${column}: `)
      throw new SkipRest(where)
    }

    this.fail(line, column, detail, suggestions)
  }

  /** At the end of the buffer: more input, or a truncated document. */
  private needOrTruncated(): Pump {
    if (!this.eof) return Pump.NeedData

    // Report the line of the last non-blank byte. `line` counts every newline before `pos` except those inside an
    // unterminated string, which the scanner skipped with indexOf.
    const s = this.store
    const retained = Math.max(0, this.keep - this.base)
    let last = this.len - 1
    while (last >= retained && isWhitespace(s[last])) last--
    let {line} = this
    if (this.state === State.Scan && this.scanInString) {
      for (let i = this.scanStringStart - this.base; i <= last; i++) if (s[i] === 0x0a) line++
    } else {
      for (let i = last + 1; i < this.pos - this.base; i++) if (s[i] === 0x0a) line--
    }

    this.lineFault(line, undefined, 'malformed JSON: unexpected end of input (truncated file?)')
  }

  /** A located one-line error for a scanned value that is not valid JSON. */
  private syntaxError(anchor: Anchor, text: string, located: JsonSyntaxError): never {
    let {line} = anchor
    let column: number
    const lastNewline = text.lastIndexOf('\n', located.index - 1)
    if (lastNewline === -1) {
      column = this.column(anchor.start, anchor.lineStart) + located.index
    } else {
      for (let i = text.indexOf('\n'); i !== -1 && i <= lastNewline; i = text.indexOf('\n', i + 1)) line++
      column = located.index - lastNewline
    }

    this.lineFault(line, column, `malformed JSON: ${located.reason}`, suggestionsFor(text, located.index))
  }

  /** Input bytes that are not UTF-8 were reached: a located error rather than silently replaced characters. */
  private invalidUtf8(): never {
    const at = this.invalidAt
    const s = this.store
    let {line} = this
    if (at >= this.pos) {
      for (let i = this.pos - this.base; i < at - this.base; i++) if (s[i] === 0x0a) line++
    } else {
      for (let i = at - this.base; i < this.pos - this.base; i++) if (s[i] === 0x0a) line--
    }

    const newline = at - this.base > 0 ? s.lastIndexOf(0x0a, at - this.base - 1) : -1
    const column = this.column(at, newline === -1 ? Math.min(this.baseLineStart, this.base) : this.base + newline + 1)
    const byte = (s[at - this.base] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    this.fail(line, column, `not valid UTF-8 (byte 0x${byte}); is the file in another encoding?`, [
      'convert the file to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8',
    ])
  }

  private scalarError(at: number, kind: string): never {
    this.lineFault(
      this.line,
      this.column(at, this.lineStart),
      `top-level value is ${kind}: expected an object or array`,
    )
  }

  private unexpectedAt(at: number): never {
    if (at >= this.invalidAt) this.invalidUtf8()
    // Decode a few bytes so that a multi-byte character is shown whole.
    const text = this.store.toString('utf8', at - this.base, Math.min(at - this.base + 4, this.len))
    this.lineFault(
      this.line,
      this.column(at, this.lineStart),
      `malformed JSON: unexpected character ${describeCharacter(text, 0)}`,
      suggestionsFor(text, 0),
    )
  }
}

function isWhitespace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

/** Index of the first byte in buffer[from, to) that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(buffer: Buffer, from: number, to: number): number {
  let i = from
  while (i < to) {
    const b = buffer[i] as number
    if (b < 0x80) {
      i++
      continue
    }

    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (length === 0 || i + length > to) return i
    const second = buffer[i + 1] as number
    const [low, high] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf]
    if (second < low || second > high) return i
    for (let k = 2; k < length; k++) {
      const next = buffer[i + k] as number
      if (next < 0x80 || next > 0xbf) return i
    }

    i += length
  }

  return -1
}

/** UTF-16 length of the UTF-8 bytes buffer[from, to). */
function utf16Length(buffer: Buffer, from: number, to: number): number {
  let units = 0
  for (let i = from; i < to; i++) {
    const b = buffer[i] as number
    if (b < 0x80 || b >= 0xc0) units += b >= 0xf0 ? 2 : 1 // not a continuation byte
  }

  return units
}
