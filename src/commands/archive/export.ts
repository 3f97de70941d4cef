import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {type ArchiveExportResult} from '../../archive/index.js'
import {exportArchiveWithProgress, renderExportSummary} from '../../archive/tasks.js'
import {BaseCommand} from '../../base-command.js'
import {defaultRejectedPath} from '../../convert/index.js'
import {ExitCode, exitCodesHelp} from '../../errors.js'
import {formatFlag} from '../../flags.js'
import {isStdout} from '../../io/output.js'
import {checkWritePaths} from '../../io/write-paths.js'

export default class ArchiveExport extends BaseCommand {
  static override args = {
    dir: Args.string({description: 'The bag directory.', required: true}),
  }
  static override description = `Streams conversations out of a bag as JSONL, in the neutral model or any vendor record shape: all of them, some by --id (the conversation id, found through the index), or every conversation a person took part in (--participant: a participant's or the customer's id, email, phone or login name). With both, a conversation matching either is exported. Each record is checked against its SHA-256 in the index first.
Records the target shape cannot accept go to <output>.rejected.jsonl; selected = exported + rejected. Written atomically.

${exitCodesHelp([
  [ExitCode.Ok, 'exported'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'also not a convoshift bag'],
  [ExitCode.Rejected, 'the target shape rejected some selected records'],
  [ExitCode.ArchiveInvalid, 'a record does not match the index (run archive verify)'],
  ExitCode.Interrupted,
])}`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> bag --to neutral --output all.jsonl',
      description: 'Everything, neutral.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> bag --to ada --id 4711 --id 4712 --output two.jsonl',
      description: 'Two conversations as Ada records.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> bag --to neutral --participant jane@example.com --output jane.jsonl',
      description: 'A data subject access request: everything Jane took part in.',
    },
  ]
  static override flags = {
    id: Flags.string({description: 'A conversation id (sourceId). Repeatable.', multiple: true}),
    output: Flags.string({char: 'o', description: 'Output JSONL file, or - for stdout.', required: true}),
    participant: Flags.string({
      description: 'A participant or customer id, email, phone or login name. Repeatable.',
      multiple: true,
    }),
    rejected: Flags.string({description: 'Where rejected records go. Default: <output>.rejected.jsonl.'}),
    to: formatFlag('Format to write.'),
  }
  static override summary = 'Export conversations from a bag, whole, by id, or by participant.'

  public async run(): Promise<ArchiveExportResult> {
    const {args, flags} = await this.parse(ArchiveExport)
    await checkWritePaths({
      reads: [{directory: true, flag: 'the bag', path: args.dir}],
      writes: [
        {flag: '--output', path: flags.output},
        {
          flag: flags.rejected ? '--rejected' : '--rejected (default)',
          path: flags.rejected ?? defaultRejectedPath(flags.output),
        },
      ],
    })
    this.productOnStdout = isStdout(flags.output)
    const result = await exportArchiveWithProgress(
      {
        dir: args.dir,
        output: flags.output,
        to: flags.to,
        ...(flags.id === undefined ? {} : {ids: flags.id}),
        ...(flags.participant === undefined ? {} : {participants: flags.participant}),
        ...(flags.rejected === undefined ? {} : {rejected: flags.rejected}),
      },
      this.progressSilent(),
    )
    const summary = renderExportSummary(result)
    this.logSummary(summary)
    if (result.rejected > 0) process.exitCode = ExitCode.Rejected
    return result
  }
}
