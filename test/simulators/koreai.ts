/**
 * A simulator of Kore.ai's SmartAssist conversations list and bot Conversation History (getMessages) APIs
 * (shared/vendors/koreai.md) on 127.0.0.1, for the export tests.
 *
 * Data set: `koreAiRecords(count, {seed})`. The list serves each conversation object without `messages`;
 * getMessages serves the messages by user id, bot session and time. The generator keeps some conversations' messages
 * newest first (getMessages' default order); an export asks `forward: true`, so the expected data set holds every
 * conversation's messages oldest first (a stable sort on `createdOn`), and the list's order is by `startTime`.
 *
 * Behaviour, as documented: `auth: <JWT>` verified as HS256 with the app's Client Secret and an `appId` claim equal to
 * the Client ID, plus an `accountId` header; list paging by `skip`/`limit` with `hasMore`, `totalPages` and
 * `totalResults`; getMessages by POST, `limit` ≤ 100, `skip`, `moreAvailable`, `dateFrom`/`dateTo` spanning under 7
 * days (an error otherwise), `forward`; optional rate limit of 60/min with Kore's message. Where the docs are silent
 * (the simulator's choices, matching the adapter's assumptions): the list filters `startTime` by `dateFrom`/`dateTo`
 * (both ends included, range under 7 days) and its `limit` maximum is 100; POST without `channelType` returns every
 * channel; error bodies are `{"errors": [{"msg", "code"}]}`.
 */
import {createHmac, timingSafeEqual} from 'node:crypto'

import {koreAiRecords} from '../../src/sample/koreai.js'
import {type SimRequest, type SimResponse, Simulator, type SimulatorOptions} from './base.js'

type Json = Record<string, unknown>

export interface KoreAiSimulatorOptions extends SimulatorOptions {
  accountId: string
  clientId: string
  clientSecret: string
  count: number
  /** Mean messages per conversation (generator bias). */
  messages?: number
  seed: number | string
  streamId: string
  /** The list ignores dateFrom/dateTo (the docs document no date filter there): every call pages the whole account. */
  ignoreListDates?: boolean
}

const WEEK_MS = 7 * 86_400_000
export const KORE_RATE_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying"

function failure(status: number, msg: string): SimResponse {
  return {body: {errors: [{code: status, msg}]}, status}
}

/** Verifies an HS256 JWT signed with `secret` whose payload names `appId`. */
export function verifyKoreJwt(token: string, clientId: string, secret: string): boolean {
  const parts = token.split('.')
  if (parts.length !== 3) return false
  const [header, payload, signature] = parts as [string, string, string]
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Json
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json
    return head.alg === 'HS256' && claims.appId === clientId
  } catch {
    return false
  }
}

interface StoredMessage {
  at: number
  message: Json
}

export class KoreAiSimulator extends Simulator {
  /** Every conversation with its messages (oldest first), in list order: what a complete export must equal. */
  readonly expected: Json[] = []
  private readonly conversations: Json[] = []
  private readonly messagesByUser = new Map<string, StoredMessage[]>()

  constructor(private readonly kore: KoreAiSimulatorOptions) {
    super({
      auth(req) {
        const jwt = req.headers.auth
        if (typeof jwt !== 'string' || !verifyKoreJwt(jwt, kore.clientId, kore.clientSecret))
          return failure(401, 'Invalid Token')
        if (req.headers.accountid !== kore.accountId) return failure(401, 'Invalid accountId')
        return null
      },
      ...kore,
    })
    const rows: Array<{at: number; index: number; record: Json}> = []
    let index = 0
    for (const generated of koreAiRecords(kore.count, {
      seed: kore.seed,
      ...(kore.messages === undefined ? {} : {messages: kore.messages}),
    })) {
      const {messages, ...conversation} = generated as Json & {messages: Json[]}
      const sorted = messages
        .map((message, i) => ({at: Date.parse(message.createdOn as string), i, message}))
        .sort((a, b) => a.at - b.at || a.i - b.i)
      rows.push({
        at: Date.parse(conversation.startTime as string),
        index: index++,
        record: {...conversation, messages: sorted.map((s) => s.message)},
      })
      const user = conversation.userId as string
      const list = this.messagesByUser.get(user) ?? []
      list.push(...sorted.map(({at, message}) => ({at, message})))
      this.messagesByUser.set(user, list)
    }

    rows.sort((a, b) => a.at - b.at || a.index - b.index)
    for (const {record} of rows) {
      this.expected.push(record)
      const conversation = {...record}
      delete conversation.messages
      this.conversations.push(conversation)
    }

    for (const list of this.messagesByUser.values()) list.sort((a, b) => a.at - b.at)
    this.route('GET', '/agentassist/api/v1/public/:streamId/conversations', (req, params) =>
      this.list(req, params.streamId!),
    )
    this.route('POST', '/api/public/bot/:botId/getMessages', (req) => this.getMessages(req))
  }

  private list(req: SimRequest, streamId: string): SimResponse {
    if (streamId !== this.kore.streamId) return failure(404, `Stream ${streamId} not found`)
    const q = req.query
    const skip = Number(q.get('skip') ?? 0)
    const limit = Number(q.get('limit') ?? 10)
    if (!Number.isInteger(skip) || skip < 0) return failure(400, 'skip must be a non-negative integer')
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return failure(400, 'limit must be between 1 and 100')
    let rows = this.conversations
    if (!this.kore.ignoreListDates && (q.has('dateFrom') || q.has('dateTo'))) {
      const from = Date.parse(q.get('dateFrom') ?? '')
      const to = Date.parse(q.get('dateTo') ?? '')
      if (Number.isNaN(from) || Number.isNaN(to)) return failure(400, 'dateFrom and dateTo must be dates')
      if (to - from >= WEEK_MS) return failure(400, 'The date range should be less than 7 days')
      rows = rows.filter((c) => {
        const at = Date.parse(c.startTime as string)
        return at >= from && at <= to
      })
    }

    const results = rows.slice(skip, skip + limit)
    return {
      body: {
        hasMore: skip + results.length < rows.length,
        limit,
        results,
        skip,
        totalPages: Math.ceil(rows.length / limit),
        totalResults: rows.length,
      },
      status: 200,
    }
  }

  private getMessages(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as Json
    const {userId} = body
    if (typeof userId !== 'string') return failure(400, 'userId is required')
    const limit = body.limit === undefined ? 100 : Number(body.limit)
    const skip = body.skip === undefined ? 0 : Number(body.skip)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return failure(400, 'limit must be between 1 and 100')
    if (!Number.isInteger(skip) || skip < 0) return failure(400, 'skip must be a non-negative integer')
    const from = Date.parse(String(body.dateFrom ?? ''))
    const to = Date.parse(String(body.dateTo ?? ''))
    if (Number.isNaN(from) || Number.isNaN(to)) return failure(400, 'dateFrom and dateTo are required')
    if (to - from >= WEEK_MS || to < from) return failure(400, 'The date range should be less than 7 days')
    const sessions = Array.isArray(body.sessionId) ? new Set(body.sessionId as string[]) : undefined
    let matching = (this.messagesByUser.get(userId) ?? []).filter(
      ({at, message}) =>
        at >= from && at <= to && (sessions === undefined || sessions.has(message.sessionId as string)),
    )
    if (body.forward !== true) matching = [...matching].reverse()
    const page = matching.slice(skip, skip + limit).map(({message}) => message)
    return {
      body: {
        icon: 'https://bots.kore.ai/assets/icon.png',
        messages: page,
        moreAvailable: skip + page.length < matching.length,
        total: matching.length,
      },
      status: 200,
    }
  }
}
