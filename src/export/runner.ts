/**
 * The export service. `openExport` validates the options, resolves the adapter, and opens (or resumes) the partial
 * output and checkpoint; the returned run exports its windows one by one (`exportWindow`, one progress task each) and
 * `finish` renames the partial output over the final path.
 *
 * Files, for `--output out.jsonl`:
 * - `out.jsonl.partial`: records accumulate here, one stable JSON line each, in window order and API order.
 * - `out.jsonl.checkpoint.json`: written atomically after every page (see checkpoint.ts).
 * A crash or kill at any point loses at most the page in flight: `--resume` truncates the partial output to the
 * checkpoint's byte offset, rebuilds the de-duplication ids from the output itself and re-fetches from the checkpoint's
 * cursors, so the final file is byte-identical to an uninterrupted run's.
 */
import type {Dispatcher} from 'undici'

import {closeSync, openSync, readSync, statSync} from 'node:fs'

import {type JsonObject} from '../engine/json.js'
import {ConvoshiftError, ExitCode, unknownShape} from '../errors.js'
import {type Clock, HttpClient, type RateSpec, type RetryPolicy} from '../http/client.js'
import {AtomicFile} from '../io/atomic-file.js'
import {interruptedError, registerCleanup} from '../io/interrupt.js'
import {type ExportResult} from '../schemas/export.js'
import {stableLine, stableStringify} from '../util/stable-json.js'
import {type Checkpoint, fingerprintDifference, readCheckpoint, removeFile, writeCheckpoint} from './checkpoint.js'
import {type AnyVendorExporter, type ExportContext, type ExportWindow, type Json, type PageResult} from './types.js'
import {vendorExporters} from './vendors/index.js'

export interface ExportOptions {
  /** The record shape / vendor API: a key of vendorExporters. */
  format: string
  /** [since, until) in epoch ms. */
  since: number
  until: number
  output: string
  /** Default: the adapter's documented host. */
  baseUrl?: string
  /** Values of the adapter's flags by camelCase name, and `token`. */
  values: Record<string, string | string[] | undefined>
  /** Requests per second for every bucket, replacing the adapter's default. 0 = no client-side limit. */
  rate?: number
  /** Pages (and in-page requests) in flight at once. Default 1. */
  concurrency?: number
  pageSize?: number
  /** Continue from the checkpoint if there is one. */
  resume?: boolean
  /** Discard an existing checkpoint and partial output. */
  restart?: boolean
  // For tests and the bench:
  dispatcher?: Dispatcher
  clock?: Clock
  random?: () => number
  retry?: Partial<RetryPolicy>
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** Called at each step of each page; throwing simulates a crash at that point. */
  onStep?: (step: ExportStep, page: number) => void
}

/** The points of a page where a crash can happen, in order. */
export type ExportStep = 'checkpointed' | 'fetched' | 'written'

export interface WindowProgress {
  window: ExportWindow
  pages: number
  /** Records received in this window so far. */
  records: number
  /** The API's total for this window, when it says. */
  total?: number
  requests: number
}

export interface ExportRun {
  readonly exporter: AnyVendorExporter
  readonly windows: readonly ExportWindow[]
  /** Windows before this index were exported by an interrupted run (--resume). */
  readonly firstWindow: number
  readonly resumed: boolean
  exportWindow(index: number, onProgress?: (progress: WindowProgress) => void): Promise<void>
  /** Renames the partial output over the final path and removes the checkpoint. */
  finish(): Promise<ExportResult>
  /** Stops requests and releases files; keeps the partial output and checkpoint for --resume. */
  close(): Promise<void>
}

const PARTIAL_SUFFIX = '.partial'
const CHECKPOINT_SUFFIX = '.checkpoint.json'

export function partialPath(output: string): string {
  return output + PARTIAL_SUFFIX
}

export function checkpointPath(output: string): string {
  return output + CHECKPOINT_SUFFIX
}

/** Exports everything in one call (no progress): for tests, the bench and library use. */
export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const run = await openExport(options)
  try {
    for (let i = run.firstWindow; i < run.windows.length; i++) await run.exportWindow(i)
    return await run.finish()
  } finally {
    await run.close()
  }
}

/** Everything an export needs before it touches a file: validated options, windows and the HTTP client. */
interface PreparedExport {
  controller: AbortController
  exporter: AnyVendorExporter
  fingerprint: Record<string, Json>
  http: HttpClient
  rates: Record<string, null | RateSpec>
  settings: {concurrency: number; pageSize: number; vendorOptions: unknown}
  windows: ExportWindow[]
}

function prepareExport(options: ExportOptions): PreparedExport {
  const exporter = vendorExporters[options.format]
  if (!exporter) {
    throw unknownShape(options.format, Object.keys(vendorExporters).sort())
  }

  if (!Number.isFinite(options.since) || !Number.isFinite(options.until) || options.since >= options.until) {
    throw usage('--since must be before --until')
  }

  const concurrency = options.concurrency ?? 1
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usage('--concurrency must be 1 to 64')
  const pageSize = options.pageSize ?? exporter.pageSize.default
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > exporter.pageSize.max) {
    throw usage(`--page-size must be 1 to ${exporter.pageSize.max} for ${exporter.format} (the API's maximum)`)
  }

  const vendorOptions = parseVendorOptions(exporter, options.values)
  const baseUrl = options.baseUrl ?? exporter.baseUrlFor?.(vendorOptions) ?? exporter.defaultBaseUrl
  if (!baseUrl) {
    throw new ConvoshiftError(`${exporter.format}: --base-url is required (hosts are per account)`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      suggestions: ["find the host with the vendor's Domain API, e.g. --base-url https://va.msghist.liveperson.net"],
    })
  }

  const secrets = Object.entries(exporter.flags)
    .filter(([, flag]) => flag.secret)
    .flatMap(([name]) => options.values[camel(name)])
    .filter((v): v is string => typeof v === 'string')
  if (typeof options.values.token === 'string') secrets.push(options.values.token)

  const range = {since: options.since, until: options.until}
  const windows = exporter.windows(range, vendorOptions).map((w, index) => ({...w, index}))
  const fingerprint: Record<string, Json> = {
    baseUrl: baseUrl.replace(/\/$/, ''),
    format: exporter.format,
    options: publicOptions(exporter, options.values),
    pageSize,
    since: new Date(range.since).toISOString(),
    until: new Date(range.until).toISOString(),
  }

  const controller = new AbortController()
  const rates: Record<string, null | RateSpec> = {}
  if (options.rate === undefined) Object.assign(rates, exporter.rate)
  else rates.default = options.rate > 0 ? {perMs: 1000, requests: options.rate} : null
  const http = new HttpClient({
    baseUrl,
    rates,
    secrets,
    signal: controller.signal,
    vendor: exporter.vendor,
    ...(options.dispatcher ? {dispatcher: options.dispatcher} : {}),
    ...(options.clock ? {clock: options.clock} : {}),
    ...(options.random ? {random: options.random} : {}),
    ...(options.retry ? {retry: options.retry} : {}),
    ...(options.headersTimeoutMs ? {headersTimeoutMs: options.headersTimeoutMs} : {}),
    ...(options.bodyTimeoutMs ? {bodyTimeoutMs: options.bodyTimeoutMs} : {}),
  })

  return {controller, exporter, fingerprint, http, rates, settings: {concurrency, pageSize, vendorOptions}, windows}
}

export async function openExport(options: ExportOptions): Promise<ExportRun> {
  const {controller, exporter, fingerprint, http, settings, windows} = prepareExport(options)
  const run = new Run(exporter, options, http, controller, windows, fingerprint, settings)
  try {
    await run.open()
  } catch (error) {
    await run.close()
    throw error
  }

  return run
}

class Run implements ExportRun {
  firstWindow = 0
  resumed = false
  private checkpoint!: Checkpoint
  /** The partial output, renamed over the final path by `finish`; kept by `close` for --resume. */
  private file: AtomicFile | undefined
  private readonly partial: string
  private readonly checkpointFile: string
  private currentIds = new Set<string>()
  private previousIds = new Set<string>()
  private readonly session: Record<string, unknown> = {}
  private authenticated = false
  private unregister: () => void = () => {}

  // eslint-disable-next-line max-params -- one private class, built in one place (openExport)
  constructor(
    readonly exporter: AnyVendorExporter,
    private readonly options: ExportOptions,
    private readonly http: HttpClient,
    private readonly controller: AbortController,
    readonly windows: readonly ExportWindow[],
    private readonly fingerprint: Record<string, Json>,
    private readonly settings: {concurrency: number; pageSize: number; vendorOptions: unknown},
  ) {
    this.partial = partialPath(options.output)
    this.checkpointFile = checkpointPath(options.output)
  }

  async close(): Promise<void> {
    this.unregister()
    this.controller.abort()
    await this.file?.abort()
    this.file = undefined
    await this.http.close()
  }

  async exportWindow(index: number, onProgress?: (progress: WindowProgress) => void): Promise<void> {
    const window = this.windows[index]
    if (!window) throw new Error(`no window ${index}`)
    if (index < this.checkpoint.window) return
    if (index > this.checkpoint.window) throw new Error(`window ${index} before window ${this.checkpoint.window}`)
    if (!this.authenticated) {
      await this.exporter.authenticate?.(this.context())
      this.authenticated = true
    }

    const progress: WindowProgress = {pages: 0, records: 0, requests: 0, window}
    const requestsBefore = this.http.stats.requests
    const ctx = this.context()
    const cursors = [...this.checkpoint.cursors] as Json[]
    // Pages being fetched ahead, by position in `cursors` (a prefix of it, in order).
    const inFlight: Array<Promise<PageResult<Json>>> = []
    let last: Json | undefined
    while (cursors.length > 0) {
      while (inFlight.length < Math.min(cursors.length, this.settings.concurrency)) {
        const promise = this.exporter.page(ctx, window, cursors[inFlight.length] as Json) as Promise<PageResult<Json>>
        promise.catch(() => {}) // awaited below, in order; this only keeps an early rejection from being "unhandled"
        inFlight.push(promise)
      }

      const cursor = cursors.shift() as Json
      const page = await inFlight.shift()!
      // Interrupted while the page was in flight: nothing more is written (the checkpoint already says where to resume).
      if (this.controller.signal.aborted) throw interruptedError(this.exporter.vendor)
      const pageNumber = this.checkpoint.counts.pages + 1
      this.options.onStep?.('fetched', pageNumber)
      if (cursor === null && page.rest && page.rest.length > 0) {
        // The first page told every remaining cursor: fetch them (in parallel), then follow the last one's `next`.
        cursors.push(...page.rest)
      } else if (cursors.length === 0 && page.next !== null && page.next !== undefined) {
        if (
          stableStringify(page.next) === stableStringify(cursor) ||
          (last !== undefined && stableStringify(page.next) === stableStringify(last))
        ) {
          throw new ConvoshiftError(
            `${this.exporter.vendor}: the API returned the same page cursor twice in window ${describeWindow(window)}`,
            {
              code: 'REMOTE_MALFORMED',
              exitCode: ExitCode.Remote,
            },
          )
        }

        cursors.push(page.next)
      }

      last = cursor
      this.writePage(page.records, window)
      this.options.onStep?.('written', pageNumber)
      this.checkpoint.counts.pages++
      this.checkpoint.cursors = cursors
      this.checkpoint.counts.requests = this.http.stats.requests + this.baseRequests
      this.checkpoint.counts.retries = this.http.stats.retries + this.baseRetries
      await writeCheckpoint(this.checkpointFile, this.checkpoint)
      this.options.onStep?.('checkpointed', pageNumber)
      progress.pages++
      progress.records += page.records.length
      if (page.total !== undefined) progress.total = page.total
      progress.requests = this.http.stats.requests - requestsBefore
      onProgress?.(progress)
    }

    // The window is done: its ids become the previous window's, and the next window starts here.
    this.previousIds = this.currentIds
    this.currentIds = new Set()
    this.checkpoint.window = index + 1
    this.checkpoint.cursors = [null]
    this.checkpoint.previousWindowStart = this.checkpoint.windowStart
    this.checkpoint.windowStart = this.checkpoint.bytes
    await writeCheckpoint(this.checkpointFile, this.checkpoint)
  }

  async finish(): Promise<ExportResult> {
    if (this.checkpoint.window < this.windows.length) throw new Error('finish before every window was exported')
    if (!this.checkpoint.complete) {
      this.checkpoint.complete = true
      this.checkpoint.cursors = []
      await writeCheckpoint(this.checkpointFile, this.checkpoint)
    }

    await this.file?.commit()
    this.file = undefined
    await removeFile(this.checkpointFile)
    this.unregister()
    const {counts} = this.checkpoint
    return {
      baseUrl: String(this.fingerprint.baseUrl),
      format: this.exporter.format,
      output: this.options.output,
      pages: counts.pages,
      records: {
        duplicates: counts.duplicates,
        outsideRange: counts.outsideRange,
        received: counts.received,
        written: counts.written,
      },
      requests: counts.requests,
      resumed: this.resumed,
      retries: counts.retries,
      since: String(this.fingerprint.since),
      until: String(this.fingerprint.until),
      vendor: this.exporter.vendor,
      vendorCounts: {...this.checkpoint.vendor},
      windows: this.windows.length,
    }
  }

  /** Loads or creates the checkpoint and the partial output. */
  async open(): Promise<void> {
    const saved = await readCheckpoint(this.checkpointFile)
    if (saved && !this.options.resume && !this.options.restart) {
      throw new ConvoshiftError(`${this.checkpointFile}: an interrupted export of ${this.options.output} exists`, {
        code: 'CHECKPOINT_EXISTS',
        exitCode: ExitCode.Usage,
        suggestions: ['pass --resume to continue it, or --restart to discard it'],
      })
    }

    if (saved && this.options.resume) {
      const difference = fingerprintDifference(saved.fingerprint, this.fingerprint)
      if (difference) {
        throw new ConvoshiftError(`${this.checkpointFile}: the interrupted export used other options (${difference})`, {
          code: 'CHECKPOINT_MISMATCH',
          exitCode: ExitCode.Usage,
          suggestions: ['resume with the same options, or pass --restart to start over'],
        })
      }

      if (saved.window > this.windows.length)
        throw new ConvoshiftError(`${this.checkpointFile}: window ${saved.window} out of range`, {
          code: 'CHECKPOINT_INVALID',
          exitCode: ExitCode.InvalidInput,
        })
      this.checkpoint = saved
      this.resumed = true
      this.firstWindow = saved.window
      // Complete, and no partial output: a run was killed between its rename and the checkpoint's removal.
      if (saved.complete && !exists(this.partial) && exists(this.options.output)) return
      await this.openPartial(saved.bytes)
      if (!saved.complete) this.rebuildIds()
    } else {
      await removeFile(this.checkpointFile)
      this.checkpoint = {
        bytes: 0,
        complete: false,
        counts: {duplicates: 0, outsideRange: 0, pages: 0, received: 0, requests: 0, retries: 0, written: 0},
        cursors: [null],
        fingerprint: this.fingerprint,
        previousWindowStart: 0,
        vendor: {},
        version: 1,
        window: 0,
        windowStart: 0,
      }
      await this.openPartial(0)
      await writeCheckpoint(this.checkpointFile, this.checkpoint)
    }

    this.baseRequests = this.checkpoint.counts.requests
    this.baseRetries = this.checkpoint.counts.retries
    // On SIGINT/SIGTERM: stop requests, keep the partial output and checkpoint for --resume (exit 130). The descriptor
    // stays open (the exit closes it): a page already fetched may still be written, and the checkpoint says which
    // bytes are final, so closing it here only turned that write into a bogus I/O error.
    this.unregister = registerCleanup(async () => {
      this.controller.abort()
    })
  }

  private baseRequests = 0
  private baseRetries = 0

  private context(): ExportContext<unknown> {
    const {controller, http, settings} = this
    return exportContext({controller, http, settings}, this.session, this.checkpoint.vendor)
  }

  /** The partial output, new or (resuming) cut back to its checkpoint: bytes after it belong to a page fetched again. */
  private async openPartial(bytes: number): Promise<void> {
    const size = bytes === 0 ? 0 : exists(this.partial) ? statSync(this.partial).size : -1
    if (size < bytes) {
      throw new ConvoshiftError(
        `${this.partial}: the partial output is shorter than its checkpoint says (${size < 0 ? 'missing' : `${size} < ${bytes} bytes`})`,
        {
          code: 'CHECKPOINT_INVALID',
          exitCode: ExitCode.InvalidInput,
          suggestions: ['pass --restart to start over'],
        },
      )
    }

    this.file = await AtomicFile.resume(this.options.output, this.partial, bytes)
  }

  /** Re-reads the ids of the previous and the current window from the partial output. */
  private rebuildIds(): void {
    const {bytes, previousWindowStart, windowStart} = this.checkpoint
    this.previousIds = this.idsBetween(previousWindowStart, windowStart)
    this.currentIds = this.idsBetween(windowStart, bytes)
  }

  private idsBetween(start: number, end: number): Set<string> {
    const ids = new Set<string>()
    if (end <= start) return ids
    const chunk = Buffer.alloc(1024 * 1024)
    let carry = ''
    let position = start
    const fd = openSync(this.partial, 'r')
    try {
      while (position < end) {
        const read = readSync(fd, chunk, 0, Math.min(chunk.length, end - position), position)
        if (read === 0) break
        position += read
        const lines = (carry + chunk.toString('utf8', 0, read)).split('\n')
        carry = lines.pop() ?? ''
        for (const line of lines) if (line) ids.add(this.exporter.id(JSON.parse(line) as JsonObject))
      }
    } finally {
      closeSync(fd)
    }

    if (carry) ids.add(this.exporter.id(JSON.parse(carry) as JsonObject))
    return ids
  }

  private writePage(records: JsonObject[], window: ExportWindow): void {
    const {counts} = this.checkpoint
    const range = {since: this.options.since, until: this.options.until}
    let text = ''
    const pageIds = new Set<string>()
    for (const record of records) {
      counts.received++
      const id = this.exporter.id(record)
      if (!id) {
        throw new ConvoshiftError(`${this.exporter.vendor}: a record in window ${describeWindow(window)} has no id`, {
          code: 'REMOTE_MALFORMED',
          exitCode: ExitCode.Remote,
        })
      }

      const time = this.exporter.time(record)
      if (
        time !== undefined &&
        (time < window.since || time >= window.until || time < range.since || time >= range.until)
      ) {
        counts.outsideRange++
        continue
      }

      if (this.currentIds.has(id) || this.previousIds.has(id) || pageIds.has(id)) {
        counts.duplicates++
        continue
      }

      pageIds.add(id)
      text += stableLine(record)
      counts.written++
    }

    for (const id of pageIds) this.currentIds.add(id)
    if (!text) return
    // A page goes out whole before its checkpoint is written.
    const before = this.file!.written
    this.file!.write(text)
    this.file!.flush()
    this.checkpoint.bytes += this.file!.written - before
  }
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

/** What an adapter is given: the run's client, options and limits; counters go into `counts`. */
function exportContext(
  prepared: Pick<PreparedExport, 'controller' | 'http' | 'settings'>,
  session: Record<string, unknown>,
  counts: Record<string, number>,
): ExportContext<unknown> {
  const {concurrency, pageSize, vendorOptions} = prepared.settings
  return {
    concurrency,
    count(name: string, n = 1) {
      counts[name] = (counts[name] ?? 0) + n
    },
    http: prepared.http,
    options: vendorOptions,
    pageSize,
    parallel: (items, fn) => mapLimited(items, concurrency, fn),
    session,
    signal: prepared.controller.signal,
  }
}

/** What `export --check` found: the API answered with these credentials, and what the run would do. */
export interface ExportCheck {
  baseUrl: string
  /** Records on the first page of the first window. */
  firstPage: number
  /** The earliest conversation time on that page (ISO), when the adapter can tell. */
  firstTime: null | string
  format: string
  /** The non-secret options (account, bot…), as the checkpoint records them. */
  options: Record<string, Json>
  /** Requests per second per bucket the run would allow (null: no client-side limit). */
  rates: Record<string, null | number>
  requests: number
  /** The API's total for the first window, when it says. */
  total: null | number
  /** The time range, and how many windows the run would export. */
  window: {since: string; until: string}
  windows: number
}

/**
 * Authenticates and fetches the first page of the first window, writing nothing: a credential, host or account
 * problem shows in seconds, before a long run.
 */
export async function checkExport(options: ExportOptions): Promise<ExportCheck> {
  const prepared = prepareExport(options)
  const {exporter, fingerprint, http, windows} = prepared
  try {
    const ctx = exportContext(prepared, {}, {})
    await exporter.authenticate?.(ctx)
    const first = windows[0]
    const page = first ? ((await exporter.page(ctx, first, null)) as PageResult<Json>) : undefined
    const times = (page?.records ?? []).map((record) => exporter.time(record)).filter((t) => t !== undefined)
    const perSecond = (spec: null | RateSpec | undefined): null | number =>
      spec ? Math.round((spec.requests * 1000 * 100) / spec.perMs) / 100 : null
    return {
      baseUrl: String(fingerprint.baseUrl),
      firstPage: page?.records.length ?? 0,
      firstTime: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null,
      format: exporter.format,
      options: fingerprint.options as Record<string, Json>,
      rates: Object.fromEntries(Object.entries(prepared.rates).map(([bucket, spec]) => [bucket, perSecond(spec)])),
      requests: http.stats.requests,
      total: page?.total ?? null,
      window: {since: String(fingerprint.since), until: String(fingerprint.until)},
      windows: windows.length,
    }
  } finally {
    prepared.controller.abort()
    await http.close()
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T, index)
    }
  }

  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

function parseVendorOptions(exporter: AnyVendorExporter, values: ExportOptions['values']): unknown {
  const input: Record<string, unknown> = {}
  for (const [name, flag] of Object.entries(exporter.flags)) {
    const key = camel(name)
    let value = values[key]
    if (value === undefined && flag.env) value = process.env[flag.env] || undefined
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (flag.required)
        throw usage(
          `${exporter.format}: --${name} is required${flag.env ? ` (or ${flag.env})` : ''}: ${flag.description}`,
        )
      continue
    }

    input[key] = value
  }

  const token = values.token ?? (process.env.CONVOSHIFT_TOKEN || undefined)
  if (exporter.token === 'required' && !token) {
    throw new ConvoshiftError(`${exporter.format}: a token is required: pass --token or set CONVOSHIFT_TOKEN`, {
      code: 'CREDENTIALS_MISSING',
      exitCode: ExitCode.Usage,
    })
  }

  if (token && exporter.token !== 'none') input.token = token
  const parsed = exporter.options.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const key = String(issue.path[0] ?? '')
    const name = key === 'token' ? 'token' : kebab(key)
    // Never echo a credential's value: name the flag and the rule only.
    throw usage(`${exporter.format}: --${name}: ${issue.message}`)
  }

  return parsed.data
}

/** The adapter's non-secret option values, for the checkpoint fingerprint. */
function publicOptions(exporter: AnyVendorExporter, values: ExportOptions['values']): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (const [name, flag] of Object.entries(exporter.flags)) {
    if (flag.secret) continue
    const value = values[camel(name)] ?? (flag.env ? process.env[flag.env] || undefined : undefined)
    if (value !== undefined) out[name] = value
  }

  return out
}

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

function describeWindow(window: ExportWindow): string {
  return `${new Date(window.since).toISOString()}..${new Date(window.until).toISOString()}`
}

function usage(message: string): ConvoshiftError {
  return new ConvoshiftError(message, {code: 'USAGE', exitCode: ExitCode.Usage})
}
