/**
 * DeepConverse Export API simulator (../shared/vendors/deepconverse.md), on the shared base:
 * - GET /conversations/export/v1/conversations?start_time&end_time (epoch seconds, both required, both inclusive here:
 *   the worst case the docs allow)&bot_name (required)&per_page (≤ 1000)&cursor → {data, cursor}, cursor null at the end.
 * - GET /conversations/export/v1/messages?conversation_id&bot_name&per_page&cursor → that conversation's messages.
 * Auth: `x-api-key` (401 {"message": "Invalid API key"}). Rate: 3 requests/s per endpoint when `rateLimit` is on.
 * Cursors are opaque (base64 of an offset and the query they belong to); a cursor from another query is a 400.
 */
import {sampleGenerators} from '../../src/sample/index.js'
import {type SimResponse, Simulator, type SimulatorOptions} from './base.js'

type Rec = Record<string, any>

export const DC_KEY = 'dc-api-key-9b1e77c4d2'
export const DC_BOT = 'r3-218210'
/** The data set starts here, in epoch seconds (2025-04-01T00:00:07Z). */
export const DC_EPOCH_S = Date.UTC(2025, 3, 1, 0, 0, 7) / 1000

/** Conversations with their messages (the export's record shape), starting at DC_EPOCH_S every `stepS` seconds. */
export function deepConverseData(options: {count: number; seed?: number; stepS?: number}): Rec[] {
  const step = options.stepS ?? 4 * 3600
  const records = [...sampleGenerators.deepconverse!(options.count, {messages: 4, seed: options.seed ?? 7})] as Rec[]
  return records.map((record, i) => {
    const shift = DC_EPOCH_S + i * step - record.startTime
    return {
      ...record,
      lastActionAt: typeof record.lastActionAt === 'number' ? record.lastActionAt + shift : record.lastActionAt,
      messages: record.messages ?? [],
      startTime: record.startTime + shift,
    }
  })
}

const bad = (message: string): SimResponse => ({body: {message}, status: 400})

function cursorFor(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({offset, scope})).toString('base64url')
}

function readCursor(cursor: null | string, scope: string): number | undefined {
  if (cursor === null) return 0
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {offset: number; scope: string}
    return parsed.scope === scope ? parsed.offset : undefined
  } catch {
    return undefined
  }
}

export function deepConverseSimulator(options: SimulatorOptions & {records?: Rec[]} = {}): Simulator {
  const records = options.records ?? deepConverseData({count: 120})
  const conversations = records.map(({messages: _, ...conversation}) => conversation)
  const messagesById = new Map(records.map((r) => [r._id as string, r.messages as Rec[]]))
  const sim = new Simulator({
    auth: (req) => (req.headers['x-api-key'] === DC_KEY ? null : {body: {message: 'Invalid API key'}, status: 401}),
    ...options,
  })

  const page = (items: Rec[], query: URLSearchParams, scope: string): SimResponse => {
    const perPage = Number(query.get('per_page') ?? 100)
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) return bad('per_page must be between 1 and 1000')
    const offset = readCursor(query.get('cursor'), scope)
    if (offset === undefined) return bad('invalid cursor')
    const end = offset + perPage
    return {body: {cursor: end < items.length ? cursorFor(end, scope) : null, data: items.slice(offset, end)}}
  }

  sim.route('GET', '/conversations/export/v1/conversations', (req) => {
    const start = Number(req.query.get('start_time'))
    const end = Number(req.query.get('end_time'))
    if (!req.query.get('start_time') || !req.query.get('end_time')) return bad('start_time and end_time are required')
    if (req.query.get('bot_name') !== DC_BOT) return {body: {message: 'bot not found'}, status: 404}
    const items = conversations.filter((c) => c.startTime >= start && c.startTime <= end)
    return page(items, req.query, `${start}-${end}`)
  })
  sim.route('GET', '/conversations/export/v1/messages', (req) => {
    if (req.query.get('bot_name') !== DC_BOT) return {body: {message: 'bot not found'}, status: 404}
    const id = req.query.get('conversation_id')
    if (!id) return bad('conversation_id is required')
    return page(messagesById.get(id) ?? [], req.query, id)
  })
  return sim
}
