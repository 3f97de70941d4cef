/**
 * Kore.ai: SmartAssist (Contact Center AI) conversations with their bot Conversation History messages joined as a
 * top-level `messages` array (the `koreai` record shape, mappings/koreai.json). Facts from shared/vendors/koreai.md;
 * where Kore's docs are silent the choice is marked ASSUMPTION.
 *
 * - Host: the "Environment URL" (default https://platform.kore.ai, or `--base-url`).
 * - Auth: header `auth: <JWT>` (not Authorization) plus `accountId: <account id>`. The JWT is given (`--token`) or
 *   signed here with HS256 from the app's Client ID and Client Secret, payload `{"sub", "appId"}`.
 * - Conversations: `GET /agentassist/api/v1/public/{streamId}/conversations?skip=&limit=` paged with skip/limit
 *   until `hasMore` is false. ASSUMPTION: no date filter is documented on this list; `dateFrom`/`dateTo` (the
 *   Conversation History spelling, range under 7 days) are sent, and records are also filtered here by their
 *   `startTime`, so that the export is right whether or not the server honours the filter. ASSUMPTION: max `limit`
 *   is undocumented; 100 (the getMessages and calldetails maximum) is used.
 * - Messages: `POST /api/public/bot/{botId}/getMessages` with `{userId, sessionId: [botSessionId], dateFrom, dateTo,
 *   skip, limit ≤ 100, forward: true, getAgentsInfo: true}`, paged while `moreAvailable`. The range must be under 7
 *   days, so a conversation's message range is split. ASSUMPTION: POST returns every channel when `channelType` is
 *   not set (the docs say only GET defaults to RTM). `forward: true` gives oldest first.
 * - Windows: under 7 days (6 days 23:59:59.999); a conversation seen in two windows is written once.
 * - Rate: 60 requests/minute per account (CCAI) and per bot (Bot Analytics): 1 request/s by default.
 */
import {createHmac} from 'node:crypto'
import {z} from 'zod'

import type {JsonObject} from '../../engine/json.js'
import type {ExportContext, ExportWindow, PageResult, VendorExporter} from '../types.js'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {splitRange} from '../windows.js'

export const KOREAI_DEFAULT_BASE_URL = 'https://platform.kore.ai'
/** "the range must be < 7 days or the call errors". */
export const KOREAI_MAX_WINDOW_MS = 7 * 86_400_000 - 1
export const KOREAI_LIST_LIMIT = 100
/** getMessages (v1): "max 100 messages per request". */
export const KOREAI_MESSAGES_LIMIT = 100
/** 60 per minute per account (Contact Center AI) and per bot (Bot Analytics, also 1800/hour). */
const PER_MINUTE = {perMs: 60_000, requests: 60}
/** ASSUMPTION: messages of a conversation lie within a day of its known times (the details layout has no session start). */
export const KOREAI_MESSAGE_SLACK_MS = 86_400_000

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

/** A Kore.ai app JWT: HS256 over `{"sub", "appId"}`, signed with the Client Secret (api-introduction.md). */
export function signKoreJwt({
  clientId,
  clientSecret,
  subject,
}: {
  clientId: string
  clientSecret: string
  subject?: string
}): string {
  const header = base64url(JSON.stringify({alg: 'HS256', typ: 'JWT'}))
  const payload = base64url(JSON.stringify({appId: clientId, sub: subject ?? clientId}))
  const signature = createHmac('sha256', clientSecret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

export const koreTime = (epochMs: number): string => new Date(epochMs).toISOString()

const conversationsPath = (streamId: string): string =>
  `/agentassist/api/v1/public/${encodeURIComponent(streamId)}/conversations`
const messagesPath = (botId: string): string => `/api/public/bot/${encodeURIComponent(botId)}/getMessages`

export interface MessagesQuery {
  dateFrom: string
  dateTo: string
  forward: true
  getAgentsInfo: true
  limit: number
  sessionId?: string[]
  skip: number
  userId: string
}

const record = z.record(z.string(), z.unknown())

const listPageSchema = z.looseObject({
  hasMore: z.boolean(),
  results: z.array(record),
  skip: z.number().optional(),
  totalResults: z.number().optional(),
})

const messagesPageSchema = z.looseObject({
  messages: z.array(record),
  moreAvailable: z.boolean(),
  total: z.number().optional(),
})

const conversationSchema = z.looseObject({
  _id: z.string().min(1),
  botId: z.string().min(1).optional(),
  botSessionId: z.string().min(1).optional(),
  startTime: z.string().min(1),
  userId: z.string().min(1),
})

export type KoreConversation = z.infer<typeof conversationSchema>

/** Every time a conversation object knows, as epoch ms (the three endpoint layouts carry different subsets). */
function knownTimes(conversation: JsonObject): number[] {
  const fields = ['startSessionTime', 'startTime', 'createdAt', 'acceptedAt', 'endTime', 'updatedAt']
  return fields
    .map((field) => (typeof conversation[field] === 'string' ? Date.parse(conversation[field]) : Number.NaN))
    .filter((ms) => Number.isFinite(ms))
}

/**
 * The getMessages date ranges for one conversation: from a day before its earliest known time to a day after its
 * latest, split so that each range spans under 7 days.
 */
export function messageRanges(conversation: JsonObject): Array<{from: number; to: number}> {
  const times = knownTimes(conversation)
  const from = Math.min(...times) - KOREAI_MESSAGE_SLACK_MS
  const to = Math.max(...times) + KOREAI_MESSAGE_SLACK_MS
  return splitRange({since: from, until: to}, KOREAI_MAX_WINDOW_MS).map((range) => ({
    from: range.since,
    to: range.until,
  }))
}

export function messagesQuery(
  conversation: KoreConversation,
  range: {from: number; to: number},
  skip: number,
): MessagesQuery {
  return {
    dateFrom: koreTime(range.from),
    dateTo: koreTime(range.to),
    forward: true,
    getAgentsInfo: true,
    limit: KOREAI_MESSAGES_LIMIT,
    ...(conversation.botSessionId === undefined ? {} : {sessionId: [conversation.botSessionId]}),
    skip,
    userId: conversation.userId,
  }
}

const Options = z
  .object({
    accountId: z.string().min(1),
    botId: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    streamId: z.string().min(1),
    token: z.string().min(1).optional(),
  })
  .refine((o) => o.token !== undefined || (o.clientId !== undefined && o.clientSecret !== undefined), {
    message: 'give a JWT (--token or CONVOSHIFT_TOKEN), or --client-id and --client-secret to sign one',
    path: ['token'],
  })
type Options = z.infer<typeof Options>

/** Each record of a page must have what the join needs; checked inside the zod parse so the error names the endpoint. */
const ConversationPage = listPageSchema.check((ctx) => {
  for (const [i, record] of ctx.value.results.entries()) {
    const result = conversationSchema.safeParse(record)
    const issue = result.success
      ? Number.isNaN(Date.parse(record.startTime as string))
        ? {message: 'not an ISO 8601 time', path: ['startTime']}
        : undefined
      : result.error.issues[0]!
    if (issue) {
      ctx.issues.push({code: 'custom', input: record, message: issue.message, path: ['results', i, ...issue.path]})
      return
    }
  }
})

/** Every message of one conversation (its user and bot session), oldest first; a message in two ranges is kept once. */
async function messagesOf(ctx: ExportContext<Options>, conversation: KoreConversation): Promise<JsonObject[]> {
  const botId = conversation.botId ?? ctx.options.botId ?? ctx.options.streamId
  const path = messagesPath(botId)
  const messages: JsonObject[] = []
  const seen = new Set<string>()
  for (const range of messageRanges(conversation)) {
    let skip = 0
    for (;;) {
      const response = await ctx.http.json(
        {
          bucket: 'messages',
          endpoint: `POST ${path}`,
          headers: {accountId: ctx.options.accountId},
          json: messagesQuery(conversation, range, skip),
          method: 'POST',
          path,
        },
        (body) => messagesPageSchema.parse(body),
      )
      const page = response.body.messages as JsonObject[]
      for (const message of page) {
        const id = typeof message._id === 'string' ? message._id : undefined
        if (id !== undefined && seen.has(id)) continue
        if (id !== undefined) seen.add(id)
        messages.push(message)
      }

      if (!response.body.moreAvailable) break
      if (page.length === 0) throw stalled(`POST ${path}`, 'moreAvailable is true on an empty page')
      skip += page.length
    }
  }

  return messages
}

function stalled(endpoint: string, why: string): ConvoshiftError {
  return new ConvoshiftError(`koreai: ${endpoint}: ${why}`, {code: 'REMOTE_MALFORMED', exitCode: ExitCode.Remote})
}

export const koreAiExporter: VendorExporter<Options, number> = {
  defaultBaseUrl: KOREAI_DEFAULT_BASE_URL,
  flags: {
    'account-id': {
      description: 'Kore.ai account id, sent as the accountId header.',
      env: 'CONVOSHIFT_KOREAI_ACCOUNT_ID',
      required: true,
    },
    'bot-id': {
      description:
        'Bot id for Conversation History (getMessages) when a conversation does not name its botId; default: --stream-id.',
      env: 'CONVOSHIFT_KOREAI_BOT_ID',
    },
    'client-id': {
      description: "The app's Client ID (the JWT's appId), to sign the JWT when --token is not given.",
      env: 'CONVOSHIFT_KOREAI_CLIENT_ID',
    },
    'client-secret': {
      description: "The app's Client Secret, which signs the JWT (HS256) when --token is not given.",
      env: 'CONVOSHIFT_KOREAI_CLIENT_SECRET',
      secret: true,
    },
    'stream-id': {
      description: 'SmartAssist stream (bot) id, e.g. st-3bf09bef-….',
      env: 'CONVOSHIFT_KOREAI_STREAM_ID',
      required: true,
    },
  },
  format: 'koreai',
  vendor: 'koreai',
  id(record) {
    return String(record._id ?? '')
  },
  options: Options,
  async page(ctx, window: ExportWindow, cursor) {
    const skip = cursor ?? 0
    const path = conversationsPath(ctx.options.streamId)
    const response = await ctx.http.json(
      {
        bucket: 'conversations',
        endpoint: `GET ${path}`,
        headers: {accountId: ctx.options.accountId},
        method: 'GET',
        path,
        query: {dateFrom: koreTime(window.since), dateTo: koreTime(window.until), limit: ctx.pageSize, skip},
      },
      (body) => ConversationPage.parse(body),
    )
    const {hasMore, results, totalResults} = response.body
    // Records the server returned outside the window (it may not filter by date: undocumented) are not joined: the
    // window that owns them does it. They are counted.
    const owned = results.filter((record) => {
      const at = Date.parse(record.startTime as string)
      return at >= window.since && at < window.until
    }) as KoreConversation[]
    if (owned.length < results.length) ctx.count('outsideWindow', results.length - owned.length)
    const records = await ctx.parallel(
      owned,
      async (conversation) => ({...conversation, messages: await messagesOf(ctx, conversation)}) as JsonObject,
    )
    if (hasMore && results.length === 0) throw stalled(`GET ${path}`, 'hasMore is true on an empty page')
    const result: PageResult<number> = {next: hasMore ? skip + results.length : null, records}
    if (totalResults !== undefined) result.total = totalResults
    // The total is known up front: the other pages can be fetched in parallel, when the server honoured the limit.
    if (cursor === null && hasMore && totalResults !== undefined && results.length === ctx.pageSize) {
      result.rest = []
      for (let s = ctx.pageSize; s < totalResults; s += ctx.pageSize) result.rest.push(s)
    }

    return result
  },
  pageSize: {default: KOREAI_LIST_LIMIT, max: KOREAI_LIST_LIMIT},
  rate: {conversations: PER_MINUTE, messages: PER_MINUTE},
  summary:
    'Kore.ai SmartAssist conversations, each joined with its Conversation History (getMessages) messages; windows under 7 days.',
  time(record) {
    const at = typeof record.startTime === 'string' ? Date.parse(record.startTime) : Number.NaN
    return Number.isNaN(at) ? undefined : at
  },
  token: 'optional',
  async authenticate(ctx) {
    const {clientId, clientSecret, token} = ctx.options
    ctx.http.setHeader('auth', token ?? signKoreJwt({clientId: clientId!, clientSecret: clientSecret!}))
  },
  windows(range) {
    return splitRange(range, KOREAI_MAX_WINDOW_MS)
  },
}
