import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../base-command.js'
import {type ConvertResult} from '../convert/index.js'
import {ExitCode, exitCodesHelp} from '../errors.js'
import {formatFlag, inputFlag, jobsFlag, recordLimitFlags, recordLimits} from '../flags.js'
import {isStdout} from '../io/output.js'
import {checkWritePaths} from '../io/write-paths.js'
import {verifyReportFlags} from './verify.js'

export default class Convert extends BaseCommand {
  static override description = `Reads JSONL, a JSON array or a vendor API page (optionally gzip-compressed) and writes JSONL, streaming.
Records that fail validation go to the rejected file with their line number and a reason; the summary reconciles read = converted + rejected. In JSON Lines each line stands alone: a malformed line, a record nested deeper than --max-depth or larger than --max-record-bytes is rejected and the run goes on. A record JSON would change (a duplicate key, a number a double cannot hold exactly) is rejected, never changed. Duplicate and empty conversation ids are counted in the summary. Outputs are written to a temporary file and renamed, so an interrupted run leaves no partial file.

${exitCodesHelp([
  [ExitCode.Ok, 'every record converted'],
  ExitCode.Internal,
  ExitCode.Usage,
  ExitCode.Io,
  ExitCode.InvalidInput,
  ExitCode.InvalidMapping,
  ExitCode.Rejected,
  [ExitCode.VerifyMismatch, 'with --report'],
  ExitCode.Interrupted,
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --to neutral --input export.jsonl --output neutral.jsonl',
      description: 'Convert a LivePerson export to the neutral model.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from neutral --to liveperson --input neutral.jsonl --output liveperson.jsonl',
      description: 'Convert neutral conversations back to LivePerson records.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --to ada --input export.jsonl --dry-run --report cutover.html',
      description: 'Dry run before a cut-over: convert in memory, verify, and write only the report.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --to neutral --input page.json.gz --dry-run --json',
      description: 'Validate an API page and print the counts as JSON, writing nothing.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --to neutral --input export.jsonl --output out.jsonl --mapping my-liveperson.json',
      description: 'Use a mapping file that extends the built-in LivePerson mapping.',
    },
  ]
  static override flags = {
    // With --report: the conversion is verified (in memory for a dry run); these flags shape that verification.
    ...Object.fromEntries(
      Object.entries(verifyReportFlags).map(([name, flag]) => [name, {...flag, helpGroup: 'REPORT'}]),
    ),
    'dry-run': Flags.boolean({
      description: 'Validate and count without writing any output (with --report: write only the report).',
    }),
    verbose: Flags.boolean({
      description: 'List, field by field, what the target does not show natively (the summary gives only counts).',
    }),
    from: formatFlag('Format of the input records.'),
    input: inputFlag,
    jobs: jobsFlag,
    mapping: Flags.string({description: 'A mapping file that extends the built-in mapping of --from or --to.'}),
    output: Flags.string({char: 'o', description: 'Output JSONL file, or - for stdout. Required unless --dry-run.'}),
    rejected: Flags.string({description: 'Where rejected records go. Default: <output>.rejected.jsonl.'}),
    to: formatFlag('Format to write.'),
    ...recordLimitFlags,
  }
  static override summary = 'Convert conversations between a vendor format and the neutral model.'

  public async run(): Promise<ConvertResult> {
    const {flags} = await this.parse(Convert)
    // The conversion's code is loaded here, the verification's only for --report or --diffs (see BaseCommand).
    const {defaultRejectedPath} = await import('../convert/index.js')
    const {renderConvertSummary} = await import('../convert/tasks.js')
    const {runConvertWithProgress} = await import('../convert-report.js')
    const options = {
      dryRun: flags['dry-run'],
      from: flags.from,
      input: flags.input,
      limits: recordLimits(flags),
      to: flags.to,
      ...(flags.jobs ? {jobs: flags.jobs} : {}),
      ...(flags.mapping ? {mapping: flags.mapping} : {}),
      ...(flags.output ? {output: flags.output} : {}),
      ...(flags.rejected ? {rejected: flags.rejected} : {}),
    }
    const reports: string[] = flags.report ?? []
    const writing = !flags['dry-run']
    await checkWritePaths({
      reads: [
        {flag: '--input', path: flags.input},
        {flag: '--mapping', path: flags.mapping},
      ],
      writes: [
        {flag: '--output', path: writing ? flags.output : undefined},
        {
          flag: flags.rejected ? '--rejected' : '--rejected (default)',
          path: writing ? (flags.rejected ?? defaultRejectedPath(flags.output)) : undefined,
        },
        {flag: '--diffs', path: flags.diffs},
        ...reports.map((path) => ({flag: '--report', path})),
      ],
    })
    const verifying = reports.length > 0 || flags.diffs !== undefined
    this.productOnStdout = isStdout(flags.output)
    const {report, result} = await runConvertWithProgress(
      options,
      {silent: this.progressSilent()},
      verifying
        ? {
            failOn: flags['fail-on'],
            ignore: flags.ignore ?? [],
            maxListed: flags['max-listed'],
            reports,
            ...(flags.diffs ? {diffs: flags.diffs} : {}),
            ...(flags['temp-dir'] ? {tempDir: flags['temp-dir']} : {}),
          }
        : undefined,
    )
    this.logSummary(renderConvertSummary(result, {verbose: flags.verbose}))
    if (result.records.read === 0) this.logToStderr(`Warning: ${flags.input} holds no records: nothing was converted`)
    for (const warning of result.warnings ?? []) this.logToStderr(`Warning: ${warning}`)
    if (result.records.rejected > 0) process.exitCode = ExitCode.Rejected
    if (!report) return result
    const [{verifySummary}, {renderTerminal}] = await Promise.all([
      import('../schemas/verify.js'),
      import('../verify/render/index.js'),
    ])
    this.logSummary('')
    this.logSummary(renderTerminal(report, {colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    for (const path of reports) this.logSummary(`report: ${path}`)
    if (!report.verdict.ok) process.exitCode = report.verdict.exitCode
    return {...result, verify: verifySummary(report, reports)}
  }
}
