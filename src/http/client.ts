/**
 * The one HTTP client (STYLE.md §16): undici `request`, an injectable dispatcher and clock, per-request AbortSignal and
 * headers/body timeouts, bounded retries with exponential backoff and full jitter on 429, 5xx, timeouts, connection
 * resets and truncated or unparseable bodies (honouring Retry-After), no retry on other 4xx, and a client-side token
 * bucket per rate-limit bucket. Every failure is a one-line ConvoshiftError (ExitCode.Remote) naming the vendor, the
 * method and path (never the query string) and the status; every configured secret is redacted from every message.
 */
import {Agent, type Dispatcher, request} from 'undici'

import {ConvoshiftError, type ErrorCode, ExitCode} from '../errors.js'
import {type Clock, realClock} from './clock.js'
import {RateLimiter, type RateSpec} from './rate-limiter.js'

export type {Clock} from './clock.js'
export type {RateSpec} from './rate-limiter.js'

export type QueryValue = boolean | number | string | undefined

export interface HttpRequest {
  method: 'DELETE' | 'GET' | 'POST' | 'PUT'
  /** Path (and nothing else) relative to the client's base URL, e.g. `/conversations/export/v1/conversations`. */
  path: string
  query?: Record<string, QueryValue>
  headers?: Record<string, string>
  /** Sent as JSON (content-type application/json). */
  json?: unknown
  /** Sent as application/x-www-form-urlencoded (OAuth token requests). */
  form?: Record<string, string>
  /** Rate-limit bucket (APIs limited per endpoint use one bucket per endpoint). Default 'default'. */
  bucket?: string
  /** Label used in errors and progress instead of the path, e.g. `POST …/conversations/search`. */
  endpoint?: string
  /** 2xx statuses other than these are errors too (e.g. a 204 where a page is expected). Default: any 2xx. */
  expect?: readonly number[]
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
}

export interface RetryPolicy {
  /** Retries after the first attempt (so at most retries + 1 requests). */
  retries: number
  /** First backoff; doubles on each retry, up to maxDelayMs, with full jitter (a random part of the delay). */
  baseDelayMs: number
  maxDelayMs: number
  /** A Retry-After longer than this fails the request instead of waiting (a server asking for hours is an outage). */
  maxRetryAfterMs: number
  /** Retries for a refused connection (wrong host or port): few, so a wrong --base-url fails fast. */
  connectRetries: number
  /** Retries for a 2xx body that is not JSON (truncated): few, so a page that is really broken fails fast. */
  malformedRetries: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 500,
  connectRetries: 2,
  malformedRetries: 2,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  retries: 6,
}

export interface RetryEvent {
  attempt: number
  delayMs: number
  endpoint: string
  reason: string
}

export interface HttpClientOptions {
  /** Vendor name for error messages, e.g. 'liveperson'. */
  vendor: string
  /** Scheme, host, port and optional path prefix; any host, e.g. http://127.0.0.1:8080. */
  baseUrl: string
  /** Injected in tests (MockAgent) or to share connections; default: an Agent owned (and closed) by this client. */
  dispatcher?: Dispatcher
  /** Headers sent with every request (authentication). Their values are treated as secrets. */
  headers?: Record<string, string>
  /** Values to redact from every message (tokens, keys, passwords). Header values above are added automatically. */
  secrets?: readonly string[]
  /** Query parameter names whose values are credentials (redacted; the path shown in errors never has a query). */
  secretQueryParams?: readonly string[]
  /** Rate per bucket; `default` applies to buckets not listed. null/absent: no client-side limit. */
  rates?: Record<string, null | RateSpec>
  retry?: Partial<RetryPolicy>
  /** Time allowed for the response headers, and between body chunks. */
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** Largest body read (a guard against a runaway response). */
  maxBodyBytes?: number
  clock?: Clock
  /** Jitter source in [0, 1); injectable for deterministic tests. */
  random?: () => number
  /** Aborts every request in flight and every wait. */
  signal?: AbortSignal
  onRetry?: (event: RetryEvent) => void
  /** Called once per HTTP exchange that got a response (for request counts in progress and results). */
  onResponse?: (info: {endpoint: string; status: number}) => void
}

type Outcome<T> =
  | {kind: 'fail'; error: ConvoshiftError}
  | {kind: 'ok'; response: HttpResponse<T>}
  | {kind: 'retry'; reason: string; retryAfterMs?: number}

const DEFAULT_HEADERS_TIMEOUT_MS = 30_000
const DEFAULT_BODY_TIMEOUT_MS = 60_000
const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
/** Error details quoted from a vendor's error body are cut to this length. */
const DETAIL_CHARS = 200

/** undici error codes (and errno codes) meaning "the exchange broke; trying again may work". */
const TRANSIENT_CODES = new Set([
  'ECONNABORTED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_SOCKET',
])
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'])

export class HttpClient {
  readonly vendor: string
  private readonly base: URL
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly limiters = new Map<string, null | RateLimiter>()
  private readonly policy: RetryPolicy
  private readonly clock: Clock
  private readonly random: () => number
  private secrets: string[]
  private readonly headers: Record<string, string>
  /** Exchanges that got an HTTP response, and retries taken, for results and progress. */
  readonly stats = {requests: 0, retries: 0}

  constructor(private readonly options: HttpClientOptions) {
    this.vendor = options.vendor
    this.base = parseBaseUrl(options.vendor, options.baseUrl)
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher = options.dispatcher ?? new Agent({connect: {timeout: 10_000}, keepAliveTimeout: 10_000})
    this.policy = {...DEFAULT_RETRY, ...options.retry}
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
    this.headers = {...options.headers}
    this.secrets = []
    this.addSecrets([...(options.secrets ?? []), ...Object.values(this.headers)])
  }

  /** Registers more values to redact (e.g. a token obtained by an OAuth grant), including their Bearer-less forms. */
  addSecrets(values: readonly string[]): void {
    for (const value of values) {
      if (!value) continue
      this.secrets.push(value)
      const bare = value.replace(/^(bearer|basic|token)\s+/i, '')
      if (bare !== value && bare.length > 0) this.secrets.push(bare)
      // A secret may appear URL-encoded in a query string or form body.
      const encoded = encodeURIComponent(bare)
      if (encoded !== bare) this.secrets.push(encoded)
    }

    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [...new Set(this.secrets)].sort((a, b) => b.length - a.length)
  }

  /** Sets (or replaces) a header sent with every later request, e.g. `Authorization` after an OAuth grant. */
  setHeader(name: string, value: string): void {
    this.headers[name] = value
    this.addSecrets([value])
  }

  /** Replaces every secret in `text` with `***`. */
  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join('***')
    return out
  }

  /** The label errors use: method and path, never the query string. */
  endpointOf(req: HttpRequest): string {
    return req.endpoint ?? `${req.method} ${this.redact(this.base.pathname.replace(/\/$/, '') + req.path)}`
  }

  /**
   * Sends `req` and parses the body as JSON, retrying transient failures. A 2xx body that is not JSON is retried too
   * (a truncated body often is), then fails as REMOTE_MALFORMED. `parse` validates the parsed body (zod's `parse`);
   * its failure is a REMOTE_MALFORMED error naming the endpoint, not a retry.
   */
  async json<T = unknown>(req: HttpRequest, parse?: (body: unknown) => T): Promise<HttpResponse<T>> {
    const endpoint = this.endpointOf(req)
    let attempt = 0
    let refusals = 0
    let malformed = 0
    for (;;) {
      this.throwIfAborted(endpoint)
      await this.limiter(req.bucket ?? 'default')?.acquire(this.options.signal)
      const outcome = await this.attempt<T>(req, endpoint, parse)
      if (outcome.kind === 'ok') return outcome.response
      if (outcome.kind === 'fail') throw outcome.error
      const refused = outcome.reason.startsWith('connection refused')
      const unparseable = outcome.reason.includes('unparseable body')
      if (refused) refusals++
      if (unparseable) malformed++
      if (
        attempt >= this.policy.retries ||
        (refused && refusals > this.policy.connectRetries) ||
        (unparseable && malformed > this.policy.malformedRetries)
      ) {
        const code: ErrorCode = refused ? 'REMOTE_UNREACHABLE' : unparseable ? 'REMOTE_MALFORMED' : 'REMOTE_HTTP'
        const remedy = refused
          ? `check --base-url (${this.base.origin})`
          : unparseable
            ? 'the vendor returned a page that is not JSON; try again later'
            : 'try again later, or lower --rate / --concurrency; --resume continues where this run stopped'
        throw this.failure(`${endpoint}: ${outcome.reason}; gave up after ${attempt + 1} attempts`, code, [remedy])
      }

      const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt)
      // Full jitter keeps parallel clients from retrying in lockstep; never below half the backoff, so it still backs off.
      let delayMs = Math.round(backoff / 2 + (this.random() * backoff) / 2)
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > this.policy.maxRetryAfterMs) {
          throw this.failure(
            `${endpoint}: ${outcome.reason}; the server asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s (Retry-After), longer than ${this.policy.maxRetryAfterMs / 1000} s`,
            'REMOTE_HTTP',
            ['try again later; --resume continues where this run stopped'],
          )
        }

        delayMs = Math.max(delayMs, outcome.retryAfterMs)
      }

      attempt++
      this.stats.retries++
      this.options.onRetry?.({attempt, delayMs, endpoint, reason: outcome.reason})
      await this.clock.sleep(delayMs, this.options.signal)
    }
  }

  /** Closes the dispatcher if this client created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  private async attempt<T>(req: HttpRequest, endpoint: string, parse?: (body: unknown) => T): Promise<Outcome<T>> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + req.path, this.base.origin)
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value))
    const headers: Record<string, string> = {accept: 'application/json', ...this.headers, ...req.headers}
    let body: string | undefined
    if (req.json !== undefined) {
      body = JSON.stringify(req.json)
      headers['content-type'] = 'application/json'
    } else if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }

    let status: number
    let responseHeaders: HttpResponse['headers']
    let text: string
    try {
      const response = await request(url, {
        ...(body === undefined ? {} : {body}),
        bodyTimeout: this.options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
        dispatcher: this.dispatcher,
        headers,
        headersTimeout: this.options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
        method: req.method,
        ...(this.options.signal ? {signal: this.options.signal} : {}),
      })
      status = response.statusCode
      responseHeaders = response.headers
      text = await readText(response.body, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
    } catch (error) {
      this.throwIfAborted(endpoint)
      return this.classifyNetworkError(error, endpoint)
    }

    this.stats.requests++
    this.options.onResponse?.({endpoint, status})
    const ok = status >= 200 && status < 300 && (req.expect === undefined || req.expect.includes(status))
    if (!ok) return this.classifyStatus(status, responseHeaders, text, endpoint)

    let parsed: unknown
    try {
      parsed = text.length === 0 ? null : JSON.parse(text)
    } catch (error) {
      // A 2xx body that is not JSON: most often a body cut short. Retry; if it persists the final error says so.
      return {kind: 'retry', reason: `HTTP ${status} with an unparseable body (${(error as Error).message})`}
    }

    if (parse === undefined) return {kind: 'ok', response: {body: parsed as T, headers: responseHeaders, status}}
    try {
      return {kind: 'ok', response: {body: parse(parsed), headers: responseHeaders, status}}
    } catch (error) {
      return {
        kind: 'fail',
        error: this.failure(`${endpoint}: unexpected page (${describeParseError(error)})`, 'REMOTE_MALFORMED'),
      }
    }
  }

  private classifyNetworkError<T>(error: unknown, endpoint: string): Outcome<T> {
    const code = errorCode(error)
    const message = error instanceof Error ? error.message : String(error)
    if (code !== undefined && REFUSED_CODES.has(code))
      return {kind: 'retry', reason: `connection refused (${code}) by ${this.base.host}`}
    if (code === 'UND_ERR_HEADERS_TIMEOUT')
      return {kind: 'retry', reason: 'no response headers within the request timeout'}
    if (code === 'UND_ERR_BODY_TIMEOUT')
      return {kind: 'retry', reason: 'the response body stalled past the body timeout'}
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return {kind: 'retry', reason: 'truncated response body'}
    if (code !== undefined && TRANSIENT_CODES.has(code))
      return {kind: 'retry', reason: `connection failed (${code}: ${this.redact(message)})`}
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return {
        error: this.failure(`${endpoint}: cannot resolve host ${this.base.hostname} (${code})`, 'REMOTE_UNREACHABLE', [
          'check --base-url',
        ]),
        kind: 'fail',
      }
    }

    return {
      error: this.failure(
        `${endpoint}: request failed (${code ?? 'error'}: ${this.redact(message)})`,
        'REMOTE_UNREACHABLE',
      ),
      kind: 'fail',
    }
  }

  private classifyStatus<T>(
    status: number,
    headers: HttpResponse['headers'],
    text: string,
    endpoint: string,
  ): Outcome<T> {
    const detail = errorDetail(text)
    const describe = `HTTP ${status}${detail ? ` (${this.redact(detail)})` : ''}`
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), this.clock.now())
      return retryAfterMs === undefined
        ? {kind: 'retry', reason: describe}
        : {kind: 'retry', reason: describe, retryAfterMs}
    }

    if (status === 401 || status === 403) {
      return {
        error: this.failure(`${endpoint}: ${describe}: the credentials were refused`, 'REMOTE_AUTH', [
          'check the token (--token or CONVOSHIFT_TOKEN) and the account flags',
        ]),
        kind: 'fail',
      }
    }

    return {error: this.failure(`${endpoint}: ${describe}`, 'REMOTE_HTTP'), kind: 'fail'}
  }

  private failure(message: string, code: ErrorCode, suggestions: string[] = []): ConvoshiftError {
    return new ConvoshiftError(this.redact(`${this.vendor}: ${message}`), {
      code,
      exitCode: ExitCode.Remote,
      suggestions: suggestions.map((s) => this.redact(s)),
    })
  }

  private limiter(bucket: string): null | RateLimiter {
    let limiter = this.limiters.get(bucket)
    if (limiter === undefined) {
      const spec = this.options.rates?.[bucket] ?? this.options.rates?.default ?? null
      limiter = spec ? new RateLimiter(spec, this.clock) : null
      this.limiters.set(bucket, limiter)
    }

    return limiter
  }

  private throwIfAborted(endpoint: string): void {
    if (this.options.signal?.aborted) {
      throw new ConvoshiftError(`${this.vendor}: ${endpoint}: interrupted`, {
        code: 'INTERRUPTED',
        exitCode: ExitCode.Interrupted,
      })
    }
  }
}

function parseBaseUrl(vendor: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConvoshiftError(`${vendor}: --base-url is not a URL: ${value.replace(/\/\/[^/@]*@/, '//***@')}`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConvoshiftError(`${vendor}: --base-url must be http:// or https://, got ${url.protocol}`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  if (url.username || url.password || url.search) {
    throw new ConvoshiftError(`${vendor}: --base-url must not hold credentials or a query string; use --token`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  return url
}

async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > maxBytes) {
      body.destroy()
      throw Object.assign(new Error(`response body larger than ${maxBytes} bytes`), {code: 'BODY_TOO_LARGE'})
    }

    chunks.push(chunk as Buffer)
  }

  return Buffer.concat(chunks).toString('utf8')
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current; depth++) {
    const {code} = current as {code?: unknown}
    if (typeof code === 'string') return code
    current = (current as {cause?: unknown}).cause
  }

  return undefined
}

function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** A short human detail from an error body: a JSON `message`/`error`/`error_description`/`errors[0].message`/`errors[0].msg` (Kore.ai), or text. */
function errorDetail(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return ''
  try {
    const body = JSON.parse(trimmed) as unknown
    if (body && typeof body === 'object') {
      const o = body as Record<string, unknown>
      const errors = Array.isArray(o.errors) ? (o.errors[0] as Record<string, unknown> | undefined) : undefined
      for (const candidate of [
        o.message,
        o.error_description,
        o.error,
        errors?.message,
        errors?.msg,
        o.detail,
        o.title,
      ]) {
        if (typeof candidate === 'string' && candidate) return oneLine(candidate)
      }
    }
  } catch {
    // not JSON: quote the text
  }

  return trimmed.startsWith('<') ? '' : oneLine(trimmed)
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > DETAIL_CHARS ? flat.slice(0, DETAIL_CHARS) + '…' : flat
}

function describeParseError(error: unknown): string {
  const {issues} = error as {issues?: Array<{message: string; path: PropertyKey[]}>}
  if (Array.isArray(issues) && issues.length > 0) {
    const first = issues[0]!
    const path = first.path.map(String).join('.')
    return `${path ? `${path}: ` : ''}${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`
  }

  return oneLine(error instanceof Error ? error.message : String(error))
}
