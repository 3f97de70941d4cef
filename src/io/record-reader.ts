/**
 * The record reader behind openRecords (read-records.ts, which says what it reads and how it treats faults): a state
 * machine over a ByteWindow that turns top-level values into records, with their line numbers, the record limits
 * and the rejections of JSON Lines. The JSON Lines fast path parses whole lines (`readLine`); everything else goes
 * through the ValueScanner, which finds each value's end before JSON.parse reads it.
 */
import {ConvoshiftError, ExitCode} from '../errors.js'
import {type ByteSource, FileSource, gunzipSource, type InputPosition} from './byte-source.js'
import {ByteWindow} from './byte-window.js'
import {locateInvalidUtf8, locateInValue, truncatedLine} from './input-location.js'
import {Byte, isWhitespace, scalarKind} from './json-bytes.js'
import {describeProblem, parseGuarded, quickScan} from './json-guard.js'
import {endsEarlyReason, readJsonLine, type RejectedInput} from './json-line.js'
import {describeCharacter, type JsonSyntaxError, locateJsonError, suggestionsFor} from './json-syntax.js'
import {formatBytes, type RecordLimits} from './limits.js'
import {type InputLayout, type InputRecord, type RecordSource} from './read-records.js'
import {ValueScanner, type ValueSpan} from './value-scanner.js'

/** The first bytes of a gzip stream (RFC 1952 §2.3.1), and the byte order marks of UTF-8 and UTF-16. */
const GZIP_MAGIC = [0x1f, 0x8b]
const UTF8_BOM = [0xef, 0xbb, 0xbf]
const UTF16_LE_BOM = [0xff, 0xfe]
const UTF16_BE_BOM = [0xfe, 0xff]

/** Records parsed ahead per batch (fewer promises per record), capped also by input bytes to bound memory. */
const BATCH_RECORDS = 64
const BATCH_BYTES = 256 * 1024
/** A JSONL line longer than this is scanned as a document, so that a huge one-line envelope streams. */
const LINE_LIMIT = 4 * 1024 * 1024
/** A JSON Lines line that only opens a value. */
const OPENER = /^[[{]\s*$/
/** How much of a line too large to keep goes into its rejected record. */
const REJECTED_PREFIX = 1024

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

export class RecordReader implements AsyncIterator<InputRecord>, RecordSource {
  compressed = false
  envelopes = 0
  layout: InputLayout = 'jsonl'
  private afterScan = Scanned.Element
  /** Records parsed but not yet handed out, and where the current batch started (absolute offset). */
  private readonly batch: InputRecord[] = []
  private batchHead = 0
  private batchStart = 0
  private closed = false
  private count = 0
  /** Where the reader is: `pos`, its line, and the value being scanned. */
  private readonly cursor = new ValueScanner()
  private readonly envelopeKeys: ReadonlySet<string>
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
  private key = ''
  private object: ValueSpan = {end: 0, line: 1, lineStart: 0, start: 0}
  /** Member values of a top-level object seen before it turned out to be an envelope; validated on the switch. */
  private prefix: ValueSpan[] = []
  private state = State.Top
  private readonly limits: RecordLimits
  private readonly strict: boolean
  /** The input bytes from `keep` (at least) on. */
  private readonly window: ByteWindow
  /** The input file, also when `source` becomes its decompressor. */
  private readonly file: FileSource | undefined

  constructor(
    private readonly name: string,
    envelopeKeys: readonly string[],
    private source: ByteSource,
    options: {limits: RecordLimits; strict: boolean},
  ) {
    this.file = source instanceof FileSource ? source : undefined
    this.window = new ByteWindow(() => this.invalidUtf8())
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
    while (this.window.len < 3 && (await this.fill()));
    if (startsWith(this.window, GZIP_MAGIC)) {
      this.compressed = true
      const head = Buffer.from(this.window.store.subarray(0, this.window.len))
      this.source = gunzipSource(this.source, head, this.name)
      this.window.restart()
      while (this.window.len < 3 && (await this.fill()));
    }

    if (startsWith(this.window, UTF8_BOM)) {
      const after = UTF8_BOM.length
      this.cursor.pos = after
      this.keep = after
      this.cursor.lineStart = after
      this.window.baseLineStart = after
    } else if (startsWith(this.window, UTF16_LE_BOM) || startsWith(this.window, UTF16_BE_BOM)) {
      throw new ConvoshiftError(`${this.name}: input is UTF-16 encoded; expected UTF-8`, {
        code: 'INPUT_MALFORMED',
        exitCode: ExitCode.InvalidInput,
        suggestions: ['re-save the export as UTF-8'],
      })
    }

    // The layout: JSONL when the first non-blank line is, on its own, a complete JSON value.
    for (;;) {
      this.keep = this.cursor.pos
      if (this.cursor.skipWhitespace(this.window)) {
        const newline = this.window.view.indexOf(Byte.Newline, this.cursor.pos - this.window.base)
        const end = newline === -1 ? this.window.base + this.window.len : this.window.base + newline
        if (newline !== -1 || this.window.eof) {
          this.layout = this.standsAlone(this.window.text(this.cursor.pos, end)) ? 'jsonl' : 'json-document'
          return
        }

        if (end - this.cursor.pos > LINE_LIMIT) {
          this.layout = 'json-document'
          return
        }
      } else if (this.window.eof) {
        return // empty input: no records
      }

      await this.fill()
    }
  }

  // --- buffer -------------------------------------------------------------------------------------------------------

  /** Reads more input, first dropping bytes before `holdFrom()`. Returns false (and sets eof) at the end of input. */
  private async fill(): Promise<boolean> {
    return this.window.fill(this.source, this.holdFrom(), this.limits.maxRecordBytes)
  }

  private batchFull(): boolean {
    // While a line is read on over the next lines, its records wait: the batch is only full once they are released.
    return (
      this.fallback === undefined &&
      (this.batch.length >= BATCH_RECORDS || this.cursor.pos - this.batchStart >= BATCH_BYTES)
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
        this.batchStart = this.cursor.pos
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
      let at = this.cursor.pos
      while (at > this.window.base && this.window.store[at - 1 - this.window.base] === Byte.Backslash) at--
      this.keep = at
    }

    if (this.window.base + this.window.len - this.holdFrom() <= this.limits.maxRecordBytes) return false
    const {state} = this
    if (
      !this.fallback &&
      (state === State.ArrayOpen ||
        state === State.Element ||
        state === State.ArrayNext ||
        (this.isEnvelope && state !== State.Scan))
    ) {
      // Only blanks between a streamed array's elements or a page's members are held: nothing to keep.
      this.keep = this.cursor.pos
      return false
    }

    const element = state === State.Scan && this.afterScan === Scanned.Element
    const line = state === State.Scan && (element || this.isEnvelope) ? this.cursor.value.line : this.object.line
    if (element && this.longLine && !this.fallback) {
      // Scanned on to its end without keeping it, then rejected (finishScan).
      this.discarding = {
        line,
        start: this.cursor.value.start,
        text: this.window.prefixText(this.cursor.value.start, REJECTED_PREFIX),
      }
      this.keep = this.cursor.pos
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
    const text = this.longLine?.start === start ? this.longLine.text : this.window.prefixText(start, REJECTED_PREFIX)
    this.skipping = {line, reason, start, text}
    this.longLine = undefined
    this.discarding = undefined
    this.isEnvelope = false
    this.inEnvelopeArray = false
    this.prefix = []
    this.state = State.SkipLine
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
    this.pushRejected({reason, text: this.window.text(mark.start, mark.newline)}, mark.line)
    this.cursor.pos = mark.newline + 1
    this.cursor.line = mark.line + 1
    this.cursor.lineStart = this.cursor.pos
    this.keep = this.cursor.pos
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

  // --- the state machine --------------------------------------------------------------------------------------------

  /** Runs the state machine until a record is ready, more input is needed, or the input ends. */
  private pump(): Pump {
    for (;;) {
      switch (this.state) {
        case State.Top: {
          if (this.fallback) {
            // The line read on over the next lines made one value after all: its records are released.
            if (this.cursor.pos - this.fallback.start > this.limits.maxRecordBytes) this.tooLarge(this.fallback.line)
            this.fallback = undefined
            for (const record of this.deferred) this.batch.push(record)
            this.deferred = []
          }

          this.longLine = undefined
          this.keep = this.cursor.pos
          if (!this.cursor.skipWhitespace(this.window)) {
            if (!this.window.eof) return Pump.NeedData
            this.state = State.Done
            return Pump.Done
          }

          this.keep = this.cursor.pos
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
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          if (this.window.store[this.cursor.pos - this.window.base] === Byte.CloseBracket) {
            this.cursor.pos++
            this.endArray()
          } else {
            this.state = State.Element
          }

          continue
        }

        case State.Element: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          this.keep = this.cursor.pos
          this.startScan(Scanned.Element)
          continue
        }

        case State.ArrayNext: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          const b = this.window.store[this.cursor.pos - this.window.base]
          if (b === Byte.Comma) {
            this.cursor.pos++
            this.state = State.Element
          } else if (b === Byte.CloseBracket) {
            this.cursor.pos++
            this.endArray()
          } else {
            this.unexpectedAt(this.cursor.pos)
          }

          continue
        }

        case State.ObjectOpen: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          if (this.window.store[this.cursor.pos - this.window.base] === Byte.CloseBrace) {
            this.cursor.pos++
            this.endObject()
            if (this.batchFull()) return Pump.Ready
          } else {
            this.state = State.Key
          }

          continue
        }

        case State.Key: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          if (this.window.store[this.cursor.pos - this.window.base] !== Byte.Quote) this.unexpectedAt(this.cursor.pos)
          if (this.isEnvelope) this.keep = this.cursor.pos
          this.startScan(Scanned.Key)
          continue
        }

        case State.Colon: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          if (this.window.store[this.cursor.pos - this.window.base] !== Byte.Colon) this.unexpectedAt(this.cursor.pos)
          this.cursor.pos++
          this.state = State.MemberValue
          continue
        }

        case State.MemberValue: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          if (
            this.window.store[this.cursor.pos - this.window.base] === Byte.OpenBracket &&
            this.envelopeKeys.has(this.key)
          ) {
            this.enterEnvelope()
            continue
          }

          if (this.isEnvelope) this.keep = this.cursor.pos
          this.startScan(Scanned.MemberValue)
          continue
        }

        case State.ObjectNext: {
          if (!this.cursor.skipWhitespace(this.window)) return this.needOrTruncated()
          const b = this.window.store[this.cursor.pos - this.window.base]
          if (b === Byte.Comma) {
            this.cursor.pos++
            this.state = State.Key
          } else if (b === Byte.CloseBrace) {
            this.cursor.pos++
            this.endObject()
            if (this.batchFull()) return Pump.Ready
          } else {
            this.unexpectedAt(this.cursor.pos)
          }

          continue
        }

        case State.Scan: {
          if (!this.cursor.scan(this.window)) return this.needOrTruncated()
          if (this.finishScan() && this.batchFull()) return Pump.Ready
          continue
        }

        case State.SkipLine: {
          const skip = this.skipping!
          const newline = this.window.view.indexOf(Byte.Newline, this.cursor.pos - this.window.base)
          if (newline === -1 && !this.window.eof) {
            this.cursor.pos = this.window.base + this.window.len
            this.keep = this.cursor.pos
            return Pump.NeedData
          }

          const end = newline === -1 ? this.window.base + this.window.len : this.window.base + newline
          this.skipping = undefined
          this.pushRejected({bytes: end - skip.start, reason: skip.reason, text: skip.text}, skip.line)
          this.cursor.pos = newline === -1 ? end : end + 1
          if (newline !== -1) {
            this.cursor.line++
            this.cursor.lineStart = this.cursor.pos
          }

          this.keep = this.cursor.pos
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
    const start = this.cursor.pos
    const newline = this.window.view.indexOf(Byte.Newline, start - this.window.base)
    // A line longer than a record may be is read the document way too: a page's records are checked one by one.
    const longest = Math.min(LINE_LIMIT, this.limits.maxRecordBytes)
    let end: number
    if (newline === -1) {
      if (!this.window.eof && this.window.base + this.window.len - start <= longest) return undefined
      end = this.window.base + this.window.len
    } else {
      end = this.window.base + newline
    }

    if (end - start > longest) {
      this.longLine = {line: this.cursor.line, start, text: this.window.prefixText(start, REJECTED_PREFIX)}
      return false
    }

    const text = this.window.text(start, end)
    const column = start === this.cursor.lineStart ? 1 : this.window.column(start, this.cursor.lineStart)
    const outcome = readJsonLine(text, this.envelopeKeys, this.limits.maxDepth, column)
    if (outcome.endsEarly) {
      // A line that only opens a value (`[`, `{`) starts a pretty-printed one, whatever follows.
      const next = newline === -1 ? 'last' : OPENER.test(text) ? false : this.nextLineStandsAlone(newline)
      if (next === undefined) return undefined
      if (next === false) {
        // Pretty-printed JSON after a one-line first value, perhaps: read on the document way, ready to rewind.
        this.fallback = {count: this.count, envelopes: this.envelopes, line: this.cursor.line, newline: end, start}
        return false
      }

      this.pushRejected({reason: endsEarlyReason(next === 'last'), text}, this.cursor.line)
    } else {
      if (outcome.envelope) this.envelopes++
      for (const record of outcome.records) {
        if (record.rejected) this.pushRejected(record.rejected, this.cursor.line, record.value)
        else this.push(record.value, this.cursor.line)
      }
    }

    if (newline === -1) {
      this.cursor.pos = end
    } else {
      this.cursor.pos = end + 1
      this.cursor.line++
      this.cursor.lineStart = this.cursor.pos
    }

    this.keep = this.cursor.pos
    return true
  }

  /**
   * After a line that ends inside its value (`newline`: its end, relative to the buffer): whether the next non-blank
   * line is a complete object or array on its own (a record line, so the line before was cut short), 'last' when no
   * line follows, undefined when more input is needed to tell.
   */
  private nextLineStandsAlone(newline: number): 'last' | boolean | undefined {
    const s = this.window.store
    let i = newline + 1
    while (i < this.window.len && isWhitespace(s[i])) i++
    if (i >= this.window.len) return this.window.eof ? 'last' : undefined
    let end = this.window.view.indexOf(Byte.Newline, i)
    if (end === -1) {
      if (!this.window.eof) return this.window.len - i > LINE_LIMIT ? false : undefined
      end = this.window.len
    }

    const b = s[i]
    return (
      (b === Byte.OpenBrace || b === Byte.OpenBracket) && this.standsAlone(this.window.store.toString('utf8', i, end))
    )
  }

  /** Document path: a top-level value starts at `pos`. */
  private startTopLevelValue(): void {
    const b = this.window.store[this.cursor.pos - this.window.base]
    if (b === Byte.OpenBracket) {
      this.cursor.pos++
      this.inEnvelopeArray = false
      this.state = State.ArrayOpen
    } else if (b === Byte.OpenBrace) {
      this.object = {end: 0, line: this.cursor.line, lineStart: this.cursor.lineStart, start: this.cursor.pos}
      this.isEnvelope = false
      this.prefix = []
      this.cursor.pos++
      this.state = State.ObjectOpen
    } else if (scalarKind(b)) {
      this.scalarError(this.cursor.pos, scalarKind(b)!)
    } else {
      this.unexpectedAt(this.cursor.pos)
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
      if (this.cursor.pos - this.object.start > this.limits.maxRecordBytes) this.tooLarge(this.object.line)
      this.isEnvelope = true
      this.envelopes++
      // What came before the envelope key is not a record, but it must still be valid JSON.
      for (const member of this.prefix) this.parseValue(member)
      this.prefix = []
    }

    this.cursor.pos++
    this.keep = this.cursor.pos
    this.inEnvelopeArray = true
    this.state = State.ArrayOpen
  }

  private endObject(): void {
    this.object.end = this.cursor.pos
    if (!this.isEnvelope) this.pushRecord(this.object, false)
    this.isEnvelope = false
    this.prefix = []
    this.state = State.Top
  }

  private startScan(kind: Scanned): void {
    if (!this.cursor.begin(this.window)) this.unexpectedAt(this.cursor.pos)
    this.afterScan = kind
    this.state = State.Scan
  }

  /** The value `[value.start, pos)` is complete; act on it. True when a record is ready. */
  private finishScan(): boolean {
    const anchor = this.cursor.value
    anchor.end = this.cursor.pos
    switch (this.afterScan) {
      case Scanned.Element: {
        if (this.discarding) {
          const {line, start, text} = this.discarding
          this.discarding = undefined
          this.pushRejected({bytes: this.cursor.pos - start, reason: this.recordTooLarge(), text}, line)
        } else {
          this.pushRecord(anchor, true)
        }

        this.state = State.ArrayNext
        this.keep = this.cursor.pos
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

  private decodeKey(anchor: ValueSpan): string {
    const s = this.window.store
    for (let end = anchor.end - 1 - this.window.base, i = anchor.start + 1 - this.window.base; i < end; i++) {
      const b = s[i] as number
      // An escape, or a control character (below a space) JSON.parse must reject: the key is parsed, not copied.
      if (b === Byte.Backslash || b < Byte.Space) return this.parseValue(anchor) as string
    }

    return this.window.text(anchor.start + 1, anchor.end - 1)
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
  private pushRecord(anchor: ValueSpan, element: boolean): void {
    const {maxDepth, maxRecordBytes} = this.limits
    if (anchor.end - anchor.start > maxRecordBytes) {
      if (!element || !this.longLine || this.fallback) this.tooLarge(anchor.line)
      const text = this.window.prefixText(anchor.start, REJECTED_PREFIX)
      this.pushRejected({bytes: anchor.end - anchor.start, reason: this.recordTooLarge(), text}, anchor.line)
      return
    }

    const text = this.window.text(anchor.start, anchor.end)
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
  private parseValue(anchor: ValueSpan): unknown {
    const text = this.window.text(anchor.start, anchor.end)
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
    if (!this.window.eof) return Pump.NeedData

    const inString = this.state === State.Scan && this.cursor.inString
    const line = truncatedLine(this.window, this.cursor, this.keep, inString)
    this.lineFault(line, undefined, 'malformed JSON: unexpected end of input (truncated file?)')
  }

  /** A located one-line error for a scanned value that is not valid JSON. */
  private syntaxError(anchor: ValueSpan, text: string, located: JsonSyntaxError): never {
    const {column, line} = locateInValue(this.window, anchor, text, located.index)
    this.lineFault(line, column, `malformed JSON: ${located.reason}`, suggestionsFor(text, located.index))
  }

  /** Input bytes that are not UTF-8 were reached: a located error rather than silently replaced characters. */
  private invalidUtf8(): never {
    const {byte, column, line} = locateInvalidUtf8(this.window, this.cursor)
    this.fail(line, column, `not valid UTF-8 (byte 0x${byte}); is the file in another encoding?`, [
      'convert the file to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8',
    ])
  }

  private scalarError(at: number, kind: string): never {
    this.lineFault(
      this.cursor.line,
      this.window.column(at, this.cursor.lineStart),
      `top-level value is ${kind}: expected an object or array`,
    )
  }

  private unexpectedAt(at: number): never {
    if (at >= this.window.invalidAt) this.invalidUtf8()
    // Decode a few bytes so that a multi-byte character is shown whole.
    const text = this.window.store.toString(
      'utf8',
      at - this.window.base,
      Math.min(at - this.window.base + 4, this.window.len),
    )
    this.lineFault(
      this.cursor.line,
      this.window.column(at, this.cursor.lineStart),
      `malformed JSON: unexpected character ${describeCharacter(text, 0)}`,
      suggestionsFor(text, 0),
    )
  }
}

/** Whether the window's first bytes are `bytes`. */
function startsWith(window: ByteWindow, bytes: readonly number[]): boolean {
  return window.len >= bytes.length && bytes.every((b, i) => window.store[i] === b)
}
