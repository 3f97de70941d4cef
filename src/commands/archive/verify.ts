import {Args, Flags} from '@oclif/core'

import {type ArchiveVerifyResult} from '../../archive/index.js'
import {renderVerifySummary, verifyArchiveWithProgress} from '../../archive/tasks.js'
import {BaseCommand} from '../../base-command.js'
import {ExitCode, exitCodesHelp} from '../../errors.js'

export default class ArchiveVerify extends BaseCommand {
  static override args = {
    dir: Args.string({description: 'The bag directory.', required: true}),
  }
  static override description = `Checks a bag as RFC 8493 defines it valid: bagit.txt, every file in data/ listed in every payload manifest and none missing, every sha256 and sha512 checksum, the tag manifests, Payload-Oxum. For a convoshift bag also each record: its line matches its SHA-256 in data/index.jsonl and it is a valid neutral conversation, and the counts in bag-info.txt reconcile with the files. Each file is read once.
Every problem is printed as <file>[:<line>] [(conversation <id>)]: <problem>. --fast checks Payload-Oxum and the file list only (no hashing).

${exitCodesHelp([
  [ExitCode.Ok, 'the bag is valid'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'the directory does not exist'],
  [ExitCode.ArchiveInvalid, 'the problems are listed'],
])}`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> archive/liveperson-2026', description: 'Verify everything.'},
    {
      command: '<%= config.bin %> <%= command.id %> archive/liveperson-2026 --fast',
      description: 'Check Payload-Oxum only (quick, no hashing).',
    },
    {command: '<%= config.bin %> <%= command.id %> bag --json', description: 'The problems as JSON.'},
  ]
  static override flags = {
    fast: Flags.boolean({description: 'Check Payload-Oxum and the file list only.'}),
  }
  static override summary = 'Verify a bag: completeness, checksums, tag manifests, and each archived record.'

  public async run(): Promise<ArchiveVerifyResult> {
    const {args, flags} = await this.parse(ArchiveVerify)
    const result = await verifyArchiveWithProgress({dir: args.dir, fast: flags.fast}, this.progressSilent())
    this.log(renderVerifySummary(result))
    if (!result.valid) process.exitCode = ExitCode.ArchiveInvalid
    return result
  }
}
