/**
 * Finds where JSON values end without parsing them: the document reader's cursor. It walks the bytes of a ByteWindow
 * from `pos`, counting lines, and for a value tracks only what decides its end: nesting depth, and whether it is
 * inside a string (a quote preceded by an odd run of backslashes is escaped). JSON.parse validates the value later,
 * so the scanner can be this small; it stops at the end of the bytes read so far and goes on where it stopped.
 *
 * Each value found is a ValueSpan: its byte offsets in the (decompressed) input, its line, and the offset where that
 * line starts, from which a column follows (ByteWindow#column).
 */
import {type ByteWindow} from './byte-window.js'
import {Byte, startsScalar} from './json-bytes.js'

/** Where a value is in the input: absolute byte offsets [start, end), and its first line (with that line's offset). */
export interface ValueSpan {
  start: number
  end: number
  line: number
  lineStart: number
}

export class ValueScanner {
  /** 1-based line of `pos`, and the absolute offset where that line starts. */
  line = 1
  lineStart = 0
  /** Absolute offset of the next byte to look at. */
  pos = 0
  /** While a value is scanned: whether `pos` is inside a string, and where that string started. */
  inString = false
  stringStart = 0
  /** The value being scanned (its `end` is set by the caller once `scan` says it is complete). */
  value: ValueSpan = {end: 0, line: 1, lineStart: 0, start: 0}
  private depth = 0
  /** A number or literal: it ends at the first byte that cannot be part of it. */
  private primitive = false

  /** Starts a value at `pos`. False when no value can start with that byte. */
  begin(window: ByteWindow): boolean {
    const b = window.store[this.pos - window.base]
    if (b === Byte.OpenBrace || b === Byte.OpenBracket || b === Byte.Quote) this.primitive = false
    else if (startsScalar(b)) this.primitive = true
    else return false
    this.value = {end: 0, line: this.line, lineStart: this.lineStart, start: this.pos}
    this.depth = 0
    this.inString = false
    return true
  }

  /** Advances `pos` to the end of the value begun. False when the bytes read so far ran out first. */
  scan(window: ByteWindow): boolean {
    const s = window.view
    const {base, len} = window
    let i = this.pos - base

    if (this.primitive) {
      while (i < len && !endsPrimitive(s[i])) i++
      this.pos = base + i
      return i < len || window.eof
    }

    let {depth, inString} = this
    while (i < len) {
      if (inString) {
        const quote = s.indexOf(Byte.Quote, i)
        if (quote === -1) {
          i = len
          break
        }

        let backslashes = 0
        while (s[quote - 1 - backslashes] === Byte.Backslash) backslashes++
        i = quote + 1
        if (backslashes % 2 === 0) {
          inString = false
          if (depth === 0) break
        }

        continue
      }

      switch (s[i]) {
        case Byte.CloseBrace:
        case Byte.CloseBracket: {
          depth--
          break
        }

        case Byte.Newline: {
          this.line++
          this.lineStart = base + i + 1
          break
        }

        case Byte.OpenBrace:
        case Byte.OpenBracket: {
          depth++
          break
        }

        case Byte.Quote: {
          inString = true
          this.stringStart = base + i
          break
        }
      }

      i++
      // Outside a string, depth returns to 0 only at the value's closing bracket.
      if (depth === 0 && !inString) break
    }

    this.pos = base + i
    this.depth = depth
    this.inString = inString
    return !inString && depth === 0 && i > this.value.start - base
  }

  /** Advances over whitespace, counting lines. True when a non-whitespace byte is at `pos`. */
  skipWhitespace(window: ByteWindow): boolean {
    const s = window.store
    const {base, len} = window
    let i = this.pos - base
    while (i < len) {
      const b = s[i]
      if (b === Byte.Space || b === Byte.Tab || b === Byte.CarriageReturn) {
        i++
      } else if (b === Byte.Newline) {
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
}

/** After a number or literal: a separator, a closing bracket or whitespace. */
function endsPrimitive(b: number | undefined): boolean {
  return (
    b === Byte.Comma ||
    b === Byte.CloseBracket ||
    b === Byte.CloseBrace ||
    b === Byte.Space ||
    b === Byte.Newline ||
    b === Byte.CarriageReturn ||
    b === Byte.Tab
  )
}
