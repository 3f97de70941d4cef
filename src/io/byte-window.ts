/**
 * The bytes of the input the record reader is looking at: one growable buffer holding the input from `base` (an
 * absolute offset) on. `fill` drops what the reader no longer needs, reads the next chunk from the byte source and
 * checks it is UTF-8; offsets everywhere else are absolute, so nothing moves under the reader when the buffer does.
 * Text is decoded only for values the reader hands on (`text`), and a column is counted in UTF-16 units, as editors
 * and JSON.parse's messages count them.
 */
import {isAscii, isUtf8} from 'node:buffer'

import {type ByteSource, CHUNK} from './byte-source.js'
import {Byte} from './json-bytes.js'

export class ByteWindow {
  /** Absolute offset of store[0]. */
  base = 0
  /** Absolute offset of the start of the line containing `base`, and the UTF-16 length of that line before `base`. */
  baseLineStart = 0
  baseLineUnits = 0
  eof = false
  /** Absolute offset of the first byte that is not UTF-8 (+Infinity while none is known). */
  invalidAt = Number.POSITIVE_INFINITY
  /** Bytes of `store` that hold data. */
  len = 0
  store = Buffer.allocUnsafe(2 * CHUNK)
  /** store.subarray(0, len): bounds Buffer#indexOf. */
  view = this.store.subarray(0, 0)
  /** Absolute offset up to which the input has been checked to be UTF-8. */
  private validated = 0

  /** `onInvalid` reports text that would decode bytes which are not UTF-8 (it throws). */
  constructor(private readonly onInvalid: () => never) {}

  /** Column (1-based, UTF-16 units) of absolute offset `at` on the line starting at `lineStart`. */
  column(at: number, lineStart: number): number {
    if (lineStart >= this.base) return utf16Length(this.store, lineStart - this.base, at - this.base) + 1
    return this.baseLineUnits + utf16Length(this.store, 0, at - this.base) + 1
  }

  /**
   * Reads more input, first dropping the bytes before `holdFrom` (absolute). The buffer grows when less than a chunk
   * is free, but never far past `maxBytes` (a record's limit). Returns false (and sets eof) at the end of input.
   */
  async fill(source: ByteSource, holdFrom: number, maxBytes: number): Promise<boolean> {
    if (this.eof) return false
    const drop = holdFrom - this.base
    if (drop > 0) this.drop(drop)
    if (this.store.length - this.len < CHUNK) {
      // Doubling, but never far past what the record limit lets the buffer hold (the reader stops it there).
      const ceiling = Math.max(this.len + CHUNK, maxBytes + 2 * CHUNK)
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(this.store.length * 2, this.len + CHUNK), ceiling))
      this.store.copy(bigger, 0, 0, this.len)
      this.store = bigger
    }

    const n = await source.read(this.store, this.len, Math.min(CHUNK, this.store.length - this.len))
    this.len += n
    this.view = this.store.subarray(0, this.len)
    if (n === 0) this.eof = true
    this.validateUtf8()
    return n > 0
  }

  /** The first `max` bytes from `start` (absolute) that are in the buffer, cut at a character boundary. */
  prefixText(start: number, max: number): string {
    let end = Math.min(this.base + this.len, start + max)
    for (let b = this.byteAt(end); end > start && isContinuation(b); b = this.byteAt(end)) {
      end-- // a continuation byte: the character starts before
    }

    return this.text(start, end)
  }

  /** Forgets what was read (the input turned out to be gzip: its decompressed bytes come next). */
  restart(): void {
    this.len = 0
    this.view = this.store.subarray(0, 0)
    this.eof = false
    this.validated = 0
    this.invalidAt = Number.POSITIVE_INFINITY
  }

  /** The text of bytes [start, end) (absolute). */
  text(start: number, end: number): string {
    if (end > this.invalidAt) this.onInvalid()
    return this.store.toString('utf8', start - this.base, end - this.base)
  }

  private byteAt(at: number): number {
    return this.store[at - this.base] ?? 0
  }

  /** Drops the first `bytes` of the buffer, keeping the column arithmetic valid for the line now starting before it. */
  private drop(bytes: number): void {
    const newline = this.store.lastIndexOf(Byte.Newline, bytes - 1)
    if (newline === -1) {
      this.baseLineUnits += isAscii(this.store.subarray(0, bytes)) ? bytes : utf16Length(this.store, 0, bytes)
    } else {
      this.baseLineStart = this.base + newline + 1
      this.baseLineUnits = utf16Length(this.store, newline + 1, bytes)
    }

    const kept = this.len - bytes
    if (this.store.length > 8 * CHUNK && kept < CHUNK) {
      // A huge value is done with; give the memory back.
      const smaller = Buffer.allocUnsafe(2 * CHUNK)
      this.store.copy(smaller, 0, bytes, this.len)
      this.store = smaller
    } else {
      this.store.copy(this.store, 0, bytes, this.len)
    }

    this.len = kept
    this.base += bytes
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
        if (b < Byte.Utf8ContinuationMin) break
        cut--
        if (b >= Byte.Utf8LeadMin) break
      }
    }

    if (cut <= from) return
    if (!isUtf8(s.subarray(from, cut))) {
      const bad = firstInvalidUtf8(s, from, cut)
      this.invalidAt = this.base + (bad === -1 ? from : bad)
    }

    this.validated = this.base + cut
  }
}

function isContinuation(b: number): boolean {
  return b >= Byte.Utf8ContinuationMin && b < Byte.Utf8LeadMin
}

/**
 * Index of the first byte in buffer[from, to) that does not belong to a well-formed UTF-8 sequence, or -1. The ranges
 * are RFC 3629 §4's: no overlong forms (C0, C1, E0 80–9F, F0 80–8F), no surrogates (ED A0–BF), nothing past U+10FFFF.
 */
function firstInvalidUtf8(buffer: Buffer, from: number, to: number): number {
  let i = from
  while (i < to) {
    const b = buffer[i] as number
    if (b < Byte.Utf8ContinuationMin) {
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
      if (!isContinuation(buffer[i + k] as number)) return i
    }

    i += length
  }

  return -1
}

/** UTF-16 length of the UTF-8 bytes buffer[from, to): one unit per character, two for one outside the BMP. */
export function utf16Length(buffer: Buffer, from: number, to: number): number {
  let units = 0
  for (let i = from; i < to; i++) {
    const b = buffer[i] as number
    if (!isContinuation(b)) units += b >= Byte.Utf8FourByteMin ? 2 : 1
  }

  return units
}
