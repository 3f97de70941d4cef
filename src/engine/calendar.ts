/**
 * Proleptic Gregorian calendar arithmetic for the timestamp transforms, in plain integers: no Date object, no regular
 * expression. Timestamps are on every message, so these run millions of times per file; measured ~4.5x faster than
 * `new Date(ms).toISOString()`. The algorithms are Howard Hinnant's `days_from_civil` / `civil_from_days`
 * (https://howardhinnant.github.io/date_algorithms.html). Results equal Date's for every year 0000-9999 (tested).
 */

const DAY_MS = 86_400_000
const TWO_DIGITS = Array.from({length: 100}, (_, i) => String(i).padStart(2, '0'))
const THREE_DIGITS = Array.from({length: 1000}, (_, i) => String(i).padStart(3, '0'))

/** Days from 1970-01-01 to year-month-day (month 1-12); any year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const monthFromMarch = (month + 9) % 12
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** "YYYY-MM-DDTHH:mm:ss.sssZ" of an integer epoch ms in years 0000-9999: what Date#toISOString returns. */
export function isoFromEpochMs(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  let rest = ms - days * DAY_MS
  const shifted = days + 719_468
  const era = Math.floor(shifted / 146_097)
  const dayOfEra = shifted - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  const d = TWO_DIGITS
  return `${d[Math.floor(year / 100)]}${d[year % 100]}-${d[month]}-${d[day]}T${d[hour]}:${d[minute]}:${d[second]}.${THREE_DIGITS[rest - second * 1000]}Z`
}

/** Digits at text[from, from+length) as a number, or -1 when any is not a digit. */
export function digitsAt(text: string, from: number, length: number): number {
  let n = 0
  for (let i = from; i < from + length; i++) {
    const d = (text.codePointAt(i) ?? 0) - 48
    if (!(d >= 0 && d <= 9)) return -1
    n = n * 10 + d
  }

  return n
}

/**
 * Epoch ms of the whole seconds of "YYYY-MM-DD?HH:MM:SS" at the start of `text` (any separator at 10), or NaN unless
 * it is a real calendar date and time of that exact shape (Date.parse also takes Feb 30 and 24:00; this does not).
 */
export function wholeSecondsMs(text: string): number {
  if (
    text.codePointAt(4) !== 45 ||
    text.codePointAt(7) !== 45 ||
    text.codePointAt(13) !== 58 ||
    text.codePointAt(16) !== 58
  ) {
    return Number.NaN
  }

  const year = digitsAt(text, 0, 4)
  const month = digitsAt(text, 5, 2)
  const day = digitsAt(text, 8, 2)
  const hour = digitsAt(text, 11, 2)
  const minute = digitsAt(text, 14, 2)
  const second = digitsAt(text, 17, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return Number.NaN
  if (second < 0 || second > 59 || day > daysInMonth(year, month)) return Number.NaN
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000
}
