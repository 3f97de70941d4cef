/**
 * LivePerson's two history APIs (../shared/vendors/liveperson.md):
 * - `liveperson`: Messaging Interactions "full conversation search",
 *   POST /messaging_history/api/account/{account}/conversations/search?offset&limit (max 100), body {start: {from, to}}
 *   in epoch ms, rounded by the API to 10 minutes; total in `_metadata.count`. A record with `info.isPartial: true` is
 *   truncated and is re-fetched whole with Get-conversation-by-id (POST …/conversations/conversation/search).
 * - `liveperson-consumer`: Consumer Messaging History metadata search,
 *   GET …/conversations/consumer/metadata/search?state=close,archive&startFrom&startTo&offset&limit (max 100), with a
 *   consumer JWT; total in `_responseMetadata.count`. Metadata only (the API returns no messages).
 * Hosts are per account (Domain API service `msgHist`), so --base-url is required.
 */
import {z} from 'zod'

import type {JsonObject} from '../../engine/json.js'
import type {ExportContext, ExportWindow, PageResult, TimeRange, VendorExporter} from '../types.js'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {DAY_MS, MINUTE_MS, splitRange} from '../windows.js'

/** The API rounds its bounds to 10 minutes: aligned windows get exactly what they ask for, and never overlap. */
const ROUNDING_MS = 10 * MINUTE_MS
/** The documented maximum interval is three months; smaller windows keep checkpoints and de-duplication sets small. */
const WINDOW_MS = 30 * DAY_MS
/** `source` is required by the current API (≤ 20 characters): who is asking. */
const SOURCE = 'convoshift'
/** Everything the search can return (its contentToRetrieve values), so a record is complete unless isPartial. */
const CONTENT = [
  'campaign',
  'messageRecords',
  'agentParticipants',
  'agentParticipantsLeave',
  'agentParticipantsActive',
  'consumerParticipants',
  'transfers',
  'interactions',
  'messageScores',
  'messageStatuses',
  'conversationSurveys',
  'coBrowseSessions',
  'summary',
  'sdes',
  'unAuthSdes',
  'monitoring',
  'dialogs',
  'responseTime',
]

const Options = z.object({
  account: z.string().regex(/^[\w-]+$/, 'an account id (letters, digits, - or _)'),
  token: z.string().min(1),
})
type Options = z.infer<typeof Options>

const RecordList = z.array(z.record(z.string(), z.unknown()))

const SearchPage = z.object({
  _metadata: z.looseObject({count: z.number().int().nonnegative().optional()}).optional(),
  conversationHistoryRecords: RecordList.default([]),
})

const ConsumerPage = z.object({
  _responseMetadata: z.looseObject({count: z.number().int().nonnegative().optional()}).optional(),
  conversationHistoryMetadataRecords: RecordList.default([]),
})

const accountFlag = {
  account: {description: 'LivePerson account (site) id, e.g. 12345678.', env: 'CONVOSHIFT_LP_ACCOUNT', required: true},
}

function historyPath(options: Options, rest: string): string {
  return `/messaging_history/api/account/${encodeURIComponent(options.account)}/conversations/${rest}`
}

/** An Authorization header from a token given with or without its scheme. */
export function bearer(token: string): string {
  return /^(bearer|jwt|token)\s/i.test(token) ? token : `Bearer ${token}`
}

function windows(range: TimeRange): TimeRange[] {
  return splitRange(range, WINDOW_MS, ROUNDING_MS)
}

/** Offset pagination shared by both APIs: the first page tells the total, so every later offset is known. */
function offsetPage(
  offset: number,
  pageSize: number,
  records: JsonObject[],
  total: number | undefined,
): PageResult<number> {
  const next =
    records.length < pageSize || (total !== undefined && offset + records.length >= total) ? null : offset + pageSize
  const result: PageResult<number> = {next, records}
  if (total !== undefined) result.total = total
  if (offset === 0 && total !== undefined && next !== null) {
    result.rest = []
    for (let o = pageSize; o < total; o += pageSize) result.rest.push(o)
  }

  return result
}

function infoOf(record: JsonObject): Record<string, unknown> {
  const {info} = record
  return info && typeof info === 'object' && !Array.isArray(info) ? (info as Record<string, unknown>) : {}
}

export const livePersonExporter: VendorExporter<Options, number> = {
  defaultBaseUrl: null,
  flags: accountFlag,
  format: 'liveperson',
  id(record) {
    return String(infoOf(record).conversationId ?? '')
  },
  options: Options,
  async page(ctx, window, cursor) {
    const offset = cursor === null ? 0 : cursor
    const response = await ctx.http.json(
      {
        bucket: 'default',
        json: {contentToRetrieve: CONTENT, start: {from: window.since, to: window.until}},
        method: 'POST',
        path: historyPath(ctx.options, 'search'),
        query: {limit: ctx.pageSize, offset, sort: 'start:asc', source: SOURCE, v: 2},
      },
      (body) => SearchPage.parse(body),
    )
    const records = response.body.conversationHistoryRecords as JsonObject[]
    const complete = await refetchPartial(ctx, records)
    return offsetPage(offset, ctx.pageSize, complete, response.body._metadata?.count)
  },
  pageSize: {default: 100, max: 100},
  // LivePerson publishes no number for this API; 10/s is a conservative default (its guidance: "avoid bursts").
  rate: {default: {perMs: 1000, requests: 10}},
  summary: 'LivePerson Messaging Interactions API (conversation search; partial records re-fetched by id).',
  time(record) {
    const start = infoOf(record).startTimeL
    return typeof start === 'number' ? start : undefined
  },
  token: 'required',
  vendor: 'liveperson',
  async authenticate(ctx) {
    ctx.http.setHeader('authorization', bearer(ctx.options.token))
  },
  windows,
}

/** Replaces each `info.isPartial` record with the whole record from Get-conversation-by-id, keeping page order. */
async function refetchPartial(ctx: ExportContext<Options>, records: JsonObject[]): Promise<JsonObject[]> {
  return ctx.parallel(records, async (record) => {
    if (infoOf(record).isPartial !== true) return record
    const id = livePersonExporter.id(record)
    const response = await ctx.http.json(
      {
        endpoint: `POST ${historyPath(ctx.options, 'conversation/search')}`,
        json: {contentToRetrieve: CONTENT, conversationId: id},
        method: 'POST',
        path: historyPath(ctx.options, 'conversation/search'),
        query: {source: SOURCE, v: 2},
      },
      (body) => SearchPage.parse(body),
    )
    const whole = response.body.conversationHistoryRecords.find((r) => livePersonExporter.id(r as JsonObject) === id)
    if (!whole || infoOf(whole as JsonObject).isPartial === true) {
      throw new ConvoshiftError(
        `liveperson: conversation ${id} is partial in the search and ${whole ? 'still partial' : 'missing'} when fetched by id`,
        {code: 'REMOTE_MALFORMED', exitCode: ExitCode.Remote},
      )
    }

    ctx.count('partialRefetched')
    return whole as JsonObject
  })
}

export const livePersonConsumerExporter: VendorExporter<Options, number> = {
  defaultBaseUrl: null,
  flags: accountFlag,
  format: 'liveperson-consumer',
  id(record) {
    return String(record.convId ?? '')
  },
  options: Options,
  async page(ctx, window: ExportWindow, cursor) {
    const offset = cursor === null ? 0 : cursor
    const response = await ctx.http.json(
      {
        method: 'GET',
        path: historyPath(ctx.options, 'consumer/metadata/search'),
        query: {
          limit: ctx.pageSize,
          offset,
          sort: 'start:asc',
          startFrom: window.since,
          startTo: window.until,
          state: 'close,archive',
        },
      },
      (body) => ConsumerPage.parse(body),
    )
    const records = response.body.conversationHistoryMetadataRecords as JsonObject[]
    return offsetPage(offset, ctx.pageSize, records, response.body._responseMetadata?.count)
  },
  pageSize: {default: 100, max: 100},
  rate: {default: {perMs: 1000, requests: 10}},
  summary: "LivePerson Consumer Messaging History API (one consumer's conversation metadata; consumer JWT).",
  time(record) {
    return typeof record.startTs === 'number' ? record.startTs : undefined
  },
  token: 'required',
  vendor: 'liveperson',
  async authenticate(ctx) {
    ctx.http.setHeader('authorization', bearer(ctx.options.token))
  },
  windows,
}
