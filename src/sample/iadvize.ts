/**
 * Deterministic synthetic iAdvize records, for tests and benchmarks: Conversation nodes of the GraphQL
 * `closedConversations` query, shaped as mappings/iadvize.json reads them (see its assumptions and
 * shared/vendors/iadvize.md).
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a
 * 1000-record run.
 */
import {Random, sampleBasics} from './random.js'

export interface IAdvizeSampleOptions {
  /** Bias to roughly this many messages per conversation (default 20), system messages included. */
  messages?: number
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
}

type Json = Record<string, unknown>

/** Conversations start about this far apart, in order, from FIRST_START_MS. */
const FIRST_START_MS = Date.UTC(2024, 4, 6, 7, 0, 0)
const START_SPACING_MS = 5 * 60_000
const HUGE_MESSAGE_CHARS = 50_000

// ---------------------------------------------------------------------------------------------------------------
// Time: ISO 8601 with a chosen offset and number of fractional digits, as the GraphQL DateTime scalar prints it.

/** How a record spells its times: webhooks mix `…35.171Z` and `…11:01:00+02:00` in one document. */
interface TimeStyle {
  /** Offset in minutes for local spellings (0 is still written +00:00 when not Z). */
  offsetMinutes: number
  /** Share of fields written with the local offset instead of Z. */
  localShare: number
  /** Fraction digits for Z times (3 usually; 6 for a few records). */
  fractionDigits: number
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** `epochMs` (plus `extraMicros` µs, kept only with 6 fraction digits) as ISO 8601 at `offsetMinutes`, or Z when `zulu`. */
export function formatIAdvizeTime(
  epochMs: number,
  {digits = 3, extraMicros = 0, offsetMinutes = 0, zulu = true} = {},
): string {
  const shifted = new Date(epochMs + (zulu ? 0 : offsetMinutes * 60_000))
  const base =
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`
  const ms = pad(shifted.getUTCMilliseconds(), 3)
  const fraction = digits === 0 ? '' : digits === 6 ? `.${ms}${pad(extraMicros, 3)}` : `.${ms.slice(0, digits)}`
  if (zulu) return `${base}${fraction}Z`
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${base}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

function timeWriter(rng: Random, style: TimeStyle): (epochMs: number) => string {
  return (epochMs) => {
    if (rng.chance(style.localShare)) {
      // Local spellings drop the milliseconds, as the webhook samples do, unless the instant needs them.
      const digits = epochMs % 1000 === 0 ? 0 : rng.pick([0, 3])
      return formatIAdvizeTime(digits === 0 ? epochMs - (epochMs % 1000) : epochMs, {
        digits,
        offsetMinutes: style.offsetMinutes,
        zulu: false,
      })
    }

    return formatIAdvizeTime(epochMs, {digits: style.fractionDigits, extraMicros: rng.int(0, 999)})
  }
}

/** ISO 8601 duration as the Conversation type documents it: PT#H#M#.###S. */
export function formatIsoDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000)
  const minutes = Math.floor((ms % 3_600_000) / 60_000)
  const rest = ms % 60_000
  const fraction = pad(rest % 1000, 3).replace(/0+$/, '')
  const seconds =
    rest === 0 && (hours > 0 || minutes > 0) ? '' : `${Math.floor(rest / 1000)}${fraction ? `.${fraction}` : ''}S`
  return `PT${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds}`
}

// ---------------------------------------------------------------------------------------------------------------
// Per-seed pools: one project, its users, tags, routing and campaigns, shared by every conversation of a run.

interface User {
  avatar: null | string
  email: null | string
  firstName: null | string
  id: number
  lastName: string
  role: string
  userName: null | string
}

interface Named {
  id: number
  name: string
}

interface Pools {
  bots: User[]
  campaigns: Named[]
  experts: User[]
  humans: User[]
  project: Named
  routingGroups: Named[]
  routingRules: Named[]
  tags: Named[]
  targetingRules: Named[]
}

// prettier-ignore
const FIRST_NAMES = [
  'Chloé', 'Léa', 'Jürgen', 'Zoë', 'Søren', 'Ngọc', 'Aoife', 'Björn', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Rafael',
  'Giulia', 'Hiroshi', 'Inès', 'Kwame', 'Tomasz', '李娜', 'さくら', '지민', 'محمد', 'ليلى', 'נועה', 'Αλέξανδρος', 'Ольга',
]
// prettier-ignore
const LAST_NAMES = [
  'Dubois', 'Martin', 'Müller', "O'Brien", 'Nguyễn', 'Kowalski', 'Øvergaard', 'Rossi', 'Tanaka', 'Okafor', 'Silva',
  'Le Gall', 'Fernández', 'Kim', '陈', '佐藤', 'العلي', 'כהן', 'Παπαδόπουλος', 'Иванова',
]
const BOT_NAMES = ['Léa (assistante)', 'Ibbü', 'Max 🤖']
// prettier-ignore
const TAG_NAMES = [
  'livraison', 'retour', 'remboursement', 'colis perdu', 'paiement refusé', 'taille', 'SAV', 'fidélité', 'B2B',
  'réclamation', 'prise de RDV', 'produit indisponible', 'promo', 'VIP ⭐', '家電', 'Garantie/Extension',
]
const GROUP_NAMES = ['Service client N1', 'Service client N2', 'Experts', 'Ventes', 'Nuit – Lisboa', 'Experts 家電']
const CAMPAIGN_NAMES = ['Soldes d’été', 'Panier abandonné', 'App inbox', 'Black Friday 🛍️', 'Fiche produit']
const RULE_NAMES = ['Commandes – FR', 'Tous visiteurs', 'Panier > 100 €', 'App – JP', 'WhatsApp entrant']
// prettier-ignore
const CHANNELS: ReadonlyArray<readonly [string, number]> = [
  ['CHAT', 45], ['MOBILE_APP', 12], ['WHATSAPP', 12], ['FACEBOOK', 6], ['INSTAGRAM', 5], ['SMS', 5],
  ['FACEBOOK_BUSINESS_ON_MESSENGER', 3], ['APPLE_BUSINESS_CHAT', 3], ['CALL', 3], ['GOOGLE_BUSINESS_MESSAGES', 2],
  ['VIDEO', 2], ['TWITTER', 2],
]
const LANGUAGES = ['fr', 'fr', 'fr', 'en', 'en', 'de', 'es', 'it', 'nl', 'pt', 'ja', 'ar']
/** Offsets a project's local times use: Paris summer, London, Montréal, Tokyo, India, Newfoundland. */
const OFFSETS = [120, 120, 60, -240, 540, 330, -150]
const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['Paris', 'FR'],
  ['Nantes', 'FR'],
  ['Montréal', 'CA'],
  ['Zürich', 'CH'],
  ['São Paulo', 'BR'],
  ['渋谷区', 'JP'],
  ['Kraków', 'PL'],
  ['دبي', 'AE'],
]
const ATTACHMENTS: ReadonlyArray<readonly [string, string, string]> = [
  ['ImageAttachment', 'image/jpeg', 'jpg'],
  ['ImageAttachment', 'image/png', 'png'],
  ['FileAttachment', 'application/pdf', 'pdf'],
  ['FileAttachment', 'text/plain', 'txt'],
  ['VideoAttachment', 'video/mp4', 'mp4'],
  ['AudioAttachment', 'audio/ogg', 'ogg'],
]

function makeUser(rng: Random, role: string, name?: string): User {
  if (role === 'BOT') {
    return {
      avatar: `https://cdn.example.test/avatars/${rng.hex(10)}.png`,
      email: null,
      firstName: null,
      id: rng.int(700_000, 799_999),
      lastName: name ?? 'Bot',
      role,
      userName: name ?? null,
    }
  }

  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  return {
    avatar: rng.chance(0.4) ? `https://cdn.example.test/avatars/${rng.hex(10)}.png` : null,
    email: rng.chance(0.85) ? `${rng.alphanumeric(7)}@brand.example` : null,
    firstName: rng.chance(0.95) ? first : null,
    id: rng.int(100_000, 699_999),
    lastName: last,
    role,
    // The name shown to visitors: a first name, a pseudonym, or nothing.
    userName: rng.weighted<null | string>([
      [first, 6],
      [`${first} ${last.charAt(0)}.`, 2],
      [null, 2],
    ]),
  }
}

function makePools(seed: string): Pools {
  const rng = new Random(`${seed}/iadvize/pools`)
  const named = (names: readonly string[], min: number, max: number): Named[] =>
    names.map((name) => ({id: rng.int(min, max), name}))
  const humans = Array.from({length: 30}, () =>
    makeUser(
      rng,
      rng.weighted([
        ['OPERATOR', 80],
        ['MANAGER', 12],
        ['ADMIN', 8],
      ]),
    ),
  )
  return {
    bots: BOT_NAMES.map((name) => makeUser(rng, 'BOT', name)),
    campaigns: named(CAMPAIGN_NAMES, 1000, 99_999),
    experts: Array.from({length: 6}, () => makeUser(rng, 'EXPERT')),
    humans,
    project: {id: rng.int(1000, 9999), name: rng.pick(['Boutique FR', 'Shop JP', 'Maison & Jardin', 'Mode – Europe'])},
    routingGroups: named(GROUP_NAMES, 10, 999),
    routingRules: named(RULE_NAMES, 100, 9999),
    tags: named(TAG_NAMES, 1, 9999),
    targetingRules: named(RULE_NAMES, 10, 999),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One conversation

type Route = 'bot-only' | 'bot-then-human' | 'human'

interface Quirks {
  /** Edges keep the cursor the messages connection gave them. */
  cursors: boolean
  /** The seed article's flat customerSatisfaction / netPromoterScore / comment instead of satisfactionSurvey. */
  flatSatisfaction: boolean
  /** duration as a number of seconds (the type page also says "in seconds"). */
  numericDuration: boolean
  /** Lower-case user roles, as the docs print the roles filter. */
  lowercaseRoles: boolean
  /** One ~50 KB message. */
  hugeMessage: boolean
  /** Custom data in registration order instead of sorted by key, and a repeated key. */
  unsortedCustomData: boolean
  duplicateCustomData: boolean
  /** Fields convoshift has never seen. */
  unknownFields: boolean
}

function messageCount(rng: Random, mean: number): number {
  if (mean === 0) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail.
  return Math.max(2, Math.round(mean * (rng.next() + rng.next())))
}

function chatText(rng: Random, huge: boolean): string {
  if (huge) {
    const lines = ['Voici le journal complet de l’application :']
    let {length} = lines[0]!
    while (length < HUGE_MESSAGE_CHARS) {
      const line = `${formatIAdvizeTime(rng.epochMs(FIRST_START_MS, FIRST_START_MS + 86_400_000))} ${rng.pick(['INFO', 'WARN', 'ERROR'])} ${rng.sentence(6, 16, 0.02)}`
      lines.push(line)
      length += line.length + 1
    }

    return lines.join('\n')
  }

  const sentences = rng.weighted([
    [1, 20],
    [2, 35],
    [3, 25],
    [5, 20],
  ])
  const out: string[] = []
  for (let k = 0; k < sentences; k++) out.push(rng.sentence(5, 20, 0.01))
  return out.join(rng.chance(0.1) ? '\n' : ' ')
}

function attachment(rng: Random): Json {
  const [type, mimeType, extension] = rng.pick(ATTACHMENTS)
  return {
    __typename: type,
    url: `https://files.example.test/att/${rng.uuid()}.${extension}`,
    fileName: rng.chance(0.9) ? `${rng.words(rng.int(1, 3)).replaceAll('/', '-')}.${extension}` : null,
    mimeType,
  }
}

function customDataEntries(rng: Random, quirks: Quirks): Json[] {
  const entries: Json[] = []
  const count = rng.weighted([
    [0, 30],
    [1, 20],
    [2, 20],
    [3, 15],
    [5, 15],
  ])
  const candidates: Array<() => Json> = [
    () => ({key: 'cartAmount', value: rng.int(100, 99_999) / 100}),
    () => ({key: 'isLoggedIn', value: rng.bool()}),
    () => ({key: 'orderId', value: rng.digits(6)}),
    () => ({key: 'loyaltyLevel', value: rng.pick(['bronze', 'argent', 'or', 'platine ✨'])}),
    () => ({key: 'itemsInCart', value: rng.int(0, 12)}),
    () => ({key: 'pageType', value: rng.pick(['product', 'checkout', 'home', 'fiche-produit'])}),
    () => ({key: 'appVersion', value: `${rng.int(3, 6)}.${rng.int(0, 20)}.${rng.int(0, 9)}`}),
    () => ({key: 'storeCity', value: rng.pick(CITIES)[0]}),
  ]
  for (const make of rng.sample(candidates, count)) entries.push(make())
  if (quirks.duplicateCustomData && entries.length > 0) entries.push({key: entries[0]!.key, value: 'registered again'})
  if (!quirks.unsortedCustomData) entries.sort((a, b) => ((a.key as string) < (b.key as string) ? -1 : 1))
  return entries
}

function visitorOf(
  rng: Random,
  {channel, id, startMs, time}: {channel: string; id: string; startMs: number; time: (ms: number) => string},
): Json {
  const known = rng.chance(0.6)
  const [city, country] = rng.pick(CITIES)
  const first = rng.pick(FIRST_NAMES)
  const thirdParty = ['FACEBOOK', 'FACEBOOK_BUSINESS_ON_MESSENGER', 'INSTAGRAM', 'TWITTER', 'WHATSAPP'].includes(
    channel,
  )
  const created = startMs - rng.int(0, 400 * 86_400_000)
  return {
    visitorId: id,
    source: channel === 'MOBILE_APP' ? 'MOBILE_APP' : 'ONSITE',
    externalUserId: known && rng.chance(0.6) ? `crm-${rng.digits(6)}` : null,
    firstName: known ? first : null,
    lastName: known ? rng.pick(LAST_NAMES) : null,
    address:
      known && rng.chance(0.3)
        ? `${rng.int(1, 120)} ${rng.pick(['rue de la Paix', 'Hauptstraße', 'Avenida Paulista'])}`
        : null,
    city: known || rng.chance(0.3) ? city : null,
    zipCode: known && rng.chance(0.5) ? rng.digits(5) : null,
    country: known || rng.chance(0.5) ? country : null,
    phoneNumber:
      channel === 'WHATSAPP' || channel === 'SMS' || (known && rng.chance(0.3)) ? `+${rng.digits(11)}` : null,
    email: known && rng.chance(0.7) ? `${rng.alphanumeric(8)}@mail.example` : null,
    createdAt: time(created),
    updatedAt: time(startMs),
    username: thirdParty ? `${first}${rng.chance(0.3) ? ' ✨' : ''}` : null,
    avatarUrl: thirdParty && rng.chance(0.5) ? `https://avatars.example.test/${rng.hex(16)}.jpg` : null,
  }
}

function buildRecord(pools: Pools, seed: string, index: number, meanMessages: number): Json {
  const rng = new Random(`${seed}/iadvize/conversation/${index}`)
  const quirks: Quirks = {
    cursors: rng.chance(0.3),
    duplicateCustomData: rng.chance(0.02),
    flatSatisfaction: rng.chance(0.15),
    hugeMessage: rng.chance(0.015),
    lowercaseRoles: rng.chance(0.05),
    numericDuration: rng.chance(0.05),
    unknownFields: rng.chance(0.05),
    unsortedCustomData: rng.chance(0.1),
  }
  const style: TimeStyle = {
    fractionDigits: rng.chance(0.03) ? 6 : 3,
    localShare: rng.weighted([
      [0, 60],
      [0.3, 25],
      [1, 15],
    ]),
    offsetMinutes: rng.pick(OFFSETS),
  }
  const time = timeWriter(rng, style)
  const conversationId = rng.uuid()
  const visitorId = rng.uuid()
  const channel = rng.weighted(CHANNELS)
  const route = rng.weighted<Route>([
    ['human', 45],
    ['bot-then-human', 35],
    ['bot-only', 20],
  ])
  const startMs = FIRST_START_MS + index * START_SPACING_MS + rng.int(0, START_SPACING_MS - 1)

  // Contacts: who the conversation was pushed to, in order (a snooze pushes to the same user again).
  const contacts: User[] = []
  if (route !== 'human') contacts.push(rng.pick(pools.bots))
  if (route !== 'bot-only') {
    const humans = rng.weighted([
      [1, 70],
      [2, 22],
      [3, 8],
    ])
    for (let k = 0; k < humans; k++) {
      const previous = contacts.at(-1)
      const snooze = previous !== undefined && previous.role !== 'BOT' && rng.chance(0.15)
      contacts.push(snooze ? previous : rng.chance(0.12) ? rng.pick(pools.experts) : rng.pick(pools.humans))
    }
  }

  const total = messageCount(rng, meanMessages)
  const chatCount = total === 0 ? 0 : Math.max(1, total - contacts.length)
  const hugeAt = quirks.hugeMessage ? rng.int(0, chatCount - 1) : -1
  const botTransferFailed = route === 'bot-then-human' && rng.chance(0.05)
  const pushes = total === 0 ? [] : botTransferFailed ? contacts.slice(0, 1) : contacts
  const edges: Json[] = []
  let at = startMs + rng.int(200, 3000)
  let chat = 0
  const edge = (node: Json): void => {
    edges.push(quirks.cursors ? {cursor: Buffer.from(`message:${edges.length}`).toString('base64'), node} : {node})
  }

  for (const [k, user] of pushes.entries()) {
    const pushedAt = at
    edge({
      __typename: 'SystemMessage',
      id: rng.uuid(),
      createdAt: time(pushedAt),
      attachment: {
        __typename: 'ConversationPushedSystemAttachment',
        createdAt: time(pushedAt),
        toUser: {id: user.id, userName: user.userName},
      },
    })
    at += rng.int(300, 20_000)
    // This contact's share of the chat messages; the last contact takes the rest.
    const share = k === pushes.length - 1 ? chatCount - chat : Math.max(1, Math.round(chatCount / pushes.length))
    for (let m = 0; m < share && chat < chatCount; m++, chat++) {
      const fromVisitor = m === 0 && user.role !== 'BOT' ? rng.chance(0.3) : rng.chance(0.5)
      const huge = chat === hugeAt
      const withAttachment = !huge && rng.chance(0.06)
      const text = withAttachment && rng.chance(0.5) ? '' : rng.chance(0.02) && !huge ? '' : chatText(rng, huge)
      edge({
        __typename: 'ChatMessage',
        id: rng.uuid(),
        createdAt: time(at),
        author: fromVisitor
          ? {__typename: 'Visitor', id: visitorId}
          : {__typename: user.role === 'BOT' ? 'Bot' : user.role === 'EXPERT' ? 'Expert' : 'Operator', id: user.id},
        text,
        attachments: withAttachment ? [attachment(rng)] : [],
      })
      at += rng.chance(0.05) ? rng.int(120_000, 1_800_000) : rng.int(2000, 90_000)
    }
  }

  const closedMs = at + rng.int(1000, 300_000)
  if (total > 0 && rng.chance(0.3)) {
    edge({
      __typename: 'SystemMessage',
      id: rng.uuid(),
      createdAt: time(closedMs),
      attachment: {__typename: 'ConversationClosedSystemAttachment', createdAt: time(closedMs)},
    })
  }

  // Users who took part, in order of first contact (a manager sometimes joins without a contact of their own).
  const users: User[] = []
  for (const user of botTransferFailed ? contacts.slice(0, 1) : contacts) if (!users.includes(user)) users.push(user)
  if (route !== 'bot-only' && rng.chance(0.08)) {
    const manager = pools.humans.find((u) => u.role === 'MANAGER' && !users.includes(u))
    if (manager) users.push(manager)
  }

  const automationLevel =
    route === 'bot-only' ? 'FULLY_AUTOMATED' : route === 'bot-then-human' ? 'PARTIALLY_AUTOMATED' : 'NOT_AUTOMATED'
  const closeReason =
    route === 'bot-only'
      ? rng.pick(['END_OF_BOT_SCENARIO', 'END_OF_BOT_SCENARIO', 'VISITOR_DROPPED_OFF_SCENARIO'])
      : botTransferFailed
        ? 'BOT_TRANSFER_FAILED'
        : null
  const durationMs = closedMs - startMs
  const record: Json = {
    id: conversationId,
    legacyId: 900_000_000 + index * 17 + rng.int(0, 16),
    externalId: rng.chance(0.2) ? `SF-CASE-${rng.digits(5)}` : null,
    createdAt: time(startMs),
    updatedAt: rng.chance(0.9) ? time(closedMs + rng.int(0, 120_000)) : null,
    closedAt: time(closedMs),
    duration: quirks.numericDuration ? Math.round(durationMs / 1000) : formatIsoDuration(durationMs),
    channel,
    language: rng.chance(0.97) ? rng.pick(LANGUAGES) : null,
    automationLevel,
    closeReason,
    project: {...pools.project},
    routingRule: route === 'bot-only' && rng.chance(0.5) ? null : {...rng.pick(pools.routingRules)},
    routingGroup: route === 'bot-only' ? null : {...rng.pick(pools.routingGroups)},
    engagementCampaign: rng.chance(0.4) ? {...rng.pick(pools.campaigns)} : null,
    targetingRule: rng.chance(0.5) ? {...rng.pick(pools.targetingRules)} : null,
    users: users.map((user) => ({
      id: user.id,
      role: quirks.lowercaseRoles ? user.role.toLowerCase() : user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      userName: user.userName,
      email: user.email,
      avatar: user.avatar,
    })),
    visitor: rng.chance(0.98) ? visitorOf(rng, {channel, id: visitorId, startMs, time}) : null,
    messages: {edges},
    tags: rng
      .sample(
        pools.tags,
        rng.weighted([
          [0, 35],
          [1, 35],
          [2, 20],
          [3, 10],
        ]),
      )
      .map((tag) => ({...tag})),
  }

  // Satisfaction: CSAT on most channels, NPS and the comment on chat only.
  const surveyed = rng.chance(0.4)
  const onChat = channel === 'CHAT'
  const survey = {
    customerSatisfaction: surveyed
      ? rng.weighted([
          [5, 40],
          [4, 25],
          [3, 12],
          [2, 8],
          [1, 15],
        ])
      : null,
    netPromoterScore: surveyed && onChat && rng.chance(0.7) ? rng.int(0, 10) : null,
    comment: surveyed && onChat && rng.chance(0.35) ? rng.sentence(2, 12) : null,
  }
  if (quirks.flatSatisfaction) Object.assign(record, survey)
  else record.satisfactionSurvey = surveyed ? survey : null
  record.customData = customDataEntries(rng, quirks)
  record.closingFormValues =
    route !== 'bot-only' && rng.chance(0.2)
      ? [{fieldName: 'Motif', value: rng.pick(['Colis perdu', 'Question produit', 'Retour', 'Autre'])}]
      : []
  record.conversions = rng.chance(0.08)
    ? [
        {
          id: rng.uuid(),
          externalId: `transaction-${rng.digits(6)}`,
          amount: rng.int(500, 150_000) / 100,
          currency: rng.pick(['EUR', 'EUR', 'GBP', 'JPY']),
          receivedAt: time(closedMs + rng.int(60_000, 7_200_000)),
          source: channel === 'MOBILE_APP' ? 'MOBILE_APP' : 'ONSITE',
        },
      ]
    : []
  if (quirks.unknownFields) {
    if (rng.bool()) record.genAiPredictedTopic = {id: `t-${rng.digits(3)}`, label: rng.words(2)}
    else record.distributionStatus = {status: 'CLOSED', reason: rng.pick(['RESOLVED', 'INACTIVITY'])}
  }

  return record
}

// ---------------------------------------------------------------------------------------------------------------
// Public generator

/**
 * `closedConversations` Conversation nodes, one per conversation in start-time order.
 *
 * With the default options a record averages about 20 messages (system messages included) and 10–15 KB of compact
 * JSON. Quirks across a few hundred records: several contacts per conversation (bot then human, transfers, snoozes
 * back to the same user), each started by a ConversationPushedSystemAttachment system message; times mixing `…Z`
 * with milliseconds and local offsets without them (~40% of records), microsecond fractions (~3%); GraphQL nulls
 * for every missing value; the flat satisfaction spelling (~15%); lower-case roles (~5%); a numeric duration
 * (~5%); unsorted (~10%) or repeated (~2%) custom data keys; edge cursors (~30%); empty texts and attachment-only
 * messages; unicode, emoji and JSON-hostile text; a ~50 KB message (~1.5%); and unknown fields (~5%).
 *
 * `count` may be `Infinity` for an endless stream.
 *
 * @yields One record per conversation.
 */
export function* iAdvizeRecords(count: number, options: IAdvizeSampleOptions): Generator<Record<string, unknown>> {
  const {meanMessages, seed} = sampleBasics(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) yield buildRecord(pools, seed, i, meanMessages)
}
