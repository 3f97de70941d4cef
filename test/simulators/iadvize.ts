/* eslint-disable camelcase -- OAuth field names (access_token, error_description…) */
/**
 * A simulator of iAdvize's GraphQL API and its OAuth token endpoint (shared/vendors/iadvize.md) on 127.0.0.1, for
 * the export tests.
 *
 * Data set: `iAdvizeRecords(count, {seed})`, Conversation nodes served by `closedConversations` in `closedAt` order
 * (the interval filters closed conversations), each with its `messages` connection cut to `first` edges and the rest
 * served by `conversation(id) { messages(first, after) }`. `expected` is the data set in that order: what an export
 * must equal (nodes unchanged; the exporter drops the connection's pageInfo after reading every page).
 *
 * Behaviour, as documented: `POST /oauth2/token` form-encoded password grant answering `{access_token, expires_in,
 * token_type: "Bearer", refresh_token: "none"}`, at most 10 logins per minute per user (429); `Authorization: Bearer`
 * on `/graphql`, an invalid or expired token answering 401 `{"error_description": "access token not valid", "error":
 * "invalid_token"}`; Relay paging with `first` ≤ 100 and `after`. The simulator's choices where the docs are silent
 * (the adapter's assumptions): `interval` is `{from, to}`, both ends included, on `closedAt`; a refused grant answers
 * 400 `invalid_grant`; GraphQL errors are HTTP 200 `{"errors": [{"message"}], "data": null}`; the selection set is
 * not evaluated (the node is served whole), but the query must ask for the operation's connection and `pageInfo`.
 */
import {iAdvizeRecords} from '../../src/sample/iadvize.js'
import {type SimRequest, type SimResponse, Simulator, type SimulatorOptions} from './base.js'

type Json = Record<string, unknown>

export interface IAdvizeSimulatorOptions extends SimulatorOptions {
  count: number
  /** Mean messages per conversation (generator bias). */
  messages?: number
  password: string
  seed: number | string
  /** Lifetime announced in expires_in and enforced, seconds (default 86400). */
  tokenLifetimeS?: number
  /** Logins allowed per minute (default 10, iAdvize's documented limit per user). */
  loginsPerMinute?: number
  /** Revoke every token after this many GraphQL calls (a revocation or early expiry): the next call gets a 401. */
  revokeEvery?: number
  username: string
}

const INVALID_TOKEN = {body: {error: 'invalid_token', error_description: 'access token not valid'}, status: 401}
const LOGINS_PER_MINUTE = 10

const cursorOf = (n: number): string => Buffer.from(`cursor:${n}`).toString('base64')
function offsetOf(cursor: unknown): number | undefined {
  if (cursor === null || cursor === undefined || cursor === '') return 0
  if (typeof cursor !== 'string') return undefined
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  return match ? Number(match[1]) : undefined
}

function graphqlError(message: string): SimResponse {
  return {body: {data: null, errors: [{extensions: {code: 'BAD_USER_INPUT'}, message}]}, status: 200}
}

export class IAdvizeSimulator extends Simulator {
  /** Every node with all its messages, in closedAt order: what a complete export must equal. */
  readonly expected: Json[] = []
  /** Tokens issued by the password grant, in order, for the cache, re-authentication and secrecy tests. */
  readonly issued: string[] = []
  logins = 0
  private graphqlCalls = 0
  private readonly nodes: Array<{closedAt: number; node: Json}> = []
  private readonly byId = new Map<string, Json>()
  private readonly tokens = new Map<string, number>()
  private readonly loginTimes: number[] = []

  constructor(private readonly iadvize: IAdvizeSimulatorOptions) {
    super({
      auth: (req) => {
        if (req.path === '/oauth2/token') return null
        const match = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
        const expiry = match ? this.tokens.get(match[1]!) : undefined
        return expiry !== undefined && Date.now() < expiry ? null : INVALID_TOKEN
      },
      ...iadvize,
    })
    let index = 0
    const rows: Array<{closedAt: number; index: number; node: Json}> = []
    for (const node of iAdvizeRecords(iadvize.count, {
      seed: iadvize.seed,
      ...(iadvize.messages === undefined ? {} : {messages: iadvize.messages}),
    })) {
      rows.push({closedAt: Date.parse(node.closedAt as string), index: index++, node})
    }

    rows.sort((a, b) => a.closedAt - b.closedAt || a.index - b.index)
    for (const {closedAt, node} of rows) {
      this.nodes.push({closedAt, node})
      this.byId.set(node.id as string, node)
      this.expected.push(node)
    }

    this.route('POST', '/oauth2/token', (req) => this.token(req))
    this.route('POST', '/graphql', (req) => this.graphql(req))
  }

  /** Invalidates every token issued so far (as a revocation or an early expiry would): the next call gets a 401. */
  revokeTokens(): void {
    this.tokens.clear()
  }

  private token(req: SimRequest): SimResponse {
    const form = (req.body ?? {}) as Record<string, string>
    if (!String(req.headers['content-type']).includes('application/x-www-form-urlencoded')) {
      return {body: {error: 'invalid_request', error_description: 'form-encoded body expected'}, status: 400}
    }

    if (form.grant_type !== 'password')
      return {body: {error: 'unsupported_grant_type', error_description: 'only password'}, status: 400}
    const now = Date.now()
    while (this.loginTimes.length > 0 && now - this.loginTimes[0]! > 60_000) this.loginTimes.shift()
    if (this.loginTimes.length >= (this.iadvize.loginsPerMinute ?? LOGINS_PER_MINUTE))
      return {body: {error: 'too_many_requests', error_description: 'Too many logins'}, status: 429}
    this.loginTimes.push(now)
    if (form.username !== this.iadvize.username || form.password !== this.iadvize.password) {
      return {
        body: {error: 'invalid_grant', error_description: 'Invalid username and password combination'},
        status: 400,
      }
    }

    this.logins++
    const lifetime = this.iadvize.tokenLifetimeS ?? 86_400
    const token = `iadv-${this.logins}-${Math.random().toString(36).slice(2)}`
    this.tokens.set(token, now + lifetime * 1000)
    this.issued.push(token)
    return {body: {access_token: token, expires_in: lifetime, refresh_token: 'none', token_type: 'Bearer'}, status: 200}
  }

  private graphql(req: SimRequest): SimResponse {
    const body = req.body as undefined | {operationName?: string; query?: unknown; variables?: Json}
    if (typeof body?.query !== 'string') return {body: {errors: [{message: 'Must provide query string.'}]}, status: 400}
    const variables = body.variables ?? {}
    this.graphqlCalls++
    if (this.iadvize.revokeEvery && this.graphqlCalls % this.iadvize.revokeEvery === 0) this.revokeTokens()
    if (/\bclosedConversations\s*\(/.test(body.query)) return this.closedConversations(body.query, variables)
    if (/\bconversation\s*\(/.test(body.query)) return this.conversationMessages(variables)
    return graphqlError('Unknown operation: this simulator serves closedConversations and conversation(id)')
  }

  private closedConversations(query: string, variables: Json): SimResponse {
    if (!/pageInfo\s*{[^}]*hasNextPage/.test(query) || !/\bmessages\s*\(/.test(query)) {
      return graphqlError('the query must select pageInfo { hasNextPage endCursor } and the messages connection')
    }

    const interval = variables.interval as undefined | {from?: unknown; to?: unknown}
    const from = Date.parse(String(interval?.from ?? ''))
    const to = Date.parse(String(interval?.to ?? ''))
    if (Number.isNaN(from) || Number.isNaN(to))
      return graphqlError('Variable "$interval" of required type "DateTimeIntervalInput!" was not provided.')
    const first = Number(variables.first ?? 100)
    if (!Number.isInteger(first) || first < 1 || first > 100) return graphqlError('first must be between 1 and 100')
    const messagesFirst = Number(variables.messagesFirst ?? 100)
    if (!Number.isInteger(messagesFirst) || messagesFirst < 1 || messagesFirst > 100)
      return graphqlError('messages first must be between 1 and 100')
    const offset = offsetOf(variables.after)
    if (offset === undefined) return graphqlError(`Invalid cursor: ${String(variables.after)}`)
    const projects = Array.isArray(variables.projectIds)
      ? new Set((variables.projectIds as unknown[]).map(Number))
      : undefined
    const matching = this.nodes.filter(
      ({closedAt, node}) =>
        closedAt >= from &&
        closedAt <= to &&
        (projects === undefined || projects.has(Number((node.project as Json | null)?.id))),
    )
    const page = matching.slice(offset, offset + first)
    const edges = page.map(({node}, i) => ({
      cursor: cursorOf(offset + i + 1),
      node: {...node, messages: connection(node, 0, messagesFirst)},
    }))
    const end = offset + page.length
    return {
      body: {
        data: {
          closedConversations: {
            edges,
            pageInfo: {endCursor: page.length > 0 ? cursorOf(end) : null, hasNextPage: end < matching.length},
          },
        },
      },
      status: 200,
    }
  }

  private conversationMessages(variables: Json): SimResponse {
    const node = this.byId.get(String(variables.id))
    if (!node) return {body: {data: {conversation: null}}, status: 200}
    const first = Number(variables.first ?? 100)
    if (!Number.isInteger(first) || first < 1 || first > 100) return graphqlError('first must be between 1 and 100')
    const offset = offsetOf(variables.after)
    if (offset === undefined) return graphqlError(`Invalid cursor: ${String(variables.after)}`)
    return {body: {data: {conversation: {messages: connection(node, offset, first)}}}, status: 200}
  }
}

/** A page of a node's messages connection: its stored edges from `offset`, with the simulator's own pageInfo. */
function connection(node: Json, offset: number, first: number): Json {
  const all = ((node.messages as Json).edges as Json[]) ?? []
  const edges = all.slice(offset, offset + first)
  const end = offset + edges.length
  return {edges, pageInfo: {endCursor: edges.length > 0 ? cursorOf(end) : null, hasNextPage: end < all.length}}
}
