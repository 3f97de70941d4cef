/* eslint-disable camelcase -- Ada's own field names are snake_case */
/**
 * Deterministic synthetic Ada Data Export records, for tests, benchmarks and examples.
 *
 * One record is a conversation object (the field set of one Data Export version: v1.0 … v1.4 or v2) with the
 * conversation's message objects from the Messages endpoint attached under `messages`, as mappings/ada.json
 * describes. Modelled on shared/vendors/ada.md and the published samples, quirks included (see `adaRecords`).
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a
 * 1000-record run.
 */
import {Random, sampleBasics} from './random.js'

export interface AdaSampleOptions {
  /** Bias to roughly this many messages per conversation (default 20). */
  messages?: number
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
  /** Every record in this Data Export version's field set (as one API page would be); by default a mix of all. */
  version?: AdaVersion
}

type Json = Record<string, unknown>

/** Conversations start about this far apart, in order, from FIRST_START_MS. */
const FIRST_START_MS = Date.UTC(2024, 2, 4, 8, 0, 0)
const START_SPACING_MS = 5 * 60_000
const HUGE_MESSAGE_CHARS = 50_000
/** Ada's v1.2 and earlier exports cap each variable at this many characters. */
const OLD_VARIABLE_LIMIT = 1000

export const ADA_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '2'] as const
export type AdaVersion = (typeof ADA_VERSIONS)[number]

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

/**
 * Ada's response time form: ISO 8601 with six fractional digits and `+00:00` (`2022-03-16T17:59:28.201000+00:00`).
 * Times are kept as integer epoch microseconds so that the last three digits can be real.
 */
export function formatAdaTime(epochMicros: number): string {
  const ms = Math.floor(epochMicros / 1000)
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 19)}.${pad(ms % 1000, 3)}${pad(epochMicros % 1000, 3)}+00:00`
}

/** A MongoDB ObjectId as Ada prints it: 4 bytes of epoch seconds, then 8 random bytes, in hex. */
function objectId(rng: Random, epochMs: number): string {
  return `${Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')}${rng.hex(16)}`
}

/** Ada returns objects with their keys sorted; so do we. */
function sortedKeys(object: Json): Json {
  const out: Json = {}
  for (const key of Object.keys(object).sort()) out[key] = object[key]
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Per-seed pools: one bot with its answers, agents, topics and intents, shared by every conversation of a run.

interface Agent {
  id: string
  name: string
}

interface Answer {
  id: string
  text: string
  title: string
}

interface Pools {
  agents: Agent[]
  answers: Answer[]
  articles: Json[]
  classifications: Array<{intents: Json[]; topic_id: string; topic_name: string}>
  coaching: Json[]
  handoff: Answer
  metaVariables: Array<{id: string; name: string; scope: string}>
  pictures: string[]
  playbooks: Json[]
  topics: Array<{id: string; label: string}>
  topicsV2: Array<{desc: string; id: string; parent_id: null | string; title: string}>
  welcome: Answer
}

// prettier-ignore
const FIRST_NAMES = [
  'Hanif', 'Abby', 'José', 'Zoë', 'Søren', 'Ngọc', 'Aoife', 'Björn', 'Chloé', 'Dmitri', 'Fatima', 'Giulia', 'Hiroshi',
  'Ines', 'Kwame', 'Léa', 'Mateo', 'Nadia', 'Priya', 'Rafael', 'Tomasz', '李娜', 'さくら', '지민', 'محمد', 'נועה', 'Ольга',
]
const LAST_INITIALS = ['J', 'L', 'M', 'Ø', 'Ł', 'O', 'S', 'K', 'Ü', 'Ç', '陈', 'Ж']
// prettier-ignore
const ANSWER_TITLES = [
  'Billing > Refund policy', 'Billing > Update card', 'Orders > Track my order', 'Orders > Cancel an order',
  'Account > Reset password', 'Account > Close account', 'Shipping > Delivery times', 'Shipping > Livraison à l’étranger',
  'Returns > Start a return', 'Returns > 返品について', 'Promotions > Current offers 🎉', 'Fallback > Not understood',
]
// prettier-ignore
const TOPIC_LABELS = [
  'Billing Inquiries', 'Order Tracking', 'Account Access', 'Refund Requests', 'Shipping Delays', 'Product Questions',
  'Réclamations', '配送の問題', 'Cancelamento', 'Technical Issues', 'Promotions',
]
// prettier-ignore
const INTENT_NAMES = [
  'track_order', 'refund_status', 'reset_password', 'update_payment_method', 'cancel_subscription',
  'delivery_delay', 'talk_to_agent', 'change_address', 'apply_coupon', 'report_bug',
]
const META_VARIABLE_NAMES = ['last_answer_id', 'last_question_asked', 'handoff_requested', 'language', 'introshown']
const PLATFORMS: ReadonlyArray<readonly [string, number]> = [
  ['chat', 70],
  ['sms', 5],
  ['messenger', 4],
  ['whatsapp', 4],
  ['sunshine_web', 3],
  ['sunshine_whatsapp', 2],
  ['sunshine_ios', 2],
  ['sunshine_android', 2],
  ['instagram', 2],
  ['voice', 1],
  ['http', 1],
  ['twitter', 1],
  ['apple', 1],
  ['line', 1],
  ['messagingapi', 1],
]
const OAUTH_CHANNELS = ['chat', 'sms', 'messenger', 'sunshine_web', 'http']
const LANGUAGES: ReadonlyArray<readonly [string, number]> = [
  ['en', 60],
  ['fr', 9],
  ['es', 8],
  ['de', 6],
  ['ja', 4],
  ['pt', 4],
  ['zh', 3],
  ['ar', 2],
  ['he', 2],
  ['ko', 2],
]
const BROWSERS: ReadonlyArray<readonly [string, () => string]> = [
  ['chrome', () => '98.0.4758.102'],
  ['safari', () => '17.4.1'],
  ['firefox', () => '124.0'],
  ['edge', () => '122.0.2365.92'],
  ['samsung internet', () => '24.0'],
]
const DEVICES = ['macos', 'windows', 'iphone', 'android', 'ipad', 'linux']
const CSAT_STYLES = ['EMOJI', 'NUMBER', 'STAR', 'THUMBS']
const FEEDBACK = ['(helpful_resolution)', '(friendly)', '(fast)', '(not_helpful)', '(confusing)', '(too_slow)']
const RESOLUTION_REASONS = [
  'The bot provided a detailed step-by-step guide and the customer confirmed it worked.',
  'The customer asked for a human agent before the bot could answer.',
  'The customer left without confirming whether the answer helped.',
  'Le client a reçu le numéro de suivi et a remercié le bot.',
  'The bot could not find the order number the customer gave.',
]

function makePools(seed: string): Pools {
  const rng = new Random(`${seed}/ada-pools`)
  const at = Date.UTC(2023, 5, 1)
  const answer = (title: string, text: string): Answer => ({
    id: objectId(rng, at + rng.int(0, 86_400_000)),
    text,
    title,
  })
  const topicsV2 = TOPIC_LABELS.map((title, k) => ({
    desc: `Conversations about ${title.toLowerCase()}.`,
    id: objectId(rng, at),
    parent_id: k % 3 === 0 ? null : objectId(rng, at),
    title,
  }))
  return {
    agents: Array.from({length: 25}, () => ({
      id: objectId(rng, at + rng.int(0, 30 * 86_400_000)),
      name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_INITIALS)}`,
    })),
    answers: ANSWER_TITLES.map((title) => answer(title, rng.sentence(6, 16))),
    articles: Array.from({length: 8}, (_, k) => ({
      id: objectId(rng, at),
      name: rng.words(3),
      source: k % 4 === 0 ? null : rng.pick(['zendesk', 'salesforce', 'website']),
      url: k % 5 === 0 ? null : `https://help.example.com/articles/${rng.digits(6)}-${rng.word()}`,
    })),
    classifications: TOPIC_LABELS.slice(0, 6).map((topic) => ({
      intents: rng.sample(INTENT_NAMES, rng.int(1, 3)).map((name) => ({
        intent_id: objectId(rng, at),
        intent_name: name,
        status: rng.chance(0.9) ? 'active' : 'inactive',
      })),
      topic_id: objectId(rng, at),
      topic_name: topic,
    })),
    coaching: Array.from({length: 4}, () => ({
      coaching_instructions: rng.sentence(5, 12),
      coaching_intent: rng.pick(INTENT_NAMES),
      coaching_type: rng.pick(['tone', 'policy', null]),
      entity_name: rng.words(2),
      id: objectId(rng, at),
    })),
    handoff: answer('Handoff > Connect to an agent', 'Let me connect you with someone from our team. 👋'),
    metaVariables: META_VARIABLE_NAMES.map((name) => ({id: objectId(rng, at), name, scope: 'meta'})),
    pictures: Array.from(
      {length: 4},
      () => `https://static.ada.support/images/${rng.uuid()}.${rng.pick(['svg', 'png', 'gif'])}`,
    ),
    playbooks: Array.from({length: 4}, () => ({id: objectId(rng, at), name: rng.words(2)})),
    topics: TOPIC_LABELS.map((label) => ({id: objectId(rng, at), label})),
    topicsV2,
    welcome: answer(
      'Ada Interact > Welcome Message',
      '👋 Welcome! I’m the virtual assistant. How can I help you today?',
    ),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One conversation

interface Quirks {
  /** The bot signs as `Ada` (the newer docs) instead of `ada`. */
  capitalisedBot: boolean
  /** Real microseconds in the timestamps instead of milliseconds padded with 000. */
  fullMicroseconds: boolean
  /** One ~50 KB chatter message. */
  hugeMessage: boolean
  /** answer_id of non-bot messages: the string "None" (as in the sample) or JSON null (as documented). */
  noAnswer: 'None' | null
  /** Fields convoshift has never seen (the vendor adds fields without notice). */
  unknownFields: boolean
}

interface Context {
  agents: Agent[]
  chatterId: string
  chatterUuid: string
  conversationId: string
  pools: Pools
  quirks: Quirks
  rng: Random
  version: AdaVersion
  /** Epoch microseconds of the next message. */
  clock: number
  /** When Ada's export loaded the records (it lags by at least two hours, in batches), epoch microseconds. */
  loadedAt: number
  /** Whether the messages were loaded in the conversation's batch or one by one. */
  loadedTogether: boolean
}

const versionAtLeast = (version: AdaVersion, floor: AdaVersion): boolean =>
  ADA_VERSIONS.indexOf(version) >= ADA_VERSIONS.indexOf(floor)

function messageCount(rng: Random, mean: number): number {
  if (mean === 0 || rng.chance(0.01)) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail, never negative.
  return Math.max(1, Math.round(mean * (rng.next() + rng.next())))
}

function advance(context: Context, fromMs: number, toMs: number): number {
  const {quirks, rng} = context
  const step = rng.int(fromMs, toMs) * 1000 + (quirks.fullMicroseconds ? rng.int(1, 999) : 0)
  context.clock += step
  return context.clock
}

interface MessageSpec {
  answer?: Answer | undefined
  /** The bot's own message of a generative answer: answer_id "None", no title. */
  generative?: boolean
  data: Json
  inResponseTo?: string | undefined
  recipient: string
  review?: number
  sender: string
}

function message(context: Context, spec: MessageSpec, atMicros: number): Json {
  const {conversationId, chatterId, quirks, rng, version} = context
  const atMs = Math.floor(atMicros / 1000)
  const fromBot = spec.sender === 'ada' || spec.sender === 'Ada'
  const out: Json = {
    _id: objectId(rng, atMs),
    answer_id: spec.answer ? spec.answer.id : fromBot && spec.generative ? 'None' : quirks.noAnswer,
    answer_title: spec.answer ? spec.answer.title : null,
    chatter_id: chatterId,
    conversation_id: conversationId,
    date_created: formatAdaTime(atMicros),
    link_was_clicked: fromBot ? rng.chance(0.04) : spec.sender === 'bot' ? false : rng.pick([false, false, null]),
    message_data: sortedKeys(spec.data),
    recipient: spec.recipient,
    review: spec.review ?? 0,
    sender: spec.sender,
  }
  if (versionAtLeast(version, '1.3')) out.in_response_to = spec.inResponseTo ?? 'None'
  if (versionAtLeast(version, '1.4')) {
    const loaded = context.loadedTogether ? context.loadedAt : atMicros + rng.int(7200, 14_400) * 1_000_000
    out.record_last_updated = formatAdaTime(loaded)
  }

  if (quirks.unknownFields && rng.chance(0.15)) out.is_generative = Boolean(spec.generative)
  return sortedKeys(out)
}

function hugeText(rng: Random): string {
  const lines: string[] = ['I copied the whole error log from the app, here it is:']
  let {length} = lines[0]!
  while (length < HUGE_MESSAGE_CHARS) {
    const line = `${new Date(FIRST_START_MS + rng.int(0, 86_400_000)).toISOString()} ${rng.pick(['INFO', 'WARN', 'ERROR'])} ${rng.sentence(6, 16, 0.02)}`
    lines.push(line)
    length += line.length + 2
  }

  return lines.join('\r\n')
}

interface Built {
  /** Index in `messages` of the bot's handoff message, if the conversation was escalated. */
  handoffAt?: number
  lastQuestion?: string
  messages: Json[]
}

/** The conversation's messages, in date_created order, as the Messages endpoint returns them. */
function buildMessages(context: Context, count: number, escalated: boolean): Built {
  const {chatterId, chatterUuid, pools, quirks, rng, version} = context
  const bot = quirks.capitalisedBot ? 'Ada' : 'ada'
  const messages: Json[] = []
  const built: Built = {messages}
  const push = (spec: MessageSpec, fromMs: number, toMs: number): Json => {
    const m = message(context, spec, advance(context, fromMs, toMs))
    messages.push(m)
    return m
  }

  const meta = (name: string, newValue: null | string, oldValue: null | string): void => {
    if (messages.length >= count) return
    const variable = pools.metaVariables.find((v) => v.name === name) ?? pools.metaVariables[0]!
    push(
      {
        data: {
          _type: 'meta',
          meta_message_data: {id: variable.id, name, new_value: newValue, old_value: oldValue, scope: variable.scope},
          meta_message_type: 'variable_change',
        },
        recipient: chatterUuid,
        sender: 'bot',
      },
      20,
      90,
    )
  }

  const botAnswer = (answer: Answer | undefined, inResponseTo?: string): void => {
    const generative = answer === undefined
    const reviewable = !generative && rng.chance(0.3)
    const common = {answer, generative, inResponseTo, recipient: chatterId, sender: bot}
    if (rng.chance(0.12) && messages.length < count) {
      push(
        {
          ...common,
          data: {
            _type: 'picture',
            alt_text: rng.chance(0.6) ? '' : rng.words(3),
            has_variables: false,
            pic_url: rng.pick(pools.pictures),
            reviewable_message: false,
          },
        },
        200,
        900,
      )
    }

    if (messages.length >= count) return
    const body = answer ? answer.text : rng.sentences(rng.int(1, 3), 0.01)
    const data: Json = {_type: 'text', body, has_variables: rng.chance(0.1), reviewable_message: reviewable}
    if (rng.chance(0.3)) data.has_forced_quick_replies = false
    push({...common, data, review: reviewable ? rng.pick([0, 0, 1, -1]) : 0}, 800, 4000)
    if (rng.chance(0.25) && messages.length < count) {
      const options = rng.sample(pools.answers, rng.int(2, 4))
      push(
        {
          ...common,
          data: {
            _type: 'quick_replies',
            has_variables: false,
            is_forced: rng.chance(0.2),
            quick_replies: options.map((option) => ({
              button_type: rng.pick(['suggestion', 'link', 'answer']),
              label: option.title.split(' > ')[1],
              target: option.id,
            })),
            reviewable_message: false,
          },
        },
        100,
        600,
      )
    }
  }

  if (count === 0) return built
  // The widget opens: a greeting from the chatter's UUID, then the welcome answer and its bookkeeping event.
  if (rng.chance(0.85)) {
    push(
      {
        data: {_type: 'greeting', external_chat_id: rng.uuid(), reviewable_message: false},
        recipient: 'ada',
        sender: chatterUuid,
      },
      50,
      400,
    )
  }

  botAnswer(pools.welcome)
  meta('last_answer_id', pools.welcome.id, null)

  const escalateAfter = escalated
    ? Math.max(messages.length + 2, Math.floor(count * rng.float(0.3, 0.6)))
    : Number.POSITIVE_INFINITY
  const {agents} = context
  let agentTurn = 0
  let hugeWritten = false
  const agentSender = (k: number): string =>
    versionAtLeast(version, '1.2') ? agents[Math.min(k, agents.length - 1)]!.id : 'agent'
  while (messages.length < count) {
    // The chatter speaks.
    const huge: boolean = quirks.hugeMessage && !hugeWritten && built.lastQuestion !== undefined
    hugeWritten ||= huge
    const body = huge ? hugeText(rng) : rng.chance(0.03) ? '' : rng.sentence(2, 12, 0.01)
    const question = push(
      {
        data: rng.chance(0.04) ? {_type: 'list_selection', body, selected_index: rng.int(0, 3)} : {_type: 'text', body},
        recipient: 'ada',
        sender: chatterId,
      },
      3000,
      rng.chance(0.05) ? 600_000 : 45_000,
    )
    built.lastQuestion = body
    if (messages.length >= count) break

    if (built.handoffAt === undefined && messages.length >= escalateAfter) {
      built.handoffAt = messages.length
      botAnswer(pools.handoff, question._id as string)
      meta('handoff_requested', 'True', 'False')
      continue
    }

    if (built.handoffAt === undefined) {
      botAnswer(rng.chance(0.45) ? undefined : rng.pick(pools.answers), question._id as string)
      if (rng.chance(0.3)) meta('last_question_asked', body.slice(0, 80), null)
    } else {
      // A human agent answers; a second agent takes over part-way in some conversations.
      if (agents.length > 1 && agentTurn === 3) meta('handoff_requested', 'True', 'True')
      push(
        {
          data: {_type: 'text', body: rng.sentences(rng.int(1, 2), 0.01)},
          inResponseTo: question._id as string,
          recipient: chatterId,
          sender: agentSender(agentTurn < 3 ? 0 : 1),
        },
        5000,
        90_000,
      )
      agentTurn++
    }
  }

  return built
}

function chatTranscript(built: Built, version: AdaVersion, summary: string): string {
  const lines: string[] = []
  const upTo = built.handoffAt ?? built.messages.length
  for (const m of built.messages.slice(0, upTo)) {
    const data = m.message_data as Json
    if (m.sender === 'ada' || m.sender === 'Ada') {
      if (data._type === 'picture') lines.push('BOT: picture message')
      else if (data._type === 'text') lines.push(`BOT: ${String(data.body)} `)
    } else if (data._type === 'text' && m.sender !== 'bot') {
      lines.push(`\r\nUSER: ${String(data.body)}\r\n`)
    }
  }

  const transcript = `${lines.join('\r\n')}\r\n\r\nSUMMARY: ${summary}`
  return versionAtLeast(version, '1.3') ? transcript : transcript.slice(0, OLD_VARIABLE_LIMIT)
}

function csatBlock(rng: Random): Json {
  const score = rng.weighted([
    [5, 40],
    [4, 25],
    [3, 15],
    [2, 10],
    [1, 10],
  ])
  return {
    comment: rng.chance(0.7) ? null : rng.sentence(3, 12, 0.01),
    feedback: rng.chance(0.2) ? null : rng.sample(FEEDBACK, rng.int(1, 2)),
    is_positive: score >= 4,
    resolved: score >= 3 ? rng.chance(0.85) : rng.chance(0.2),
    score,
    style: rng.pick(CSAT_STYLES),
    survey_type: rng.pick(['end_chat', 'end_chat', 'in_chat']),
  }
}

function buildRecord(
  pools: Pools,
  seed: string,
  index: number,
  {meanMessages, only}: {meanMessages: number; only?: AdaVersion | undefined},
): Json {
  const rng = new Random(`${seed}/ada/${index}`)
  const mixed = rng.weighted<AdaVersion>([
    ['2', 45],
    ['1.4', 20],
    ['1.3', 10],
    ['1.2', 12],
    ['1.1', 8],
    ['1.0', 5],
  ])
  const version = only ?? mixed
  const quirks: Quirks = {
    capitalisedBot: rng.chance(0.05),
    fullMicroseconds: rng.chance(0.08),
    hugeMessage: rng.chance(0.02),
    noAnswer: rng.chance(0.7) ? 'None' : null,
    unknownFields: rng.chance(0.05),
  }
  const startMs = FIRST_START_MS + index * START_SPACING_MS + rng.int(0, START_SPACING_MS - 1)
  const count = messageCount(rng, meanMessages)
  const engaged = count > 3 || rng.chance(0.3)
  const escalated = engaged && count >= 6 && rng.chance(0.3)
  const agents = escalated ? rng.sample(pools.agents, rng.chance(0.2) ? 2 : 1) : []
  const context: Context = {
    agents,
    chatterId: objectId(rng, startMs - rng.int(0, 4000)),
    chatterUuid: rng.uuid(),
    clock: startMs * 1000 + (quirks.fullMicroseconds ? rng.int(1, 999) : 0),
    conversationId: objectId(rng, startMs),
    // The batch after the conversation's last message: start + up to a few hours, on a whole second.
    loadedAt: (startMs + rng.int(3, 9) * 3_600_000 + rng.int(0, 3_599_999)) * 1000,
    loadedTogether: rng.chance(0.8),
    pools,
    quirks,
    rng,
    version,
  }
  const dateCreated = formatAdaTime(context.clock)
  const built = buildMessages(context, count, escalated)
  const dateUpdated = formatAdaTime(context.clock + rng.int(100, 120_000) * 1000)

  const [browser, browserVersion] = (([name, version]) => [name, version()])(rng.pick(BROWSERS))
  const device = rng.pick(DEVICES)
  const language = rng.weighted(LANGUAGES)
  const testUser = rng.chance(0.03)
  const ip = `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
  const lastAnswer = rng.pick(pools.answers)
  const metavariables: Json = {
    browser,
    browser_version: browserVersion,
    device,
    introshown: rng.pick(['False', 'True']),
    ip_address: ip,
    language,
    last_answer_id: lastAnswer.id,
    last_question_asked: built.lastQuestion?.slice(0, 200) ?? '',
    user_agent: `Mozilla/5.0 (${device === 'iphone' ? 'iPhone; CPU iPhone OS 17_4 like Mac OS X' : 'Macintosh; Intel Mac OS X 10_15_7'}) AppleWebKit/537.36 (KHTML, like Gecko) ${browser}/${browserVersion} Safari/537.36`,
  }
  if (testUser || rng.chance(0.02)) metavariables.test_user = testUser ? '1' : '0'
  if (rng.chance(0.4)) metavariables.followupresponseid = rng.pick(pools.answers).id
  if (rng.chance(0.15)) metavariables.email = `${rng.alphanumeric(8)}@mail.example`
  if (rng.chance(0.1)) metavariables.region = rng.pick(['Québec', 'Zürich', '東京都', ''])

  const summary = built.lastQuestion ? built.lastQuestion.slice(0, 160) : rng.sentence(4, 10)
  const variables: Json = {}
  if (rng.chance(0.3)) variables.name = rng.pick(FIRST_NAMES)
  if (rng.chance(0.3)) variables.order_number = `A-${rng.digits(6)}`
  if (rng.chance(0.15)) variables.plan = rng.pick(['free', 'pro', 'entreprise', 'プレミアム'])
  if (escalated && versionAtLeast(version, '1.2')) variables.chat_transcript = chatTranscript(built, version, summary)
  if (escalated && rng.chance(0.5))
    variables.handoff_reason = rng.pick(['requested_agent', 'fallback_limit', 'sensitive_topic'])

  const record: Json = {
    _id: context.conversationId,
    chatter_id: context.chatterId,
    csat: engaged && rng.chance(0.3) ? csatBlock(rng) : {},
    date_created: dateCreated,
    date_updated: dateUpdated,
    is_engaged: engaged,
    is_escalated: escalated,
    metavariables: sortedKeys(metavariables),
    platform: rng.weighted(PLATFORMS),
    variables: sortedKeys(variables),
  }

  if (versionAtLeast(version, '1.2')) {
    record.agent_id = agents.map((agent) => agent.id)
    record.agent_name = agents.map((agent) => agent.name)
    record.browser = browser
    record.browser_version = browserVersion
    record.device = device
    record.is_test_user = testUser
    record.language = language
    if (rng.chance(0.2)) record.oauth_channel = rng.pick(OAUTH_CHANNELS)
  }

  if (versionAtLeast(version, '1.3')) {
    record.end_user_id = rng.chance(0.3) ? null : objectId(rng, startMs - rng.int(0, 86_400_000 * 90))
    if (engaged && rng.chance(0.85)) {
      const topic = rng.pick(pools.topics)
      record.generated_topic_id = topic.id
      record.generated_topic_label = rng.chance(0.05) ? null : topic.label
    }
  }

  if (versionAtLeast(version, '1.4')) {
    const resolved = !escalated && rng.chance(0.6)
    record.automated_resolution_classification = resolved ? 'Resolved' : 'Not Resolved'
    record.automated_resolution_classification_reason = rng.pick(RESOLUTION_REASONS)
    record.inquiry_summary = engaged
      ? `The customer ${rng.pick(['wanted to know', 'asked', 'needed help with'])} ${summary}`
      : ''
    const v2 = engaged && rng.chance(0.8) ? rng.pick(pools.topicsV2) : undefined
    record.generated_topic_v2_id = v2?.id ?? null
    record.generated_topic_v2_title = v2?.title ?? null
    record.generated_topic_v2_desc = v2?.desc ?? null
    record.generated_topic_v2_parent_id = v2?.parent_id ?? null
    record.bot_handle_time = Math.round(rng.float(5, 900) * 1000) / 1000
    record.agent_handle_time = escalated ? Math.round(rng.float(60, 3600) * 1000) / 1000 : 0
    record.record_last_updated = formatAdaTime(Math.max(context.loadedAt, context.clock + 7_200_000_000))
  }

  if (version === '2') {
    record.classifications = engaged
      ? rng.sample(
          pools.classifications,
          rng.weighted([
            [0, 30],
            [1, 55],
            [2, 15],
          ]),
        )
      : []
    record.used_articles = rng.chance(0.4) ? rng.sample(pools.articles, rng.int(1, 3)) : []
    record.used_playbooks = rng.chance(0.15)
      ? rng.sample(pools.playbooks, 1).map((p) => ({
          ...p,
          outcome_status: rng.pick(['success', 'failure', null]),
          playbook_execution_id: rng.uuid(),
        }))
      : []
    record.used_coaching = rng.chance(0.1) ? rng.sample(pools.coaching, 1) : []
    if (escalated && rng.chance(0.5)) {
      record.last_agent_id = agents.at(-1)!.id
      record.last_agent_name = agents.at(-1)!.name
    }
  }

  if (quirks.unknownFields)
    record.sentiment = {
      label: rng.pick(['positive', 'neutral', 'négatif']),
      score: Math.round(rng.float(-1, 1) * 100) / 100,
    }
  // Messages reach the export later than their conversation (ingestion lags by two hours or more): a conversation
  // exported before its messages has no `messages` at all.
  if (!rng.chance(0.03)) record.messages = built.messages
  return sortedKeys(record)
}

function resolveOptions(options: AdaSampleOptions): {meanMessages: number; seed: string; version?: AdaVersion} {
  const {meanMessages, seed} = sampleBasics(options)
  if (options.version !== undefined && !ADA_VERSIONS.includes(options.version)) {
    throw new RangeError(`version must be one of ${ADA_VERSIONS.join(', ')}, got ${String(options.version)}`)
  }

  return {meanMessages, seed, ...(options.version && {version: options.version})}
}

/**
 * Ada Data Export conversations with their messages attached under `messages`.
 *
 * With the default options a record averages about 20 messages and 10–20 KB of compact JSON. Every Data Export
 * version's field set appears (v2 ~45%, v1.4 ~20%, v1.3, v1.2, v1.1, v1.0), and so do the quirks a converter must
 * survive: senders `ada` (`Ada` in ~5%), `bot` (meta events) and ids (the chatter's ObjectId, its UUID on greetings,
 * agent ids; `agent` in v1.0/v1.1); `answer_id` "None" or null; `csat: {}` beside full CSAT 2.0 blocks; microsecond
 * `+00:00` timestamps (real sub-millisecond digits in ~8%); metavariables as strings ("False", "1");
 * `variables.chat_transcript` (cut at 1000 characters before v1.3); generated topics, v2 classifications and
 * `inquiry_summary`; nullable v2 fields; empty texts, a ~50 KB message (~2% of records), unicode, conversations
 * without messages, and fields convoshift does not know (~5% of records).
 *
 * `count` may be `Infinity` for an endless stream.
 *
 * @yields One record per conversation, in start-time order.
 */
export function* adaRecords(count: number, options: AdaSampleOptions): Generator<Record<string, unknown>> {
  const {meanMessages, seed, version} = resolveOptions(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) yield buildRecord(pools, seed, i, {meanMessages, only: version})
}
