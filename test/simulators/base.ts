import type {AddressInfo, Socket} from 'node:net'

/**
 * The shared machinery of the vendor API simulators: a real HTTP server on 127.0.0.1 (node:http, port 0) with
 * - routes: `route(method, pattern, handler)`, the handler gets the parsed request and returns {status, body, headers};
 * - an auth check run before every route (`auth(req)` returns null when allowed, or the vendor's error response);
 * - latency per request and an optional server-side rate limit (429 with the vendor's body when exceeded);
 * - fault injection by a scripted plan: each rule matches requests (by "METHOD /path" regex), skips the first `skip`
 *   matches and then applies its fault to the next `times`: a status (429 with or without Retry-After, 500, 503…),
 *   a slow response (headers delayed), a stalled body, a connection reset (socket.destroy before any byte), a truncated
 *   body (headers and part of the body, then the socket is destroyed), or a vendor-defined fault (`custom`, e.g.
 *   LivePerson's partial records) that the route sees in `req.faults`;
 * - a request log (method, path, query, headers, body, status, fault) for assertions.
 * Vendor simulators (test/simulators/<vendor>.ts) build on it: they hold a fixed data set and implement the paging.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

export type Fault =
  /** Answer with this status instead of the route (429, 500, 503…); `retryAfter` sets the Retry-After header as is. */
  | {body?: unknown; kind: 'status'; retryAfter?: string; status: number}
  /** A vendor-defined fault the route handler interprets (e.g. 'partial'); the request is otherwise served. */
  | {fraction?: number; kind: 'truncate'}
  /** Close the connection before any byte of the response. */
  | {fraction?: number; kind: 'truncate-json'}
  /** Send the headers, then stall the body for `ms` (a body timeout on the client). */
  | {kind: 'custom'; name: string}
  /** Wait `ms` before the headers (a headers timeout on the client when long enough). */
  | {kind: 'reset'}
  /** Send the headers (with the full Content-Length) and `fraction` of the body, then destroy the socket. */
  | {kind: 'slow'; ms: number}
  /** Send a 200 whose body is only `fraction` of the JSON, with a matching Content-Length: valid HTTP, invalid JSON. */
  | {kind: 'slow-body'; ms: number}

export interface FaultRule {
  /** Requests this rule applies to, matched against "METHOD /path" (no query). Default: every request. */
  match?: RegExp
  /** Matching requests served normally before the fault starts. Default 0. */
  skip?: number
  /** Matching requests that get the fault. Default 1; Infinity for every one. */
  times?: number
  fault: Fault
}

export interface SimRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** The raw body text ('' for none). */
  text: string
  /** The body parsed as JSON, or as a form for x-www-form-urlencoded, or undefined. */
  body: unknown
  /** Names of `custom` faults applied to this request. */
  faults: string[]
}

export interface SimResponse {
  status?: number
  headers?: Record<string, string>
  /** JSON-serialised unless a string. */
  body?: unknown
}

export type Handler = (req: SimRequest, params: Record<string, string>) => Promise<SimResponse> | SimResponse

export interface LogEntry {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  body: string
  status: 'reset' | 'truncated' | number
  fault?: string
}

export interface SimulatorOptions {
  /** Returns null to allow the request, or the vendor's error response (401 with its body). */
  auth?: (req: SimRequest) => null | SimResponse
  /** Delay before every response, ms (the bench's "50 ms per request"). */
  latencyMs?: number
  /** A server-side limit: more than `requests` in `perMs` (sliding window, per bucket) gets `response` (a 429). */
  rateLimit?: {bucket?: (req: SimRequest) => string; perMs: number; requests: number; response: SimResponse}
  faults?: FaultRule[]
}

interface Route {
  handler: Handler
  method: string
  pattern: RegExp
}

interface PlannedRule extends FaultRule {
  seen: number
  used: number
}

export class Simulator {
  readonly log: LogEntry[] = []
  private readonly routes: Route[] = []
  private rules: PlannedRule[] = []
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  private readonly hits = new Map<string, number[]>()
  private url = ''

  constructor(private options: SimulatorOptions = {}) {
    this.plan(options.faults ?? [])
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('simulator not started')
    return this.url
  }

  /** Requests that reached the server (including faulted ones). */
  get requests(): number {
    return this.log.length
  }

  /** Replaces the fault plan. */
  plan(rules: FaultRule[]): this {
    this.rules = rules.map((rule) => ({...rule, seen: 0, used: 0}))
    return this
  }

  /** Changes latency / rate limit / auth between runs. */
  configure(options: Partial<SimulatorOptions>): this {
    this.options = {...this.options, ...options}
    if (options.faults) this.plan(options.faults)
    return this
  }

  /** `pattern` is a path with `:name` segments, e.g. `/api/account/:account/conversations/search`. */
  route(method: string, pattern: string, handler: Handler): this {
    const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`).replace(/:(\w+)/g, '(?<$1>[^/]+)')
    this.routes.push({handler, method, pattern: new RegExp(`^${source}$`)})
    return this
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, {'content-type': 'application/json'})
        res.end(JSON.stringify({message: `simulator bug: ${(error as Error).message}`}))
      })
    })
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.server = server
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    const {server} = this
    if (!server) return
    this.server = undefined
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const sim: SimRequest = {
      body: parseBody(text, req.headers['content-type']),
      faults: [],
      headers: req.headers,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      text,
    }
    const entry: LogEntry = {
      body: text,
      headers: req.headers,
      method: sim.method,
      path: sim.path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    }
    this.log.push(entry)

    if (this.options.latencyMs) await delay(this.options.latencyMs)

    const faults = this.faultsFor(`${sim.method} ${sim.path}`)
    for (const fault of faults) {
      if (fault.kind === 'custom') {
        sim.faults.push(fault.name)
        continue
      }

      entry.fault = fault.kind
      switch (fault.kind) {
        case 'reset': {
          entry.status = 'reset'
          req.socket.destroy()
          return
        }

        case 'slow': {
          await delay(fault.ms)
          break
        }

        case 'status': {
          const headers: Record<string, string> = {'content-type': 'application/json'}
          if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter
          entry.status = fault.status
          this.send(res, {body: fault.body ?? {message: `injected ${fault.status}`}, headers, status: fault.status})
          return
        }

        default: {
          break
        }
      }
    }

    const response = await this.respond(sim)
    entry.status = response.status ?? 200
    const truncate = faults.find((f) => f.kind === 'truncate' || f.kind === 'truncate-json')
    const slowBody = faults.find((f) => f.kind === 'slow-body')
    if (truncate?.kind === 'truncate' || truncate?.kind === 'truncate-json') {
      const full = Buffer.from(serialise(response.body), 'utf8')
      const part = full.subarray(0, Math.floor(full.length * (truncate.fraction ?? 0.5)))
      if (truncate.kind === 'truncate-json') {
        res.writeHead(200, {'content-length': String(part.length), 'content-type': 'application/json'})
        res.end(part)
        return
      }

      entry.status = 'truncated'
      res.writeHead(200, {'content-length': String(full.length), 'content-type': 'application/json'})
      res.write(part, () => req.socket.destroy())
      return
    }

    if (slowBody?.kind === 'slow-body') {
      const full = Buffer.from(serialise(response.body), 'utf8')
      res.writeHead(response.status ?? 200, {
        'content-length': String(full.length),
        'content-type': 'application/json',
        ...response.headers,
      })
      res.write(full.subarray(0, 1))
      await delay(slowBody.ms)
      if (!res.destroyed) res.end(full.subarray(1))
      return
    }

    this.send(res, response)
  }

  private async respond(req: SimRequest): Promise<SimResponse> {
    const denied = this.options.auth?.(req)
    if (denied) return denied
    const limit = this.options.rateLimit
    if (limit) {
      const bucket = limit.bucket?.(req) ?? 'default'
      const now = performance.now()
      const times = (this.hits.get(bucket) ?? []).filter((t) => now - t < limit.perMs)
      if (times.length >= limit.requests) {
        this.hits.set(bucket, times)
        return limit.response
      }

      times.push(now)
      this.hits.set(bucket, times)
    }

    for (const route of this.routes) {
      if (route.method !== req.method) continue
      const match = route.pattern.exec(req.path)
      if (match) return route.handler(req, {...match.groups})
    }

    return {body: {message: `no route for ${req.method} ${req.path}`}, status: 404}
  }

  private faultsFor(key: string): Fault[] {
    const faults: Fault[] = []
    for (const rule of this.rules) {
      if (rule.match && !rule.match.test(key)) continue
      rule.seen++
      if (rule.seen <= (rule.skip ?? 0)) continue
      if (rule.used >= (rule.times ?? 1)) continue
      rule.used++
      faults.push(rule.fault)
    }

    return faults
  }

  private send(res: ServerResponse, response: SimResponse): void {
    const text = serialise(response.body)
    res.writeHead(response.status ?? 200, {
      'content-length': String(Buffer.byteLength(text)),
      'content-type': 'application/json',
      ...response.headers,
    })
    res.end(text)
  }
}

function serialise(body: unknown): string {
  if (body === undefined) return ''
  return typeof body === 'string' ? body : JSON.stringify(body)
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text))
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms)
  })
}

/** Bearer token check shared by simulators: the `Authorization` header must be exactly `Bearer <token>`. */
export function bearerAuth(token: string, denied: SimResponse): (req: SimRequest) => null | SimResponse {
  return (req) => (req.headers.authorization === `Bearer ${token}` ? null : denied)
}

/** Offset/limit paging over a list, with the API's maximum limit enforced as the vendor does (400 with its body). */
export function offsetSlice<T>(
  items: readonly T[],
  query: URLSearchParams,
  limits: {default: number; max: number},
): {error?: string; items: T[]; limit: number; offset: number} {
  const offset = Number(query.get('offset') ?? 0)
  const limit = Number(query.get('limit') ?? limits.default)
  if (!Number.isInteger(offset) || offset < 0)
    return {error: `invalid offset ${query.get('offset')}`, items: [], limit, offset}
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.max) {
    return {error: `limit must be between 1 and ${limits.max}`, items: [], limit, offset}
  }

  return {items: items.slice(offset, offset + limit), limit, offset}
}
