/**
 * DeepConverse (Workato AgentX Support) Export API (../shared/vendors/deepconverse.md):
 * GET /conversations/export/v1/conversations?start_time&end_time (epoch seconds)&bot_name&per_page (max 1000)&cursor,
 * cursor passed back until it comes back null; each conversation's messages from
 * GET /conversations/export/v1/messages?conversation_id&bot_name&per_page&cursor, joined as `messages` in API order.
 * Auth: `x-api-key`. Rate: 3 requests/s per endpoint.
 * Assumptions (not documented): the cursor is a top-level `cursor` next to `data`; the window filters on startTime
 * (the runner drops records outside it, counted); the messages endpoint needs no time range with conversation_id.
 */
/* eslint-disable camelcase -- the API's query parameters are snake_case */
import {z} from 'zod'

import type {JsonObject} from '../../engine/json.js'
import type {ExportContext, VendorExporter} from '../types.js'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {DAY_MS, splitRange} from '../windows.js'

const CONVERSATIONS = '/conversations/export/v1/conversations'
const MESSAGES = '/conversations/export/v1/messages'
/** No maximum range is documented; a week keeps each window's de-duplication set small. */
const WINDOW_MS = 7 * DAY_MS
/** Messages per request: the documented per-call maximum. */
const MESSAGES_PER_PAGE = 1000

const Options = z.object({
  botName: z.string().min(1),
  token: z.string().min(1),
})
type Options = z.infer<typeof Options>

const Page = z.object({
  cursor: z.string().min(1).nullable().optional(),
  data: z.array(z.record(z.string(), z.unknown())),
})

export const deepConverseExporter: VendorExporter<Options, string> = {
  defaultBaseUrl: 'https://api.converseapps.com',
  flags: {
    'bot-name': {
      description: 'DeepConverse bot name or id (bot_name), e.g. r3-218210.',
      env: 'CONVOSHIFT_DC_BOT',
      required: true,
    },
  },
  format: 'deepconverse',
  id(record) {
    return String(record._id ?? '')
  },
  options: Options,
  async page(ctx, window, cursor) {
    const response = await ctx.http.json(
      {
        bucket: 'conversations',
        method: 'GET',
        path: CONVERSATIONS,
        query: {
          bot_name: ctx.options.botName,
          cursor: cursor ?? undefined,
          // Epoch seconds; the windows are aligned to whole seconds.
          end_time: Math.ceil(window.until / 1000),
          per_page: ctx.pageSize,
          start_time: Math.floor(window.since / 1000),
        },
      },
      (body) => Page.parse(body),
    )
    const conversations = response.body.data as JsonObject[]
    // A conversation outside the window (the API's end_time may be inclusive) is dropped, and counted, by the runner:
    // fetching its messages would be a wasted request.
    const records = await ctx.parallel(conversations, async (conversation) => {
      const start = deepConverseExporter.time(conversation)
      if (start !== undefined && (start < window.since || start >= window.until)) return conversation
      return {...conversation, messages: await messagesOf(ctx, String(conversation._id ?? ''))}
    })
    return {next: response.body.cursor ?? null, records}
  },
  pageSize: {default: 100, max: 1000},
  rate: {conversations: {perMs: 1000, requests: 3}, messages: {perMs: 1000, requests: 3}},
  summary: 'DeepConverse Export API (conversations, each joined with its messages).',
  time(record) {
    return typeof record.startTime === 'number' ? record.startTime * 1000 : undefined
  },
  token: 'required',
  vendor: 'deepconverse',
  async authenticate(ctx) {
    ctx.http.setHeader('x-api-key', ctx.options.token)
  },
  windows(range) {
    return splitRange(range, WINDOW_MS, 1000)
  },
}

/** Every message of one conversation, following the cursor until null. */
async function messagesOf(ctx: ExportContext<Options>, conversationId: string): Promise<JsonObject[]> {
  const messages: JsonObject[] = []
  let cursor: null | string = null
  const seen = new Set<string>()
  do {
    const response: {body: z.infer<typeof Page>} = await ctx.http.json(
      {
        bucket: 'messages',
        method: 'GET',
        path: MESSAGES,
        query: {
          bot_name: ctx.options.botName,
          conversation_id: conversationId,
          cursor: cursor ?? undefined,
          per_page: MESSAGES_PER_PAGE,
        },
      },
      (body) => Page.parse(body),
    )
    messages.push(...(response.body.data as JsonObject[]))
    cursor = response.body.cursor ?? null
    // A cursor that repeats would loop for ever: the API is broken, not slow.
    if (cursor !== null) {
      if (seen.has(cursor)) {
        throw new ConvoshiftError(
          `deepconverse: GET ${MESSAGES}: the cursor for conversation ${conversationId} repeats`,
          {
            code: 'REMOTE_MALFORMED',
            exitCode: ExitCode.Remote,
          },
        )
      }

      seen.add(cursor)
    }
  } while (cursor !== null)

  return messages
}
