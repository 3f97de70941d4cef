/**
 * LivePerson history APIs simulator (../shared/vendors/liveperson.md), on the shared base:
 * - POST /messaging_history/api/account/:account/conversations/search?offset&limit(≤100)&source: body
 *   {start: {from, to}} in epoch ms, bounds rounded to 10 minutes (down / up, `to` inclusive) as the API does, so it
 *   returns records outside the requested range; `_metadata.count`; records sorted by start ascending.
 * - POST …/conversations/conversation/search {conversationId}: one whole record.
 * - GET …/conversations/consumer/metadata/search?startFrom&startTo&offset&limit(≤100)&state: consumer metadata.
 * Auth: `Authorization: Bearer <token>` (401 otherwise). A `partial` custom fault (or `partialIds`) returns records of
 * that page with `info.isPartial: true` and their messages cut, as the API does for oversized records.
 */
import {sampleGenerators} from '../../src/sample/index.js'
import {type FaultRule, offsetSlice, type SimResponse, Simulator, type SimulatorOptions} from './base.js'

type Rec = Record<string, any>

export const LP_TOKEN = 'lp-secret-token-5f0c1e9a'
export const LP_ACCOUNT = '12345678'
/** The data set starts here (2024-03-01T00:03:00Z: not on a 10-minute boundary). */
export const LP_EPOCH = Date.UTC(2024, 2, 1, 0, 3)
const ROUND = 10 * 60_000

export interface LivePersonDataOptions {
  count: number
  seed?: number
  /** Milliseconds between conversation starts. Default 7 hours (200 conversations span ~58 days: two 30-day windows). */
  stepMs?: number
}

/** Messaging Interactions records from the sample generator, starting at LP_EPOCH every `stepMs`, in start order. */
export function livePersonData(options: LivePersonDataOptions): Rec[] {
  const step = options.stepMs ?? 7 * 3_600_000
  const records = [...sampleGenerators.liveperson!(options.count, {messages: 4, seed: options.seed ?? 42})] as Rec[]
  return records.map((record, i) => {
    const start = LP_EPOCH + i * step
    record.info.startTimeL = start
    record.info.startTime = lpTime(start)
    return record
  })
}

/** Consumer metadata records, likewise. */
export function livePersonConsumerData(options: LivePersonDataOptions): Rec[] {
  const step = options.stepMs ?? 7 * 3_600_000
  const records = [
    ...sampleGenerators['liveperson-consumer']!(options.count, {messages: 4, seed: options.seed ?? 42}),
  ] as Rec[]
  return records.map((record, i) => ({...record, startTs: LP_EPOCH + i * step}))
}

export function lpTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '+0000')
}

const UNAUTHORIZED: SimResponse = {
  body: {error: 'Unauthorized', message: 'Authentication failed', status: 401},
  status: 401,
}

export interface LivePersonSimulatorOptions extends SimulatorOptions {
  records?: Rec[]
  consumerRecords?: Rec[]
  /** Conversation ids that the search always returns partial (too large), whatever the faults. */
  partialIds?: ReadonlySet<string>
  faults?: FaultRule[]
}

export function livePersonSimulator(options: LivePersonSimulatorOptions = {}): Simulator {
  const records = options.records ?? livePersonData({count: 200})
  const consumer = options.consumerRecords ?? livePersonConsumerData({count: 200})
  const partialIds = options.partialIds ?? new Set<string>()
  const sim = new Simulator({
    auth: (req) => (req.headers.authorization === `Bearer ${LP_TOKEN}` ? null : UNAUTHORIZED),
    ...options,
  })
  const base = '/messaging_history/api/account/:account/conversations'
  sim.route('POST', `${base}/search`, (req, params) => {
    if (params.account !== LP_ACCOUNT) return {body: {message: `account ${params.account} not found`}, status: 404}
    if (!req.query.get('source')) return badRequest('source is required')
    const body = req.body as Rec | undefined
    const from = body?.start?.from
    const to = body?.start?.to
    if (typeof from !== 'number' || typeof to !== 'number') return badRequest('start.from and start.to are required')
    const lo = Math.floor(from / ROUND) * ROUND
    const hi = Math.ceil(to / ROUND) * ROUND
    const matching = records.filter((r) => r.info.startTimeL >= lo && r.info.startTimeL <= hi)
    const page = offsetSlice(matching, req.query, {default: 50, max: 100})
    if (page.error) return badRequest(page.error)
    const partialPage = req.faults.includes('partial')
    const items = page.items.map((r) => (partialPage || partialIds.has(r.info.conversationId) ? partial(r) : r))
    return {
      body: {
        _metadata: {
          count: matching.length,
          self: {href: `${sim.baseUrl}${req.path}?offset=${page.offset}&limit=${page.limit}`, rel: 'self'},
          shardsStatusResult: {partialResult: false},
        },
        conversationHistoryRecords: items,
      },
    }
  })
  sim.route('POST', `${base}/conversation/search`, (req) => {
    const id = (req.body as Rec | undefined)?.conversationId
    const found = records.filter((r) => r.info.conversationId === id)
    return {body: {_metadata: {count: found.length}, conversationHistoryRecords: found}}
  })
  sim.route('GET', `${base}/consumer/metadata/search`, (req, params) => {
    if (params.account !== LP_ACCOUNT) return {body: {message: `account ${params.account} not found`}, status: 404}
    const from = Number(req.query.get('startFrom'))
    const to = Number(req.query.get('startTo'))
    if (req.query.has('startFrom') !== req.query.has('startTo'))
      return badRequest('startFrom and startTo must be passed together')
    const states = (req.query.get('state') ?? 'archive').toLowerCase().split(',')
    const matching = consumer.filter(
      (r) => r.startTs >= from && r.startTs <= to && (states.includes('close') || states.includes('archive')),
    )
    const page = offsetSlice(matching, req.query, {default: 50, max: 100})
    if (page.error) return badRequest(page.error)
    return {
      body: {
        _responseMetadata: {count: matching.length, self: {href: req.path, rel: 'self'}},
        conversationHistoryMetadataRecords: page.items,
      },
    }
  })
  return sim
}

function badRequest(message: string): SimResponse {
  return {body: {message, status: 400}, status: 400}
}

/** A record as the search returns an oversized one: flagged partial, its transcript cut. */
function partial(record: Rec): Rec {
  return {...record, info: {...record.info, isPartial: true}, messageRecords: (record.messageRecords ?? []).slice(0, 1)}
}

export {type SimRequest} from './base.js'
