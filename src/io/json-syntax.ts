/**
 * Finds the first syntax error in a JSON text, for error messages only (the hot path uses JSON.parse).
 *
 * V8's JSON.parse messages vary between Node versions and some carry no position at all
 * (`Unexpected token '“', "{“id”: 1}" is not valid JSON`), so we re-scan the failed text with a small validating
 * parser that accepts exactly what JSON.parse accepts and reports a UTF-16 index and a short reason.
 */

/* eslint-disable unicorn/prefer-code-point -- positions are UTF-16 indexes, so the scanner walks UTF-16 code units */

export const END_OF_INPUT = 'unexpected end of input'

export interface JsonSyntaxError {
  /** UTF-16 index into the text where the problem is (text.length for an unexpected end). */
  index: number
  /** Lower-case phrase without position, e.g. `unexpected character '}'`. */
  reason: string
}

const ARRAY = 0
const OBJECT = 1

/** Returns the first syntax error in `text`, or undefined when `text` is one valid JSON value (plus whitespace). */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  const n = text.length
  const stack: number[] = []
  let i = skipWhitespace(text, 0)
  // What the grammar expects next: a value, an object key, or what follows a value (`,`, a closer, or the end).
  let expect: 'after' | 'key' | 'value' = 'value'

  for (;;) {
    i = skipWhitespace(text, i)
    if (expect === 'after') {
      if (stack.length === 0) return i < n ? unexpected(text, i) : undefined
      if (i >= n) return {index: n, reason: END_OF_INPUT}
      const c = text.charCodeAt(i)
      const top = stack.at(-1)
      if (c === 0x2c) {
        i++
        expect = top === OBJECT ? 'key' : 'value'
      } else if ((c === 0x5d && top === ARRAY) || (c === 0x7d && top === OBJECT)) {
        stack.pop()
        i++
      } else {
        return unexpected(text, i)
      }

      continue
    }

    if (i >= n) return {index: n, reason: END_OF_INPUT}
    const c = text.charCodeAt(i)

    if (expect === 'key') {
      if (c !== 0x22) return unexpected(text, i)
      const end = scanString(text, i)
      if (typeof end !== 'number') return end
      i = skipWhitespace(text, end)
      if (i >= n) return {index: n, reason: END_OF_INPUT}
      if (text.charCodeAt(i) !== 0x3a) return unexpected(text, i)
      i++
      expect = 'value'
      continue
    }

    // expect === 'value'
    if (c === 0x7b || c === 0x5b) {
      i = skipWhitespace(text, i + 1)
      const close = c === 0x7b ? 0x7d : 0x5d
      if (i < n && text.charCodeAt(i) === close) {
        i++
        expect = 'after'
      } else {
        stack.push(c === 0x7b ? OBJECT : ARRAY)
        expect = c === 0x7b ? 'key' : 'value'
      }

      continue
    }

    const end =
      c === 0x22
        ? scanString(text, i)
        : c === 0x2d || (c >= 0x30 && c <= 0x39)
          ? scanNumber(text, i)
          : c === 0x74
            ? scanLiteral(text, i, 'true')
            : c === 0x66
              ? scanLiteral(text, i, 'false')
              : c === 0x6e
                ? scanLiteral(text, i, 'null')
                : unexpected(text, i)
    if (typeof end !== 'number') return end
    i = end
    expect = 'after'
  }
}

function skipWhitespace(text: string, from: number): number {
  let i = from
  for (;;) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
    else return i
  }
}

function scanString(text: string, start: number): JsonSyntaxError | number {
  const n = text.length
  let i = start + 1
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x22) return i + 1
    if (c === 0x5c) {
      if (i + 1 >= n) return {index: n, reason: END_OF_INPUT}
      const e = text.charCodeAt(i + 1)
      if (e === 0x75) {
        for (let k = i + 2; k < i + 6; k++) {
          if (k >= n) return {index: n, reason: END_OF_INPUT}
          if (!isHexDigit(text.charCodeAt(k)))
            return {index: i, reason: `invalid escape sequence '${text.slice(i, k + 1)}'`}
        }

        i += 6
      } else if (String.raw`"\/bfnrt`.includes(text.charAt(i + 1))) {
        i += 2
      } else {
        return {index: i, reason: `invalid escape sequence '\\${String.fromCodePoint(text.codePointAt(i + 1) ?? e)}'`}
      }

      continue
    }

    if (c === 0x0a || c === 0x0d) return {index: i, reason: 'unterminated string'}
    if (c < 0x20) return {index: i, reason: `unescaped control character ${describeCharacter(text, i)} in string`}
    i++
  }

  return {index: n, reason: END_OF_INPUT}
}

function scanNumber(text: string, start: number): JsonSyntaxError | number {
  let i = start
  if (text.charCodeAt(i) === 0x2d) i++
  const first = text.charCodeAt(i)
  if (first === 0x30) {
    i++
  } else if (first >= 0x31 && first <= 0x39) {
    while (isDigit(text.charCodeAt(i))) i++
  } else {
    return unexpectedOrEnd(text, i)
  }

  if (text.charCodeAt(i) === 0x2e) {
    i++
    if (!isDigit(text.charCodeAt(i))) return unexpectedOrEnd(text, i)
    while (isDigit(text.charCodeAt(i))) i++
  }

  const e = text.charCodeAt(i)
  if (e === 0x65 || e === 0x45) {
    i++
    const sign = text.charCodeAt(i)
    if (sign === 0x2b || sign === 0x2d) i++
    if (!isDigit(text.charCodeAt(i))) return unexpectedOrEnd(text, i)
    while (isDigit(text.charCodeAt(i))) i++
  }

  return i
}

function scanLiteral(text: string, start: number, word: string): JsonSyntaxError | number {
  for (let k = 0; k < word.length; k++) {
    if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return unexpectedOrEnd(text, start + k)
  }

  return start + word.length
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

function unexpectedOrEnd(text: string, index: number): JsonSyntaxError {
  return index >= text.length ? {index: text.length, reason: END_OF_INPUT} : unexpected(text, index)
}

function unexpected(text: string, index: number): JsonSyntaxError {
  return {index, reason: `unexpected character ${describeCharacter(text, index)}`}
}

const ESCAPES: Record<number, string> = {
  0x08: String.raw`\b`,
  0x09: String.raw`\t`,
  0x0a: String.raw`\n`,
  0x0c: String.raw`\f`,
  0x0d: String.raw`\r`,
}
/** Characters that would be invisible or misleading if printed as themselves. */
const INVISIBLE = new Set([0x7f, 0xa0, 0xad, 0x20_0b, 0x20_0c, 0x20_0d, 0x20_28, 0x20_29, 0x20_60, 0x30_00, 0xfe_ff])

/** `'x'` for a printable character (whole code point), `'\t'` for common escapes, `U+0000` for other invisibles. */
export function describeCharacter(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0
  const escape = ESCAPES[code]
  if (escape !== undefined) return `'${escape}'`
  if (code < 0x20 || INVISIBLE.has(code) || (code >= 0xd8_00 && code <= 0xdf_ff)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  }

  return `'${String.fromCodePoint(code)}'`
}

/** Typographic quotes that vendor documentation tends to leave in "JSON" samples. */
export const TYPOGRAPHIC_QUOTES = new Set(['‘', '’', '‚', '‛', '“', '”', '„', '‟', '«', '»', '′', '″'])

/** Fallback when our locator disagrees with JSON.parse (should not happen): V8's message, position if it has one. */
export function fromParseError(text: string, error: unknown): JsonSyntaxError {
  const message = error instanceof Error ? error.message : String(error)
  const position = /at position (\d+)/.exec(message)
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/,\s*".*$/s, '')
  return {index: position ? Math.min(Number(position[1]), text.length) : 0, reason: reason.toLowerCase()}
}

/** The hint for a reason at `index`: typographic quotes where straight ones belong. */
export function suggestionsFor(text: string, index: number): string[] {
  const character = String.fromCodePoint(text.codePointAt(index) ?? 0)
  return TYPOGRAPHIC_QUOTES.has(character)
    ? ['replace typographic quotes (“ ” ‘ ’) with straight double quotes (")']
    : []
}
