/**
 * Named value transforms that mapping files refer to by string. Each has a vendor → neutral and a
 * neutral → vendor direction; either may decline a value it cannot represent (`DECLINE`), in which case
 * the engine keeps the source value verbatim in the record's extension instead of guessing.
 */
import {stableStringify} from '../util/stable-json.js'
import {digitsAt, isoFromEpochMs, wholeSecondsMs} from './calendar.js'
import {htmlToText, textToHtml} from './html-text.js'
import {isPlainObject} from './json.js'
import {richText} from './rich-content.js'

export const DECLINE: unique symbol = Symbol('decline')
export type Declined = typeof DECLINE

export type TransformOptions = Readonly<Record<string, unknown>>

export interface Transform {
  description: string
  /** Its neutral values are always ISO UTC timestamps (or DECLINE), so a timestamp field need not re-check them. */
  producesTimestamp?: boolean
  /** Validate options at compile time; return an error message or undefined. */
  checkOptions?: (options: TransformOptions) => string | undefined
  fromNeutral(value: unknown, options: TransformOptions): unknown
  toNeutral(value: unknown, options: TransformOptions): unknown
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/
const ISO_ANY = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/** Normalise "date time fraction offset" to UTC `…Z`, keeping every fractional digit. */
function toUtcIso(
  date: string,
  time: string,
  fraction: string | undefined,
  offset: string | undefined,
): Declined | string {
  const frac = fraction ?? ''
  if (offset === undefined || offset === 'Z' || offset === '+0000' || offset === '+00:00' || offset === '-00:00') {
    if (Number.isNaN(wallClockMs({date, time}))) return DECLINE
    return `${date}T${time}${frac}Z`
  }

  const ms = Date.parse(`${date}T${time}${offset.length === 5 ? offset.slice(0, 3) + ':' + offset.slice(3) : offset}`)
  if (Number.isNaN(ms)) return DECLINE
  const iso = new Date(ms).toISOString() // …T…:ss.000Z; whole seconds are exact, the fraction is re-attached
  return `${iso.slice(0, 19)}${frac}Z`
}

function checkDigits(options: TransformOptions): string | undefined {
  const {digits} = options
  return digits === undefined || (Number.isInteger(digits) && (digits as number) >= 0 && (digits as number) <= 9)
    ? undefined
    : 'digits must be a whole number from 0 to 9'
}

/** A fraction (`.678`, or '' for none) written with exactly `digits` digits; unchanged when digits is not set. */
export function withDigits(fraction: string, digits: unknown): string {
  if (typeof digits !== 'number') return fraction
  if (digits === 0) return ''
  return `.${fraction.slice(1).padEnd(digits, '0').slice(0, digits)}`
}

function splitIso(value: unknown): Declined | {date: string; fraction: string; time: string} {
  if (typeof value !== 'string') return DECLINE
  // The two shapes every neutral timestamp from a second or millisecond source has, without the regular expression.
  if (
    value.length === 20 &&
    value.codePointAt(19) === 90 &&
    value.codePointAt(10) === 84 &&
    !Number.isNaN(wholeSecondsMs(value))
  ) {
    return {date: value.slice(0, 10), fraction: '', time: value.slice(11, 19)}
  }

  if (
    value.length === 24 &&
    value.codePointAt(23) === 90 &&
    value.codePointAt(10) === 84 &&
    value.codePointAt(19) === 46 &&
    digitsAt(value, 20, 3) >= 0 &&
    !Number.isNaN(wholeSecondsMs(value))
  ) {
    return {date: value.slice(0, 10), fraction: value.slice(19, 23), time: value.slice(11, 19)}
  }

  const m = ISO_UTC.exec(value)
  if (!m) return DECLINE
  return {date: m[1]!, fraction: m[3] ?? '', time: m[2]!}
}

function isoToEpochMs(value: unknown): Declined | number {
  if (
    typeof value === 'string' &&
    value.length === 24 &&
    value.codePointAt(10) === 84 &&
    value.codePointAt(23) === 90
  ) {
    const ms = exactMs(value)
    if (!Number.isNaN(ms)) return ms
  }

  const parts = splitIso(value)
  if (parts === DECLINE) return DECLINE
  const whole = wallClockMs(parts)
  if (Number.isNaN(whole)) return DECLINE
  const ms = parts.fraction ? Math.floor(Number(`0${parts.fraction}`) * 1000 + 1e-6) : 0
  return whole + ms
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const MIN_ISO_MS = -62_167_219_200_000
const MAX_ISO_MS = 253_402_300_799_999

function epochMsToIso(ms: number): Declined | string {
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) return DECLINE
  // Years 0000-9999 only: beyond them toISOString writes "+057258-…", which is no neutral timestamp.
  if (ms < MIN_ISO_MS || ms > MAX_ISO_MS) return DECLINE
  return isoFromEpochMs(ms)
}

/**
 * Epoch ms of an ISO date and time's whole seconds; NaN when Date.parse would not read it either. A real date and time
 * needs no Date.parse; Date.parse decides the odd rest (it takes Feb 30 and 24:00).
 */
function wallClockMs(parts: {date: string; time: string}): number {
  const text = `${parts.date}T${parts.time}`
  const fast = wholeSecondsMs(text)
  return Number.isNaN(fast) ? Date.parse(`${text}Z`) : fast
}

const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?$/

/** "2016-08-29T14:30:24.565Z", the shape every neutral timestamp from a millisecond source has (digits, not dates). */
function isIsoMsShape(value: string): boolean {
  return (
    value.length === 24 &&
    value.codePointAt(4) === 45 &&
    value.codePointAt(7) === 45 &&
    value.codePointAt(10) === 84 &&
    value.codePointAt(13) === 58 &&
    value.codePointAt(16) === 58 &&
    value.codePointAt(19) === 46 &&
    value.codePointAt(23) === 90 &&
    digitsAt(value, 0, 4) >= 0 &&
    digitsAt(value, 5, 2) >= 0 &&
    digitsAt(value, 8, 2) >= 0 &&
    digitsAt(value, 11, 2) >= 0 &&
    digitsAt(value, 14, 2) >= 0 &&
    digitsAt(value, 17, 2) >= 0 &&
    digitsAt(value, 20, 3) >= 0
  )
}

/**
 * Epoch ms of "YYYY-MM-DD?HH:MM:SS.mmm" at the start of `text` (any separator at 10), or NaN when it is not a real
 * date and time of that exact shape.
 */
function exactMs(text: string): number {
  if (text.codePointAt(19) !== 46) return Number.NaN
  const ms = digitsAt(text, 20, 3)
  if (ms < 0) return Number.NaN
  return wholeSecondsMs(text) + ms
}

export const transforms: Readonly<Record<string, Transform>> = {
  identity: {
    description: 'Copy the value unchanged.',
    fromNeutral: (value) => value,
    toNeutral: (value) => value,
  },

  'number-id': {
    checkOptions: (options) =>
      options.numeric === undefined || typeof options.numeric === 'boolean' ? undefined : 'numeric must be a boolean',
    description:
      'A numeric id in the source (1234) ⇄ a string id in the neutral model ("1234"). Option numeric: the vendor field holds numbers only, so an id that is not one is not written.',
    fromNeutral(value, options) {
      if (typeof value !== 'string') return DECLINE
      const number = NUMERIC.test(value) && String(Number(value)) === value ? Number(value) : undefined
      if (options.numeric === true) return number !== undefined && Number.isSafeInteger(number) ? number : DECLINE
      return number ?? value
    },
    toNeutral(value) {
      if (typeof value === 'number' && Number.isFinite(value)) return String(value)
      if (typeof value === 'string') return value
      return DECLINE
    },
  },

  'number-string': {
    description: 'A number written as a string in the source ("3") ⇄ a number in the neutral model (3).',
    fromNeutral: (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : DECLINE),
    toNeutral(value) {
      if (typeof value === 'number') return value
      if (typeof value === 'string' && NUMERIC.test(value)) return Number(value)
      return DECLINE
    },
  },

  'boolean-string': {
    description: 'A boolean written as a string ("true", "True", "YES") ⇄ a boolean. Options: true/false spellings.',
    fromNeutral(value, options) {
      if (typeof value !== 'boolean') return DECLINE
      return value ? (options.true ?? 'true') : (options.false ?? 'false')
    },
    toNeutral(value) {
      if (typeof value === 'boolean') return value
      if (typeof value !== 'string') return DECLINE
      const v = value.toLowerCase()
      if (v === 'true' || v === 'yes' || v === '1') return true
      if (v === 'false' || v === 'no' || v === '0') return false
      return DECLINE
    },
  },

  'iso-datetime': {
    producesTimestamp: true,
    checkOptions: (options) =>
      options.offset !== undefined && options.offset !== 'Z' && options.offset !== '+00:00'
        ? 'offset must be "Z" or "+00:00"'
        : checkDigits(options),
    description:
      'An ISO 8601 timestamp with any offset ⇄ UTC with Z, keeping every fractional digit. Option offset: "Z" (default) or "+00:00" for the source\'s spelling of UTC; option digits: the vendor\'s own precision, written with exactly that many fractional digits (zeros added, or the instant cut to it).',
    fromNeutral(value, options) {
      const parts = splitIso(value)
      if (parts === DECLINE) return DECLINE
      const fraction = withDigits(parts.fraction, options.digits)
      return `${parts.date}T${parts.time}${fraction}${options.offset === '+00:00' ? '+00:00' : 'Z'}`
    },
    toNeutral(value) {
      if (typeof value !== 'string') return DECLINE
      const m = ISO_ANY.exec(value)
      if (!m || value[10] !== 'T') return DECLINE
      return toUtcIso(m[1]!, m[2]!, m[3], m[4])
    },
  },

  'liveperson-datetime': {
    producesTimestamp: true,
    checkOptions: checkDigits,
    description:
      'LivePerson\'s "2016-08-29 14:30:24.565+0000" ⇄ "2016-08-29T14:30:24.565Z". Option digits: the vendor\'s own precision (3: LivePerson writes milliseconds), zeros added or the instant cut; without it every fractional digit is kept.',
    fromNeutral(value, options) {
      if (typeof value === 'string' && (options.digits === undefined || options.digits === 3) && isIsoMsShape(value)) {
        return `${value.slice(0, 10)} ${value.slice(11, 23)}+0000`
      }

      const parts = splitIso(value)
      if (parts === DECLINE) return DECLINE
      const fraction =
        options.digits === undefined ? parts.fraction || '.000' : withDigits(parts.fraction, options.digits)
      return `${parts.date} ${parts.time}${fraction}+0000`
    },
    toNeutral(value) {
      if (typeof value !== 'string') return DECLINE
      if (
        value.length === 28 &&
        value.codePointAt(10) === 32 &&
        value.endsWith('+0000') &&
        !Number.isNaN(exactMs(value))
      ) {
        return `${value.slice(0, 10)}T${value.slice(11, 23)}Z`
      }

      const m = ISO_ANY.exec(value)
      if (!m) return DECLINE
      return toUtcIso(m[1]!, m[2]!, m[3], m[4])
    },
  },

  'epoch-ms': {
    producesTimestamp: true,
    checkOptions: (options) =>
      options.as === undefined || options.as === 'number' || options.as === 'string'
        ? undefined
        : 'as must be "number" or "string"',
    description:
      'Epoch milliseconds ⇄ ISO UTC. Option as: "number" (default) or "string" for epochs written as strings.',
    fromNeutral(value, options) {
      const ms = isoToEpochMs(value)
      if (ms === DECLINE) return DECLINE
      return options.as === 'string' ? String(ms) : ms
    },
    toNeutral(value, options) {
      if (options.as === 'string') {
        if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return DECLINE
        return epochMsToIso(Number(value))
      }

      return typeof value === 'number' ? epochMsToIso(value) : DECLINE
    },
  },

  'epoch-s': {
    producesTimestamp: true,
    checkOptions: checkDigits,
    description:
      "Epoch seconds (integer or fractional) ⇄ ISO UTC. Option digits: the vendor's own precision (0: whole seconds), the instant cut to it.",
    fromNeutral(value, options) {
      const parts = splitIso(value)
      if (parts === DECLINE) return DECLINE
      const whole = wallClockMs(parts) / 1000
      if (Number.isNaN(whole)) return DECLINE
      // Cut, never rounded: the written second is one the instant is in (zeros added would change nothing).
      const fraction = typeof options.digits === 'number' ? parts.fraction.slice(0, options.digits + 1) : parts.fraction
      return fraction.length > 1 ? Number(`${whole}${fraction}`) : whole
    },
    toNeutral(value) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return DECLINE
      const whole = Math.floor(value)
      const iso = epochMsToIso(whole * 1000)
      if (iso === DECLINE) return DECLINE
      if (whole === value) return `${iso.slice(0, 19)}Z`
      const text = String(value)
      const dot = text.indexOf('.')
      if (dot === -1 || text.includes('e')) return DECLINE
      return `${iso.slice(0, 19)}${text.slice(dot)}Z`
    },
  },

  'json-string': {
    description:
      'A JSON document serialised inside a string ⇄ the parsed value. Written back with sorted keys, since neutral files do not keep key order; a source string spelled otherwise is kept verbatim.',
    fromNeutral(value) {
      if (value === undefined) return DECLINE
      return stableStringify(value)
    },
    toNeutral(value) {
      if (typeof value !== 'string') return DECLINE
      try {
        return JSON.parse(value) as unknown
      } catch {
        return DECLINE
      }
    },
  },

  'html-text': {
    description:
      'An HTML body (<p>Hi &amp; bye</p>) ⇄ its plain text (Hi & bye): block ends and <br> are newlines, tags are dropped, entities decoded; written back one <p> per line, escaped. Lossy: markup (links, lists, emphasis) is not kept, so a mapping using it declares messages[].text lossy.',
    fromNeutral: (value) => (typeof value === 'string' ? textToHtml(value) : DECLINE),
    toNeutral: (value) => (typeof value === 'string' ? htmlToText(value) : DECLINE),
  },

  'rich-text': {
    description:
      'Written only (←): rich content in any structure (cards, buttons, a JSON string of them) as the text a person reads in it, every title, text and label once, one per line. Lossy: the structure is not kept, so a mapping using it declares the field lossy.',
    fromNeutral: (value) => richText(value) ?? DECLINE,
    toNeutral: () => DECLINE,
  },

  'join-lines': {
    description:
      'Written only (←): a list as one string, one line per element, each line once. An element that is an object gives its first non-empty string among the `fields` option (["url", "name"]). Nothing to write when no line is left.',
    checkOptions(options) {
      const {fields} = options
      const valid = fields === undefined || (Array.isArray(fields) && fields.every((f) => typeof f === 'string'))
      return valid ? undefined : '"fields" is a list of field names'
    },
    fromNeutral(value, options) {
      if (!Array.isArray(value)) return DECLINE
      const fields = (options.fields as string[] | undefined) ?? []
      const lines = new Set<string>()
      for (const item of value) {
        const line = isPlainObject(item)
          ? fields.map((f) => item[f]).find((v) => typeof v === 'string' && v !== '')
          : item
        if (typeof line === 'string' && line !== '') lines.add(line)
      }

      return lines.size > 0 ? [...lines].join('\n') : DECLINE
    },
    toNeutral: () => DECLINE,
  },

  integer: {
    description:
      'A whole number ⇄ the same number, for a vendor field that holds whole numbers only: a value with a fraction (or not a number) is not written.',
    fromNeutral: (value) => (Number.isInteger(value) ? value : DECLINE),
    toNeutral: (value) => (typeof value === 'number' && Number.isFinite(value) ? value : DECLINE),
  },
  lowercase: {
    description: 'An upper-case vendor token (MESSAGING) ⇄ lower case (messaging).',
    fromNeutral: (value) => (typeof value === 'string' ? value.toUpperCase() : DECLINE),
    toNeutral: (value) => (typeof value === 'string' ? value.toLowerCase() : DECLINE),
  },

  locale: {
    checkOptions: (options) =>
      options.style === undefined ||
      options.style === 'bcp47' ||
      options.style === 'underscore-lower' ||
      options.style === 'language'
        ? undefined
        : 'style must be "bcp47", "underscore-lower" or "language"',
    description:
      'A language tag (en_us, en-US, fr) ⇄ BCP 47 (en-US). Option style: the source spelling; "language" for a vendor that holds the language alone (ISO 639-1: en-US is written en).',
    fromNeutral(value, options) {
      if (typeof value !== 'string') return DECLINE
      if (options.style === 'language') return value.split('-', 1)[0]!
      return options.style === 'underscore-lower' ? value.replace(/-/g, '_').toLowerCase() : value
    },
    toNeutral(value) {
      if (typeof value !== 'string' || !/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/.test(value)) return DECLINE
      const [lang, ...rest] = value.split(/[_-]/)
      return [lang!.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p))].join('-')
    },
  },

  'epoch-auto': {
    producesTimestamp: true,
    checkOptions: checkDigits,
    description:
      'An epoch whose unit the vendor does not document ⇄ ISO UTC: 1e11 and above is milliseconds (after 1973), below it seconds (before 5138); fractional digits are kept. Written back in seconds, like epoch-s (option digits likewise).',
    fromNeutral: (value, options) => transforms['epoch-s']!.fromNeutral(value, options),
    toNeutral(value) {
      // A fraction before 1970 counts backwards from the next whole unit; such values are kept verbatim instead.
      if (typeof value !== 'number' || !Number.isFinite(value) || (value < 0 && !Number.isInteger(value)))
        return DECLINE
      const milliseconds = Math.abs(value) >= 1e11
      const whole = Math.floor(value)
      const iso = epochMsToIso(milliseconds ? whole : whole * 1000)
      // A year past 9999 has no ISO 8601 form the neutral model accepts.
      if (iso === DECLINE || !ISO_UTC.test(iso)) return DECLINE
      const text = String(value)
      const dot = text.indexOf('.')
      if (text.includes('e')) return DECLINE
      const fraction = dot === -1 ? '' : text.slice(dot + 1)
      // Milliseconds: the three ms digits come from the ISO form, any sub-ms digits from the source text.
      return milliseconds ? `${iso.slice(0, 23)}${fraction}Z` : `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`
    },
  },

  'iso-duration': {
    description:
      'An ISO 8601 duration (PT1H2M3.5S, P1DT2H) ⇄ milliseconds, every fractional digit kept; years and months (of no fixed length) are declined. A plain number in the source is read as seconds. Written back as PT…H…M…S.',
    fromNeutral(value) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return DECLINE
      const hours = Math.floor(value / 3_600_000)
      const minutes = Math.floor((value % 3_600_000) / 60_000)
      const ms = value % 60_000
      const fraction = String(ms % 1000)
        .padStart(3, '0')
        .replace(/0+$/, '')
      const seconds =
        ms === 0 && (hours > 0 || minutes > 0) ? '' : `${Math.floor(ms / 1000)}${fraction ? `.${fraction}` : ''}S`
      return `PT${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds}`
    },
    toNeutral(value) {
      if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? secondsToMs(String(value)) : DECLINE
      if (typeof value !== 'string') return DECLINE
      const m = ISO_DURATION.exec(value)
      if (!m || value === 'P' || value.endsWith('T')) return DECLINE
      const [, days, hours, minutes, seconds] = m
      const whole = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000
      const part = seconds === undefined ? 0 : secondsToMs(seconds)
      if (part === DECLINE) return DECLINE
      const ms = whole + part
      return Number.isSafeInteger(Math.floor(ms)) ? ms : DECLINE
    },
  },
}

/** PnDTnHnMn.nS without years or months, whose length depends on the calendar. */
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/** "12.3456" seconds → 12345.6 ms, from the digits (no binary rounding of the fraction). */
function secondsToMs(text: string): Declined | number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return DECLINE
  const fraction = m[2] ?? ''
  const ms = Number(m[1]) * 1000 + Number(fraction.slice(0, 3).padEnd(3, '0'))
  return fraction.length > 3 ? Number(`${ms}.${fraction.slice(3)}`) : ms
}
