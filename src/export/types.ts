/**
 * The vendor adapter contract of `convoshift export`. An adapter knows one API: its flags and credentials, its rate,
 * how to split a time range into windows, how to fetch one page (joining messages to conversations) and how to name a
 * record. The runner (src/export/runner.ts) owns everything else: the HTTP client, rate limiting, retries, parallel
 * pages, de-duplication, range filtering, ordering, checkpoints, resume, progress and the output file.
 *
 * Adapters are plain objects with no module-level state; per-run state (an OAuth token) lives in `ctx.session`.
 */
import type {z} from 'zod'

import type {JsonObject} from '../engine/json.js'
import type {HttpClient, RateSpec} from '../http/client.js'

export type Json = boolean | Json[] | null | number | string | {[key: string]: Json}

/** A half-open time range [since, until) in epoch milliseconds. */
export interface TimeRange {
  since: number
  until: number
}

/** One request window: a piece of the range no larger than the API allows, paged on its own. */
export interface ExportWindow extends TimeRange {
  /** 0-based position; windows are exported in this order. */
  index: number
}

/** A flag an adapter needs besides the common ones (--since, --until, --base-url, --token, --rate, …). */
export interface VendorFlag {
  /** One sentence for --help. Say which API field it is. */
  description: string
  /** Environment variable read when the flag is absent (documented in --help). */
  env?: string
  /** A credential: redacted from every message, never written to the checkpoint. */
  secret?: boolean
  /** May be given more than once (values arrive as a string array). */
  multiple?: boolean
  /** The export of this vendor cannot run without it. */
  required?: boolean
}

export interface ExportContext<Options> {
  /** The adapter's options, parsed by its `options` schema from its flags (and `token`). */
  readonly options: Options
  /** The client for this run: base URL, rate limits, retries, timeouts and redaction already configured. */
  readonly http: HttpClient
  /** Aborts on interrupt; pass it to anything that waits. */
  readonly signal: AbortSignal
  /** Records per page requested (the vendor's default or --page-size, never above its maximum). */
  readonly pageSize: number
  /** --concurrency: how many requests an adapter may have in flight at once inside one page (e.g. message fetches). */
  readonly concurrency: number
  /** Per-run scratch state that is not checkpointed (e.g. an OAuth token and its expiry). */
  readonly session: Record<string, unknown>
  /** Maps `items` with at most `concurrency` calls in flight; results keep the order of `items`. */
  parallel<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]>
  /** Adds to a named counter reported in the result's `vendor` counts (e.g. partial records re-fetched). */
  count(name: string, n?: number): void
}

export interface PageResult<Cursor extends Json> {
  /** The page's records, complete (messages joined), in the API's order. */
  records: JsonObject[]
  /** The cursor of the next page of this window, or null when the window is done. */
  next: Cursor | null
  /**
   * Optional, on a window's first page only: the cursors of every remaining page of the window, when the API tells
   * them up front (offset pagination with a total). The runner then fetches them up to --concurrency at a time, writes
   * them in this order, and afterwards still follows the last page's `next` (in case the total grew).
   */
  rest?: Cursor[]
  /** Total records in the window, when the API says (for progress and ETA). */
  total?: number
}

export interface VendorExporter<Options = unknown, Cursor extends Json = Json> {
  /** The record shape `convert --from` reads, and the `export` argument: 'liveperson', 'ada', … */
  readonly format: string
  /** Vendor name used in messages: 'liveperson', 'ada', … */
  readonly vendor: string
  /** One line for --help: which API and endpoints. */
  readonly summary: string
  /** The documented public host; null when hosts are per account (then --base-url is required). */
  readonly defaultBaseUrl: null | string
  /**
   * Optional: the host derived from the options when --base-url is not given (per-account hosts named by a flag, e.g.
   * Ada's `https://<handle>.ada.support`); undefined falls back to defaultBaseUrl.
   */
  baseUrlFor?(options: Options): string | undefined
  /** Flags besides the common ones, by flag name (kebab-case). Shared names across adapters must mean the same. */
  readonly flags: Readonly<Record<string, VendorFlag>>
  /** Whether --token / CONVOSHIFT_TOKEN is required, optional or unused by this API. */
  readonly token: 'none' | 'optional' | 'required'
  /**
   * Parses the flag values into the adapter's options: keys are the flag names in camelCase (`bot-name` → `botName`),
   * plus `token`; absent flags are absent keys. Zod issues become one-line usage errors naming the flag.
   */
  readonly options: z.ZodType<Options>
  /** Client-side rate per bucket (`default` for the rest), the documented default; --rate overrides every bucket. */
  readonly rate: Readonly<Record<string, RateSpec>>
  /** Records per page: the default requested and the documented maximum. */
  readonly pageSize: {default: number; max: number}
  /** Splits [since, until) into the API's windows, in order (see splitRange). */
  windows(range: TimeRange, options: Options): TimeRange[]
  /** Headers (or a token grant) before the first page; called again if the adapter's session says it expired. */
  authenticate?(ctx: ExportContext<Options>): Promise<void>
  /** Fetches one page of `window`: `cursor` null is the first page. Must be deterministic for a fixed data set. */
  page(ctx: ExportContext<Options>, window: ExportWindow, cursor: Cursor | null): Promise<PageResult<Cursor>>
  /** The record's id, unique across the export (de-duplication across pages and windows). */
  id(record: JsonObject): string
  /**
   * The record's time in epoch ms that the API's window filters on (e.g. conversation start). Records outside the
   * window (APIs that round bounds, like LivePerson's 10 minutes) are dropped here and counted, so each record is
   * written by exactly one window. Undefined: the record is kept, and de-duplication alone applies.
   */
  time(record: JsonObject): number | undefined
}

/** An adapter of any options and cursor type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry erases each adapter's own types
export type AnyVendorExporter = VendorExporter<any, any>
