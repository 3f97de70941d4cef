/**
 * The bytes the JSON readers look at, by name (RFC 8259 §2: structural characters and whitespace; the first byte of a
 * literal, a number or a string). A const enum because the readers compare them per byte in their hottest loops: the
 * compiler writes the numbers into the built code. Imported `const` numbers cost the document path ~10% of its read
 * time (the value scanner's switch, measured in-process on a 52 MB JSON array); `tsc` inlines these. Under ts-node
 * (tests, transpiled file by file) the enum is an object and the code is slower but the same.
 */
/* eslint-disable perfectionist/sort-enums -- in byte order, as an ASCII table reads */
export const enum Byte {
  Tab = 0x09,
  Newline = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  DigitZero = 0x30,
  DigitNine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  /** `false`, `null` and `true` start with these. */
  LetterF = 0x66,
  LetterN = 0x6e,
  LetterT = 0x74,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  /** A UTF-8 continuation byte is 0b10xxxxxx: at least this, and below Byte.Utf8LeadMin. */
  Utf8ContinuationMin = 0x80,
  /** The first byte of a multi-byte UTF-8 sequence is at least this (0xC0 and 0xC1 never are: see byte-window.ts). */
  Utf8LeadMin = 0xc0,
  /** A lead byte of a 4-byte sequence (a character outside the BMP: two UTF-16 units) is at least this. */
  Utf8FourByteMin = 0xf0,
}
/* eslint-enable perfectionist/sort-enums */

export function isWhitespace(b: number | undefined): boolean {
  return b === Byte.Space || b === Byte.Newline || b === Byte.CarriageReturn || b === Byte.Tab
}

/** The first byte of a number, `true`, `false` or `null`. */
export function startsScalar(b: number | undefined): boolean {
  return (
    b === Byte.Minus ||
    (b !== undefined && b >= Byte.DigitZero && b <= Byte.DigitNine) ||
    b === Byte.LetterT ||
    b === Byte.LetterF ||
    b === Byte.LetterN
  )
}

/** What a top-level value starting with `b` is, for "top-level value is a string: expected an object or array". */
export function scalarKind(b: number | undefined): string | undefined {
  if (b === Byte.Quote) return 'a string'
  if (b === Byte.LetterT || b === Byte.LetterF) return 'a boolean'
  if (b === Byte.LetterN) return 'null'
  return startsScalar(b) ? 'a number' : undefined
}
