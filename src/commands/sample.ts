import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../base-command.js'
import {ExitCode, exitCodesHelp} from '../errors.js'
import {shapeArg} from '../flags.js'
import {sampleFormats, type SampleResult, writeSample} from '../sample/write.js'
import {formatSize} from '../util/size.js'

export default class Sample extends BaseCommand {
  static override args = {
    shape: shapeArg(`Record shape to generate: ${sampleFormats().join(', ')}.`),
  }
  static override description = `Deterministic synthetic conversations, realistic in size and variety (multi-dialog, transfers, bots, surveys, attachments, unicode, empty and huge messages) and in each vendor's quirks. The same format, --seed and options give byte-identical output. Written atomically, streaming.

${exitCodesHelp([[ExitCode.Ok, 'written'], ExitCode.Internal, [ExitCode.Usage, 'also an unknown record shape'], ExitCode.Io, ExitCode.Interrupted])}`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> ada --count 1000 --seed 7 --output ada.jsonl',
      description: 'A thousand Ada conversations (with their messages attached) as JSON Lines.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> liveperson --count 50 --page --output page.json',
      description: 'One LivePerson Messaging Interactions API page.',
    },
  ]
  static override flags = {
    count: Flags.integer({default: 100, description: 'Number of conversations.', min: 0}),
    messages: Flags.integer({
      description: 'Bias to about this many messages per conversation (default about 20).',
      min: 0,
    }),
    output: Flags.string({char: 'o', description: 'Output file, or - for stdout.', required: true}),
    page: Flags.boolean({description: "Wrap the records in the vendor's API page envelope (one JSON document)."}),
    seed: Flags.string({default: '1', description: 'Seed: the same seed gives the same conversations.'}),
  }
  static override summary = 'Generate deterministic synthetic conversations for any record shape.'

  public async run(): Promise<SampleResult> {
    const {args, flags} = await this.parse(Sample)
    this.productOnStdout = flags.output === '-'
    const result = await writeSample({
      count: flags.count,
      format: args.shape,
      output: flags.output,
      page: flags.page,
      seed: flags.seed,
      ...(flags.messages === undefined ? {} : {messages: flags.messages}),
    })
    const summary = `${result.records} ${result.format} conversations (${formatSize(result.bytes)}, seed ${result.seed}) → ${result.output}`
    this.logSummary(summary)

    return result
  }
}
