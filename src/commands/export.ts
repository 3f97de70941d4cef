import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../base-command.js'
import {ConvoshiftError, ExitCode, exitCodesHelp, unknownShape} from '../errors.js'
import {checkExport, checkpointPath, type ExportCheck, partialPath} from '../export/runner.js'
import {renderExportCheck, renderExportSummary, runExportWithProgress} from '../export/tasks.js'
import {vendorExporters} from '../export/vendors/index.js'
import {shapeArg} from '../flags.js'
import {checkWritePaths} from '../io/write-paths.js'
import {type ExportResult} from '../schemas/export.js'

/** Every adapter's own flags, merged (a name shared by two adapters must mean the same, so the first one describes it). */
function vendorFlags(): Record<string, ReturnType<typeof Flags.string>> {
  const flags: Record<string, ReturnType<typeof Flags.string>> = {}
  const users = new Map<string, string[]>()
  for (const exporter of Object.values(vendorExporters)) {
    for (const name of Object.keys(exporter.flags)) users.set(name, [...(users.get(name) ?? []), exporter.format])
  }

  for (const exporter of Object.values(vendorExporters)) {
    for (const [name, flag] of Object.entries(exporter.flags)) {
      if (flags[name]) continue
      const env = flag.env ? ` Env: ${flag.env}.` : ''
      const description = `${flag.description}${env} (${users.get(name)!.join(', ')})`
      // A multiple flag parses to string[]; the command reads every vendor flag untyped (see run).
      flags[name] = (
        flag.multiple ? Flags.string({description, multiple: true}) : Flags.string({description})
      ) as ReturnType<typeof Flags.string>
    }
  }

  return flags
}

/** ISO 8601 date or date-time; without a zone it is UTC. */
export function parseTime(flag: string, value: string): number {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) || /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new ConvoshiftError(`--${flag}: not an ISO 8601 date or date-time: ${value}`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      suggestions: [`e.g. --${flag} 2024-01-31 or --${flag} 2024-01-31T12:00:00Z`],
    })
  }

  return ms
}

/** A rate as people say it: 3/s, or 60/min when under one a second. */
function rateText(rate: {perMs: number; requests: number}): string {
  const perSecond = (rate.requests * 1000) / rate.perMs
  return perSecond >= 1 ? `${perSecond}/s` : `${(rate.requests * 60_000) / rate.perMs}/min`
}

const shapes = Object.keys(vendorExporters).sort()

/** Every adapter's credential flags, with their environment variables. */
const secretVendorFlags = Object.values(vendorExporters).flatMap((exporter) =>
  Object.entries(exporter.flags)
    .filter(([, flag]) => flag.secret)
    .map(([name, flag]) => ({env: flag.env, name})),
)

export default class Export extends BaseCommand {
  static override args = {
    shape: shapeArg(`Record shape to export (the value convert --from reads): ${shapes.join(', ')}.`),
  }
  static override description = `Pulls every conversation that started in [--since, --until) from the vendor's API into a JSONL file, one record per line exactly as the API returned it (messages joined to their conversation), serialised deterministically, so the output feeds \`convert --from <shape>\` unchanged.

The range is split into the API's maximum windows (aligned to its rounding); pages are fetched as the API documents them, at the vendor's documented rate (--rate overrides), retrying 429, 5xx, timeouts, connection resets and truncated bodies with exponential backoff and jitter (Retry-After honoured). Records outside a window or returned twice are counted, not written: received = written + duplicates + outside the range.

Resumable: records accumulate in <output>.partial and a checkpoint (<output>.checkpoint.json) is written atomically after every page; after a crash, a kill or an error, run the same command with --resume and the output is byte-identical to an uninterrupted run's. The output appears under its name only when the export is complete.

Credentials: --token or the CONVOSHIFT_TOKEN environment variable (a bearer token, API key or JWT, per vendor); they never appear in any output, checkpoint, message or --json result.
${Object.values(vendorExporters)
  .map(
    (e) =>
      `  ${e.format}: ${e.summary} Default rate ${Object.entries(e.rate)
        .map(([bucket, r]) => `${rateText(r)}${bucket === 'default' ? '' : ` (${bucket})`}`)
        .join(
          ', ',
        )}; host ${e.defaultBaseUrl ?? (e.baseUrlFor ? 'per account (from its account flag, or --base-url)' : 'per account (--base-url required)')}.`,
  )
  .join('\n')}

${exitCodesHelp([
  [ExitCode.Ok, 'every page exported'],
  ExitCode.Internal,
  [ExitCode.Usage, 'also a missing credential, or a checkpoint that needs --resume or --restart'],
  ExitCode.Io,
  [ExitCode.InvalidInput, 'a corrupt checkpoint'],
  [ExitCode.Remote, 'credentials refused, HTTP error after retries, unreachable host, unparseable page'],
  [ExitCode.Interrupted, 'the partial output and checkpoint are kept for --resume'],
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> liveperson --account 12345678 --base-url https://va.msghist.liveperson.net --since 2024-01-01 --until 2024-02-01 --output lp.jsonl',
      description: 'Export January 2024 from LivePerson (token in CONVOSHIFT_TOKEN).',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> deepconverse --bot-name r3-218210 --since 2024-01-01 --until 2024-07-01 --output dc.jsonl --resume',
      description: 'Export half a year from DeepConverse, continuing an interrupted run if there is one.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> liveperson --account 12345678 --base-url https://va.msghist.liveperson.net --since 2024-01-01 --until 2024-02-01 --output lp.jsonl --concurrency 4 --rate 20 --json',
      description: 'Four pages in flight at 20 requests/s, printing the counts as JSON.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> ada --handle acme --since 2024-01-01 --until 2024-07-01 --output ada.jsonl',
      description:
        'Export half a year from Ada (https://acme.ada.support, API key in CONVOSHIFT_TOKEN) in 60-day windows.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> koreai --stream-id st-… --account-id 6373… --client-id cs-… --since 2024-01-01 --until 2024-02-01 --output kore.jsonl',
      description:
        'Export January from Kore.ai, signing the JWT with the app secret in CONVOSHIFT_KOREAI_CLIENT_SECRET.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> iadvize --username ops@shop.example --project-id 9999 --since 2024-01-01 --until 2024-02-01 --output iadvize.jsonl',
      description: 'Export January from iAdvize (password in CONVOSHIFT_IADVIZE_PASSWORD; one login, token cached).',
    },
  ]
  static override flags = {
    'base-url': Flags.string({
      description: "The API's base URL (any host, e.g. http://127.0.0.1:8080). Default: the vendor's documented host.",
    }),
    concurrency: Flags.integer({
      default: 1,
      description:
        'Requests in flight at once: pages of a window when the API tells every page up front (offset APIs with a total), and message fetches within a page. Output order is unchanged.',
      max: 64,
      min: 1,
    }),
    check: Flags.boolean({
      description:
        'Authenticate and fetch one page, then print what the API answered (range, first conversation, rate) without writing anything: a credential or host problem shows in seconds.',
      exclusive: ['resume', 'restart'],
    }),
    output: Flags.string({char: 'o', description: 'Output JSONL file (required unless --check).'}),
    'page-size': Flags.integer({
      description: "Records per page. Default: the vendor's documented default; at most its maximum.",
      min: 1,
    }),
    rate: Flags.string({
      description:
        "Client-side limit in requests per second for every endpoint (0 = none). Default: the vendor's documented rate.",
    }),
    restart: Flags.boolean({
      description: 'Discard the checkpoint and partial output of an interrupted run and start over.',
      exclusive: ['resume'],
    }),
    resume: Flags.boolean({
      description:
        'Continue an interrupted run from its checkpoint (with the same options); starts afresh when there is none.',
    }),
    since: Flags.string({
      description: 'Start of the range, inclusive: ISO 8601 date or date-time (UTC unless a zone is given).',
      required: true,
    }),
    token: Flags.string({description: 'Bearer token, API key or JWT of the vendor API. Env: CONVOSHIFT_TOKEN.'}),
    until: Flags.string({
      description: 'End of the range, exclusive: ISO 8601 date or date-time (UTC unless a zone is given).',
      required: true,
    }),
    ...vendorFlags(),
  }
  static override secretEnv = ['CONVOSHIFT_TOKEN', ...secretVendorFlags.flatMap(({env}) => (env ? [env] : []))]
  static override secretFlags = ['token', ...secretVendorFlags.map(({name}) => name)]
  static override summary = "Export conversations from a vendor's API: paginated, rate-limited, resumable."

  public async run(): Promise<ExportCheck | ExportResult> {
    const {args, flags} = await this.parse(Export)
    const values: Record<string, string | string[] | undefined> = {}
    const exporter = vendorExporters[args.shape]
    if (!exporter) throw unknownShape(args.shape, shapes)
    const all = flags as unknown as Record<string, string | string[] | undefined>
    for (const name of Object.keys(exporter.flags))
      values[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = all[name]
    if (flags.token !== undefined) values.token = flags.token
    let rate: number | undefined
    if (flags.rate !== undefined) {
      rate = Number(flags.rate)
      if (!Number.isFinite(rate) || rate < 0) {
        throw new ConvoshiftError(`--rate: not a number of requests per second: ${flags.rate}`, {
          code: 'USAGE',
          exitCode: ExitCode.Usage,
        })
      }
    }

    const options = {
      concurrency: flags.concurrency,
      format: args.shape,
      output: flags.output ?? '',
      restart: flags.restart,
      resume: flags.resume,
      since: parseTime('since', flags.since),
      until: parseTime('until', flags.until),
      values,
      ...(flags['base-url'] === undefined ? {} : {baseUrl: flags['base-url']}),
      ...(flags['page-size'] === undefined ? {} : {pageSize: flags['page-size']}),
      ...(rate === undefined ? {} : {rate}),
    }
    if (flags.check) {
      const check = await checkExport(options)
      this.log(renderExportCheck(check))
      return check
    }

    if (!flags.output) {
      throw new ConvoshiftError('--output is required (or --check, to test the credentials and reach)', {
        code: 'USAGE',
        exitCode: ExitCode.Usage,
      })
    }

    await checkWritePaths({
      reads: [],
      writes: [
        {flag: '--output', path: flags.output},
        {flag: 'the partial output', path: partialPath(flags.output)},
        {flag: 'the checkpoint', path: checkpointPath(flags.output)},
      ],
    })
    const result = await runExportWithProgress(options, {silent: this.progressSilent()})
    this.log(renderExportSummary(result))
    return result
  }
}
