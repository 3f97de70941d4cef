/**
 * What JSON.parse changes without a word, found before a record is accepted: a key given twice (the last copy wins),
 * a number a double cannot hold (`1e400` becomes null, `9007199254740993` becomes …992), and nesting deep enough to
 * overflow the recursive steps that follow parsing (mapping, stable stringify, verify, archive).
 *
 * The common case costs one pass over the text: `quickScan` skips strings with indexOf, counts keys and depth, and
 * looks closely only at number tokens with more than 15 digits or an exponent (shorter ones always survive a double).
 * The parsed value's own key count (`countKeys`, a walk) then equals the text's unless a key was dropped. Only when
 * something is off does `locateProblems` tokenise the text in full to say where (measured on 50 MB of LivePerson
 * records: JSON.parse 166 ms, quickScan + countKeys ~100 ms more; see bench/guard.js).
 */

/* eslint-disable unicorn/prefer-code-point -- the scanners walk UTF-16 code units; JSON syntax is all ASCII */
import {fromParseError, type JsonSyntaxError, locateJsonError} from './json-syntax.js'
import {MAX_MAX_DEPTH} from './limits.js'

export interface JsonProblem {
  /** For `duplicate`: the key; for `number`: the token as written; for `depth`: ''. */
  detail: string
  kind: 'depth' | 'duplicate' | 'number'
  /** Keys and indexes from the top-level value to the problem (for `duplicate`: to the object holding the key). */
  path: Array<number | string>
  /** Text offsets where each value on `path` starts: starts[0] is the top-level value, starts[k] is at path[k-1]. */
  starts: number[]
  /** For `number`: how a double would write it back (`null` when out of range). */
  written?: string
}

export type GuardResult =
  | {kind: 'deep'; problem: JsonProblem}
  | {kind: 'ok'; value: unknown}
  | {kind: 'problems'; problems: JsonProblem[]; value: unknown}
  | {kind: 'syntax'; located: JsonSyntaxError}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const MINUS = 0x2d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
/** Significant digits every double keeps (DBL_DIG): a decimal with at most this many comes back unchanged. */
const SAFE_DIGITS = 15

/**
 * Parses `text` (one JSON value) and checks it. A value nested deeper than `maxDepth` is not parsed at all: a 64 MiB
 * line of `[` would take JSON.parse 13 s and 3 GB.
 */
export function parseGuarded(text: string, maxDepth: number): GuardResult {
  const scan = quickScan(text, maxDepth)
  if (scan.deep) {
    // A syntax error is the better report; our validator keeps a stack of numbers, not the values JSON.parse would.
    const located = locateJsonError(text)
    if (located) return {kind: 'syntax', located}

    let deep: JsonProblem | undefined
    locateProblems(text, maxDepth, (problem) => {
      deep = problem
      return problem.kind !== 'depth'
    })
    return {kind: 'deep', problem: deep!}
  }

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return {kind: 'syntax', located: locateJsonError(text) ?? fromParseError(text, error)}
  }

  if (!scan.inexact && scan.keys === countKeys(value)) return {kind: 'ok', value}
  const problems: JsonProblem[] = []
  locateProblems(text, maxDepth, (problem) => {
    problems.push(problem)
    return problems.length < 1000
  })
  // Counts can differ without a dropped key when Object.prototype is polluted (for…in sees inherited keys).
  return problems.length === 0 ? {kind: 'ok', value} : {kind: 'problems', problems, value}
}

/** One pass: keys counted, depth tracked, long or exponent numbers checked. Never throws, even on malformed text. */
export function quickScan(text: string, maxDepth: number): {deep: boolean; inexact: boolean; keys: number} {
  const n = text.length
  let depth = 0
  let keys = 0
  let inexact = false
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    switch (c) {
      case CLOSE_BRACE:
      case CLOSE_BRACKET: {
        depth--
        i++
        break
      }

      case OPEN_BRACE:
      case OPEN_BRACKET: {
        if (++depth > maxDepth) return {deep: true, inexact, keys}
        i++
        break
      }

      case QUOTE: {
        const end = stringEnd(text, i)
        if (end === -1) return {deep: false, inexact, keys}
        i = end
        let next = text.charCodeAt(i)
        while (isWhitespace(next)) next = text.charCodeAt(++i)
        if (next === COLON) keys++
        break
      }

      default: {
        if (c !== MINUS && !isDigit(c)) {
          i++
          break
        }

        // A number: only one with more digits than a double keeps, or an exponent, can change.
        let end = i + 1
        let digits = c === MINUS ? 0 : 1
        let exponent = false
        for (; end < n; end++) {
          const d = text.charCodeAt(end)
          if (isDigit(d)) digits++
          else if (d === 0x65 || d === 0x45) exponent = true
          else if (d !== 0x2e && d !== 0x2b && d !== MINUS) break
        }

        if ((exponent || digits > SAFE_DIGITS) && !inexact) inexact = writtenAs(text.slice(i, end)) !== undefined
        i = end
      }
    }
  }

  return {deep: false, inexact, keys}
}

/** Object keys in a parsed value, counted without recursion (the value may be deep). */
export function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const stack: object[] = [value]
  let keys = 0
  while (stack.length > 0) {
    const node = stack.pop()!
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) if (typeof item === 'object' && item !== null) stack.push(item)
      continue
    }

    // eslint-disable-next-line guard-for-in -- JSON.parse makes plain objects; an inherited key only adds a re-check
    for (const key in node) {
      keys++
      const item = (node as Record<string, unknown>)[key]
      if (typeof item === 'object' && item !== null) stack.push(item)
    }
  }

  return keys
}

/**
 * How JSON would write back the number `token` (a JSON number as written) once read into a double, when that is a
 * different value: `1e400` → `null`, `9007199254740993` → `9007199254740992`. Undefined when the value is kept
 * (`1.0`, `1e2` and `-0` are the values 1, 100 and 0, only spelled differently).
 */
export function writtenAs(token: string): string | undefined {
  const value = Number(token)
  if (!Number.isFinite(value)) return 'null'
  const written = String(value)
  return decimal(token) === decimal(written) ? undefined : written
}

/** A number's exact decimal value in one spelling: `[-]<digits without leading or trailing zeros>e<exponent>`. */
function decimal(token: string): string {
  const negative = token.charCodeAt(0) === MINUS
  let e = token.indexOf('e')
  if (e === -1) e = token.indexOf('E')
  const mantissa = token.slice(negative ? 1 : 0, e === -1 ? token.length : e)
  // A huge exponent loses precision here, but then the double is 0 or infinite and the values differ anyway.
  let exponent = e === -1 ? 0 : Number(token.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1)
  if (dot !== -1) exponent -= mantissa.length - dot - 1
  let first = 0
  while (first < digits.length && digits.charCodeAt(first) === 0x30) first++
  let last = digits.length
  while (last > first && digits.charCodeAt(last - 1) === 0x30) {
    last--
    exponent++
  }

  if (first === last) return '0'
  return `${negative ? '-' : ''}${digits.slice(first, last)}e${exponent}`
}

/** Index just past the string starting at `start` (a quote), or -1 when it does not end. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1)
  while (quote !== -1 && text.charCodeAt(quote - 1) === BACKSLASH) {
    let backslashes = 1
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) break
    quote = text.indexOf('"', quote + 1)
  }

  return quote === -1 ? -1 : quote + 1
}

/** Index just past the object or array that starts at `start` in valid JSON. */
export function valueEnd(text: string, start: number): number {
  let depth = 0
  let i = start
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = stringEnd(text, i)
      if (i === -1) return text.length
      continue
    }

    i++
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i
  }

  return text.length
}

interface Frame {
  /** The next element's index (arrays) or the key just read (objects). */
  at: number | string
  isObject: boolean
  keys: Set<string> | undefined
}

/**
 * Tokenises valid JSON `text` in full and reports every problem to `onProblem` (which returns false to stop): keys
 * given twice, numbers a double would change, containers deeper than `maxDepth` (reported once, then skipped).
 */
export function locateProblems(text: string, maxDepth: number, onProblem: (problem: JsonProblem) => boolean): void {
  const stack: Frame[] = []
  const starts: number[] = []
  const path = (): Array<number | string> => stack.map((frame) => frame.at)
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === COLON) {
      i++
      continue
    }

    const frame = stack.at(-1)
    if (c === COMMA) {
      if (frame && !frame.isObject) frame.at = (frame.at as number) + 1
      i++
      continue
    }

    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop()
      starts.pop()
      i++
      continue
    }

    if (c === QUOTE) {
      const end = stringEnd(text, i)
      if (end === -1) return
      let next = end
      while (next < n && isWhitespace(text.charCodeAt(next))) next++
      if (frame?.isObject && text.charCodeAt(next) === COLON) {
        const raw = text.slice(i + 1, end - 1)
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw
        frame.keys ??= new Set()
        if (
          frame.keys.has(key) &&
          !onProblem({detail: key, kind: 'duplicate', path: path().slice(0, -1), starts: [...starts]})
        )
          return

        frame.keys.add(key)
        frame.at = key
      }

      i = end
      continue
    }

    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= maxDepth) {
        if (!onProblem({detail: '', kind: 'depth', path: path(), starts: [...starts, i]})) return
        i = valueEnd(text, i)
        continue
      }

      starts.push(i)
      stack.push({at: c === OPEN_BRACE ? '' : 0, isObject: c === OPEN_BRACE, keys: undefined})
      i++
      continue
    }

    // A number or a literal.
    let end = i + 1
    while (end < n && !isDelimiter(text.charCodeAt(end))) end++
    if (c === MINUS || isDigit(c)) {
      const token = text.slice(i, end)
      const written = writtenAs(token)
      if (
        written !== undefined &&
        !onProblem({detail: token, kind: 'number', path: path(), starts: [...starts], written})
      )
        return
    }

    i = end
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)
}

/** `info.messages[2].text`; `root` (`record`) for the value itself. A long path keeps its head: `x[0][0]…`. */
export function formatJsonPath(path: ReadonlyArray<number | string>, root = 'record'): string {
  if (path.length === 0) return root
  const shown = path.length > 8 ? path.slice(0, 6) : path
  let out = ''
  for (const part of shown) {
    out +=
      typeof part === 'number' ? `[${part}]` : (out ? '.' : '') + (/^[\w$-]+$/.test(part) ? part : JSON.stringify(part))
  }

  return path.length > shown.length ? `${out}…` : out
}

/**
 * The one-line reason a problem gives, its path taken from `from` on (the record's own path within a page); `root`
 * names the value the path starts from.
 */
export function describeProblem(problem: JsonProblem, maxDepth: number, from = 0, root = 'record'): string {
  const where = formatJsonPath(problem.path.slice(from), root)
  switch (problem.kind) {
    case 'depth': {
      return `${where}: nested deeper than ${maxDepth} levels (raise the limit with --max-depth, up to ${MAX_MAX_DEPTH})`
    }

    case 'duplicate': {
      return `${where}: duplicate key ${JSON.stringify(problem.detail)} (JSON keeps only the last copy)`
    }

    case 'number': {
      const token = problem.detail.length > 40 ? `${problem.detail.slice(0, 40)}…` : problem.detail
      return `${where}: the number ${token} cannot be kept exactly (it would be written as ${problem.written})`
    }
  }
}
