/* eslint-disable camelcase -- Ada's own query and field names */
/**
 * A simulator of Ada's Data Export API (shared/vendors/ada.md) on 127.0.0.1, for the export tests.
 *
 * Data set: `adaRecords(count, {seed})`, each conversation's messages served by the Messages endpoint and the
 * conversation object (without `messages`) by the Conversations endpoint. A generated record without `messages`
 * (Ada's ingestion lag) is served as a conversation with no messages, so the expected export holds `messages: []`:
 * the API cannot tell "not loaded yet" from "none".
 *
 * Behaviour, as documented: `Authorization: Bearer <key>` (v2 error body `{"errors":[{type, message, details}]}`);
 * v2 `/api/v2/export/{conversations,messages}` answering `{data|items, meta: {next_page_uri}}` and v1.x
 * `/data_api/v1.x/…` answering `{data, message: "OK", next_page_uri}`; `page_size` 100–10000 (default 10000);
 * `created_to` defaulting to `created_since` + 7 days; spans over 60 days refused with 400; messages need
 * `created_since`. Where the docs are silent (documented here as the simulator's choice): windows include both ends,
 * and `next_page_uri` restarts at the last returned record's `date_created` (inclusive, offset-less like the seed),
 * so the record at a page or window boundary is returned twice and the exporter must drop the copy.
 */
import {adaRecords} from '../../src/sample/ada.js'
import {type SimRequest, type SimResponse, Simulator, type SimulatorOptions} from './base.js'

type Json = Record<string, unknown>

export interface AdaSimulatorOptions extends SimulatorOptions {
  count: number
  seed: number | string
  /** Mean messages per conversation (generator bias). */
  messages?: number
  token: string
  /** v2 list key: the OpenAPI's `data` (default) or the rendered docs' `items`. */
  listKey?: 'data' | 'items'
}

const DAY_MS = 86_400_000
const MAX_SPAN_MS = 60 * DAY_MS

/** Ada's timestamps as epoch microseconds (exact: the ordering and boundaries must not be rounded). */
export function adaMicros(text: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(z|[+-]\d\d:?\d\d)?$/i.exec(text)
  if (!match) return Number.NaN
  const [, seconds, fraction = '', zone] = match
  const ms = Date.parse(`${seconds}${zone && zone.toUpperCase() !== 'Z' ? zone : 'Z'}`)
  return ms * 1000 + Number(fraction.padEnd(6, '0'))
}

/** The offset-less microsecond spelling the seed's next_page_uri uses: `2022-03-16T18:05:27.536000`. */
function offsetless(micros: number): string {
  const ms = Math.floor(micros / 1000)
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}`
}

interface Row {
  at: number
  value: Json
}

export class AdaSimulator extends Simulator {
  /** Every conversation with its messages, in API order: what a complete export must equal. */
  readonly expected: Json[]
  private readonly conversations: Row[]
  private readonly messagesByConversation = new Map<string, Row[]>()

  constructor(private readonly ada: AdaSimulatorOptions) {
    super({
      auth: (req) =>
        req.headers.authorization === `Bearer ${ada.token}`
          ? null
          : error(401, 'unauthorized', 'Invalid or missing API key'),
      ...ada,
    })
    const options = ada
    this.expected = []
    this.conversations = []
    for (const record of adaRecords(options.count, {
      seed: options.seed,
      ...(options.messages === undefined ? {} : {messages: options.messages}),
    })) {
      const {messages, ...conversation} = record as Json & {messages?: Json[]}
      const list = messages ?? []
      this.expected.push({...conversation, messages: list})
      this.conversations.push({at: adaMicros(conversation.date_created as string), value: conversation})
      this.messagesByConversation.set(
        conversation._id as string,
        list.map((m) => ({at: adaMicros(m.date_created as string), value: m})),
      )
    }

    this.conversations.sort(byTime)
    const index = new Map(this.conversations.map((row, i) => [row.value._id, i]))
    this.expected.sort((a, b) => index.get(a._id)! - index.get(b._id)!)
    for (const resource of ['conversations', 'messages'] as const) {
      this.route('GET', `/api/v2/export/${resource}`, (req) => this.list(req, resource, false))
      for (const version of ['1', '1.1', '1.2', '1.3', '1.4'])
        this.route('GET', `/data_api/v${version}/${resource}`, (req) => this.list(req, resource, true))
    }
  }

  private list(req: SimRequest, resource: 'conversations' | 'messages', v1: boolean): SimResponse {
    const q = req.query
    const since = q.get('created_since')
    if (q.has('updated_since')) return error(400, 'bad_request', 'updated_since is not supported by this simulator')
    if (since === null) return error(400, 'bad_request', 'created_since is required')
    const from = adaMicros(since)
    if (Number.isNaN(from)) return error(400, 'bad_request', `created_since is not an ISO 8601 timestamp: ${since}`)
    const toText = q.get('created_to')
    const to = toText === null ? from + 7 * DAY_MS * 1000 : adaMicros(toText)
    if (Number.isNaN(to)) return error(400, 'bad_request', `created_to is not an ISO 8601 timestamp: ${toText}`)
    if (to - from > MAX_SPAN_MS * 1000) return error(400, 'bad_request', 'The query window may span at most 60 days')
    const pageSize = q.has('page_size') ? Number(q.get('page_size')) : 10_000
    if (!Number.isInteger(pageSize) || pageSize < 100 || pageSize > 10_000)
      return error(400, 'bad_request', 'page_size must be between 100 and 10000')

    let rows: Row[]
    if (resource === 'conversations') {
      rows = this.conversations
    } else {
      const id = q.get('conversation_id')
      rows =
        id === null
          ? [...this.messagesByConversation.values()].flat().sort(byTime)
          : (this.messagesByConversation.get(id) ?? [])
    }

    const inWindow = rows.filter((row) => row.at >= from && row.at <= to)
    const page = inWindow.slice(0, pageSize)
    let next: null | string = null
    if (inWindow.length > pageSize) {
      // Restart at the last returned record's time (inclusive): it comes again on the next page. If a whole page
      // shares one time, step past it so that paging always advances.
      const last = page.at(-1)!.at
      const restart = page[0]!.at === last ? last + 1 : last
      const params = new URLSearchParams({
        created_since: offsetless(restart),
        created_to: offsetless(to),
        page_size: String(pageSize),
      })
      const id = q.get('conversation_id')
      if (id !== null) params.set('conversation_id', id)
      next = `${req.path}?${params.toString()}`
    }

    const values = page.map((row) => row.value)
    if (v1) return {body: {data: values, message: 'OK', next_page_uri: next}, status: 200}
    return {body: {[this.ada.listKey ?? 'data']: values, meta: {next_page_uri: next}}, status: 200}
  }
}

function byTime(a: Row, b: Row): number {
  return a.at - b.at
}

function error(status: number, type: string, message: string): SimResponse {
  return {body: {errors: [{details: null, message, type}]}, status}
}
