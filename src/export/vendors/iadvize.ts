/* eslint-disable camelcase -- OAuth's own field names (access_token, grant_type…) */
/**
 * iAdvize: GraphQL `closedConversations` nodes, one per line (the `iadvize` record shape, mappings/iadvize.json).
 * Facts from shared/vendors/iadvize.md; where iAdvize's docs are silent the choice is marked ASSUMPTION.
 *
 * - Endpoint: `POST https://api.iadvize.com/graphql` (`?platform=sd` for SD-platform accounts), JSON body
 *   `{query, variables, operationName}`.
 * - Auth: `POST /oauth2/token`, form-encoded `username`, `password`, `grant_type=password`; the access token is kept in
 *   memory for its `expires_in` (24 h) and never written anywhere. A 401 (`invalid_token`) re-authenticates once.
 * - Paging: Relay connection, `first` ≤ 100 and `after` (null on the first page) until `pageInfo.hasNextPage` is
 *   false. ASSUMPTION: the article's "offset and limit" is not used; the pagination guide's cursors are.
 * - A node's `messages` is a connection too: its first 100 edges come with the node; while its `hasNextPage` is true
 *   the rest are read with `conversation(id) { messages(first, after) }`, and the output node holds every edge under
 *   `messages.edges` (no pageInfo).
 * - ASSUMPTION: `interval` is `{from, to}` (DateTime, ISO 8601); iAdvize documents no maximum span, so windows are 30
 *   days (bounded queries, finer checkpoints); a conversation seen in two windows is written once.
 * - ASSUMPTION: no rate limit is published for /graphql; 5 requests/s by default. The login limit (10/min per user)
 *   is respected by caching the token.
 */
import {z} from 'zod'

import type {JsonObject} from '../../engine/json.js'
import type {ExportContext, VendorExporter} from '../types.js'

import {ConvoshiftError, type ErrorCode, ExitCode, isConvoshiftError} from '../../errors.js'
import {DAY_MS, splitRange} from '../windows.js'

export const IADVIZE_DEFAULT_BASE_URL = 'https://api.iadvize.com'
/** "iAdvize GraphQL API limits results to a maximum of 100 per page." */
export const IADVIZE_PAGE_SIZE = 100
export const IADVIZE_WINDOW_MS = 30 * DAY_MS
/** Re-authenticate this long before the token's announced expiry (a tenth of its lifetime for short ones). */
export const IADVIZE_EXPIRY_MARGIN_MS = 60_000

/** The fields of a message node (ChatMessage or SystemMessage; see mappings/iadvize.json's assumptions). */
const MESSAGE_FIELDS = `
        cursor
        node {
          __typename
          ... on ChatMessage { id createdAt author { __typename ... on Visitor { id } ... on Operator { id } ... on Expert { id } ... on Bot { id } } text attachments { __typename url fileName mimeType } }
          ... on SystemMessage { id createdAt attachment { __typename createdAt ... on ConversationPushedSystemAttachment { toUser { id userName } } } }
        }`

/** The `closedConversations` query. The selection follows the closedConversations article's field list. */
export const CLOSED_CONVERSATIONS_QUERY = `query ClosedConversations($interval: DateTimeIntervalInput!, $projectIds: [LegacyId!], $first: Int!, $after: String, $messagesFirst: Int!) {
  closedConversations(interval: $interval, projectIds: $projectIds, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id legacyId externalId createdAt updatedAt closedAt duration channel language automationLevel closeReason
        project { id name }
        routingRule { id name }
        routingGroup { id name }
        engagementCampaign { id name }
        targetingRule { id name }
        users { id role firstName lastName userName email avatar }
        visitor { id firstName lastName email phoneNumber city country }
        tags { id name }
        satisfactionSurvey { customerSatisfaction netPromoterScore comment }
        customerSatisfaction netPromoterScore comment
        customData { key value }
        closingFormValues { fieldName value }
        conversions { id externalId amount currency receivedAt source }
        messages(first: $messagesFirst) {
          pageInfo { hasNextPage endCursor }
          edges {${MESSAGE_FIELDS}
          }
        }
      }
    }
  }
}`

/** The rest of one conversation's messages, after the edges that came with its node. */
export const CONVERSATION_MESSAGES_QUERY = `query ConversationMessages($id: UUID!, $first: Int!, $after: String) {
  conversation(id: $id) {
    messages(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {${MESSAGE_FIELDS}
      }
    }
  }
}`

export const iadvizeTime = (epochMs: number): string => new Date(epochMs).toISOString()

export function closedConversationsBody(
  window: {since: number; until: number},
  projectIds: number[],
  after: null | string,
  first = IADVIZE_PAGE_SIZE,
): {operationName: string; query: string; variables: JsonObject} {
  return {
    operationName: 'ClosedConversations',
    query: CLOSED_CONVERSATIONS_QUERY,
    variables: {
      after,
      first,
      interval: {from: iadvizeTime(window.since), to: iadvizeTime(window.until)},
      messagesFirst: IADVIZE_PAGE_SIZE,
      ...(projectIds.length > 0 ? {projectIds} : {}),
    },
  }
}

export function conversationMessagesBody(
  id: string,
  after: string,
): {operationName: string; query: string; variables: JsonObject} {
  return {
    operationName: 'ConversationMessages',
    query: CONVERSATION_MESSAGES_QUERY,
    variables: {after, first: IADVIZE_PAGE_SIZE, id},
  }
}

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  token_type: z.string().optional(),
})

const pageInfo = z.looseObject({endCursor: z.string().nullable().optional(), hasNextPage: z.boolean()})
const messagesConnection = z.looseObject({
  edges: z.array(z.record(z.string(), z.unknown())),
  pageInfo: pageInfo.optional(),
})
const graphqlError = z.looseObject({message: z.string().optional()})

const ClosedConversationsResponse = z.looseObject({
  data: z
    .looseObject({
      closedConversations: z
        .looseObject({
          edges: z.array(z.looseObject({node: z.looseObject({id: z.string().min(1), messages: messagesConnection})})),
          pageInfo,
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  errors: z.array(graphqlError).optional(),
})

const ConversationMessagesResponse = z.looseObject({
  data: z
    .looseObject({conversation: z.looseObject({messages: messagesConnection}).nullable()})
    .nullable()
    .optional(),
  errors: z.array(graphqlError).optional(),
})

/** GraphQL reports failures in `errors` with HTTP 200: the first message, for one-line errors. */
export function graphqlErrorText(errors: Array<{message?: string | undefined}> | undefined): string | undefined {
  if (!errors || errors.length === 0) return undefined
  const first = errors[0]!.message ?? 'unknown error'
  return errors.length > 1 ? `${first} (and ${errors.length - 1} more)` : first
}

/** The node as written: its messages connection reduced to every edge, in order, without pageInfo. */
export function completeNode(node: JsonObject, edges: JsonObject[]): JsonObject {
  const messages = node.messages as JsonObject | null | undefined
  if (messages === null || messages === undefined) return node
  const rest = {...messages}
  delete rest.pageInfo
  return {...node, messages: {...rest, edges}}
}

const Options = z
  .object({
    password: z.string().min(1).optional(),
    platform: z.enum(['ha', 'sd']).default('ha'),
    projectId: z
      .array(z.string().regex(/^\d+$/, 'a numeric project id (SID)'))
      .default([])
      .transform((ids) => ids.map(Number)),
    token: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
  })
  .refine((o) => o.token !== undefined || (o.username !== undefined && o.password !== undefined), {
    message: 'give --username and --password (the OAuth password grant), or an access token with --token',
    path: ['username'],
  })
type Options = z.infer<typeof Options>

interface Session {
  /** Epoch ms after which the token is renewed before use; undefined for a token given with --token. */
  expiresAt?: number
  logins?: number
}

const GRAPHQL = '/graphql'
const TOKEN = '/oauth2/token'

function remote(message: string, code: ErrorCode = 'REMOTE_MALFORMED'): ConvoshiftError {
  return new ConvoshiftError(`iadvize: ${message}`, {code, exitCode: ExitCode.Remote})
}

/** The password grant; the token lives in the client's headers (redacted everywhere) and its expiry in the session. */
async function login(ctx: ExportContext<Options>): Promise<void> {
  const session = ctx.session as Session
  const {password, token, username} = ctx.options
  if (token !== undefined) {
    ctx.http.setHeader('authorization', /^bearer\s/i.test(token) ? token : `Bearer ${token}`)
    return
  }

  let response
  try {
    response = await ctx.http.json(
      {
        bucket: 'oauth',
        endpoint: `POST ${TOKEN}`,
        form: {grant_type: 'password', password: password!, username: username!},
        method: 'POST',
        path: TOKEN,
      },
      (body) => TokenResponse.parse(body),
    )
  } catch (error) {
    // OAuth answers a refused password grant with 400 invalid_grant (RFC 6749 §5.2): that is an authentication failure.
    if (isConvoshiftError(error) && (error.code === 'REMOTE_AUTH' || /HTTP 400\b/.test(error.message))) {
      throw new ConvoshiftError(
        `${error.message.replace(/: the credentials were refused$/, '')}: the username or password was refused`,
        {
          code: 'REMOTE_AUTH',
          exitCode: ExitCode.Remote,
          suggestions: [
            'check --username and --password (or CONVOSHIFT_IADVIZE_USERNAME / CONVOSHIFT_IADVIZE_PASSWORD)',
          ],
        },
      )
    }

    throw error
  }

  const {access_token: accessToken, expires_in: expiresIn} = response.body
  ctx.http.setHeader('authorization', `Bearer ${accessToken}`)
  session.logins = (session.logins ?? 0) + 1
  ctx.count('logins')
  // No expires_in: assume the documented 24 h.
  const lifetimeMs = (expiresIn ?? 86_400) * 1000
  session.expiresAt = Date.now() + lifetimeMs - Math.min(IADVIZE_EXPIRY_MARGIN_MS, lifetimeMs / 10)
}

/**
 * One GraphQL POST. The token is renewed before it expires; a 401 (`invalid_token`: revoked, or expired early) logs
 * in again and repeats the request once. GraphQL `errors` (HTTP 200) fail with their first message.
 */
async function graphql<T extends {errors?: Array<{message?: string | undefined}> | undefined}>(
  ctx: ExportContext<Options>,
  body: {operationName: string; query: string; variables: JsonObject},
  schema: z.ZodType<T>,
): Promise<T> {
  const session = ctx.session as Session
  if (session.expiresAt !== undefined && Date.now() >= session.expiresAt) await login(ctx)
  const request = {
    bucket: 'graphql',
    endpoint: `POST ${GRAPHQL} (${body.operationName})`,
    json: body,
    method: 'POST' as const,
    path: GRAPHQL,
    ...(ctx.options.platform === 'sd' ? {query: {platform: 'sd'}} : {}),
  }
  let response
  try {
    response = await ctx.http.json(request, (value) => schema.parse(value))
  } catch (error) {
    if (
      !(isConvoshiftError(error) && error.code === 'REMOTE_AUTH' && /HTTP 401\b/.test(error.message)) ||
      ctx.options.token !== undefined
    )
      throw error
    ctx.count('reauthentications')
    await login(ctx)
    response = await ctx.http.json(request, (value) => schema.parse(value))
  }

  const failure = graphqlErrorText(response.body.errors)
  if (failure !== undefined) throw remote(`${request.endpoint}: GraphQL error: ${failure}`, 'REMOTE_HTTP')
  return response.body
}

/** The rest of a node's messages, while its connection says there are more. */
async function remainingEdges(ctx: ExportContext<Options>, id: string, after: string): Promise<JsonObject[]> {
  const edges: JsonObject[] = []
  let cursor = after
  for (;;) {
    const body = await graphql(ctx, conversationMessagesBody(id, cursor), ConversationMessagesResponse)
    const messages = body.data?.conversation?.messages
    if (!messages) throw remote(`POST ${GRAPHQL} (ConversationMessages): conversation ${id} came back without messages`)
    edges.push(...messages.edges)
    const info = messages.pageInfo
    if (!info?.hasNextPage) return edges
    if (!info.endCursor || info.endCursor === cursor)
      throw remote(`POST ${GRAPHQL} (ConversationMessages): messages of ${id} do not advance`)
    cursor = info.endCursor
  }
}

export const iAdvizeExporter: VendorExporter<Options, string> = {
  defaultBaseUrl: IADVIZE_DEFAULT_BASE_URL,
  flags: {
    password: {
      description: 'iAdvize password for the OAuth password grant.',
      env: 'CONVOSHIFT_IADVIZE_PASSWORD',
      secret: true,
    },
    platform: {
      description: 'iAdvize platform of the account: ha (default) or sd (adds ?platform=sd to every GraphQL call).',
      env: 'CONVOSHIFT_IADVIZE_PLATFORM',
    },
    'project-id': {
      description:
        'iAdvize project id (SID) to export (closedConversations projectIds); repeat for several; default: all.',
      multiple: true,
    },
    username: {description: 'iAdvize user e-mail for the OAuth password grant.', env: 'CONVOSHIFT_IADVIZE_USERNAME'},
  },
  format: 'iadvize',
  id(record) {
    return String(record.id ?? '')
  },
  options: Options,
  async page(ctx, window, cursor) {
    const body = await graphql(
      ctx,
      closedConversationsBody(window, ctx.options.projectId, cursor, ctx.pageSize),
      ClosedConversationsResponse,
    )
    const connection = body.data?.closedConversations
    if (!connection) throw remote(`POST ${GRAPHQL} (ClosedConversations): the response has no data.closedConversations`)
    const records = await ctx.parallel(connection.edges, async ({node}) => {
      const info = node.messages.pageInfo
      const more = info?.hasNextPage && info.endCursor ? await remainingEdges(ctx, node.id, info.endCursor) : []
      if (more.length > 0) ctx.count('messagePages')
      return completeNode(node, [...node.messages.edges, ...more]) as JsonObject
    })
    const {endCursor, hasNextPage} = connection.pageInfo
    if (hasNextPage && (!endCursor || endCursor === cursor))
      throw remote(`POST ${GRAPHQL} (ClosedConversations): pageInfo.endCursor does not advance`)
    return {next: hasNextPage ? endCursor! : null, records}
  },
  pageSize: {default: IADVIZE_PAGE_SIZE, max: IADVIZE_PAGE_SIZE},
  // ASSUMPTION: no limit is published for /graphql; 5/s. Logins: 10/min per user (one per run thanks to the cache).
  rate: {graphql: {perMs: 1000, requests: 5}, oauth: {perMs: 60_000, requests: 10}},
  summary:
    'iAdvize GraphQL closedConversations (OAuth password grant, token cached; cursor pagination; nodes with every message).',
  time(record) {
    const at = typeof record.closedAt === 'string' ? Date.parse(record.closedAt) : Number.NaN
    return Number.isNaN(at) ? undefined : at
  },
  token: 'optional',
  async authenticate(ctx) {
    await login(ctx)
  },
  vendor: 'iadvize',
  windows(range) {
    return splitRange(range, IADVIZE_WINDOW_MS)
  },
}
