import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {type ArchiveVerifyResult} from '../../archive/index.js'
import {renderVerifySummary, verifyArchiveWithProgress} from '../../archive/tasks.js'
import {BaseCommand} from '../../base-command.js'
import {ExitCode, exitCodesHelp} from '../../errors.js'

export default class ArchiveVerify extends BaseCommand {
  static override args = {
    dir: Args.string({description: 'The bag directory.', required: true}),
  }
  static override description = `Checks a bag as RFC 8493 defines it valid: bagit.txt (BagIt 1.0), every file in data/ listed in every payload manifest and none missing, every sha256 and sha512 checksum, the tag manifests, Payload-Oxum. A bag holding convoshift's layout (index, shards, id map) is checked as a convoshift bag whatever bag-info.txt says: each record matches its SHA-256 in data/index.jsonl and is a valid neutral conversation, the id map and rejected records agree with the index, and every claim of bag-info.txt (counts, source file and SHA-256, originals, layout) holds.
--key checks the bag's signature (convoshift-signature.txt) with an Ed25519 public key; --require-signature also fails an unsigned bag. See docs/archive.md for what a signature proves.
Every problem is printed as <file>[:<line>] [(conversation <id>)]: <problem>. --fast checks Payload-Oxum and the file list only (no hashing).

${exitCodesHelp([
  [ExitCode.Ok, 'the bag is valid'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'the directory does not exist'],
  [ExitCode.ArchiveInvalid, 'the problems are listed, or unsigned under --require-signature'],
])}`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> archive/liveperson-2026', description: 'Verify everything.'},
    {
      command: '<%= config.bin %> <%= command.id %> archive/liveperson-2026 --fast',
      description: 'Check Payload-Oxum only (quick, no hashing).',
    },
    {command: '<%= config.bin %> <%= command.id %> bag --json', description: 'The problems as JSON.'},
    {
      command: '<%= config.bin %> <%= command.id %> bag --key public.pem --require-signature',
      description: 'Accept only a bag signed by the holder of the matching private key.',
    },
  ]
  static override flags = {
    fast: Flags.boolean({description: 'Check Payload-Oxum and the file list only.', exclusive: ['key']}),
    key: Flags.string({description: "An Ed25519 public key (SPKI PEM file): check the bag's signature with it."}),
    'require-signature': Flags.boolean({
      dependsOn: ['key'],
      description: 'Fail an unsigned bag ("unsigned", exit 9). Needs --key.',
    }),
  }
  static override summary = 'Verify a bag: completeness, checksums, tag manifests, and each archived record.'

  public async run(): Promise<ArchiveVerifyResult> {
    const {args, flags} = await this.parse(ArchiveVerify)
    const result = await verifyArchiveWithProgress(
      {
        dir: args.dir,
        fast: flags.fast,
        requireSignature: flags['require-signature'],
        ...(flags.key === undefined ? {} : {key: flags.key}),
      },
      this.progressSilent(),
    )
    this.log(renderVerifySummary(result))
    if (!result.valid) process.exitCode = ExitCode.ArchiveInvalid
    return result
  }
}
