import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../base-command.js'
import {ExitCode, exitCodesHelp} from '../errors.js'
import {formatFlag, recordLimitFlags, recordLimits} from '../flags.js'
import {checkWritePaths} from '../io/write-paths.js'
import {type VerifySummary} from '../schemas/verify.js'

export const verifyReportFlags = {
  diffs: Flags.string({description: "Also write every paired conversation's differences to this JSONL file."}),
  'fail-on': Flags.option({
    default: 'unexpected',
    description:
      'The least severe difference that fails: unexpected (default), transformed (declared lossy transforms too), or expected (any loss, even declared ones).',
    options: ['unexpected', 'transformed', 'expected'] as const,
  })(),
  ignore: Flags.string({
    description:
      'A neutral field not to compare (e.g. customer.email, messages[].metadata); repeatable. Its differences are listed as ignored.',
    multiple: true,
  }),
  'max-listed': Flags.integer({
    default: 50,
    description: 'Conversations (and ids, rejected records) listed in the report.',
    min: 0,
  }),
  report: Flags.string({
    description:
      'Write the report here; the format follows the extension: .json (schema: schemas/verify-report.schema.json), .md or .html. Repeatable.',
    multiple: true,
  }),
  'temp-dir': Flags.string({
    description: 'Where to spill when the two files are in different orders (default: the system temp directory).',
  }),
}

export default class Verify extends BaseCommand {
  static override description = `Reads both files back to the neutral model with the same mappings, pairs conversations by source id (streaming, in any order: files in different orders are paired through temporary partitions on disk), and compares them field by field. A target of another shape is read natively (as its vendor shows it, convoshift's carry field ignored) and recoverably (with the carry); the verdict is about what the target shows: FAIL, PASS WITH DECLARED LOSSES or PASS. Each difference is classified:
  expected     the target mapping declares it cannot hold the field (its "unsupported" list)
  transformed  a declared approximation: time precision, or a field in the mapping's "lossy" list
  unexpected   anything else: a bug, a wrong mapping or an edit in the target
Data only the carry holds is marked "carried: not visible in <target>". The report gives counts per entity (missing, extra, duplicated), the lost fields with their shares, a by-field view, a fidelity matrix (native and recoverable) and the differences of each conversation.

${exitCodesHelp([
  [ExitCode.Ok, 'PASS, or PASS WITH DECLARED LOSSES'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'also a report that cannot be written'],
  ExitCode.InvalidInput,
  ExitCode.InvalidMapping,
  [ExitCode.VerifyMismatch, 'FAIL'],
  ExitCode.Interrupted,
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --source export.jsonl --to ada --target ada.jsonl --report report.html --report report.json',
      description: 'Verify a LivePerson → Ada conversion and write an HTML and a JSON report.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from ada --source ada.jsonl --to liveperson --target lp.jsonl --fail-on expected',
      description: 'Fail on any loss, even the ones LivePerson declares it cannot hold.',
    },
  ]
  static override flags = {
    from: formatFlag('Format of the source records.'),
    mapping: Flags.string({description: 'A mapping file that extends the built-in mapping of --from or --to.'}),
    source: Flags.string({char: 's', description: 'The source file (what was converted).', required: true}),
    target: Flags.string({char: 't', description: 'The target file (the conversion to check).', required: true}),
    to: formatFlag('Format of the target records.'),
    ...verifyReportFlags,
    ...recordLimitFlags,
  }
  static override summary = 'Verify a conversion: counts, field-level differences and a fidelity matrix.'

  public async run(): Promise<VerifySummary> {
    const {flags} = await this.parse(Verify)
    await checkWritePaths({
      reads: [
        {flag: '--source', path: flags.source},
        {flag: '--target', path: flags.target},
        {flag: '--mapping', path: flags.mapping},
      ],
      writes: [{flag: '--diffs', path: flags.diffs}, ...(flags.report ?? []).map((path) => ({flag: '--report', path}))],
    })
    // Loaded here, not at the top: convert imports this file for its report flags (see BaseCommand on start-up).
    const [{verifySummary}, {renderTerminal}, {runVerifyWithProgress}] = await Promise.all([
      import('../schemas/verify.js'),
      import('../verify/render/index.js'),
      import('../verify/tasks.js'),
    ])
    const report = await runVerifyWithProgress(
      {
        failOn: flags['fail-on'],
        from: flags.from,
        ignore: flags.ignore ?? [],
        limits: recordLimits(flags),
        maxListed: flags['max-listed'],
        reports: flags.report ?? [],
        source: flags.source,
        target: flags.target,
        to: flags.to,
        ...(flags.diffs ? {diffs: flags.diffs} : {}),
        ...(flags.mapping ? {mapping: flags.mapping} : {}),
        ...(flags['temp-dir'] ? {tempDir: flags['temp-dir']} : {}),
      },
      {silent: this.progressSilent()},
    )
    this.log(renderTerminal(report, {colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR}))
    for (const path of flags.report ?? []) this.log(`report: ${path}`)
    process.exitCode = report.verdict.exitCode
    return verifySummary(report, flags.report ?? [])
  }
}
