/**
 * Where a fault in the input is, for the one-line `file:line:column` errors of the record reader. Worked out only
 * when a fault is reported, from the bytes still in the window and the scanner's cursor: the cursor counts lines as
 * it goes, so a position before or after it is found by counting the newlines in between.
 */
import {type ByteWindow} from './byte-window.js'
import {Byte, isWhitespace} from './json-bytes.js'
import {type ValueScanner, type ValueSpan} from './value-scanner.js'

/**
 * The line of the last non-blank byte of a document that ends too early (`keep`: the first byte still held). The
 * cursor's line counts every newline before it except those inside an unterminated string, which the scanner passed
 * with indexOf.
 */
export function truncatedLine(window: ByteWindow, cursor: ValueScanner, keep: number, inString: boolean): number {
  const s = window.store
  const retained = Math.max(0, keep - window.base)
  let last = window.len - 1
  while (last >= retained && isWhitespace(s[last])) last--
  let {line} = cursor
  if (inString) {
    for (let i = cursor.stringStart - window.base; i <= last; i++) if (s[i] === Byte.Newline) line++
  } else {
    for (let i = last + 1; i < cursor.pos - window.base; i++) if (s[i] === Byte.Newline) line--
  }

  return line
}

/** Line and column of `index`, a position in `text`: the text of the scanned value `span`. */
export function locateInValue(window: ByteWindow, span: ValueSpan, text: string, index: number): Location {
  const lastNewline = text.lastIndexOf('\n', index - 1)
  if (lastNewline === -1) return {column: window.column(span.start, span.lineStart) + index, line: span.line}
  let {line} = span
  for (let i = text.indexOf('\n'); i !== -1 && i <= lastNewline; i = text.indexOf('\n', i + 1)) line++
  return {column: index - lastNewline, line}
}

/** Line and column of the first byte that is not UTF-8 (window.invalidAt), and that byte in hex. */
export function locateInvalidUtf8(window: ByteWindow, cursor: ValueScanner): Location & {byte: string} {
  const at = window.invalidAt
  const s = window.store
  const {base} = window
  let {line} = cursor
  if (at >= cursor.pos) {
    for (let i = cursor.pos - base; i < at - base; i++) if (s[i] === Byte.Newline) line++
  } else {
    for (let i = at - base; i < cursor.pos - base; i++) if (s[i] === Byte.Newline) line--
  }

  const newline = at - base > 0 ? s.lastIndexOf(Byte.Newline, at - base - 1) : -1
  const column = window.column(at, newline === -1 ? Math.min(window.baseLineStart, base) : base + newline + 1)
  const byte = (s[at - base] ?? 0).toString(16).toUpperCase().padStart(2, '0')
  return {byte, column, line}
}

export interface Location {
  /** 1-based, in UTF-16 units (as editors count). */
  column: number
  line: number
}
