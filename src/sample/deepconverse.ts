/**
 * Deterministic synthetic DeepConverse records, for tests and benchmarks.
 *
 * Modelled on shared/vendors/deepconverse.md: an Export API conversation (`_id`, epoch-second `startTime`,
 * `lastActionAt`, `locale`, `tags`, `metadata` with the predefined `__sys_*` and `browser_*` parameters) with its
 * Messages endpoint items attached as `messages` (see mappings/deepconverse.json). Where the vendor documents
 * nothing (outMsg's structure, the bot's message type, time formats) the records follow the mapping's assumptions,
 * and a few records use the other plausible spellings the mapping accepts.
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a
 * 1000-record run.
 */
/* eslint-disable camelcase -- DeepConverse's own field and parameter names */
import {Random, sampleBasics} from './random.js'

export interface DeepConverseSampleOptions {
  /** Bias to roughly this many messages per conversation (default 20). */
  messages?: number
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
}

type Json = Record<string, unknown>

/** Conversations start about this far apart, in order, from FIRST_START_S (epoch seconds). */
const FIRST_START_S = Date.UTC(2025, 3, 14, 8, 0, 0) / 1000
const START_SPACING_S = 3 * 60
const HUGE_MESSAGE_CHARS = 50_000

// ---------------------------------------------------------------------------------------------------------------
// Per-seed pools: the bot's intents and the sites it is deployed on, shared by every conversation of a run.

interface Intent {
  /** Bot answers for this intent, in order; the last may offer a carousel or a file. */
  answers: string[]
  label: string
  name: string
}

interface Site {
  hostname: string
  paths: string[]
}

interface Pools {
  botGreeting: string
  intents: Intent[]
  sites: Site[]
}

// prettier-ignore
const INTENTS: ReadonlyArray<readonly [string, string]> = [
  ['order_status', 'Where is my order?'], ['return_request', 'Return an item'], ['refund_status', 'Refund status'],
  ['change_address', 'Change delivery address'], ['cancel_subscription', 'Cancel my subscription'],
  ['store_hours', 'Store hours 🕘'], ['password_reset', 'Reset my password'], ['talk_to_agent', 'Talk to a person'],
  ['warranty_claim', 'Garantie / warranty'], ['pedido_estado', '¿Dónde está mi pedido?'], ['配送状況', '配送状況を確認'],
]
// prettier-ignore
const LOCALES = [
  'en_us', 'en_us', 'en_us', 'en_us', 'en_us', 'en_gb', 'fr_fr', 'de_de', 'es_es', 'pt_br', 'ja_jp', 'zh_cn', 'ar_ae', 'he_il', 'en',
]
const COUNTRIES = ['US', 'US', 'US', 'GB', 'FR', 'DE', 'ES', 'BR', 'JP', 'CN', 'AE', 'IL', 'CA', 'IN', 'XX', 'T1']
const CHANNELS: ReadonlyArray<readonly [string, number]> = [
  ['web', 70],
  ['ios', 8],
  ['android', 8],
  ['sunshine_conversations', 8],
  ['zendesk_chat', 4],
  ['voice', 2],
]
const ORIGINS = ['support', 'help_center', 'checkout', 'order_page', 'account']
const FIRST_NAMES = [
  'Michal',
  'José',
  'Zoë',
  'Søren',
  'Ngọc',
  'Aoife',
  'Chloé',
  'Fatima',
  '李娜',
  'さくら',
  'محمد',
  'נועה',
  'Ольга',
]
const CUSTOM_TAGS = ['vip', 'order-status', 'returns', 'après-vente', 'beta-tester']

interface UserAgent {
  parsed: Json
  string: string
}

const USER_AGENTS: readonly UserAgent[] = [
  userAgent(
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    ['Apple', 'Mac', 'Mac'],
    ['Mac OS X', '10', '15', '7'],
    ['Chrome', '124', '0', '0'],
  ),
  userAgent(
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.0.0',
    [null, 'Other', null],
    ['Windows', '10', null, null],
    ['Edge', '123', '0', '0'],
  ),
  userAgent(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    ['Apple', 'iPhone', 'iPhone'],
    ['iOS', '17', '4', null],
    ['Mobile Safari', '17', '4', null],
  ),
  userAgent(
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
    ['Google', 'Pixel 8', 'Pixel 8'],
    ['Android', '14', null, null],
    ['Chrome Mobile', '124', '0', '6367'],
  ),
  userAgent(
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    [null, 'Other', null],
    ['Ubuntu', null, null, null],
    ['Firefox', '125', '0', null],
  ),
]

/** A user agent with the `__sys_userAgentParsed` form the vendor documents (ua-parser's, nulls included). */
function userAgent(
  text: string,
  [brand, family, model]: Array<null | string>,
  [os, osMajor, osMinor, osPatch]: Array<null | string>,
  [browser, major, minor, patch]: Array<null | string>,
): UserAgent {
  return {
    parsed: {
      device: {brand, family, model},
      os: {family: os, major: osMajor, minor: osMinor, patch: osPatch, patch_minor: null},
      string: text,
      user_agent: {family: browser, major, minor, patch},
    },
    string: text,
  }
}

function makePools(seed: string): Pools {
  const rng = new Random(`${seed}/deepconverse/pools`)
  const intents = INTENTS.map(([name, label]) => ({
    answers: Array.from({length: rng.int(2, 4)}, () => rng.sentences(rng.int(2, 4))),
    label,
    name,
  }))
  const sites = ['help', 'shop', 'support', 'www'].map((sub) => ({
    hostname: `${sub}.${rng.pick(['example.com', 'example.co.uk', 'exemple.fr', 'beispiel.de'])}`,
    paths: Array.from(
      {length: 4},
      () => `/${rng.pick(['hc', 'orders', 'account', 'products', 'fr-fr/articles', 'ヘルプ'])}/${rng.digits(6)}`,
    ),
  }))
  return {
    botGreeting: rng.pick(['Hi 👋 I’m the virtual assistant. How can I help?', 'Hello! What can I do for you today?']),
    intents,
    sites,
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One conversation.

/** Record-wide deviations from the documented or assumed shape, each accepted by the mapping. */
interface Quirks {
  /** The bot's messages use another type spelling than BotMessage. */
  botType: string
  /** metadata.__sys_conversationId is missing. */
  noConversationIdParameter: boolean
  /** lastActionAt is an ISO string instead of epoch seconds. */
  isoLastActionAt: boolean
  /** Message times are epoch milliseconds instead of seconds. */
  millisecondTimes: boolean
  /** Some bot messages carry outMsg as a plain string. */
  stringOutMsg: boolean
  /** Fields convoshift has never seen (the vendor adds fields without notice). */
  unknownFields: boolean
}

interface Clock {
  /** Current time in epoch milliseconds. */
  ms: number
}

function messageCount(rng: Random, mean: number): number {
  if (mean === 0 || rng.chance(0.01)) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail, never negative.
  return Math.max(1, Math.round(mean * (rng.next() + rng.next())))
}

/** A message time as the export writes it: epoch seconds, mostly with milliseconds, sometimes with microseconds. */
function messageTime(rng: Random, ms: number, quirks: Quirks): number {
  if (quirks.millisecondTimes) return ms
  const shape = rng.weighted<'micro' | 'milli' | 'whole'>([
    ['milli', 75],
    ['whole', 20],
    ['micro', 5],
  ])
  if (shape === 'whole') return Math.floor(ms / 1000)
  if (shape === 'milli') return ms / 1000
  return (ms * 1000 + rng.int(1, 999)) / 1_000_000
}

function hugeText(rng: Random): string {
  const lines: string[] = ['Here is everything from the order page, copied:']
  let length = lines[0]?.length ?? 0
  while (length < HUGE_MESSAGE_CHARS) {
    const line = `${rng.digits(6)}\t${rng.sentence(6, 16, 0.02)}`
    lines.push(line)
    length += line.length + 1
  }

  return lines.join('\n')
}

function customerText(rng: Random): string {
  if (rng.chance(0.02)) return ''
  const count = rng.weighted([
    [1, 40],
    [2, 40],
    [3, 20],
  ])
  const sentences: string[] = []
  for (let k = 0; k < count; k++) sentences.push(rng.sentence(3, 16, 0.01))
  return sentences.join(' ')
}

function cards(rng: Random, hostname: string): Json[] {
  return Array.from({length: rng.int(2, 4)}, () => ({
    buttons: [
      {
        title: rng.pick(['View', 'Voir', 'Ansehen', '詳細']),
        type: 'url',
        url: `https://${hostname}/p/${rng.digits(7)}`,
      },
      {payload: rng.alphanumeric(10), title: rng.words(2), type: 'postback'},
    ],
    imageUrl: `https://cdn.example.com/img/${rng.hex(16)}.jpg`,
    subtitle: rng.sentence(3, 10),
    title: rng.words(rng.int(1, 4)),
  }))
}

function attachment(rng: Random): Json {
  const [mimeType, extension] = rng.pick([
    ['image/png', 'png'],
    ['image/jpeg', 'jpg'],
    ['application/pdf', 'pdf'],
    ['video/mp4', 'mp4'],
  ] as const)
  const out: Json = {url: `https://files.example.com/${rng.hex(24)}.${extension}`}
  if (rng.chance(0.8))
    out.name = `${rng.pick(['label', 'facture', 'Rücksendeschein', 'guide', '説明書'])}-${rng.digits(4)}.${extension}`
  out.mimeType = mimeType
  return out
}

interface Builder {
  conversationId: string
  messages: Json[]
  quirks: Quirks
  rng: Random
  site: Site
}

function pushMessage(builder: Builder, clock: Clock, fields: Json): void {
  const {conversationId, messages, quirks, rng} = builder
  const message: Json = {_id: rng.hex(32), time: messageTime(rng, clock.ms, quirks)}
  // The documented camelCase conversationId; very rarely an export drops it.
  if (!rng.chance(0.005)) message.conversationId = conversationId
  Object.assign(message, fields)
  if (quirks.unknownFields && rng.chance(0.1)) message.channelMessageId = rng.alphanumeric(20)
  messages.push(message)
  clock.ms += rng.chance(0.05) ? rng.int(60_000, 900_000) : rng.int(800, 45_000)
}

function botMessage(builder: Builder, clock: Clock, outMsg: Json | string): void {
  const out =
    builder.quirks.stringOutMsg && typeof outMsg !== 'string' && outMsg.type === 'text' && builder.rng.chance(0.5)
      ? (outMsg.text as string)
      : outMsg
  pushMessage(builder, clock, {type: builder.quirks.botType, outMsg: out})
}

function customerMessage(builder: Builder, clock: Clock, userActionType: string, userInput: Json | string): void {
  pushMessage(builder, clock, {type: 'UserInput', userActionType, userInput})
}

interface Outcome {
  formFields?: Json
  handoff: boolean
  informed: boolean
  intent?: Intent
  lastAction?: Json
  resolved: boolean
}

/** The dialogue: greeting with a menu, the customer's choice or question, answers, sometimes a form or a handoff. */
function buildMessages(
  pools: Pools,
  builder: Builder,
  clock: Clock,
  {count, hugeAt}: {count: number; hugeAt: number},
): Outcome {
  const {rng} = builder
  const outcome: Outcome = {handoff: false, informed: false, resolved: false}
  const menu = rng.sample(pools.intents, rng.int(3, 5))
  let intent: Intent | undefined
  let answer = 0
  let askedForm = false
  const handoffWanted = rng.chance(0.2)
  for (let i = 0; i < count; i++) {
    const remaining = count - i
    if (i === hugeAt) {
      customerMessage(builder, clock, 'action_userInput', hugeText(rng))
      continue
    }

    if (i === 0 && rng.chance(0.9)) {
      botMessage(builder, clock, {
        options: menu.map((m) => ({title: m.label, value: m.name})),
        text: pools.botGreeting,
        type: 'quickReplies',
      })
      continue
    }

    const customerTurn =
      builder.messages.length === 0 || builder.messages.at(-1)?.type !== 'UserInput'
        ? rng.chance(0.55)
        : rng.chance(0.2)
    if (customerTurn) {
      if (askedForm) {
        askedForm = false
        const fields: Json = {email: `${rng.alphanumeric(7)}@mail.example`, order_number: `#${rng.digits(6)}`}
        if (rng.bool()) fields.firstName = rng.pick(FIRST_NAMES)
        if (rng.chance(0.3)) fields.comments = rng.sentence(3, 12)
        outcome.formFields = fields
        outcome.lastAction = {text: 'Submit', type: 'action_userInput'}
        customerMessage(builder, clock, 'action_userFormInput', fields)
      } else if (intent === undefined && rng.chance(0.6)) {
        intent = rng.pick(menu)
        outcome.lastAction = {text: intent.label, type: 'action_userQuickReply'}
        customerMessage(builder, clock, 'action_userQuickReply', intent.label)
      } else {
        const text = customerText(rng)
        intent ??= rng.pick(pools.intents)
        outcome.lastAction = {text, type: 'action_userInput'}
        customerMessage(builder, clock, 'action_userInput', text)
      }

      continue
    }

    // The bot's turn.
    if (handoffWanted && remaining === 1) {
      outcome.handoff = true
      botMessage(builder, clock, {
        handoff: {
          department: rng.pick(['Support', 'Billing', 'Kundendienst']),
          platform: rng.pick(['zendesk_chat', 'sunshine_conversations', 'salesforce']),
        },
        text: rng.pick([
          'Connecting you to an agent…',
          'One moment, a member of our team will join.',
          'Je vous mets en relation avec un conseiller.',
        ]),
        type: 'handoff',
      })
      continue
    }

    const kind = rng.weighted<'attachment' | 'carousel' | 'form' | 'link' | 'quickReplies' | 'text'>([
      ['text', 55],
      ['quickReplies', 14],
      ['carousel', 12],
      ['attachment', 8],
      ['form', intent && !outcome.formFields ? 6 : 0],
      ['link', 5],
    ])
    const text = intent ? (intent.answers[answer++ % intent.answers.length] as string) : rng.sentences(rng.int(1, 3))
    if (intent) outcome.informed = true
    switch (kind) {
      case 'attachment': {
        const attachments = [attachment(rng)]
        if (rng.chance(0.2)) attachments.push(attachment(rng))
        const first = attachments[0] as Json
        botMessage(builder, clock, {
          attachments,
          text,
          type: String(first.mimeType).startsWith('image/') ? 'image' : 'file',
        })
        break
      }

      case 'carousel': {
        botMessage(builder, clock, {cards: cards(rng, builder.site.hostname), text, type: 'carousel'})
        break
      }

      case 'form': {
        askedForm = true
        botMessage(builder, clock, {
          form: {
            fields: [
              {label: 'Email', name: 'email', required: true, type: 'email'},
              {label: 'Order number', name: 'order_number', required: true, type: 'text'},
              {label: 'First name', name: 'firstName', required: false, type: 'text'},
            ],
            submitLabel: 'Submit',
          },
          text: 'Please fill in the form below so I can look this up.',
          type: 'form',
        })
        break
      }

      case 'link': {
        botMessage(builder, clock, {
          text: `${text} https://${builder.site.hostname}${rng.pick(builder.site.paths)}`,
          type: 'link',
        })
        break
      }

      case 'quickReplies': {
        botMessage(builder, clock, {
          options: [
            {title: rng.pick(['Yes, thanks!', 'Oui', 'はい 👍']), value: 'solved'},
            {title: rng.pick(['No', 'Nein', 'Not really']), value: 'unsolved'},
          ],
          text: rng.pick(['Did that answer your question?', 'Was this helpful?', '¿Te ayudó esto?']),
          type: 'quickReplies',
        })
        outcome.resolved ||= rng.chance(0.6)
        break
      }

      default: {
        botMessage(builder, clock, {text, type: 'text'})
      }
    }
  }

  if (intent) outcome.intent = intent
  return outcome
}

function metadataFor(pools: Pools, {conversationId, quirks, rng, site}: Builder, outcome: Outcome): Json {
  const agent = rng.pick(USER_AGENTS)
  const mobile = agent.string.includes('Mobile')
  const metadata: Json = {
    __sys_userIp: rng.chance(0.5) ? `203.0.113.${rng.int(1, 254)}` : `2001:db8:${rng.hex(4)}::${rng.hex(3)}`,
    __sys_userAgent: agent.string,
    __sys_userAgentParsed: structuredClone(agent.parsed),
    __sys_userCountry: rng.pick(COUNTRIES),
  }
  if (!quirks.noConversationIdParameter) metadata.__sys_conversationId = conversationId
  if (outcome.lastAction) metadata.__sys_userAction = outcome.lastAction
  metadata.__sys_channel = rng.weighted(CHANNELS)
  if (outcome.intent) metadata.__sys_activeIntent = outcome.intent.name
  metadata.browser_path = rng.pick(site.paths)
  metadata.browser_hostname = site.hostname
  if (rng.chance(0.6))
    metadata.browser_referrer = rng.pick(['https://www.google.com/', `https://${pools.sites[0]?.hostname}/`, ''])
  metadata.browser_isMobile = mobile
  // Widget metadata (docs: "Custom Initialization and Passing Metadata"), with its own `tags` list.
  if (rng.chance(0.5)) metadata.origin = rng.pick(ORIGINS)
  if (rng.chance(0.2)) metadata.tags = rng.sample(['ios', 'vip', 'logged_in', 'eu'], rng.int(1, 2))
  // User-set parameters: form values, API responses stored by HTTP Request blocks, a transcript parameter.
  if (outcome.formFields) Object.assign(metadata, outcome.formFields)
  if (outcome.intent && rng.chance(0.75)) {
    metadata.order = {
      id: rng.digits(8),
      items: Array.from({length: rng.int(1, 5)}, () => ({
        name: rng.words(rng.int(1, 3)),
        price: rng.int(100, 49_999) / 100,
        quantity: rng.int(1, 3),
        sku: rng.alphanumeric(10).toUpperCase(),
      })),
      shipping: {
        carrier: rng.pick(['UPS', 'DHL', 'La Poste', 'ヤマト運輸']),
        eta: `2025-05-${String(rng.int(1, 28)).padStart(2, '0')}`,
        tracking: rng.alphanumeric(18),
      },
      status: rng.pick(['shipped', 'processing', 'delivered', 'returned']),
    }
  }

  // A Zendesk user looked up by an HTTP Request block, stored whole.
  if (rng.chance(0.6)) {
    metadata.zendesk_user = {
      created_at: new Date(Date.UTC(2019, 0, 1) + rng.int(0, 5 * 365) * 86_400_000).toISOString(),
      email: `${rng.alphanumeric(8)}@mail.example`,
      id: rng.int(100_000_000_000, 999_999_999_999),
      locale: rng.pick(['en-US', 'fr', 'de', 'ja']),
      name: `${rng.pick(FIRST_NAMES)} ${rng.words(1)}`,
      organization_id: rng.chance(0.5) ? null : rng.int(10_000_000, 99_999_999),
      role: 'end-user',
      tags: rng.sample(['vip', 'newsletter', 'b2b', 'churn_risk', 'beta'], rng.int(0, 3)),
      time_zone: rng.pick(['Eastern Time (US & Canada)', 'Paris', 'Tokyo', 'UTC']),
      user_fields: {loyalty_tier: rng.pick(['gold', 'silver', null]), plan: rng.pick(['basic', 'premium'])},
      verified: rng.bool(),
    }
  }

  // $sys_transcript assigned to a parameter: the conversation so far, as one string.
  if (rng.chance(0.25)) metadata.transcript = rng.sentences(rng.int(10, 40))
  if (rng.chance(0.3)) metadata.isLoggedIn = rng.pick(['True', 'False', true, false])
  if (quirks.unknownFields) metadata.__sys_experimentBucket = rng.pick(['A', 'B'])
  return metadata
}

function buildRecord(pools: Pools, seed: string, index: number, meanMessages: number): Json {
  const rng = new Random(`${seed}/deepconverse/conversation/${index}`)
  const conversationId = rng.hex(32)
  const startTime = FIRST_START_S + index * START_SPACING_S + rng.int(0, START_SPACING_S - 1)
  const quirks: Quirks = {
    botType: rng.chance(0.05) ? rng.pick(['BotResponse', 'OutMessage']) : 'BotMessage',
    isoLastActionAt: rng.chance(0.03),
    millisecondTimes: rng.chance(0.03),
    noConversationIdParameter: rng.chance(0.05),
    stringOutMsg: rng.chance(0.03),
    unknownFields: rng.chance(0.05),
  }
  const count = messageCount(rng, meanMessages)
  const builder: Builder = {conversationId, messages: [], quirks, rng, site: rng.pick(pools.sites)}
  const clock: Clock = {ms: startTime * 1000 + rng.int(0, 2500)}
  const hugeAt = count > 1 && rng.chance(0.02) ? rng.int(1, count - 1) : -1
  const outcome = buildMessages(pools, builder, clock, {count, hugeAt})

  const lastActionMs = builder.messages.length > 0 ? clock.ms : startTime * 1000 + rng.int(1000, 60_000)
  const lastActionAt = Math.floor(lastActionMs / 1000)
  const tags: string[] = []
  if (outcome.resolved) tags.push('resolved')
  if (outcome.informed) tags.push('informed')
  if (outcome.handoff) tags.push('liveChat')
  if (rng.chance(0.1)) tags.push(rng.pick(CUSTOM_TAGS))

  const record: Json = {
    _id: conversationId,
    startTime,
    lastActionAt: quirks.isoLastActionAt
      ? new Date(lastActionAt * 1000).toISOString().replace('.000Z', 'Z')
      : lastActionAt,
    locale: rng.pick(LOCALES),
    tags,
    metadata: metadataFor(pools, builder, outcome),
  }
  if (quirks.unknownFields) record.botVersion = rng.int(1, 40)
  // An export joins the Messages endpoint's items; a conversation it found none for may have no key at all.
  if (builder.messages.length > 0 || rng.chance(0.5)) record.messages = builder.messages
  return record
}

function resolveOptions(options: DeepConverseSampleOptions): {meanMessages: number; seed: string} {
  return sampleBasics(options)
}

/**
 * DeepConverse Export API conversations with their messages attached (the `deepconverse` record shape).
 *
 * With the default options a record averages about 12 KB of compact JSON and 20 messages. Quirks across a few
 * hundred records: message times in epoch seconds with and without milliseconds (and with microseconds), a
 * few records with millisecond times or an ISO lastActionAt, a bot type other than BotMessage, outMsg as a plain
 * string, widget `tags` inside metadata next to the record's own `tags`, null fields in `__sys_userAgentParsed`,
 * form input as an object, handoffs (`liveChat`), empty and (~2%) huge customer messages, and unknown fields.
 *
 * @yields One record per conversation, in start-time order.
 */
export function* deepConverseRecords(
  count: number,
  options: DeepConverseSampleOptions,
): Generator<Record<string, unknown>> {
  const {meanMessages, seed} = resolveOptions(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) yield buildRecord(pools, seed, i, meanMessages)
}
