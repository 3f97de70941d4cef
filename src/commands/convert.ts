import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {type ConvertResult} from '../convert/index.js'
import {renderConvertSummary, runConvertWithProgress} from '../convert/tasks.js'
import {ExitCode} from '../errors.js'
import {formatFlag, inputFlag, recordLimitFlags, recordLimits} from '../flags.js'
import {verifySummary} from '../schemas/verify.js'
import {renderTerminal} from '../verify/render/index.js'
import {verifyReportFlags} from './verify.js'

export default class Convert extends BaseCommand {
  static override description = `Reads JSONL, a JSON array or a vendor API page (optionally gzip-compressed) and writes JSONL, streaming.
Records that fail validation go to the rejected file with their line number and a reason; the summary reconciles read = converted + rejected. In JSON Lines each line stands alone: a malformed line, a record nested deeper than --max-depth or larger than --max-record-bytes is rejected and the run goes on. A record JSON would change (a duplicate key, a number a double cannot hold exactly) is rejected, never changed. Duplicate and empty conversation ids are counted in the summary. Outputs are written to a temporary file and renamed, so an interrupted run leaves no partial file.

EXIT CODES
  0  every record converted
  2  invalid flags
  3  input missing or unreadable, output not writable
  4  a malformed JSON document (or one too deep or too large), or records of another format
  5  invalid mapping file
  6  completed, but some records were rejected
  7  with --report: verification found count mismatches or differences at or above --fail-on`
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
    ...verifyReportFlags,
    'dry-run': Flags.boolean({
      description: 'Validate and count without writing any output (with --report: write only the report).',
    }),
    from: formatFlag('Format of the input records.'),
    input: inputFlag,
    jobs: Flags.integer({
      description:
        'Threads converting JSON Lines input: the main thread and N-1 workers. Default 1. Output is byte-identical; each worker holds its own heap (~150 MB).',
      min: 1,
    }),
    mapping: Flags.string({description: 'A mapping file that extends the built-in mapping of --from or --to.'}),
    output: Flags.string({char: 'o', description: 'Output JSONL file, or - for stdout. Required unless --dry-run.'}),
    rejected: Flags.string({description: 'Where rejected records go. Default: <output>.rejected.jsonl.'}),
    to: formatFlag('Format to write.'),
    ...recordLimitFlags,
  }
  static override summary = 'Convert conversations between a vendor format and the neutral model.'

  public async run(): Promise<ConvertResult> {
    const {flags} = await this.parse(Convert)
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
    const reports = flags.report ?? []
    const verifying = reports.length > 0 || flags.diffs !== undefined
    const {report, result} = await runConvertWithProgress(
      options,
      {silent: this.jsonEnabled()},
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
    this.log(renderConvertSummary(result))
    if (result.records.rejected > 0) process.exitCode = ExitCode.Rejected
    if (!report) return result
    this.log('')
    this.log(renderTerminal(report, {colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    for (const path of reports) this.log(`report: ${path}`)
    if (!report.verdict.ok) process.exitCode = report.verdict.exitCode
    return {...result, verify: verifySummary(report, reports)}
  }
}
