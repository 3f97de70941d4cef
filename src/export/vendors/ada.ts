/* eslint-disable camelcase -- Ada's own query and field names are snake_case */
/**
 * Ada Data Export (../shared/vendors/ada.md): conversations with their messages joined as a top-level `messages`
 * array (the `ada` record shape, mappings/ada.json). Where Ada's docs are silent the choice is marked ASSUMPTION.
 *
 * - Host: per bot handle, `https://<handle>.ada.support` (`--handle`), or `--base-url`.
 *   v2 (default): `GET /api/v2/export/{conversations,messages}`; `--api-version 1.x`: `GET /data_api/v1.x/…`.
 * - Auth: `Authorization: Bearer <API key>` (`--token` / CONVOSHIFT_TOKEN).
 * - Paging: the server-driven `next_page_uri` (v2 `meta.next_page_uri`, v1.x top level) is followed exactly as
 *   returned: a relative link is sent byte for byte (its offset-less timestamps are not re-encoded); an absolute link
 *   contributes only its path and query (requests never leave the configured host, so the key stays there). The
 *   list is `data` (v1.x, v2 OpenAPI) or `items` (v2 rendered docs): both are read. `page_size` is 100–10000.
 * - Windows: `created_since`/`created_to` may span at most 60 days. A conversation returned twice (at a page or window
 *   boundary) is written once: the runner de-duplicates by `_id` and keeps each window to its `date_created`s.
 * - Messages: one Messages request (plus its next links) per conversation, filtered by `conversation_id`, from the
 *   conversation's `date_created` (`created_since` is required there). ASSUMPTION: its `created_to` is 60 days later
 *   (the same span limit); a message returned twice at a page boundary is kept once; messages keep the API's
 *   `date_created` order.
 * - Rate: 3 requests/s per endpoint, the lowest of Ada's conflicting published limits (others say 10/s). 429 carries
 *   no documented Retry-After: the client backs off exponentially with jitter.
 * - Page size: ASSUMPTION 100 conversations per page by default (the minimum), so a checkpoint follows every 100
 *   conversations and their message requests; `--page-size` up to 10000.
 */
import {z} from 'zod'

import type {JsonObject} from '../../engine/json.js'
import type {ExportContext, VendorExporter} from '../types.js'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {DAY_MS, splitRange} from '../windows.js'

/** Ada: "The query window may span at most 60 days". */
export const ADA_MAX_WINDOW_MS = 60 * DAY_MS
export const ADA_MAX_PAGE_SIZE = 10_000
export const ADA_API_VERSIONS = ['2', '1.4', '1.3', '1.2', '1.1', '1'] as const
export type AdaApiVersion = (typeof ADA_API_VERSIONS)[number]

const Options = z.object({
  apiVersion: z.enum(ADA_API_VERSIONS).default('2'),
  handle: z
    .string()
    .regex(/^[a-z\d][a-z\d-]*$/i, 'a bot handle (letters, digits and -), as in https://<handle>.ada.support')
    .optional(),
  token: z.string().min(1),
})
type Options = z.infer<typeof Options>

/** Request times "must be an ISO 8601 UTC timestamp ending with 'Z'". */
export const adaRequestTime = (epochMs: number): string => new Date(epochMs).toISOString()

export function adaEndpoint(version: AdaApiVersion, resource: 'conversations' | 'messages'): string {
  return version === '2' ? `/api/v2/export/${resource}` : `/data_api/v${version}/${resource}`
}

/** The instance host of a bot handle, as the OpenAPI `servers` entry spells it. */
export function adaBaseUrl(handle: string): string {
  return `https://${handle}.ada.support`
}

/**
 * The request path for a `next_page_uri`, exactly as returned. Ada returns a relative link (`/data_api/v1.2/…?…`),
 * sent byte for byte. An absolute link contributes its path and query only: every request goes to the configured
 * host, so the API key is never sent to a host named by a response.
 */
export function nextPagePath(next: string): {path: string} | {reason: string} {
  if (next.startsWith('/')) return {path: next}
  const match = /^https?:\/\/[^/?#]+(\/[^#]*)$/i.exec(next)
  if (match) return {path: match[1]!}
  return {reason: `next_page_uri is neither a path nor an http(s) URL: ${JSON.stringify(next.slice(0, 120))}`}
}

const RecordList = z.array(z.record(z.string(), z.unknown()))
const NextLink = z.string().min(1).nullable().optional()

/** One page of either endpoint, any version: `{data|items, meta: {next_page_uri}}` or `{data, message, next_page_uri}`. */
export const AdaPage = z
  .looseObject({
    data: RecordList.optional(),
    items: RecordList.optional(),
    meta: z.looseObject({next_page_uri: NextLink}).nullable().optional(),
    next_page_uri: NextLink,
  })
  .refine((page) => page.data !== undefined || page.items !== undefined, {
    message: 'the page has neither data[] nor items[]',
  })
  .transform((page) => ({
    next: page.meta?.next_page_uri ?? page.next_page_uri ?? null,
    records: (page.data ?? page.items)! as JsonObject[],
  }))

const Conversation = z.looseObject({_id: z.string().min(1), date_created: z.string().min(1)})
const Message = z.looseObject({_id: z.string().min(1), conversation_id: z.string().optional()})

/**
 * A page whose records all pass `record` (and `extra`): checked inside the zod parse, so that the client's error names
 * the endpoint and the first offending field (`data.3.date_created`).
 */
function pageOf(record: z.ZodType, extra?: (value: JsonObject) => undefined | {message: string; path: string[]}) {
  return AdaPage.check((ctx) => {
    for (const [i, value] of ctx.value.records.entries()) {
      const result = record.safeParse(value)
      const issue = result.success ? extra?.(value) : result.error.issues[0]!
      if (issue) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: issue.message,
          path: ['data', i, ...issue.path.map(String)],
        })
        return
      }
    }
  })
}

const ConversationPage = pageOf(Conversation, (value) =>
  Number.isNaN(adaTimeMs(value.date_created as string))
    ? {message: 'not an ISO 8601 timestamp', path: ['date_created']}
    : undefined,
)
const MessagePage = pageOf(Message)

/** Ada's `2022-03-16T17:59:28.201000+00:00` (also offset-less or Z) as epoch ms; NaN when it is not a time. */
export function adaTimeMs(text: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(z|[+-]\d\d:?\d\d)?$/i.exec(text)
  if (!match) return Number.NaN
  const [, seconds, fraction = '', zone] = match
  return Date.parse(`${seconds}${fraction.slice(0, 4)}${zone ?? 'Z'}`)
}

interface Followed {
  endpoint: string
  path: string
  query?: Record<string, number | string>
}

/** One GET of a list endpoint: the first request (path + query) or a next link (path with its query, sent as is). */
async function getPage(
  ctx: ExportContext<Options>,
  request: Followed,
  bucket: 'conversations' | 'messages',
  schema: typeof ConversationPage | typeof MessagePage,
): Promise<{next: null | string; records: JsonObject[]}> {
  const response = await ctx.http.json(
    {
      bucket,
      endpoint: request.endpoint,
      method: 'GET',
      path: request.path,
      ...(request.query ? {query: request.query} : {}),
    },
    (body) => schema.parse(body),
  )
  return response.body
}

function follow(endpoint: string, next: string, previous?: string): Followed {
  const resolved = nextPagePath(next)
  if ('reason' in resolved) throw remoteError(`${endpoint}: ${resolved.reason}`)
  // A server that hands back the link it was just given would page forever.
  if (resolved.path === previous)
    throw remoteError(`${endpoint}: next_page_uri does not advance (${next.slice(0, 120)})`)
  return {endpoint, path: resolved.path}
}

function remoteError(message: string): ConvoshiftError {
  return new ConvoshiftError(`ada: ${message}`, {code: 'REMOTE_MALFORMED', exitCode: ExitCode.Remote})
}

/** Every message of one conversation, following next links; a message repeated at a page boundary is kept once. */
async function messagesOf(ctx: ExportContext<Options>, conversation: JsonObject): Promise<JsonObject[]> {
  const id = conversation._id as string
  const endpoint = `GET ${adaEndpoint(ctx.options.apiVersion, 'messages')}`
  const since = adaTimeMs(conversation.date_created as string)
  let request: Followed = {
    endpoint,
    path: adaEndpoint(ctx.options.apiVersion, 'messages'),
    query: {
      conversation_id: id,
      created_since: adaRequestTime(since),
      created_to: adaRequestTime(since + ADA_MAX_WINDOW_MS),
      page_size: ADA_MAX_PAGE_SIZE,
    },
  }
  const messages: JsonObject[] = []
  const seen = new Set<string>()
  for (;;) {
    const page = await getPage(ctx, request, 'messages', MessagePage)
    for (const message of page.records) {
      const messageId = message._id as string
      // The conversation_id filter is what makes these this conversation's messages; anything else is not.
      if (seen.has(messageId) || (message.conversation_id !== undefined && message.conversation_id !== id)) continue
      seen.add(messageId)
      messages.push(message)
    }

    if (page.next === null || page.records.length === 0) return messages
    request = follow(endpoint, page.next, request.path)
  }
}

export const adaExporter: VendorExporter<Options, string> = {
  baseUrlFor: (options) => (options.handle ? adaBaseUrl(options.handle) : undefined),
  defaultBaseUrl: null,
  flags: {
    'api-version': {
      description: 'Data Export API version: 2 (default, /api/v2/export) or 1.4, 1.3, 1.2, 1.1, 1 (/data_api/v1.x).',
      env: 'CONVOSHIFT_ADA_API_VERSION',
    },
    handle: {
      description: 'Ada bot handle: the API host is https://<handle>.ada.support (or give --base-url).',
      env: 'CONVOSHIFT_ADA_HANDLE',
    },
  },
  format: 'ada',
  vendor: 'ada',
  id(record) {
    return String(record._id ?? '')
  },
  options: Options,
  async page(ctx, window, cursor) {
    const endpoint = `GET ${adaEndpoint(ctx.options.apiVersion, 'conversations')}`
    const request: Followed =
      cursor === null
        ? {
            endpoint,
            path: adaEndpoint(ctx.options.apiVersion, 'conversations'),
            query: {
              created_since: adaRequestTime(window.since),
              created_to: adaRequestTime(window.until),
              page_size: ctx.pageSize,
            },
          }
        : follow(endpoint, cursor)
    const page = await getPage(ctx, request, 'conversations', ConversationPage)
    const records = await ctx.parallel(page.records, async (conversation) => ({
      ...conversation,
      messages: await messagesOf(ctx, conversation),
    }))
    return {next: page.records.length === 0 ? null : page.next, records}
  },
  pageSize: {default: 100, max: ADA_MAX_PAGE_SIZE},
  rate: {conversations: {perMs: 1000, requests: 3}, messages: {perMs: 1000, requests: 3}},
  summary: 'Ada Data Export API (conversations, each joined with its messages; next_page_uri paging, 60-day windows).',
  time(record) {
    const at = typeof record.date_created === 'string' ? adaTimeMs(record.date_created) : Number.NaN
    return Number.isNaN(at) ? undefined : at
  },
  token: 'required',
  async authenticate(ctx) {
    ctx.http.setHeader(
      'authorization',
      /^bearer\s/i.test(ctx.options.token) ? ctx.options.token : `Bearer ${ctx.options.token}`,
    )
  },
  windows(range) {
    return splitRange(range, ADA_MAX_WINDOW_MS)
  },
}
