/**
 * Redaction of personal data in archived records: typed placeholders ([EMAIL], [PHONE], [CARD], [IP], [REDACTED]) put
 * in place of what the patterns find in text, and counts per kind.
 *
 * What is redacted: every string of the neutral record (message text, participant and customer fields, comments,
 * survey answers, custom data, and the vendor remainders kept under `extensions`, which are raw vendor values) except
 * identifiers (keys `id`, `_id`, `…Id`, `…Ids`, `…_id`) and timestamps, which the archive's index and the converters rely
 * on. Fields that hold one kind whole (`email`, `phone`, `ipAddress`) are replaced whole when their kind is on.
 */
import {createHash} from 'node:crypto'
import {isIPv6} from 'node:net'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {TIMESTAMP_PATTERN} from '../schemas/neutral.js'

export const REDACTION_KINDS = ['email', 'phone', 'card', 'ip'] as const
export type RedactionKind = 'regex' | (typeof REDACTION_KINDS)[number]

export const PLACEHOLDERS: Record<RedactionKind, string> = {
  card: '[CARD]',
  email: '[EMAIL]',
  ip: '[IP]',
  phone: '[PHONE]',
  regex: '[REDACTED]',
}

export interface RedactionRules {
  kinds: ReadonlyArray<(typeof REDACTION_KINDS)[number]>
  patterns: readonly string[]
}

export type RedactionCounts = Record<RedactionKind, number>

/**
 * Parses `--redact` values: each a comma-separated list of kinds; `regex:<pattern>` takes the rest of its value
 * (so a pattern may contain commas: put it last, or in its own --redact).
 */
export function parseRedactRules(values: readonly string[]): RedactionRules {
  const kinds = new Set<(typeof REDACTION_KINDS)[number]>()
  const patterns: string[] = []
  for (const value of values) {
    let rest = value
    while (rest !== '') {
      if (rest.startsWith('regex:')) {
        patterns.push(compilePattern(rest.slice('regex:'.length)).source)
        break
      }

      const comma = rest.indexOf(',')
      const item = (comma === -1 ? rest : rest.slice(0, comma)).trim()
      rest = comma === -1 ? '' : rest.slice(comma + 1)
      if (item === '') continue
      if (!(REDACTION_KINDS as readonly string[]).includes(item)) {
        throw new ConvoshiftError(`--redact: unknown kind "${item}"`, {
          code: 'USAGE',
          exitCode: ExitCode.Usage,
          suggestions: [`kinds: ${REDACTION_KINDS.join(', ')}, regex:<pattern>`],
        })
      }

      kinds.add(item as (typeof REDACTION_KINDS)[number])
    }
  }

  return {kinds: REDACTION_KINDS.filter((kind) => kinds.has(kind)), patterns}
}

function compilePattern(pattern: string): RegExp {
  if (pattern === '')
    throw new ConvoshiftError('--redact: regex: needs a pattern', {code: 'USAGE', exitCode: ExitCode.Usage})
  let regex: RegExp
  try {
    regex = new RegExp(pattern, 'gu')
  } catch (error) {
    // The pattern itself may be the sensitive value: the message names the problem, not the pattern.
    throw new ConvoshiftError(
      `--redact: invalid regular expression (${(error as Error).message.replace(/^.*: /, '')})`,
      {
        code: 'USAGE',
        exitCode: ExitCode.Usage,
      },
    )
  }

  if (regex.test('')) {
    throw new ConvoshiftError('--redact: the regular expression matches the empty string', {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  return new RegExp(pattern, 'gu')
}

/**
 * How the rules are recorded in bag-info.txt. A custom pattern may itself spell the secret (a name, an account
 * number), so it is recorded by its SHA-256 prefix: enough to tell which pattern was used, not what it matches.
 */
export function describeRules(rules: RedactionRules): string[] {
  return [
    ...rules.kinds,
    ...rules.patterns.map(
      (pattern) => `regex:sha256:${createHash('sha256').update(pattern).digest('hex').slice(0, 16)}`,
    ),
  ]
}

export function hasRules(rules: RedactionRules | undefined): rules is RedactionRules {
  return rules !== undefined && (rules.kinds.length > 0 || rules.patterns.length > 0)
}

// Patterns. Unicode-aware (`u`): internationalised addresses and any script around them.
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu
/** 13 to 19 digits, optionally grouped by single spaces or dashes; kept unless the Luhn check passes. */
const CARD = /(?<![\p{N}\p{L}])\d(?:[ -]?\d){12,18}(?![\p{N}\p{L}])/gu
const IPV4_OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`
const IPV4 = new RegExp(`(?<![\\p{N}\\p{L}.])(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}(?![\\p{N}\\p{L}]|\\.\\d)`, 'gu')
/** Candidates only: hex groups and colons (maybe ending in dotted IPv4); `net.isIPv6` decides. */
const IPV6_CANDIDATE =
  /(?<![\p{L}\p{N}:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\p{L}\p{N}:])/gu
/**
 * Phone numbers: an optional +country code, an optional (area code), then digit groups separated by a space, dot or
 * dash; 7 to 15 digits in all (E.164). Dates and times are not phones; a bare run of digits counts only from 10 digits;
 * digits that are part of a longer token (a UUID's 65140579-3229-43d7…) are not a phone.
 */
const PHONE =
  /(?<![\p{L}\p{N}+]|[\p{L}\p{N}][.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{1,5}){0,6}(?![\p{L}\p{N}]|[.-][\p{L}\p{N}])/gu
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$|^\d{2}[.-]\d{2}[.-]\d{4}$|^\d{4}\.\d{2}\.\d{2}$/

export function luhn(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.codePointAt(i)! - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }

    sum += d
    double = !double
  }

  return sum % 10 === 0
}

function isPhone(candidate: string): boolean {
  const digits = candidate.replaceAll(/\D/g, '')
  if (digits.length < 7 || digits.length > 15) return false
  if (DATE_LIKE.test(candidate)) return false
  const formatted = /[+()]/.test(candidate)
  const grouped = /[ .-]/.test(candidate)
  if (!formatted && !grouped) return digits.length >= 10
  // "1.5 2.5" or "10 20 30": a phone's groups are mostly 2+ digits and the number is mostly digits.
  if (!formatted && candidate.split(/[ .-]/).some((group) => group.length < 2)) return false
  // Plain decimals such as 3.14159265 or version numbers 1.2.3.4 use dots only and short groups.
  return !(/^[\d.]+$/.test(candidate) && candidate.split('.').length !== 3)
}

/** A redactor with its running counts; one per archive run. */
export class Redactor {
  readonly counts: RedactionCounts = {card: 0, email: 0, ip: 0, phone: 0, regex: 0}
  private readonly kinds: ReadonlySet<string>
  private readonly patterns: RegExp[]

  constructor(readonly rules: RedactionRules) {
    this.kinds = new Set(rules.kinds)
    this.patterns = rules.patterns.map((pattern) => new RegExp(pattern, 'gu'))
  }

  /** Counts from zero again (a run that starts over). */
  resetCounts(): void {
    for (const kind of Object.keys(this.counts) as RedactionKind[]) this.counts[kind] = 0
  }

  /** Redacts one string: emails first (so an address is not half-taken as a phone), then cards, IPs, phones, patterns. */
  redactText(text: string): string {
    let out = text
    if (this.kinds.has('email')) out = this.replace(out, EMAIL, 'email')
    if (this.kinds.has('card')) out = this.replace(out, CARD, 'card', (match) => luhn(match.replaceAll(/\D/g, '')))
    if (this.kinds.has('ip')) {
      out = this.replace(out, IPV4, 'ip')
      out = this.replace(out, IPV6_CANDIDATE, 'ip', (match) => /[0-9A-Fa-f]/.test(match) && isIPv6(match))
    }

    if (this.kinds.has('phone')) out = this.replace(out, PHONE, 'phone', isPhone)
    for (const pattern of this.patterns) out = this.replace(out, pattern, 'regex')
    return out
  }

  /**
   * Returns a redacted copy of a JSON value (the input is not modified): strings are redacted except identifiers and
   * timestamps; keys named `email`, `phone` or `ipAddress` are replaced whole when their kind is on.
   */
  redactValue<T>(value: T, key?: string): T {
    if (typeof value === 'string') return this.redactString(value, key) as T
    if (Array.isArray(value)) {
      const keep = key !== undefined && isIdentifierKey(key)
      return (keep ? value : value.map((item) => this.redactValue(item))) as T
    }

    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v, k)
      return out as T
    }

    return value
  }

  private redactString(value: string, key: string | undefined): string {
    if (key !== undefined && isIdentifierKey(key)) return value
    if (TIMESTAMP_PATTERN.test(value)) return value
    const whole = key === undefined ? undefined : WHOLE_FIELDS[key]
    if (whole && this.kinds.has(whole) && value !== '' && value !== PLACEHOLDERS[whole]) {
      this.counts[whole]++
      return PLACEHOLDERS[whole]
    }

    return this.redactText(value)
  }

  private replace(text: string, pattern: RegExp, kind: RedactionKind, accept?: (match: string) => boolean): string {
    pattern.lastIndex = 0
    if (!pattern.test(text)) return text
    pattern.lastIndex = 0
    return text.replace(pattern, (match) => {
      if (accept && !accept(match)) return match
      this.counts[kind]++
      return PLACEHOLDERS[kind]
    })
  }
}

const WHOLE_FIELDS: Record<string, (typeof REDACTION_KINDS)[number]> = {
  email: 'email',
  ipAddress: 'ip',
  phone: 'phone',
}

function isIdentifierKey(key: string): boolean {
  return (
    key === 'id' ||
    key === '_id' ||
    key.endsWith('Id') ||
    key.endsWith('Ids') ||
    key.endsWith('_id') ||
    key.endsWith('_ids')
  )
}
