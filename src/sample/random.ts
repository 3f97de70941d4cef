/**
 * A small seeded pseudo-random generator for synthetic test and benchmark data.
 *
 * Same seed, same sequence: nothing here reads `Math.random()` or the clock. The state is sfc32
 * (Chris Doty-Humphrey's Small Fast Counting generator, 128 bits of state) seeded from the cyrb128
 * hash of `String(seed)`, so `new Random(7)` and `new Random('7')` produce the same stream.
 */

/** Words for generated text. Mostly plain English, with accents, CJK, emoji (ZWJ, flags, skin tones) and RTL scripts. */
// prettier-ignore
export const WORDS: readonly string[] = [
  // plain
  'hello', 'hi', 'thanks', 'order', 'refund', 'delivery', 'account', 'password', 'reset', 'invoice', 'payment', 'card',
  'declined', 'shipping', 'address', 'tracking', 'number', 'package', 'late', 'missing', 'damaged', 'return', 'label',
  'subscription', 'cancel', 'upgrade', 'plan', 'billing', 'question', 'please', 'help', 'agent', 'today', 'tomorrow',
  'yesterday', 'week', 'store', 'online', 'app', 'login', 'email', 'phone', 'verify', 'code', 'error', 'message',
  'screen', 'update', 'issue', 'resolved', 'still', 'waiting', 'again', 'the', 'a', 'my', 'your', 'is', 'was', 'not',
  'can', 'could', 'would', 'you', 'I', 'we', 'it', 'and', 'but', 'for', 'with', 'on', 'in', 'to', 'of', 'about',
  'when', 'how', 'why', 'what', 'sure', 'great', 'okay', 'understand', 'check', 'moment', 'minute', 'transfer', 'team',
  'manager', 'ticket', 'case', 'status', 'warranty', 'exchange', 'size', 'colour', 'discount', 'coupon', 'promo',
  'price', 'charged', 'twice',
  // accents and other Latin-script languages
  'café', 'naïve', 'résumé', 'façade', 'Müller', 'Straße', 'señor', 'mañana', 'São', 'Paulo', 'Zürich', 'Ångström',
  'Dvořák', 'Łódź', 'crème', 'brûlée', 'jalapeño', 'Þórr', 'İstanbul', 'œuvre', 'déjà',
  // Greek and Cyrillic
  'Ευχαριστώ', 'παραγγελία', 'Здравствуйте', 'заказ', 'спасибо',
  // CJK
  '你好', '订单', '退款', '谢谢', 'こんにちは', '注文', 'ありがとう', '配送', '안녕하세요', '주문', '감사합니다',
  // emoji, including ZWJ sequences, skin tones, flags and a keycap
  '👍', '😀', '🎉', '🙏', '😡', '📦', '💳', '👋🏽', '👨‍👩‍👧', '🏳️‍🌈', '🇫🇷', '🇯🇵', '1️⃣', '❤️',
  // right-to-left: Arabic and Hebrew
  'مرحبا', 'شكرا', 'طلب', 'استرداد', 'שלום', 'תודה', 'הזמנה', 'משלוח',
  // combining marks and other awkward code points
  'e\u0301', 'n\u0303o', 'Z\u0351\u0358algo', 'nbsp\u00A0here', 'zero\u200Bwidth',
]

/** Words that need escaping in JSON or break naive line splitting; used sparingly. */
const AWKWARD_FRAGMENTS: readonly string[] = [
  '"quoted"',
  "it's",
  String.raw`back\slash`,
  String.raw`C:\Users\me`,
  'tab\there',
  'line\nbreak',
  'crlf\r\nend',
  '<b>bold</b>',
  '&amp;',
  '{"json":true}',
  '\u0000nul',
  '\u001Fctrl',
  'line\u2028separator',
]

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const HEX = '0123456789abcdef'

/* eslint-disable no-bitwise, unicorn/prefer-math-trunc -- a PRNG is 32-bit integer arithmetic; `| 0` wraps to int32, which Math.trunc does not */

/** cyrb128: a fast non-cryptographic 128-bit string hash, used only to spread a seed over sfc32's state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1_779_033_703
  let h2 = 3_144_134_277
  let h3 = 1_013_904_242
  let h4 = 2_773_480_762
  for (let i = 0; i < text.length; i++) {
    const k = text.codePointAt(i) ?? 0
    h1 = h2 ^ Math.imul(h1 ^ k, 597_399_067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2_869_860_233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951_274_213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2_716_044_179)
  }

  h1 = Math.imul(h3 ^ (h1 >>> 18), 597_399_067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2_869_860_233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951_274_213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2_716_044_179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

export class Random {
  /** The seed as given, kept so `fork` can derive independent, reproducible streams. */
  public readonly seed: string
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number | string) {
    this.seed = String(seed)
    ;[this.a, this.b, this.c, this.d] = cyrb128(this.seed)
    // Discard the first outputs: sfc32 mixes poorly for a few rounds after seeding.
    for (let i = 0; i < 12; i++) this.next()
  }

  /** An independent generator whose stream depends only on this seed and `label`, not on how much of this one was used. */
  fork(label: number | string): Random {
    return new Random(`${this.seed}/${label}`)
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    let t = (this.a + this.b) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.d = (this.d + 1) | 0
    t = (t + this.d) | 0
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4_294_967_296
  }
  /* eslint-enable no-bitwise, unicorn/prefer-math-trunc */

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`)
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  bool(): boolean {
    return this.next() < 0.5
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** Pick by relative weight: `weighted([['a', 3], ['b', 1]])` returns 'a' three times as often as 'b'. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (const [, weight] of entries) total += weight
    let roll = this.next() * total
    for (const [value, weight] of entries) {
      roll -= weight
      if (roll < 0) return value
    }

    const last = entries.at(-1)
    if (!last) throw new RangeError('weighted() from an empty list')
    return last[0]
  }

  /** `count` distinct items (or all of them, if fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items]
    const n = Math.min(count, copy.length)
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1)
      const tmp = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = tmp
    }

    return copy.slice(0, n)
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += HEX[Math.floor(this.next() * 16)]
    return out
  }

  /** Decimal digits; the first is never 0. */
  digits(length: number): string {
    let out = String(this.int(1, 9))
    for (let i = 1; i < length; i++) out += String(Math.floor(this.next() * 10))
    return out
  }

  alphanumeric(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += ALPHANUM[Math.floor(this.next() * ALPHANUM.length)]
    return out
  }

  /** A version-4-shaped UUID (random, lower case, with the version and variant nibbles set). */
  uuid(): string {
    const variant = HEX[8 + Math.floor(this.next() * 4)] ?? '8'
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`
  }

  /** One word from WORDS. */
  word(): string {
    return this.pick(WORDS)
  }

  /** `count` words joined by spaces; with `awkward` > 0, that share of them are JSON-hostile fragments (quotes, newlines, NUL …). */
  words(count: number, awkward = 0): string {
    const out: string[] = []
    for (let i = 0; i < count; i++)
      out.push(awkward > 0 && this.chance(awkward) ? this.pick(AWKWARD_FRAGMENTS) : this.word())
    return out.join(' ')
  }

  /** A capitalised sentence of `min`–`max` words ending in punctuation. */
  sentence(min = 4, max = 14, awkward = 0): string {
    const text = this.words(this.int(min, max), awkward)
    return text.charAt(0).toUpperCase() + text.slice(1) + this.pick(['.', '.', '.', '?', '!', '…'])
  }

  /** `count` sentences joined by spaces. */
  sentences(count: number, awkward = 0): string {
    const out: string[] = []
    for (let i = 0; i < count; i++) out.push(this.sentence(4, 14, awkward))
    return out.join(' ')
  }

  /** An epoch-millisecond instant in [fromMs, toMs]. */
  epochMs(fromMs: number, toMs: number): number {
    return this.int(fromMs, toMs)
  }

  /** A Date in [from, to]. */
  date(from: Date, to: Date): Date {
    return new Date(this.epochMs(from.getTime(), to.getTime()))
  }
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

/** `YYYY-MM-DD HH:mm:ss.SSS` in UTC, followed by `suffix` (LivePerson uses `+0000`). */
export function formatUtc(epochMs: number, suffix = ''): string {
  const d = new Date(epochMs)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}${suffix}`
  )
}

/** Messages per conversation a generator aims for when not told otherwise (records of ~10–20 KB). */
export const DEFAULT_MESSAGES = 20

/** The options every generator takes, checked: the mean message count and the seed as a string. */
export function sampleBasics(options: {messages?: number; seed: number | string}): {
  meanMessages: number
  seed: string
} {
  const meanMessages = options.messages ?? DEFAULT_MESSAGES
  if (!Number.isFinite(meanMessages) || meanMessages < 0) {
    throw new RangeError(`messages must be a finite number ≥ 0, got ${meanMessages}`)
  }

  return {meanMessages, seed: String(options.seed)}
}
