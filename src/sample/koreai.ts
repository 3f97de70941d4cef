/**
 * Deterministic synthetic Kore.ai records, for tests and benchmarks: SmartAssist conversation objects (as the Get a
 * specific Conversation / List of Conversations / conversation details endpoints return them) with their
 * Conversation History (getMessages) messages attached as a top-level `messages` array, the shape mappings/koreai.json
 * reads. Modelled on shared/vendors/koreai.md and the vendor's published samples, quirks included (see koreAiRecords).
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a 1000-record run.
 */
/* eslint-disable camelcase -- Kore.ai's own field names (template_type, dialog_tone, cluster_id…) */
import {Random, sampleBasics} from './random.js'

export interface KoreAiSampleOptions {
  /** Bias to roughly this many messages per conversation (default 20). */
  messages?: number
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
}

type Json = Record<string, unknown>

const FIRST_START_MS = Date.UTC(2024, 2, 4, 8, 0, 0)
const START_SPACING_MS = 3 * 60_000
const HUGE_MESSAGE_CHARS = 50_000

const iso = (ms: number): string => new Date(ms).toISOString()

/** Kore's ids: a prefix and a UUID-shaped body (conversation ids drop one hex digit from the first group). */
function koreId(rng: Random, prefix: string): string {
  return `${prefix}-${rng.uuid()}`
}

function conversationKey(rng: Random): string {
  const uuid = rng.uuid()
  return `c-${uuid.slice(1)}`
}

/** Mongo ObjectIds: 24 hex digits. */
const objectId = (rng: Random): string => rng.hex(24)

// ---------------------------------------------------------------------------------------------------------------
// Per-seed pools: one account, its bots, agents and queues, shared by every conversation of a run.

interface Agent {
  firstName: string
  id: string
  lastName: string
}

interface Queue {
  id: string
  name: string
}

interface Pools {
  accountId: string
  agents: Agent[]
  automationBotId: string
  botId: string
  contactCenterId: string
  orgId: string
  queues: Queue[]
  userOrgId: string
}

// prettier-ignore
const FIRST_NAMES = [
  'John', 'Priya', 'Zoë', 'Kwame', 'Ngọc', 'José', 'Søren', 'Aoife', 'Mateo', 'Fatima', 'Hiroshi', 'Léa', 'Dmitri',
  'Olu', 'Giulia', '李娜', 'さくら', '지민', 'محمد', 'נועה', 'Ольга',
]
// prettier-ignore
const LAST_NAMES = [
  'Doe', 'Sharma', 'Müller', 'Okafor', 'Nguyễn', 'García', "O'Brien", 'Kowalski', 'Rossi', 'Tanaka', 'Dubois', 'Silva',
  'Kim', '陈', '佐藤', 'العلي', 'כהן', 'Иванова',
]
const QUEUE_NAMES = ['Default Queue', 'Orders – EMEA', 'Billing', 'Tech support', 'VIP', 'Español', 'Retenção']
const PAGES = ['Kore.ai Web Client', 'Order status – Shop', 'Checkout', 'Mon compte', 'ヘルプセンター']
const INTENTS = ['TalkToAgent', 'OrderStatus', 'CancelSubscription', 'ResetPassword', 'UpdateAddress', 'Refund']
const LOCATIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['Bengaluru', 'India', 'Bharti Airtel Ltd., Telemedia Services'],
  ['Raha Gaon', 'India', 'Bharti Airtel Ltd. AS for GPRS Service'],
  ['Kraków', 'Poland', 'Orange Polska S.A.'],
  ['São Paulo', 'Brazil', 'Vivo'],
  ['Zürich', 'Switzerland', 'Swisscom (Schweiz) AG'],
  ['Detroit', 'United States', 'Comcast Cable'],
  ['東京', 'Japan', 'NTT Communications'],
  ['תל אביב', 'Israel', 'Bezeq International'],
]
const OPERATING_SYSTEMS = ['Windows', 'Linux', 'Mac OS', 'Android', 'iOS']
const LANGUAGES = ['en', 'en', 'en', 'en', 'de', 'fr', 'es', 'pt_BR', 'ja', 'ar']
const SESSION_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['intent', 'order-status'],
  ['campaign', 'Soldes d’été'],
  ['vip', ''],
  ['region', 'EMEA'],
  ['orderId', '4471'],
  ['journey', 'checkout:step-3'],
]
const USER_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['tier', 'gold'],
  ['loyalty', 'member'],
  ['segment', 'B2B'],
]
const MESSAGE_TAGS: ReadonlyArray<readonly [string, string]> = [
  ['sentiment', 'negative'],
  ['sentiment', 'positive'],
  ['escalation', 'requested'],
]
const DISPOSITION_SETS: ReadonlyArray<readonly [string, string]> = [
  ['resolution', 'Resolved'],
  ['resolution', 'Unresolved'],
  ['Billing', 'Refund'],
  ['Custom', 'ThroughWeb'],
  ['All Queues Selected Set (System Generated)', 'New Disposition'],
]

function makePools(seed: string): Pools {
  const rng = new Random(`${seed}/pools`)
  const agents = Array.from({length: 30}, () => ({
    firstName: rng.pick(FIRST_NAMES),
    id: koreId(rng, 'u'),
    lastName: rng.pick(LAST_NAMES),
  }))
  const queues = QUEUE_NAMES.map((name) => ({id: `qu-${rng.uuid().slice(1)}`, name}))
  return {
    accountId: objectId(rng),
    agents,
    automationBotId: koreId(rng, 'st'),
    botId: koreId(rng, 'st'),
    contactCenterId: koreId(rng, 'cs'),
    orgId: koreId(rng, 'o'),
    queues,
    userOrgId: koreId(rng, 'o'),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One conversation

type Channel = 'audiocodes' | 'facebook' | 'msteams' | 'rtm' | 'sms' | 'twiliovoice' | 'whatsapp'
type Shape = 'details' | 'get' | 'list'

interface Assignment {
  abandoned: boolean
  agent: Agent
  assignedMs: number
  endMs: number
  queue: Queue
  queueStartMs: number
  startMs: number
}

interface Context {
  botSessionId: string
  channel: Channel
  language: string
  pools: Pools
  postStyle: boolean
  sessionTags: Json[]
  userId: string
  userTags: Json[]
  voice: boolean
}

function messageCount(rng: Random, mean: number): number {
  if (mean === 0 || rng.chance(0.02)) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail, never negative.
  return Math.max(1, Math.round(mean * (rng.next() + rng.next())))
}

function tag([name, value]: readonly [string, string]): Json {
  return {name, value}
}

function hugeText(rng: Random, startMs: number): string {
  const lines: string[] = ['Here is everything the app logged:']
  let {length} = lines[0]!
  while (length < HUGE_MESSAGE_CHARS) {
    const line = `${iso(rng.epochMs(startMs - 86_400_000, startMs))} ${rng.pick(['INFO', 'WARN', 'ERROR'])} ${rng.sentence(6, 16, 0.02)}`
    lines.push(line)
    length += line.length + 1
  }

  return lines.join('\n')
}

function buttonTemplate(rng: Random): string {
  const buttons = Array.from({length: rng.int(1, 3)}, () =>
    rng.chance(0.5)
      ? {payload: rng.alphanumeric(6), title: rng.words(2), type: 'postback'}
      : {title: rng.words(2), type: 'web_url', url: `https://help.example.test/${rng.alphanumeric(8)}`},
  )
  // Key order as Kore's SDK writes it (not sorted): the neutral form keeps the parsed document.
  return JSON.stringify({type: 'template', payload: {template_type: 'button', text: rng.sentence(3, 8), buttons}})
}

function quickRepliesTemplate(rng: Random): string {
  const replies = rng.sample(['Yes', 'No', 'Track order', 'Talk to an agent', 'Später', 'はい'], rng.int(2, 4))
  return JSON.stringify({
    type: 'template',
    payload: {
      template_type: 'quick_replies',
      text: rng.sentence(3, 8),
      quick_replies: replies.map((title) => ({content_type: 'text', title, payload: title.toLowerCase()})),
    },
  })
}

function carouselTemplate(rng: Random): string {
  const elements = Array.from({length: rng.int(2, 4)}, () => ({
    title: rng.words(3),
    image_url: `https://media.example.test/p/${rng.hex(10)}.png`,
    subtitle: rng.sentence(3, 9),
    default_action: {type: 'web_url', url: `https://shop.example.test/p/${rng.digits(6)}`},
    buttons: [{type: 'postback', title: rng.words(2), payload: rng.alphanumeric(8)}],
  }))
  return JSON.stringify({type: 'template', payload: {template_type: 'carousel', elements}})
}

function textComponent(rng: Random, text: string, cT = 'text'): Json {
  return {_id: koreId(rng, 'cp'), cT, data: {text}, thumbnails: []}
}

function fileComponent(rng: Random, userSent: boolean): Json {
  const cT = rng.weighted<string>([
    ['image', 5],
    ['attachment', 3],
    ['filelink', 2],
    ['video', 1],
    ['audio', 1],
  ])
  const extension = {attachment: 'pdf', audio: 'mp3', filelink: 'pdf', image: 'jpg', video: 'mp4'}[cT] ?? 'bin'
  const mime = {
    attachment: 'application/pdf',
    audio: 'audio/mpeg',
    filelink: 'application/pdf',
    image: 'image/jpeg',
    video: 'video/mp4',
  }[cT]
  const name = `${rng.pick(['receipt', 'screenshot', 'Straße-12', '注文', 'label'])}-${rng.digits(4)}.${extension}`
  const data: Json = {
    url: `https://files.example.test/${userSent ? 'u' : 'kb'}/${rng.hex(12)}/${encodeURIComponent(name)}`,
  }
  if (rng.chance(0.8)) data.fileName = name
  if (rng.chance(0.7)) data.mimeType = mime
  if (rng.chance(0.2)) data.caption = rng.sentence(2, 6)
  const thumbnails =
    cT === 'image' && rng.chance(0.6)
      ? [
          {
            _id: koreId(rng, 'th'),
            height: 120,
            size: rng.int(2000, 9000),
            url: `https://files.example.test/t/${rng.hex(12)}.jpg`,
            width: 160,
          },
        ]
      : []
  return {_id: koreId(rng, 'cp'), cT, data, thumbnails}
}

type Sender = 'bot' | 'customer' | Agent

interface Turn {
  atMs: number
  sender: Sender
}

/** Where a message falls in its conversation, for the text it gets. */
interface Position {
  huge: boolean
  index: number
  sessionStartMs: number
}

function userText(rng: Random, {huge, index, sessionStartMs}: Position): string {
  if (huge) return hugeText(rng, sessionStartMs)
  if (rng.chance(0.02)) return ''
  if (index === 0)
    return rng.pick(['hi', 'Hello', 'agent', 'I want to talk to an agent', 'Bonjour 👋', 'hola', 'こんにちは'])
  return rng.sentence(2, 12, 0.04)
}

function messageComponents(rng: Random, sender: Sender, position: Position): {components: Json[]; ms: number} {
  if (sender === 'customer') {
    if (rng.chance(0.06)) {
      const components = [fileComponent(rng, true)]
      if (rng.chance(0.4)) components.unshift(textComponent(rng, rng.sentence(2, 8)))
      return {components, ms: 1}
    }

    return {components: [textComponent(rng, userText(rng, position))], ms: 1}
  }

  if (sender === 'bot') {
    const kind = rng.weighted<string>([
      ['text', 64],
      ['button', 10],
      ['quick', 10],
      ['carousel', 3],
      ['alert', 6],
      ['file', 4],
      ['location', 1],
      ['action', 2],
    ])
    switch (kind) {
      case 'action': {
        return {components: [textComponent(rng, `task:${rng.pick(['createTicket', 'lookupOrder'])}`, 'action')], ms: 2}
      }

      case 'alert': {
        return {
          components: [
            textComponent(
              rng,
              rng.pick(['Connecting you to an agent…', 'Your order has shipped 📦', 'Session timed out']),
              'alert',
            ),
          ],
          ms: 0,
        }
      }

      case 'button': {
        return {components: [textComponent(rng, buttonTemplate(rng))], ms: 1}
      }

      case 'carousel': {
        return {components: [textComponent(rng, carouselTemplate(rng))], ms: 1}
      }

      case 'file': {
        return {components: [textComponent(rng, rng.sentence(3, 9)), fileComponent(rng, false)], ms: 1}
      }

      case 'location': {
        return {
          components: [
            {
              _id: koreId(rng, 'cp'),
              cT: 'location',
              data: {lat: rng.float(-60, 70), lng: rng.float(-180, 180)},
              thumbnails: [],
            },
          ],
          ms: 3,
        }
      }

      case 'quick': {
        return {components: [textComponent(rng, quickRepliesTemplate(rng))], ms: 1}
      }

      default: {
        return {components: [textComponent(rng, rng.sentence(4, 12, 0.02))], ms: 1}
      }
    }
  }

  // A human agent: mostly text, sometimes a file or a link to a help article.
  const components = [textComponent(rng, rng.chance(0.02) ? '' : rng.sentences(rng.chance(0.3) ? 2 : 1, 0.03))]
  if (rng.chance(0.06)) components.push(fileComponent(rng, false))
  return {components, ms: 1}
}

function buildMessage(rng: Random, context: Context, turn: Turn, position: Position): Json {
  const {pools} = context
  const incoming = turn.sender === 'customer'
  const {components, ms} = messageComponents(rng, turn.sender, position)
  // timestampValue is usually createdOn in ms, but now and then lands a few ms later (as in the vendor sample).
  const timestampValue = turn.atMs + (rng.chance(0.05) ? rng.int(1, 20) : 0)
  const createdOn = iso(turn.atMs)
  const message: Json = {_id: koreId(rng, 'ms')}
  if (context.postStyle) {
    // The POST sample's layout: `channel` instead of `chnl`, no channelUId, lang or tags, and its own status words.
    Object.assign(message, {
      type: incoming ? 'incoming' : 'outgoing',
      status: incoming ? 'sent to cs' : 'delivered',
      createdBy: context.userId,
      ...(incoming ? {lmodifiedBy: context.userId} : {}),
      lmodifiedOn: rng.chance(0.3) ? iso(turn.atMs - rng.int(1, 5)) : createdOn,
      channels: [{type: context.channel}],
      botId: pools.botId,
      orgId: pools.orgId,
      accountId: pools.accountId,
      isBB: 0,
      ms,
      channel: context.channel,
      components,
      createdOn,
      timestampValue,
      __v: 0,
      sessionId: context.botSessionId,
    })
  } else {
    Object.assign(message, {
      channels: [
        {
          type: context.channel,
          channelUId: context.voice ? `+1415555${rng.digits(4)}` : `${rng.alphanumeric(8)}@example.test`,
        },
      ],
      type: incoming ? 'incoming' : 'outgoing',
      status: incoming ? 'received' : rng.pick(['pending', 'delivered', 'delivered']),
      createdBy: context.userId,
      ...(incoming ? {lmodifiedBy: context.userId} : {}),
      createdOn,
      lmodifiedOn: createdOn,
      botId: pools.botId,
      orgId: pools.orgId,
      accountId: pools.accountId,
      isBB: rng.chance(0.1) ? 1 : 0,
      ms,
      chnl: context.channel,
      isD: 0,
      components,
      timestampValue,
      __v: 0,
      lang: context.language,
      sT: 1,
      sessionId: context.botSessionId,
      ...(rng.chance(0.3) ? {cluster_id: 'Others'} : {}),
      resourceid: 'messagestore',
      tags: {
        messageTags: rng.chance(0.05) ? [tag(rng.pick(MESSAGE_TAGS))] : [],
        userTags: context.userTags,
        sessionTags: context.sessionTags,
      },
    })
    if (incoming && rng.chance(0.4)) message.traceId = rng.uuid()
  }

  if (typeof turn.sender === 'object') {
    const agent = turn.sender
    message.author = rng.chance(0.9)
      ? {_id: objectId(rng), firstName: agent.firstName, lastName: agent.lastName, userId: agent.id}
      : {_id: agent.id, firstName: agent.firstName, lastName: agent.lastName}
  }

  return message
}

function buildUserInfo(
  rng: Random,
  pools: Pools,
  user: {phone: string; shape: Shape; userId: string; voice: boolean},
): Json {
  const {phone, shape, userId, voice} = user
  if (shape === 'details') {
    const info: Json = {
      firstName: rng.pick(FIRST_NAMES),
      lastName: rng.pick(LAST_NAMES),
      email: `${rng.alphanumeric(6)}@example.test`,
      activationStatus: 'active',
    }
    if (rng.chance(0.7)) info.phoneNumber = phone
    return info
  }

  const transferConfig: Json = {
    skillsIds: [],
    overrideAgents: false,
    overrideValues: [],
    assistEvents: {
      startEvent: voice
        ? {isEnabled: false}
        : {isEnabled: true, botId: pools.automationBotId, dialogId: koreId(rng, 'dg'), dialogRefId: rng.uuid()},
    },
    automationBotId: pools.automationBotId,
    lastIntentName: 'TalkToAgent',
    lastIntentuserInput: rng.pick(['I want to talk to an agent', 'agent', 'human please']),
    dialog_tone: voice
      ? [
          {
            tone_name: rng.pick(['fear', 'anger', 'joy']),
            level: rng.int(1, 3),
            count: rng.int(1, 3),
            totalLevel: rng.int(1, 6),
          },
        ]
      : [],
  }
  const common: Json = {
    workinghours: {workdays: 'mon,tue,wed,thu,fri', workstart: '8:00 AM', workend: '5:00 PM'},
    profImage: 'no-avatar',
    jTitle: '',
    dept: '',
    profColour: `#${rng.hex(6)}`,
    activationStatus: 'active',
    firstName: rng.chance(0.2) ? rng.pick(FIRST_NAMES) : '',
    lastName: rng.chance(0.1) ? rng.pick(LAST_NAMES) : '',
    orgId: pools.userOrgId,
    _id: userId,
  }
  if (voice) {
    return {
      caller: phone,
      callee: pools.botId,
      callerHost: rng.pick(['Twilio-US', 'AudioCodes-EU']),
      userId,
      agentTransferConfig: {...transferConfig, accountId: pools.accountId},
      ...common,
      ...(rng.chance(0.3) ? {customData: null} : {}),
      identities: [
        {val: `${pools.contactCenterId}/${rng.uuid()}`, type: 'mapped'},
        {val: `${pools.accountId}/audiocodes/${rng.hex(32)}`, type: 'mapped'},
      ],
      queue: rng.pick(pools.queues).id,
    }
  }

  const [city, country, isp] = rng.pick(LOCATIONS)
  return {
    ...common,
    identities: [{val: `${pools.contactCenterId}/${rng.uuid()}${rng.uuid()}`, type: 'mapped'}],
    agentTransferConfig: transferConfig,
    city,
    country,
    isp,
    ipAddress: rng.chance(0.2) ? '' : `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    queue: rng.pick(pools.queues).id,
    hostDomain: rng.chance(0.2) ? '' : 'https://platform.kore.ai',
    os: rng.pick(OPERATING_SYSTEMS),
    device: rng.chance(0.8) ? 'NA' : rng.pick(['Mobile', 'Desktop', 'Tablet']),
  }
}

function buildRecord(pools: Pools, seed: string, index: number, meanMessages: number): Json {
  const rng = new Random(`${seed}/conversation/${index}`)
  const shape = rng.weighted<Shape>([
    ['get', 70],
    ['list', 20],
    ['details', 10],
  ])
  const voice = shape !== 'details' && rng.chance(0.2)
  const channel: Channel = voice
    ? rng.weighted<Channel>([
        ['audiocodes', 4],
        ['twiliovoice', 1],
      ])
    : rng.weighted<Channel>([
        ['rtm', 14],
        ['whatsapp', 2],
        ['facebook', 1],
        ['sms', 1],
        ['msteams', 1],
      ])
  const id = conversationKey(rng)
  const userId = koreId(rng, 'u')
  const botSessionId = objectId(rng)
  const sessionStartMs = FIRST_START_MS + index * START_SPACING_MS + rng.int(0, START_SPACING_MS - 1)
  const open = rng.chance(0.08)
  const dropOff = !open && rng.chance(0.1)
  const language = rng.pick(LANGUAGES)
  const phone = `+1${rng.digits(10)}`
  const sessionTags = rng
    .sample(
      SESSION_TAGS,
      rng.weighted([
        [0, 4],
        [1, 3],
        [2, 2],
        [3, 1],
      ]),
    )
    .map((t) => tag(t))
  const userTags = rng.chance(0.3) ? rng.sample(USER_TAGS, rng.int(1, 2)).map((t) => tag(t)) : []
  const context: Context = {
    botSessionId,
    channel,
    language,
    pools,
    postStyle: rng.chance(0.12),
    sessionTags,
    userId,
    userTags,
    voice,
  }

  // Timeline: the bot first, then (unless dropped off or still queued) one to three agent assignments.
  const count = messageCount(rng, meanMessages)
  const botTurns = dropOff || open ? count : Math.min(count, Math.max(1, Math.round(count * rng.float(0.2, 0.5))))
  const turns: Turn[] = []
  let at = sessionStartMs + rng.int(50, 400)
  for (let i = 0; i < botTurns; i++) {
    turns.push({atMs: at, sender: i % 2 === 0 ? 'customer' : 'bot'})
    at += rng.int(300, 45_000)
  }

  const queueStartMs = at
  const assignments: Assignment[] = []
  const agentTurns = count - botTurns
  if (!dropOff && !open) {
    const segments = rng.weighted([
      [1, 70],
      [2, 22],
      [3, 8],
    ])
    let queue = rng.pick(pools.queues)
    let segmentStart = queueStartMs
    const perSegment = Math.max(1, Math.ceil(agentTurns / segments))
    for (let s = 0; s < segments; s++) {
      // Now and then an agent lets the offer time out (ABANDONED, never started) and is offered it again.
      if (rng.chance(0.1)) {
        const agent = rng.pick(pools.agents)
        const assigned = segmentStart + rng.int(50, 300)
        assignments.push({
          abandoned: true,
          agent,
          assignedMs: assigned,
          endMs: assigned + 30_000,
          queue,
          queueStartMs: segmentStart,
          startMs: -1,
        })
        segmentStart = assigned + 30_000 + rng.int(100, 5000)
      }

      const agent = rng.pick(pools.agents)
      const assignedMs = segmentStart + rng.int(50, 60_000)
      const startMs = assignedMs + rng.int(1000, 15_000)
      let t = startMs + rng.int(1000, 10_000)
      for (let k = 0; k < perSegment && turns.length < count; k++) {
        turns.push({atMs: t, sender: rng.chance(0.5) ? 'customer' : agent})
        t += rng.int(2000, 120_000)
      }

      const endMs = t + rng.int(500, 5000)
      assignments.push({abandoned: false, agent, assignedMs, endMs, queue, queueStartMs: segmentStart, startMs})
      segmentStart = endMs
      if (s < segments - 1 && rng.chance(0.6)) queue = rng.pick(pools.queues)
    }
  }

  const lastMs = Math.max(turns.at(-1)?.atMs ?? at, assignments.at(-1)?.endMs ?? at)
  const startTimeMs = queueStartMs + 1
  const endTimeMs = dropOff ? startTimeMs + 600_000 + rng.int(0, 50) : lastMs + rng.int(20, 400)
  // Now and then the customer pastes a whole log (~50 KB).
  const customerTurns = turns.flatMap((turn, i) => (turn.sender === 'customer' ? [i] : []))
  const hugeAt = customerTurns.length > 0 && rng.chance(0.02) ? rng.pick(customerTurns) : -1
  const messages = turns.map((turn, index) =>
    buildMessage(rng, context, turn, {huge: index === hugeAt, index, sessionStartMs}),
  )

  // A session tag set during the conversation: the messages before it do not carry it.
  if (!context.postStyle && messages.length > 3 && rng.chance(0.1)) {
    const late = tag(['stage', 'escalated'])
    const from = rng.int(1, messages.length - 1)
    for (const [i, message] of messages.entries()) {
      const tags = message.tags as Json
      tags.sessionTags = i >= from ? [...sessionTags, late] : sessionTags
    }
  }

  // getMessages returns newest first unless forward=true; exports keep the API's order.
  if (rng.chance(0.3)) messages.reverse()

  return assemble(rng, {
    assignments,
    botSessionId,
    channel,
    context,
    dropOff,
    endTimeMs,
    id,
    messages,
    open,
    sessionStartMs,
    shape,
    startTimeMs,
    voice,
    phone,
  })
}

interface Assembly {
  assignments: Assignment[]
  botSessionId: string
  channel: Channel
  context: Context
  dropOff: boolean
  endTimeMs: number
  id: string
  messages: Json[]
  open: boolean
  phone: string
  sessionStartMs: number
  shape: Shape
  startTimeMs: number
  voice: boolean
}

function participantEntries(rng: Random, assignments: Assignment[], shape: Shape, voice: boolean): Json[] {
  return assignments.map((a, i) => {
    const entry: Json = {}
    if (!voice || rng.chance(0.5)) {
      entry.queueId = a.queue.id
      entry.queueStartTime = iso(a.queueStartMs)
      entry.queueName = a.queue.name
    }

    Object.assign(entry, {
      agentId: a.agent.id,
      name: `${a.agent.firstName} ${a.agent.lastName}`,
      status: a.abandoned ? 'ABANDONED' : i === assignments.length - 1 ? 'ACTIVE' : 'INACTIVE',
      assignedAt: iso(a.assignedMs),
    })
    if (!a.abandoned) entry.startTimeStamp = iso(a.startMs)
    if (shape === 'details' && i < assignments.length - 1 && !a.abandoned) {
      entry.conversationTransferred = true
      entry.reason = 'OVERDUE'
    }

    entry.endTimeStamp = iso(a.endMs)
    if (shape === 'get' && !a.abandoned && rng.chance(0.5)) {
      entry.isTransferred = i > 0
      entry.onInterrupt = rng.bool()
    }

    if (i === assignments.length - 1 && !a.abandoned && rng.chance(0.3)) entry.endedChat = true
    return entry
  })
}

function transferEntries(rng: Random, assignments: Assignment[], shape: Shape, voice: boolean): Json[] {
  const started = assignments.filter((a) => !a.abandoned)
  const transfers: Json[] = []
  if (voice && started.length > 0) {
    // Voice hand-offs in the list sample: OTHERS, from no agent, straight to the agent.
    const first = started[0]!
    transfers.push({
      fromAgent: null,
      transferredType: 'OTHERS',
      transferredTo: [
        {type: 'AGENT', id: first.agent.id, name: `${first.agent.firstName} ${first.agent.lastName}`, emailId: ''},
      ],
      transferredBy: first.agent.id,
      priority: 'LOW',
      transferredAt: iso(first.assignedMs - rng.int(50, 400)),
      isManager: true,
    })
  }

  for (let i = 1; i < started.length; i++) {
    const from = started[i - 1]!
    const to = started[i]!
    const at = iso(from.endMs)
    if (shape === 'details' || rng.chance(0.15)) {
      transfers.push({
        fromQueue: from.queue.id,
        transferredByAgentName: `${from.agent.firstName} ${from.agent.lastName}`,
        transferredType: 'QUEUE',
        transferredTo: [{id: to.queue.id, name: to.queue.name, type: 'QUEUE'}],
        priority: 'HIGHEST',
        transferredAt: at,
        systemTransferReason: 'OVERDUE',
        systemTransfer: true,
      })
      continue
    }

    const targets: Json[] = [{id: to.queue.id, name: to.queue.name, type: 'QUEUE'}]
    if (rng.chance(0.2))
      targets.push({id: to.agent.id, name: `${to.agent.firstName} ${to.agent.lastName}`, type: 'AGENT'})
    transfers.push({
      fromQueue: from.queue.id,
      fromAgent: from.agent.id,
      transferredType: 'QUEUE',
      transferredTo: targets,
      transferredBy: from.agent.id,
      priority: rng.pick(['HIGHEST', 'HIGH', 'MEDIUM', 'LOW']),
      transferredAt: at,
      isManager: rng.chance(0.1),
    })
  }

  return transfers
}

function dispositionsOf(rng: Random, dropOff: boolean, remarks: string): Json {
  if (dropOff) {
    return {
      metaStatus: 'SYSTEM_DROP_OFF',
      status: 'DROP-OFF',
      remarks:
        "I'm sorry. It seems like there are no agents that can help you at this time. Please reach out to us a bit later.",
      dispositionSets: null,
    }
  }

  return {
    status: rng.weighted<string>([
      ['Resolved', 5],
      ['UnKnown', 4],
      ['Unresolved', 1],
    ]),
    remarks,
    dispositionSets: rng
      .sample(DISPOSITION_SETS, rng.int(1, 2))
      .map(([dispositionsSet, dispositionCodes]) => ({dispositionsSet, dispositionCodes})),
    metaStatus: 'AGENT_CLOSED',
  }
}

function priorityOf(rng: Random): unknown {
  // The docs say string; the samples show a number or null. Both appear.
  return rng.weighted<unknown>([
    [rng.int(1, 10), 6],
    [null, 3],
    [rng.pick(['HIGH', 'LOW', '5']), 1],
  ])
}

function surveyRequiredOf(rng: Random): unknown {
  // The docs say boolean; the samples show "YES"/"NO". Both appear.
  const required = rng.chance(0.5)
  return rng.chance(0.85) ? (required ? 'YES' : 'NO') : required
}

function assemble(rng: Random, a: Assembly): Json {
  const {context, shape} = a
  const {pools} = context
  const started = a.assignments.filter((x) => !x.abandoned)
  const status = a.open ? rng.pick(['ACTIVE', 'OPEN', 'IDLE', 'OVERDUE']) : rng.chance(0.04) ? 'TERMINATED' : 'CLOSED'
  const intentInput = rng.pick([
    'I want to talk to an agent',
    'agent please',
    'where is my order?',
    'cancel my plan',
    'Passwort zurücksetzen',
  ])
  const noteText = rng.chance(0.3) ? iso(a.sessionStartMs + rng.int(0, 500)) : rng.sentences(rng.int(1, 2))
  const participants = participantEntries(rng, a.assignments, shape, a.voice)
  const transferDetails = transferEntries(rng, a.assignments, shape, a.voice)
  const userInfo = buildUserInfo(rng, pools, {phone: a.phone, shape, userId: context.userId, voice: a.voice})

  if (shape === 'details') {
    // The session-details endpoint: fewer fields, a generated summary, no bot session id. (The published sample is
    // trimmed further; a conversation object always has its start time.)
    const record: Json = {
      _id: a.id,
      participants,
      transferDetails,
      conversationType: rng.pick(['livechat', 'messaging']),
      status,
      surveyRequired: surveyRequiredOf(rng),
      priority: priorityOf(rng),
      startTime: iso(a.startTimeMs),
    }
    if (!a.open) record.endTime = iso(a.endTimeMs)
    if (!a.open) record.summary = [rng.sentences(rng.int(2, 4))]
    if (!a.open) record.dispositions = dispositionsOf(rng, a.dropOff, rng.sentences(1))
    Object.assign(record, {userInfo, userId: context.userId, botId: pools.botId, messages: a.messages})
    return record
  }

  const record: Json = {}
  if (shape === 'list') {
    Object.assign(record, {
      startSessionTime: iso(a.sessionStartMs),
      botSessionId: a.botSessionId,
      botId: pools.botId,
      userId: context.userId,
      orgId: pools.orgId,
      source: a.channel,
      _id: a.id,
    })
  }

  Object.assign(record, {
    participants,
    transferDetails,
    waitTime:
      started.length > 0 ? started[0]!.startMs - (started[0]!.queueStartMs ?? a.startTimeMs) : rng.int(0, 600_000),
    isProactiveAgentAssistEnabled: rng.chance(0.8),
    status,
    callbackOpted: a.voice ? rng.bool() : false,
    contactFlow: [],
    surveyRequired: surveyRequiredOf(rng),
    isDeveloper: rng.chance(0.03),
  })
  if (shape === 'get') {
    Object.assign(record, {
      _id: a.id,
      orgId: pools.orgId,
      userId: context.userId,
      accountId: pools.accountId,
      botId: pools.botId,
      source: a.channel,
      botSessionId: a.botSessionId,
    })
  } else {
    record.accountId = pools.accountId
  }

  if (a.voice) {
    Object.assign(record, {
      phoneNumber: a.phone,
      ...(shape === 'list' ? {conversationId: rng.uuid()} : {}),
      language: context.language,
      botSIPURI: `sip:+1${rng.digits(10)}@voice-gw.example.test:5060`,
      CallIDData: rng.hex(32),
      sentimentTone: {
        sentiment: rng.pick(['fear', 'anger', 'joy', 'neutral']),
        emoji: rng.pick(['😨', '😠', '😀', '😐']),
        strength: rng.int(1, 3),
      },
    })
  } else {
    if (shape === 'list') record.conversationId = rng.uuid()
    record.language = context.language
  }

  Object.assign(record, {
    keyIntentName: rng.pick(INTENTS),
    keyIntentUserInput: intentInput,
  })
  if (!a.voice) {
    record.agentDesktopMeta = {
      pagesVisited: rng.chance(0.2)
        ? []
        : [
            {
              page: rng.pick(PAGES),
              timestamp: iso(a.sessionStartMs - rng.int(60_000, 4 * 86_400_000)),
              timespent: rng.int(1000, 400_000_000) / 1000,
            },
          ],
    }
    record.conversationType = 'messaging'
  }

  record.priority = priorityOf(rng)
  // One entry per queue the conversation waited in (an abandoned offer and its retry share one).
  const waited = a.assignments.filter(
    (x, i, all) => all.findIndex((y) => y.queue.id === x.queue.id && y.queueStartMs === x.queueStartMs) === i,
  )
  const queues = waited.map((x, i) => ({
    type: i === 0 ? 'ASSIGNED' : 'TRANSFERRED',
    status: i === waited.length - 1 ? 'ACTIVE' : 'INACTIVE',
    isPreferredAgentTimeoutExpired: rng.bool(),
    id: x.queue.id,
    name: x.queue.name,
    startTime: iso(x.queueStartMs),
  }))
  if (queues.length === 0) {
    const queue = rng.pick(pools.queues)
    queues.push({
      type: 'ASSIGNED',
      status: 'ACTIVE',
      isPreferredAgentTimeoutExpired: !a.open,
      id: queue.id,
      name: queue.name,
      startTime: iso(a.startTimeMs - 1),
    })
  }

  record.queues = queues

  record.startTime = iso(a.startTimeMs)
  if (!a.open) record.endTime = iso(a.endTimeMs)
  record.formData = rng.chance(0.1)
    ? [
        {name: 'orderNumber', value: rng.digits(5)},
        {name: 'email', value: `${rng.alphanumeric(6)}@example.test`},
      ]
    : []
  // timestampValue is startTime in epoch ms; rarely it is the creation time instead.
  record.timestampValue = a.startTimeMs + (rng.chance(0.05) ? 1 : 0)
  record.createdAt = iso(a.startTimeMs + rng.int(1, 3))
  record.updatedAt = iso((a.open ? a.startTimeMs : a.endTimeMs) + rng.int(1, 10_000))
  record.__v = 0
  record.skills = rng.chance(0.1)
    ? [{id: `sk-${rng.alphanumeric(6)}`, name: rng.pick(['português', 'billing', 'VIP'])}]
    : []
  if (started.length > 0) record.acceptedAt = iso(started[0]!.startMs)
  if (started.length > 0 && rng.chance(0.05)) record.reconnectedAt = iso(started[0]!.startMs + rng.int(5000, 60_000))
  record.notes =
    started.length > 0 && !a.open && rng.chance(0.6)
      ? Array.from({length: rng.int(1, 2)}, () => {
          const author = rng.pick(started).agent
          const noteId = objectId(rng)
          return {
            _id: noteId,
            conversationId: a.id,
            author: {_id: noteId, firstName: author.firstName, lastName: author.lastName, userId: author.id},
            note: noteText,
            timestamp: iso(a.endTimeMs - 1),
          }
        })
      : []
  record.userInfo = userInfo
  if (!a.open) record.dispositions = dispositionsOf(rng, a.dropOff, noteText)
  if (rng.chance(0.05)) record.newVendorField = {addedIn: '2026', flags: [rng.int(0, 9), rng.int(0, 9)]}
  record.messages = a.messages
  return record
}

// ---------------------------------------------------------------------------------------------------------------
// Public generator

/**
 * SmartAssist conversation objects with their getMessages messages under `messages`.
 *
 * With the default options a record averages about 15 KB of compact JSON and 20 messages. Quirks across a few
 * hundred records: three endpoint layouts (Get a specific Conversation, List of Conversations items with
 * conversationId/startSessionTime, and the session-details shape with a summary and no bot session), voice
 * conversations (audiocodes, phoneNumber, SIP fields, caller/callee userInfo, no conversationType), surveyRequired
 * as "YES"/"NO" or a boolean, priority as a number, null or a string, ABANDONED agent offers without
 * startTimeStamp, the same agent assigned twice, QUEUE and OTHERS transfers (fromAgent null, system OVERDUE
 * transfers), SYSTEM_DROP_OFF drop-offs, open conversations without endTime or dispositions, notes whose text is a
 * timestamp, userInfo.device "NA" and ipAddress "", messages newest first (~30%), POST-style messages (`channel`
 * instead of `chnl`, no tags; ~12%), bot templates serialised in data.text, alert/action/location components,
 * files with thumbnails, agent messages with an author object, timestampValue a few ms off createdOn (~5%),
 * session tags added mid-conversation, empty texts, a ~50 KB message (~2% of records), unicode and JSON-hostile
 * text, and fields convoshift does not know (~5%).
 *
 * `count` may be `Infinity` for an endless stream.
 *
 * @yields One record per conversation, in start-time order.
 */
export function* koreAiRecords(count: number, options: KoreAiSampleOptions): Generator<Record<string, unknown>> {
  const {meanMessages, seed} = sampleBasics(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) yield buildRecord(pools, seed, i, meanMessages)
}
