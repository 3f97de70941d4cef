/**
 * Deterministic synthetic LivePerson records, for tests and benchmarks.
 *
 * Modelled on the record shapes in shared/vendors/liveperson.md: Messaging Interactions
 * `conversationHistoryRecords[]` items and Consumer Messaging History `conversationHistoryMetadataRecords[]` items,
 * including the quirks a converter has to survive (see `livePersonRecords`).
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a
 * 1000-record run, and the two generators describe the same conversation at the same index (same conversation id,
 * consumer, agents, start and end).
 */
import {formatUtc, Random, sampleBasics} from './random.js'

export interface LivePersonSampleOptions {
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
  /** Bias to roughly this many messages per conversation (default 20). */
  messages?: number
}

type Json = Record<string, unknown>

/** Conversations start about this far apart, in order, from FIRST_START_MS. */
const FIRST_START_MS = Date.UTC(2024, 0, 8, 9, 0, 0)
const START_SPACING_MS = 4 * 60_000
const HUGE_MESSAGE_CHARS = 50_000

/** LivePerson's string time form: `2016-08-29 14:30:24.565+0000` (a space, not `T`; `+0000`, not `Z`). */
export function formatLivePersonTime(epochMs: number): string {
  return formatUtc(epochMs, '+0000')
}

// ---------------------------------------------------------------------------------------------------------------
// Per-seed pools: one brand, its agents, skills, groups and campaign, shared by every conversation of a run.

interface Agent {
  id: string
  fullName: string
  groupId: number
  groupName: string
  kind: 'bot' | 'human' | 'system'
  loginName: string
  nickname: string
}

interface Skill {
  id: number
  name: string
}

interface Pools {
  accountDigits: string
  bots: Agent[]
  brandId: string
  campaigns: Json[]
  humans: Agent[]
  skills: Skill[]
  system: Agent
}

// prettier-ignore
const FIRST_NAMES = [
  'Michal', 'Anna', 'José', 'Zoë', 'Søren', 'Ngọc', 'Aoife', 'Björn', 'Chloé', 'Dmitri', 'Fatima', 'Giulia', 'Hiroshi',
  'Ines', 'Jürgen', 'Kwame', 'Léa', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Rafael', 'Sven', 'Tomasz', '李娜', '王伟', 'さくら',
  '지민', 'محمد', 'ليلى', 'נועה', 'Αλέξανδρος', 'Ольга',
]
// prettier-ignore
const LAST_NAMES = [
  'Smith', 'García', 'Müller', "O'Brien", 'Nguyễn', 'Kowalski', 'Øvergaard', 'Dubois', 'Rossi', 'Tanaka', 'Okafor',
  'Silva', 'Johansson', 'Novák', 'Fernández', 'Kim', '陈', '佐藤', 'العلي', 'כהן', 'Παπαδόπουλος', 'Иванова',
]
const SKILL_NAMES = ['billing', 'returns', 'tech-support', 'sales', 'vip', 'fraud', 'lpsocial', 'español', 'retención']
const GROUP_NAMES = ['Tier 1', 'Tier 2', 'Night shift', 'Nearshore – Lisboa', 'Escalations']
const BOT_NAMES = ['Conversation Assist', 'Routing Bot', 'FAQ Bot 🤖', 'Survey Bot']
// prettier-ignore
const LANGUAGES = [
  'en-US', 'en-US', 'en-US', 'en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'pt-BR', 'ja-JP', 'zh-CN', 'ar-AE', 'he-IL',
]
// prettier-ignore
const TIME_ZONES = [
  'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Jerusalem', 'UTC',
]
const LOCATIONS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['United States', 'US', 'Michigan', 'Detroit'],
  ['United States', 'US', 'New York', 'New York'],
  ['Brazil', 'BR', 'São Paulo', 'São Paulo'],
  ['Switzerland', 'CH', 'Zürich', 'Zürich'],
  ['Japan', 'JP', '東京都', '渋谷区'],
  ['Canada', 'CA', 'Québec', 'Montréal'],
  ['Poland', 'PL', 'Małopolskie', 'Kraków'],
  ['Israel', 'IL', 'Tel Aviv', 'תל אביב'],
  ['United Arab Emirates', 'AE', 'Dubai', 'دبي'],
]
const ISPS = ['AT&T U-verse', 'Comcast Cable', 'Deutsche Telekom AG', 'NTT Communications', 'Vivo', 'Orange']
// prettier-ignore
const FEATURES = [
  'PHOTO_SHARING', 'QUICK_REPLIES', 'AUTO_MESSAGES', 'MULTI_DIALOG', 'FILE_SHARING', 'RICH_CONTENT', 'CO_BROWSE',
]
const FILE_TYPES = ['JPG', 'PNG', 'GIF', 'PDF', 'TXT']

function makeAgent(
  rng: Random,
  kind: Agent['kind'],
  groups: ReadonlyArray<readonly [number, string]>,
  name?: string,
): Agent {
  const [groupId, groupName] = rng.chance(0.3) ? [-1, 'Unassigned'] : rng.pick(groups)
  if (kind !== 'human') {
    const fullName = name ?? 'System'
    return {
      fullName,
      groupId,
      groupName,
      id: kind === 'bot' ? rng.uuid() : rng.digits(10),
      kind,
      loginName: fullName,
      nickname: fullName,
    }
  }

  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  const login = `${rng.alphanumeric(6)}@lp-brand.example`
  // The vendor sample uses the login name for all three names; most real accounts do not.
  const sameAsLogin = rng.chance(0.15)
  return {
    fullName: sameAsLogin ? login : `${first} ${last}`,
    groupId,
    groupName,
    id: rng.digits(10),
    kind,
    loginName: login,
    nickname: sameAsLogin ? login : first,
  }
}

function makePools(seed: string): Pools {
  const rng = new Random(`${seed}/pools`)
  const accountDigits = rng.digits(8)
  const groups = GROUP_NAMES.map((name) => [rng.int(1_000_000, 9_999_999), name] as const)
  const skills = SKILL_NAMES.map((name) => ({id: rng.int(1_000_000_000, 4_000_000_000), name}))
  const humans = Array.from({length: 40}, () => makeAgent(rng, 'human', groups))
  const bots = BOT_NAMES.map((name) => makeAgent(rng, 'bot', groups, name))
  const system = makeAgent(rng, 'system', groups)
  const campaigns = Array.from({length: 6}, (_, k) => ({
    campaignEngagementId: rng.digits(10),
    campaignEngagementName: rng.pick(['Engagement-123', 'Web – proactive', 'App inbox', 'SMS keyword', 'Facebook DM']),
    campaignId: rng.digits(10),
    campaignName: rng.pick(['Live_Chat_on_your_site', 'Messaging', 'Soldes d’été', 'Black Friday 🛍️']),
    goalId: rng.digits(10),
    goalName: rng.pick(['Interact with visitors', 'Increase sales', 'Reduce calls']),
    engagementAgentNote: k === 0 ? '' : rng.sentence(3, 8),
    engagementSource: rng.pick(['WEB_SITE', 'SOCIAL_MEDIA', 'APP', 'SMS']),
    visitorBehaviorId: rng.digits(10),
    visitorBehaviorName: rng.pick(['someVisitorBehavior', 'Any behavior', 'Cart abandoners']),
    engagementApplicationId: rng.uuid(),
    engagementApplicationName: rng.pick(['Some Mobile App Test', 'Web messaging', 'iOS app']),
    engagementApplicationTypeId: rng.uuid(),
    engagementApplicationTypeName: rng.pick(['Mobile App', 'Web', 'Third party']),
    visitorProfileId: rng.digits(10),
    visitorProfileName: 'All visitors',
    lobId: rng.int(1_000_000_000, 3_000_000_000),
    lobName: rng.pick(['lob_123', 'Retail', 'Support']),
    locationId: rng.digits(10),
    locationName: 'Entire site',
    profileSystemDefault: rng.bool(),
    behaviorSystemDefault: rng.bool(),
  }))
  return {accountDigits, bots, brandId: `le${accountDigits}`, campaigns, humans, skills, system}
}

// ---------------------------------------------------------------------------------------------------------------
// The conversation skeleton: who took part, when, in which dialog. Both record kinds are rendered from it.

type Sender = 'consumer' | Agent

interface Turn {
  atMs: number
  dialog: 'MAIN' | 'POST_SURVEY'
  sender: Sender
}

interface Assignment {
  agent: Agent
  atMs: number
  skill: Skill
}

interface Conversation {
  assignments: Assignment[]
  closeReason?: {by: 'AGENT' | 'CONSUMER' | 'SYSTEM'; description: string}
  consumerId: string
  conversationId: string
  csat?: {rate: number; resolved: boolean; status: 'FILLED' | 'PARTIALLY_FILLED' | 'SKIPPED'}
  endMs: number
  /** Last activity (for an open conversation, the export saw it up to here). */
  lastActivityMs: number
  /** A manager who joined as a reader, if any. */
  reader?: Assignment
  startMs: number
  surveyDialogId?: string
  /** Survey dialog still open although the main dialog closed (the seed003 sample's `state` CLOSE / `stage` OPEN). */
  surveyStillOpen: boolean
  turns: Turn[]
}

function messageCount(rng: Random, mean: number): number {
  if (mean === 0 || rng.chance(0.01)) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail, never negative.
  return Math.max(1, Math.round(mean * (rng.next() + rng.next())))
}

function buildConversation(pools: Pools, seed: string, index: number, meanMessages: number): Conversation {
  const rng = new Random(`${seed}/conversation/${index}`)
  const conversationId = rng.uuid()
  const consumerId = rng.chance(0.25) ? rng.hex(64) : rng.uuid()
  const startMs = FIRST_START_MS + index * START_SPACING_MS + rng.int(0, START_SPACING_MS - 1)
  const open = rng.chance(0.1)
  const count = messageCount(rng, meanMessages)
  const route = rng.weighted<'bot-only' | 'bot-then-human' | 'human' | 'unassigned'>([
    ['human', 50],
    ['bot-then-human', 30],
    ['bot-only', 16],
    ['unassigned', 4],
  ])

  // Agents in the order they were assigned.
  const agents: Agent[] = []
  if (route !== 'human' && route !== 'unassigned') agents.push(rng.pick(pools.bots.slice(0, 3)))
  if (route === 'human' || route === 'bot-then-human') {
    agents.push(
      ...rng.sample(
        pools.humans,
        rng.weighted([
          [1, 70],
          [2, 22],
          [3, 8],
        ]),
      ),
    )
  }

  const surveyTurns = !open && count >= 4 && route !== 'unassigned' && rng.chance(0.35) ? rng.int(2, 4) : 0
  const mainCount = count - surveyTurns
  const withSystem = agents.length > 1 && rng.chance(0.25)

  // Timeline. The consumer usually speaks first; agents take the conversation in segments.
  const turns: Turn[] = []
  const assignments: Assignment[] = []
  let at = startMs + rng.int(500, 30_000)
  let segment = -1
  for (let i = 0; i < mainCount; i++) {
    const nextSegment =
      agents.length === 0 ? -1 : Math.min(agents.length - 1, Math.floor((i * agents.length) / Math.max(1, mainCount)))
    if (nextSegment !== segment && nextSegment >= 0) {
      const agent = agents[nextSegment] as Agent
      assignments.push({
        agent,
        atMs: at - rng.int(200, 5000),
        skill: rng.chance(0.1) ? {id: -1, name: 'Unassigned'} : rng.pick(pools.skills),
      })
      if (withSystem && segment >= 0) {
        turns.push({atMs: at, dialog: 'MAIN', sender: pools.system})
        at += rng.int(100, 2000)
      }

      segment = nextSegment
    }

    const agent = agents[segment]
    const consumerTurn = agent === undefined || (i === 0 ? rng.chance(0.9) : rng.chance(0.48))
    turns.push({atMs: at, dialog: 'MAIN', sender: consumerTurn || !agent ? 'consumer' : agent})
    at += rng.chance(0.05) ? rng.int(120_000, 1_800_000) : rng.int(2000, 90_000)
  }

  const surveyBot = pools.bots[3] as Agent
  for (let i = 0; i < surveyTurns; i++) {
    turns.push({atMs: at, dialog: 'POST_SURVEY', sender: i % 2 === 0 ? surveyBot : 'consumer'})
    at += rng.int(1500, 40_000)
  }

  const lastActivityMs = turns.at(-1)?.atMs ?? startMs + rng.int(5000, 300_000)
  const endMs = open ? -1 : lastActivityMs + rng.int(1000, 600_000)
  const conversation: Conversation = {
    assignments,
    consumerId,
    conversationId,
    endMs,
    lastActivityMs,
    startMs,
    surveyStillOpen: false,
    turns,
  }
  if (!open) {
    conversation.closeReason = rng.weighted<NonNullable<Conversation['closeReason']>>([
      [{by: 'AGENT', description: 'MANUAL_CLOSE'}, 50],
      [{by: 'CONSUMER', description: 'MANUAL_CLOSE'}, 30],
      [{by: 'SYSTEM', description: 'AUTO_CLOSE'}, 12],
      [{by: 'SYSTEM', description: 'TIMEOUT'}, 8],
    ])
  }

  if (surveyTurns > 0) {
    conversation.surveyDialogId = rng.uuid()
    conversation.surveyStillOpen = rng.chance(0.15)
    const status = rng.weighted<'FILLED' | 'PARTIALLY_FILLED' | 'SKIPPED'>([
      ['FILLED', 70],
      ['PARTIALLY_FILLED', 20],
      ['SKIPPED', 10],
    ])
    conversation.csat = {
      rate: status === 'SKIPPED' ? 0 : rng.int(1, 5),
      resolved: status === 'FILLED' && rng.chance(0.7),
      status,
    }
  }

  if (assignments.length > 0 && rng.chance(0.1)) {
    conversation.reader = {
      agent: rng.pick(pools.humans),
      atMs: startMs + rng.int(1000, 60_000),
      skill: {id: -1, name: 'Unassigned'},
    }
  }

  return conversation
}

// ---------------------------------------------------------------------------------------------------------------
// Messaging Interactions record

interface Quirks {
  /** Consumer list under `consumerParticipant` (as in the vendor sample) instead of `consumerParticipants` (as in the docs). */
  singularConsumerKey: boolean
  /** `sentBy` as documented ("consumer"/"agent") instead of as in the sample ("Consumer"/"Agent"). */
  lowercaseSentBy: boolean
  /** A few messages flip case within one record. */
  mixedSentBy: boolean
  /** Deprecated per-message `source` / `device` fields present. */
  deprecatedMessageFields: boolean
  /** One ~50 KB message. */
  hugeMessage: boolean
  /** Fields convoshift has never seen (the vendor adds fields without notice). */
  unknownFields: boolean
}

const isAgent = (sender: Sender): sender is Agent => sender !== 'consumer'

function sentBy(sender: Sender, quirks: Quirks, rng: Random): string {
  const lower = quirks.mixedSentBy && rng.chance(0.3) ? !quirks.lowercaseSentBy : quirks.lowercaseSentBy
  const value = sender === 'consumer' ? 'Consumer' : 'Agent'
  return lower ? value.toLowerCase() : value
}

function quickRepliesContent(rng: Random, titles: string[]): string {
  return JSON.stringify({
    type: 'quickReplies',
    itemsPerRow: 8,
    replies: titles.map((title) => ({
      type: 'button',
      tooltip: title,
      title,
      click: {actions: [{type: 'publishText', text: title}], metadata: [{type: 'ExternalId', id: rng.alphanumeric(6)}]},
    })),
  })
}

function richContentContent(rng: Random): string {
  const elements: Json[] = []
  const cards = rng.int(1, 2)
  for (let k = 0; k < cards; k++) {
    elements.push(
      {
        type: 'image',
        url: `https://media.example.com/img/${rng.hex(12)}.png`,
        tooltip: rng.words(2),
        click: {
          actions: [
            {type: 'navigate', lo: rng.float(-180, 180), la: rng.float(-90, 90)},
            {type: 'publishText', text: rng.words(2)},
          ],
        },
      },
      {
        type: 'text',
        text: rng.sentence(2, 8),
        tooltip: rng.words(2),
        style: {bold: rng.bool(), size: rng.pick(['small', 'medium', 'large'])},
      },
      {
        type: 'button',
        title: rng.words(2),
        click: {actions: [{type: 'link', name: rng.words(1), uri: `https://shop.example.com/p/${rng.digits(6)}`}]},
      },
    )
  }

  return JSON.stringify({type: 'vertical', elements})
}

function rawMetadata(rng: Random): {rawMetadata: string; structuredMetadata: Json[]} {
  const intent = {
    id: `intent-${rng.alphanumeric(5)}`,
    confidence: rng.pick(['HIGH', 'MEDIUM', 'LOW']),
    confidenceScore: Math.round(rng.next() * 1000) / 1000,
  }
  const externalConversationId = rng.uuid()
  const businessCases = [rng.words(2)]
  const reason = rng.sentence(2, 5)
  return {
    rawMetadata: JSON.stringify([
      {type: 'BotResponse', intents: [intent], externalConversationId, businessCases},
      {type: 'ActionReason', reason, reasonId: rng.alphanumeric(8)},
    ]),
    structuredMetadata: [
      {botResponse: {externalConversationId, businessCases, intents: [intent]}},
      {actionReason: {reason}},
    ],
  }
}

function hugeText(rng: Random): string {
  const lines: string[] = ['Here is the full log from the app:']
  let length = lines[0]?.length ?? 0
  while (length < HUGE_MESSAGE_CHARS) {
    const line = `${formatUtc(rng.epochMs(FIRST_START_MS, FIRST_START_MS + 86_400_000))} ${rng.pick(['INFO', 'WARN', 'ERROR'])} ${rng.sentence(6, 16, 0.02)}`
    lines.push(line)
    length += line.length + 1
  }

  return lines.join('\n')
}

function messageText(rng: Random, conversation: Conversation, turn: Turn, surveyIndex: number): string {
  const {sender} = turn
  if (turn.dialog === 'POST_SURVEY') {
    // Bot question, consumer answer, bot question, consumer answer: the answers agree with the CSAT block.
    const {csat} = conversation
    switch (surveyIndex) {
      case 0: {
        return 'How would you rate your experience today? (1-5)'
      }

      case 1: {
        return csat && csat.status !== 'SKIPPED' ? String(csat.rate) : rng.pick(['skip', 'no thanks', 'いいえ'])
      }

      case 2: {
        return 'Did we resolve your issue?'
      }

      default: {
        return csat?.resolved ? rng.pick(['Yes', 'Oui 👍', 'はい']) : rng.pick(['No', 'Nope 😡', 'لا'])
      }
    }
  }

  if (isAgent(sender) && sender.kind === 'system') {
    return rng.pick([
      'You are being transferred to another agent.',
      'The conversation was transferred to a new skill.',
      'An agent will be with you shortly.',
    ])
  }

  if (rng.chance(0.02)) return ''
  const sentences: string[] = []
  const count = rng.weighted([
    [1, 80],
    [2, 17],
    [3, 3],
  ])
  for (let k = 0; k < count; k++) sentences.push(rng.sentence(2, 9, 0.01))
  return sentences.join(' ')
}

interface MessageContext {
  conversation: Conversation
  quirks: Quirks
  rng: Random
}

interface MessagePosition {
  huge: boolean
  seq: number
  /** Index among the POST_SURVEY turns (0 for MAIN turns). */
  surveyIndex: number
}

function buildMessage(
  {conversation, quirks, rng}: MessageContext,
  turn: Turn,
  {huge, seq, surveyIndex}: MessagePosition,
): Json {
  const {sender} = turn
  const bot = isAgent(sender) && sender.kind === 'bot'
  const human = isAgent(sender) && sender.kind === 'human'
  const text = huge ? hugeText(rng) : messageText(rng, conversation, turn, surveyIndex)
  const kind =
    turn.dialog === 'POST_SURVEY' || (isAgent(sender) && sender.kind === 'system') || huge
      ? 'TEXT_PLAIN'
      : rng.weighted<string>(
          bot
            ? [
                ['TEXT_PLAIN', 78],
                ['RICH_CONTENT', 15],
                ['LINK', 7],
              ]
            : human
              ? [
                  ['TEXT_PLAIN', 80],
                  ['TEXT_HTML', 8],
                  ['LINK', 6],
                  ['HOSTED_FILE', 6],
                ]
              : [
                  ['TEXT_PLAIN', 90],
                  ['HOSTED_FILE', 6],
                  ['LINK', 4],
                ],
        )

  let messageData: Json
  switch (kind) {
    case 'HOSTED_FILE': {
      const fileType = rng.pick(FILE_TYPES)
      messageData = {
        file: {
          relativePath: `/v1/AUTH_async-images/${conversation.conversationId.slice(0, 8)}/${rng.uuid()}.${fileType.toLowerCase()}`,
          fileType,
          caption: rng.chance(0.4) ? 'undefined' : rng.sentence(1, 5),
        },
      }
      break
    }

    case 'LINK': {
      const url = `https://www.example.com/${rng.pick(['help', 'orders', 'returns', 'café-menu', '注文'])}/${rng.alphanumeric(8)}?ref=${rng.digits(4)}`
      messageData = {link: {externalFileLink: url, fileType: rng.pick(['JPG', 'PNG', 'HTML'])}}
      if (rng.chance(0.6)) messageData.msg = {text: url}
      break
    }

    case 'RICH_CONTENT': {
      messageData = {richContent: {content: richContentContent(rng)}}
      if (rng.chance(0.4)) messageData.quickReplies = {content: quickRepliesContent(rng, [rng.words(1), rng.words(1)])}
      break
    }

    case 'TEXT_HTML': {
      messageData = {
        msg: {text: `<p>${text}</p><br/><a href="https://help.example.com/${rng.digits(5)}">${rng.words(2)}</a>`},
      }
      break
    }

    default: {
      messageData = {msg: {text}}
      if (turn.dialog === 'POST_SURVEY' && isAgent(sender) && surveyIndex === 0) {
        messageData.quickReplies = {content: quickRepliesContent(rng, ['1', '2', '3', '4', '5'])}
      } else if (bot && rng.chance(0.1)) {
        messageData.quickReplies = {content: quickRepliesContent(rng, [rng.words(1), rng.words(2), 'Talk to an agent'])}
      }
    }
  }

  const dialogId = turn.dialog === 'MAIN' ? conversation.conversationId : (conversation.surveyDialogId as string)
  // LivePerson occasionally reports a string time a few ms off its epoch-ms twin (the vendor sample does).
  const skew = rng.chance(0.02) ? rng.pick([-3, -1, 1, 2, 5]) : 0
  const message: Json = {
    type: kind,
    messageData,
    messageId: `ms::conv:${conversation.conversationId}::msg:${seq}`,
    seq,
    dialogId,
    participantId: isAgent(sender) ? sender.id : conversation.consumerId,
  }
  if (quirks.deprecatedMessageFields) message.source = 'APP'
  message.time = formatLivePersonTime(turn.atMs + skew)
  message.timeL = turn.atMs
  if (quirks.deprecatedMessageFields) message.device = 'undefined'
  message.sentBy = sentBy(sender, quirks, rng)
  if (bot && rng.chance(0.25)) message.contextData = rawMetadata(rng)
  if (quirks.unknownFields && rng.chance(0.1)) message.audience = 'ALL'
  return message
}

interface Membership {
  atMs: number
  dialogId: string
  permission: string
  role: string
}

function agentParticipant(rng: Random, agent: Agent, {atMs, dialogId, permission, role}: Membership): Json {
  const entry: Json = {
    agentFullName: agent.fullName,
    agentNickname: agent.nickname,
    agentLoginName: agent.loginName,
    agentId: agent.id,
    userType: agent.kind === 'human' ? '1' : agent.kind === 'bot' ? '2' : '0',
    userTypeName: agent.kind === 'human' ? 'Human' : agent.kind === 'bot' ? 'Bot' : 'System',
    role,
    agentGroupName: agent.groupName,
    agentGroupId: agent.groupId,
    time: formatLivePersonTime(atMs),
    timeL: atMs,
    permission,
    dialogId,
  }
  if (agent.kind === 'bot' && rng.chance(0.3)) entry.contextData = rawMetadata(rng)
  return entry
}

function consumerParticipant(
  rng: Random,
  conversation: Conversation,
  {atMs, authenticated, dialogId}: {atMs: number; authenticated: boolean; dialogId: string},
): Json {
  const first = authenticated ? rng.pick(FIRST_NAMES) : 'undefined'
  const entry: Json = {
    participantId: conversation.consumerId,
    firstName: first,
    lastName: authenticated ? rng.pick(LAST_NAMES) : 'undefined',
    token: authenticated ? rng.alphanumeric(32) : 'undefined',
    email: authenticated && rng.chance(0.7) ? `${rng.alphanumeric(8)}@mail.example` : 'undefined',
    phone: authenticated && rng.chance(0.3) ? `+1${rng.digits(10)}` : '0',
    avatarURL: authenticated && rng.chance(0.2) ? `https://avatars.example.com/${rng.hex(16)}.png` : 'undefined',
    time: formatLivePersonTime(atMs),
    timeL: atMs,
  }
  if (rng.chance(0.5)) {
    entry.joinTime = formatLivePersonTime(atMs)
    entry.joinTimeL = atMs
  }

  entry.consumerName = authenticated ? first : rng.pick(['Visitor', 'undefined', 'Guest'])
  entry.dialogId = dialogId
  return entry
}

function sdeEvents(rng: Random, startMs: number): Json[] {
  const events: Json[] = []
  const count = rng.weighted([
    [0, 25],
    [1, 35],
    [2, 25],
    [3, 15],
  ])
  for (let k = 0; k < count; k++) {
    const serverTimeStamp = String(startMs - rng.int(0, 3_600_000))
    const type = rng.pick(['CUSTOMER_INFO', 'PERSONAL_INFO', 'CART_STATUS', 'MARKETING_SOURCE', 'SERVICE_ACTIVITY'])
    switch (type) {
      case 'CART_STATUS': {
        const products = Array.from({length: rng.int(1, 3)}, () => ({
          product: {
            name: rng.words(2),
            category: rng.pick(['shoes', 'électronique', '玩具']),
            sku: rng.alphanumeric(10),
            price: rng.int(100, 99_999) / 100,
          },
          quantity: rng.int(1, 4),
        }))
        events.push({
          cartStatus: {
            serverTimeStamp,
            cartStatus: {
              total: rng.int(100, 500_000) / 100,
              currency: rng.pick(['USD', 'EUR', 'JPY']),
              numItems: products.length,
              products,
            },
          },
          sdeType: type,
          serverTimeStamp,
        })
        break
      }

      case 'CUSTOMER_INFO': {
        events.push({
          customerInfo: {
            serverTimeStamp,
            customerInfo: {
              customerId: rng.digits(8),
              companyBranch: rng.pick(['dummyCompanyBranch', 'Zürich', 'NYC']),
              customerStatus: rng.pick(['gold', 'silver', 'new']),
            },
          },
          sdeType: type,
          serverTimeStamp,
        })
        break
      }

      case 'MARKETING_SOURCE': {
        events.push({
          marketingSource: {
            serverTimeStamp,
            marketingSource: {channel: rng.int(0, 5), searchKeywords: [rng.word()], affiliate: rng.alphanumeric(6)},
          },
          sdeType: type,
          serverTimeStamp,
        })
        break
      }

      case 'PERSONAL_INFO': {
        events.push({
          personalInfo: {
            serverTimeStamp,
            personalInfo: {
              name: rng.pick(FIRST_NAMES),
              surname: rng.pick(LAST_NAMES),
              contacts: [{personalContact: {email: `${rng.alphanumeric(6)}@mail.example`, phone: rng.digits(8)}}],
            },
          },
          sdeType: type,
          serverTimeStamp,
        })
        break
      }

      default: {
        events.push({
          serviceActivity: {
            serverTimeStamp,
            serviceActivity: {
              topic: rng.words(2),
              status: rng.int(0, 2),
              category: rng.word(),
              serviceId: rng.alphanumeric(8),
            },
          },
          sdeType: type,
          serverTimeStamp,
        })
      }
    }
  }

  return events
}

function buildMessagingInteractionsRecord(pools: Pools, seed: string, index: number, conversation: Conversation): Json {
  const rng = new Random(`${seed}/messaging-interactions/${index}`)
  const quirks: Quirks = {
    singularConsumerKey: rng.chance(0.3),
    lowercaseSentBy: rng.chance(0.2),
    mixedSentBy: rng.chance(0.03),
    deprecatedMessageFields: rng.chance(0.3),
    hugeMessage: conversation.turns.length > 0 && rng.chance(0.015),
    unknownFields: rng.chance(0.06),
  }
  const {assignments, conversationId, startMs, turns} = conversation
  const open = conversation.endMs === -1
  const latest = assignments.at(-1)
  const source = rng.weighted([
    ['APP', 40],
    ['SHARK', 35],
    ['SMS', 10],
    ['FACEBOOK', 8],
    ['AGENT', 2],
    ['WHATSAPP', 5],
  ])

  // ---- messages, scores and statuses
  const hugeAt = quirks.hugeMessage ? rng.int(0, turns.length - 1) : -1
  const messageRecords: Json[] = []
  const messageScore: Json[] = []
  const messageStatuses: Json[] = []
  let seq = 0
  let surveyIndex = 0
  let currentAgent: Agent | undefined = assignments[0]?.agent
  for (const [i, turn] of turns.entries()) {
    if (isAgent(turn.sender) && turn.sender.kind !== 'system') currentAgent = turn.sender
    const message = buildMessage({conversation, quirks, rng}, turn, {
      huge: i === hugeAt,
      seq,
      surveyIndex: turn.dialog === 'POST_SURVEY' ? surveyIndex++ : 0,
    })
    messageRecords.push(message)
    const {dialogId, messageId} = message
    if (turn.sender === 'consumer' && rng.chance(0.4)) {
      const scoreAt = turn.atMs + rng.int(1000, 9000)
      messageScore.push({
        messageId,
        messageRawScore: rng.weighted([
          [0, 60],
          [1, 15],
          [-1, 15],
          [3, 5],
          [-3, 5],
        ]),
        mcs: rng.int(0, 100),
        time: formatLivePersonTime(scoreAt),
        timeL: scoreAt,
      })
    }

    // The other side accepts (and often reads) a message; the export holds these events for some messages only.
    const reader = turn.sender === 'consumer' ? currentAgent : undefined
    const statusBy = reader
      ? {participantId: reader.id, participantType: 'Agent'}
      : {participantId: conversation.consumerId, participantType: 'Consumer'}
    if ((reader || turn.sender !== 'consumer') && rng.chance(0.1)) {
      const acceptAt = turn.atMs + rng.int(20, 900)
      messageStatuses.push({
        messageId,
        seq,
        time: formatLivePersonTime(acceptAt),
        timeL: acceptAt,
        ...statusBy,
        messageDeliveryStatus: 'ACCEPT',
        dialogId,
      })
      if (rng.chance(0.5)) {
        const readAt = acceptAt + rng.int(500, 30_000)
        messageStatuses.push({
          messageId,
          seq,
          time: formatLivePersonTime(readAt),
          timeL: readAt,
          ...statusBy,
          messageDeliveryStatus: 'READ',
          dialogId,
        })
      }
    }

    // Sequence numbers are not contiguous: status events consume some.
    seq += rng.chance(0.15) ? rng.int(2, 3) : 1
  }

  // ---- info
  const mcs = messageScore.length > 0 ? rng.int(0, 100) : -1
  const info: Json = {
    startTime: formatLivePersonTime(startMs),
    startTimeL: startMs,
    endTime: open ? 'undefined' : formatLivePersonTime(conversation.endMs),
    endTimeL: conversation.endMs,
    duration: (open ? conversation.lastActivityMs : conversation.endMs) - startMs,
    conversationId,
    brandId: pools.brandId,
  }
  if (latest) {
    info.latestAgentId = latest.agent.id
    info.latestAgentNickname = latest.agent.nickname
    info.latestAgentFullName = latest.agent.fullName
    info.latestAgentLoginName = latest.agent.loginName
    info.agentDeleted = rng.chance(0.03)
  }

  const latestSkill = latest?.skill ?? {id: -1, name: 'Unassigned'}
  info.latestSkillId = latestSkill.id
  info.latestSkillName = latestSkill.name
  info.source = source
  if (conversation.closeReason) {
    info.closeReason = conversation.closeReason.by
    info.closeReasonDescription = conversation.closeReason.description
  }

  info.mcs = mcs
  info.alertedMCS = rng.weighted([
    [0, 70],
    [1, 15],
    [-1, 15],
  ])
  info.status = open ? 'OPEN' : 'CLOSE'
  info.fullDialogStatus = open || conversation.surveyStillOpen ? 'OPEN' : 'CLOSE'
  info.firstConversation = rng.chance(0.3)
  if (conversation.csat && conversation.csat.status !== 'SKIPPED') info.csatRate = conversation.csat.rate
  const mobile = source === 'APP' || source === 'SMS' || rng.chance(0.3)
  info.device = source === 'SMS' ? 'undefined' : mobile ? rng.pick(['MOBILE', 'TABLET']) : 'DESKTOP'
  if (source === 'APP') info.deviceModel = rng.pick(['iPhone15,2', 'SM-G991B', 'Pixel 8'])
  info.browser = source === 'SHARK' ? rng.pick(['chrome', 'CHROME', 'Safari', 'Firefox', 'Edge']) : 'Other'
  info.operatingSystem = mobile ? rng.pick(['IOS', 'ANDROID']) : rng.pick(['WINDOWS', 'MAC_OSX', 'LINUX', 'NA'])
  if (latest) {
    info.latestAgentGroupId = latest.agent.groupId
    info.latestAgentGroupName = latest.agent.groupName
  }

  info.latestQueueState = latest ? 'ACTIVE' : 'IN_QUEUE'
  info.isPartial = false
  info.sessionId = rng.digits(10)
  info.interactionContextId = String(rng.int(1, 9))
  info.timeZone = rng.pick(TIME_ZONES)
  info.features = rng.sample(FEATURES, rng.int(0, 3))
  info.language = rng.pick(LANGUAGES)
  info.integration = source === 'APP' ? 'MOBILE_SDK' : source === 'SHARK' ? 'WEB_SDK' : 'BRAND_SDK'
  info.integrationVersion = `${rng.int(3, 6)}.${rng.int(0, 20)}.${rng.int(0, 9)}`
  info.appId = source === 'APP' ? 'com.example.shop' : 'webAsync'
  info.appVersion = `${rng.int(1, 12)}.${rng.int(0, 30)}`
  info.ipAddress = `203.0.113.${rng.int(1, 254)}`
  if (quirks.unknownFields && rng.bool()) info.latestHandlerAccountId = pools.accountDigits
  if (quirks.unknownFields && rng.chance(0.3)) info.conversationTags = [{tagId: rng.digits(6), tagName: rng.words(1)}]

  // ---- participants
  const agentParticipants = assignments.map(({agent, atMs}, k) =>
    agentParticipant(rng, agent, {
      atMs,
      dialogId: conversationId,
      permission: k === assignments.length - 1 ? 'ASSIGNED_AGENT' : 'READER',
      role: agent.kind === 'bot' ? 'ASSIGNED_AGENT' : 'AGENT',
    }),
  )
  if (conversation.reader) {
    agentParticipants.push(
      agentParticipant(rng, conversation.reader.agent, {
        atMs: conversation.reader.atMs,
        dialogId: conversationId,
        permission: 'READER',
        role: 'MANAGER',
      }),
    )
  }

  const systemTurn = turns.find((turn) => isAgent(turn.sender) && turn.sender.kind === 'system')
  if (systemTurn)
    agentParticipants.push(
      agentParticipant(rng, pools.system, {
        atMs: systemTurn.atMs - 5,
        dialogId: conversationId,
        permission: 'READER',
        role: 'CONTROLLER',
      }),
    )
  const surveyBot = pools.bots[3] as Agent
  const surveyStart = turns.find((turn) => turn.dialog === 'POST_SURVEY')?.atMs
  if (conversation.surveyDialogId && surveyStart !== undefined) {
    agentParticipants.push(
      agentParticipant(rng, surveyBot, {
        atMs: surveyStart - 50,
        dialogId: conversation.surveyDialogId,
        permission: 'ASSIGNED_AGENT',
        role: 'ASSIGNED_AGENT',
      }),
    )
  }

  const authenticated = rng.chance(0.35)
  const consumers = [
    consumerParticipant(rng, conversation, {atMs: startMs + rng.int(1, 20), authenticated, dialogId: conversationId}),
  ]
  if (conversation.surveyDialogId && surveyStart !== undefined && rng.bool()) {
    consumers.push(
      consumerParticipant(rng, conversation, {
        atMs: surveyStart - 40,
        authenticated,
        dialogId: conversation.surveyDialogId,
      }),
    )
  }

  // ---- transfers and interactions
  const transfers: Json[] = []
  for (let k = 1; k < assignments.length; k++) {
    const from = assignments[k - 1] as Assignment
    const to = assignments[k] as Assignment
    const reason = from.agent.kind === 'bot' ? rng.pick(['Skill', 'back2Q']) : rng.pick(['Skill', 'Agent', 'TakeOver'])
    const at = to.atMs - rng.int(100, 4000)
    transfers.push({
      timeL: at,
      time: formatLivePersonTime(at),
      assignedAgentId: reason === 'Agent' || reason === 'TakeOver' ? to.agent.id : 'null',
      targetSkillId: to.skill.id,
      targetSkillName: to.skill.name,
      reason,
      by: from.agent.id,
      sourceSkillId: from.skill.id,
      sourceSkillName: from.skill.name,
      sourceAgentId: from.agent.id,
      sourceAgentFullName: from.agent.fullName,
      sourceAgentLoginName: from.agent.loginName,
      sourceAgentNickname: from.agent.nickname,
      dialogId: conversationId,
    })
  }

  const interactions = assignments.map(({agent, atMs}, k) => ({
    assignedAgentId: agent.id,
    assignedAgentFullName: agent.fullName,
    assignedAgentLoginName: agent.loginName,
    assignedAgentNickname: agent.nickname,
    interactionTimeL: atMs - 6,
    interactionTime: formatLivePersonTime(atMs - 6),
    interactiveSequence: k + 1,
    dialogId: conversationId,
  }))

  // ---- dialogs and surveys
  const mainEndMs = surveyStart === undefined ? conversation.endMs : surveyStart - rng.int(100, 2000)
  const dialogs: Json[] = [
    {
      dialogId: conversationId,
      status: open ? 'OPEN' : 'CLOSE',
      dialogType: 'MAIN',
      dialogChannelType: 'MESSAGING',
      startTime: formatLivePersonTime(startMs),
      startTimeL: startMs,
      endTime: open ? 'undefined' : formatLivePersonTime(mainEndMs),
      endTimeL: open ? -1 : mainEndMs,
      ...(conversation.closeReason && {
        closeReason: conversation.closeReason.by,
        closeReasonDescription: conversation.closeReason.description,
      }),
      skillId: latestSkill.id,
      skillName: latestSkill.name,
    },
  ]
  const conversationSurveys: Json[] = []
  if (conversation.surveyDialogId && surveyStart !== undefined && conversation.csat) {
    const surveyOpen = conversation.surveyStillOpen
    dialogs.push({
      dialogId: conversation.surveyDialogId,
      status: surveyOpen ? 'OPEN' : 'CLOSE',
      dialogType: 'POST_SURVEY',
      dialogChannelType: 'MESSAGING',
      startTime: formatLivePersonTime(surveyStart - 100),
      startTimeL: surveyStart - 100,
      endTime: surveyOpen ? 'undefined' : formatLivePersonTime(conversation.endMs),
      endTimeL: surveyOpen ? -1 : conversation.endMs,
      ...(!surveyOpen && {closeReason: 'SYSTEM', closeReasonDescription: 'AUTO_CLOSE'}),
      skillId: latestSkill.id,
      skillName: latestSkill.name,
    })
    const {csat} = conversation
    const surveyData =
      csat.status === 'SKIPPED'
        ? []
        : [
            {question: 'How would you rate your experience today? (1-5)', answer: String(csat.rate)},
            ...(csat.status === 'FILLED'
              ? [{question: 'Confirm Resolution', answer: csat.resolved ? 'Yes' : 'No'}]
              : []),
          ]
    conversationSurveys.push({
      surveyType: rng.pick(['Satisfaction', 'Resolution']),
      surveyStatus: csat.status,
      dialogId: conversation.surveyDialogId,
      surveyData,
    })
  }

  // ---- assemble, in the vendor sample's key order
  const record: Json = {
    info,
    campaign: {...rng.pick(pools.campaigns)},
    monitoring: monitoring(rng, info),
    messageRecords,
    agentParticipants,
    [quirks.singularConsumerKey ? 'consumerParticipant' : 'consumerParticipants']: consumers,
    transfers,
    interactions,
    dialogs,
    messageScore,
    messageStatuses,
    conversationSurveys,
  }
  if (rng.chance(0.05)) record.coBrowseSessions = coBrowse(rng, startMs, latest?.agent.id ?? pools.system.id)
  record.sdes = {events: sdeEvents(rng, startMs)}
  record.responseTime = {
    latestEffectiveResponseDueTime: conversation.lastActivityMs + rng.int(60_000, 3_600_000),
    configuredResponseTime: rng.pick([3000, 60_000, 300_000]),
  }
  const summaryAt = conversation.lastActivityMs + rng.int(1000, 60_000)
  record.summary = {text: rng.chance(0.3) ? '' : rng.sentences(rng.int(1, 2)), lastUpdatedTime: summaryAt}
  if (quirks.unknownFields) {
    if (rng.bool()) record.unAuthSdes = {events: []}
    else record.intents = [{intentName: rng.words(2), confidenceScore: rng.int(0, 100) / 100, isPrimary: true}]
  }

  return record
}

function monitoring(rng: Random, info: Json): Json {
  const [country, countryCode, state, city] = rng.pick(LOCATIONS)
  const isp = rng.pick(ISPS)
  return {
    country,
    countryCode,
    state,
    city,
    isp,
    org: isp,
    device: info.device === 'undefined' ? 'DESKTOP' : info.device,
    ipAddress: info.ipAddress,
    browser: `${rng.pick(['Chrome', 'Safari', 'Firefox'])} ${rng.int(60, 130)}.0.${rng.int(1000, 6000)}.${rng.int(10, 200)}`,
    operatingSystem: info.operatingSystem,
    conversationStartPage: `https://shop.example.com/${rng.pick(['', 'cart', 'help/返品', 'compte/commande'])}`,
    conversationStartPageTitle: rng.pick(['LivePerson Page', 'Checkout', 'Mon compte – Boutique', 'ヘルプ']),
  }
}

function coBrowse(rng: Random, startMs: number, agentId: string): Json {
  const sessionStart = startMs + rng.int(60_000, 300_000)
  const duration = rng.int(20_000, 200_000)
  return {
    coBrowseSessionsList: [
      {
        sessionId: `${rng.digits(8)}:${agentId}__${rng.uuid()}_${sessionStart}`,
        startTime: formatLivePersonTime(sessionStart),
        startTimeL: sessionStart,
        endTime: formatLivePersonTime(sessionStart + duration),
        endTimeL: sessionStart + duration,
        endReason: rng.pick(['AGENT', 'VISITOR']),
        duration,
        type: 'inApp',
        capabilities: ['CONSUMER_VIDEO_CONNECTION', 'AGENT_APP_CONTROL'],
        agentId,
        interactive: rng.bool(),
      },
    ],
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Consumer Messaging History record

function buildConsumerRecord(seed: string, index: number, conversation: Conversation): Json {
  const rng = new Random(`${seed}/consumer-history/${index}`)
  const open = conversation.endMs === -1
  // The older documented shape has no dialogs, stage or closeReason.
  const older = rng.chance(0.3)
  const participants: Json[] = [{id: conversation.consumerId, role: 'CONSUMER'}]
  for (const [k, {agent}] of conversation.assignments.entries()) {
    participants.push({id: agent.id, role: k === conversation.assignments.length - 1 ? 'ASSIGNED_AGENT' : 'READER'})
  }

  if (conversation.reader) participants.push({id: conversation.reader.agent.id, role: 'MANAGER'})
  const closedBy = {AGENT: 'Agent', CONSUMER: 'Consumer', SYSTEM: 'System'} as const
  const record: Json = {convId: conversation.conversationId, participants}
  const surveyStart = conversation.turns.find((turn) => turn.dialog === 'POST_SURVEY')?.atMs
  if (!older) {
    const dialogs: Json[] = [
      {
        dialogId: conversation.conversationId,
        participantsDetails: participants.filter((p) => p.role !== 'MANAGER'),
        dialogType: 'MAIN',
        state: open ? 'OPEN' : 'CLOSE',
        ...(conversation.closeReason && {closedBy: closedBy[conversation.closeReason.by]}),
        creationTs: conversation.startMs,
        ...(!open && {endTs: surveyStart === undefined ? conversation.endMs : surveyStart - 500}),
        channelType: 'MESSAGING',
      },
    ]
    if (conversation.surveyDialogId && surveyStart !== undefined) {
      dialogs.push({
        dialogId: conversation.surveyDialogId,
        participantsDetails: [{id: conversation.consumerId, role: 'CONSUMER'}],
        dialogType: 'POST_SURVEY',
        state: conversation.surveyStillOpen ? 'OPEN' : 'CLOSE',
        ...(!conversation.surveyStillOpen && {closedBy: 'System'}),
        creationTs: surveyStart - 100,
        ...(!conversation.surveyStillOpen && {endTs: conversation.endMs}),
        channelType: 'MESSAGING',
      })
    }

    record.dialogs = dialogs
  }

  record.state = open ? 'OPEN' : 'CLOSE'
  if (!older) record.stage = open || conversation.surveyStillOpen ? 'OPEN' : 'CLOSE'
  record.startTs = conversation.startMs
  // An open conversation has no end yet; this API omits endTs rather than sending -1 (an assumption: not in the samples).
  if (!open) record.endTs = conversation.endMs
  if (conversation.csat) {
    record.csat = {
      csatRate: conversation.csat.rate,
      csatResolutionConfirmation: conversation.csat.resolved,
      status: conversation.csat.status,
    }
  }

  if (!older && conversation.closeReason) record.closeReason = conversation.closeReason.by
  return record
}

// ---------------------------------------------------------------------------------------------------------------
// Public generators

function resolveOptions(options: LivePersonSampleOptions): {meanMessages: number; seed: string} {
  return sampleBasics(options)
}

/**
 * Messaging Interactions `conversationHistoryRecords[]` items (the full-conversation export).
 *
 * With the default options a record averages about 15 KB of compact JSON and 20 messages. Quirks that appear
 * across a few hundred records: the consumer list under `consumerParticipant` (singular, ~30%), `"undefined"`
 * placeholders and phone `"0"`, lowercase `sentBy` (~20%), bot (`userType` "2") and system ("0") agents,
 * JSON documents serialised into strings (`richContent.content`, `quickReplies.content`, `rawMetadata`),
 * open conversations (`endTime` "undefined", `endTimeL` -1, ~10%), transfers to `assignedAgentId` "null",
 * non-contiguous `seq`, empty texts, a ~50 KB message (~2% of records), string `time` a few ms off `timeL`
 * (~2% of messages), SDE `serverTimeStamp` as a string, and fields convoshift does not know (~6% of records).
 *
 * `count` may be `Infinity` for an endless stream.
 *
 * @yields One record per conversation, in start-time order.
 */
export function* livePersonRecords(
  count: number,
  options: LivePersonSampleOptions,
): Generator<Record<string, unknown>> {
  const {meanMessages, seed} = resolveOptions(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) {
    yield buildMessagingInteractionsRecord(pools, seed, i, buildConversation(pools, seed, i, meanMessages))
  }
}

/**
 * Consumer Messaging History `conversationHistoryMetadataRecords[]` items, describing the same conversations as
 * `livePersonRecords` with the same options. About 30% use the older shape without `dialogs`, `stage` and `closeReason`.
 *
 * @yields One record per conversation, in start-time order.
 */
export function* livePersonConsumerRecords(
  count: number,
  options: LivePersonSampleOptions,
): Generator<Record<string, unknown>> {
  const {meanMessages, seed} = resolveOptions(options)
  const pools = makePools(seed)
  for (let i = 0; i < count; i++) {
    yield buildConsumerRecord(seed, i, buildConversation(pools, seed, i, meanMessages))
  }
}
