import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../base-command.js'
import {ExitCode, exitCodesHelp} from '../errors.js'
import {jobsFlag, recordLimitFlags, recordLimits} from '../flags.js'
import {runMigrate} from '../migrate/index.js'
import {renderMigrateSummary} from '../migrate/summary.js'
import {type MigrateResult} from '../schemas/project.js'

export default class Migrate extends BaseCommand {
  static override description = `Runs the whole job in a workspace directory, as one resumable, idempotent pipeline: source (the export file, duplicates removed) → convert → verify → archive. Every file goes under the workspace: source/, output/ (converted records, rejected records, id map), report/, archive/ (a BagIt bag per version), run.log, and state/ (the manifest that makes re-runs skip unchanged steps).

The first run writes convoshift.json (the project file) from the flags; later runs need only --workspace. Re-running a completed migration does nothing and says so per step; an interrupted or failed run resumes where it stopped (the failure names the step and the command to resume). --since-last adds only the conversations new or changed since the last completed run. See docs/migrate.md.

${exitCodesHelp([
  [ExitCode.Ok, 'migrated, or already up to date'],
  ExitCode.Internal,
  [ExitCode.Usage, 'also an invalid or contradicting project file'],
  [ExitCode.Io, 'also a workspace in use'],
  ExitCode.InvalidInput,
  ExitCode.InvalidMapping,
  [ExitCode.Rejected, 'see output/<to>.rejected.jsonl'],
  ExitCode.VerifyMismatch,
  ExitCode.Remote,
  ExitCode.ArchiveInvalid,
  [ExitCode.Interrupted, 'run the same command again to resume'],
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --input examples/liveperson/conversations-page.json --to ada --workspace out/migration',
      description: 'Migrate the bundled LivePerson example export to Ada in out/migration.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --workspace out/migration',
      description: 'Run it again: every step is unchanged and skipped; after an interruption, it resumes.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --workspace out/migration --input export-2.json --since-last',
      description: 'Cut-over: add only the conversations of export-2.json that are new or changed.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --workspace out/migration --dry-run --json',
      description: 'Convert and verify without writing target output; print the result as JSON.',
    },
  ]
  static override flags = {
    'dry-run': Flags.boolean({
      description: 'Produce the verify report without writing target output, and record nothing.',
    }),
    from: Flags.string({description: 'Record shape of the source (first run; afterwards the project file holds it).'}),
    input: Flags.string({
      char: 'i',
      description: 'An export file (JSONL, JSON array or vendor API page, gzip detected) instead of the vendor API.',
    }),
    jobs: jobsFlag,
    mapping: Flags.string({
      description: 'A mapping file that extends the built-in mapping of --from or --to (first run).',
    }),
    'since-last': Flags.boolean({description: 'Only conversations new or changed since the last completed run.'}),
    to: Flags.string({description: 'Format to write: neutral or a record shape (first run).'}),
    workspace: Flags.string({
      char: 'w',
      description: 'The migration workspace directory (created if missing).',
      required: true,
    }),
    ...recordLimitFlags,
  }
  static override summary = 'Export, convert, verify and archive as one resumable, idempotent pipeline.'

  public async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(Migrate)
    const result = await runMigrate({
      dryRun: flags['dry-run'],
      from: flags.from,
      input: flags.input,
      jobs: flags.jobs,
      limits: recordLimits(flags),
      mapping: flags.mapping,
      silent: this.progressSilent(),
      sinceLast: flags['since-last'],
      to: flags.to,
      workspace: flags.workspace,
    })
    this.log(renderMigrateSummary(result))
    if (result.records.rejected > 0) process.exitCode = ExitCode.Rejected
    return result
  }
}
