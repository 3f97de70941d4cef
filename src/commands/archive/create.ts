import * as Flags from '@oclif/core/flags'

import {type ArchiveCreateResult} from '../../archive/index.js'
import {createArchiveWithProgress, renderCreateSummary} from '../../archive/tasks.js'
import {BaseCommand} from '../../base-command.js'
import {ExitCode, exitCodesHelp} from '../../errors.js'
import {formatFlag, jobsFlag, parseSize, recordLimitFlags, recordLimits} from '../../flags.js'
import {checkWritePaths} from '../../io/write-paths.js'

export default class ArchiveCreate extends BaseCommand {
  static override description = `Writes a BagIt 1.0 bag (RFC 8493): data/conversations/part-NNNNNN.jsonl (neutral conversations, stable JSON, shards of at most --shard-size), data/originals/<input file> (the export byte for byte, as evidence), data/index.jsonl (conversation id → shard, line, SHA-256 of the record), data/id-map.jsonl (each input record → where it went), data/rejected.jsonl (records that failed, with line and reason), sha256 and sha512 manifests and tag manifests, and bag-info.txt (Bagging-Date, Payload-Oxum, source, mapping hash, counts, redaction).
The same input and options give a byte-identical bag. The bag is assembled beside --output and renamed into place: an interrupted run leaves nothing. Bagging-Date is --date, else SOURCE_DATE_EPOCH, else today (UTC).
--redact replaces personal data in the neutral records with [EMAIL], [PHONE], [CARD] (Luhn-checked), [IP], [REDACTED] (regex:<pattern>); the originals then stay out of the bag unless --originals is given. See docs/archive.md.

${exitCodesHelp([
  [ExitCode.Ok, 'bag written, every record archived'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'also an output that exists (use --force)'],
  ExitCode.InvalidInput,
  [ExitCode.Rejected, 'kept in data/rejected.jsonl'],
  ExitCode.Interrupted,
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --input examples/liveperson/conversations-page.json --output archive/liveperson-2026',
      description: 'Archive a LivePerson export as a bag.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from ada --input ada.jsonl.gz --output bag --redact email,phone,card,ip --date 2026-01-31',
      description: 'Redact personal data (the originals are left out) with a fixed Bagging-Date.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from koreai --input delta.jsonl --output bag-v2 --previous bag-v1',
      description: 'A second bag that records the first as its predecessor.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --input export.json --output bag --sign private.pem',
      description: 'Sign the bag (convoshift-signature.txt); archive verify --key public.pem checks it.',
    },
    {
      command: `<%= config.bin %> <%= command.id %> --from iadvize --input export.jsonl --output bag --redact 'email,regex:ACME-\\d{6}'`,
      description: 'Also replace a custom pattern (recorded in bag-info.txt by its SHA-256 prefix, not its text).',
    },
  ]
  static override flags = {
    date: Flags.string({
      description: 'Bagging-Date as YYYY-MM-DD. Default: SOURCE_DATE_EPOCH if set, else today (UTC).',
    }),
    force: Flags.boolean({
      description:
        'Replace an existing bag (or empty directory) at --output, once the new bag is complete. Anything else is refused.',
    }),
    from: formatFlag('Record shape of the input.'),
    input: Flags.string({
      char: 'i',
      description: 'The vendor export: one file (JSONL, JSON array or API page; gzip is detected).',
      required: true,
    }),
    jobs: jobsFlag,
    originals: Flags.boolean({
      allowNo: true,
      description:
        'Copy the input into data/originals/ byte for byte. Default: yes, but no with --redact (the originals hold what redaction removes).',
    }),
    output: Flags.string({
      char: 'o',
      description: 'The bag directory to create; it must not exist (or use --force).',
      required: true,
    }),
    previous: Flags.string({
      description: 'A previous bag of the same source: recorded as Convoshift-Previous-Bag, version incremented.',
    }),
    redact: Flags.string({
      description:
        'Redact: email, phone, card, ip, regex:<pattern> (comma-separated; a regex takes the rest of its value). Repeatable.',
      multiple: true,
    }),
    'shard-size': Flags.string({
      default: '64MiB',
      description: 'Largest conversation shard (e.g. 64MiB, 500MB, bytes).',
    }),
    ...recordLimitFlags,
    sign: Flags.string({
      description:
        'Sign the bag with an Ed25519 private key (PKCS#8 PEM file; openssl genpkey -algorithm ed25519). See docs/archive.md.',
    }),
  }
  static override summary = 'Archive a vendor export as a tamper-evident BagIt bag of neutral conversations.'

  public async run(): Promise<ArchiveCreateResult> {
    const {flags} = await this.parse(ArchiveCreate)
    await checkWritePaths({
      reads: [
        {flag: '--input', path: flags.input},
        {directory: true, flag: '--previous', path: flags.previous},
      ],
      writes: [{directory: true, flag: '--output', path: flags.output}],
    })
    const result = await createArchiveWithProgress(
      {
        from: flags.from,
        input: flags.input,
        ...(flags.jobs === undefined ? {} : {jobs: flags.jobs}),
        limits: recordLimits(flags),
        output: flags.output,
        shardBytes: parseSize(flags['shard-size'], '--shard-size'),
        ...(flags.date === undefined ? {} : {date: flags.date}),
        ...(flags.originals === undefined ? {} : {keepOriginals: flags.originals}),
        ...(flags.previous === undefined ? {} : {previous: flags.previous}),
        ...(flags.redact === undefined ? {} : {redact: flags.redact}),
        replace: flags.force,
        ...(flags.sign === undefined ? {} : {sign: flags.sign}),
      },
      this.progressSilent(),
    )
    this.log(renderCreateSummary(result))
    if (result.records.rejected > 0) process.exitCode = ExitCode.Rejected
    return result
  }
}
