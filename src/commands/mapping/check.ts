import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../base-command.js'
import {ExitCode, exitCodesHelp} from '../../errors.js'
import {type MappingCheckResult} from '../../mapping-check/index.js'

export default class MappingCheck extends BaseCommand {
  static override args = {
    file: Args.string({description: 'A mapping file, or a built-in record shape.', required: true}),
  }
  static override description = `Loads the mapping, resolves its "extends" chain and compiles it: an error names the file, line and column, and the rule by its number in that file. With --sample, converts the sample to neutral in memory (streaming) and reports, rule by rule in the file's own numbering (a base file's rules as "base liveperson rule 31"), how many records or collection elements each rule wrote a value for: rules that never matched come first, with the sample's nearest vendor paths (a likely typo). The coverage is the share of the sample's leaf values a rule reads, kept in extensions.<format>.unmapped (no rule reads them) or in extensions.<format>.original (read, but not reproduced), with the top 10 unmapped vendor paths.

${exitCodesHelp([
  [ExitCode.Ok, 'the mapping is valid'],
  ExitCode.Internal,
  ExitCode.Usage,
  [ExitCode.Io, 'the sample is missing or unreadable'],
  [ExitCode.InvalidInput, 'the sample is not JSON'],
  ExitCode.InvalidMapping,
])}`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> my-liveperson.json',
      description: 'Validate a mapping that extends the built-in LivePerson one.',
    },
    {
      command: '<%= config.bin %> <%= command.id %> my-liveperson.json --sample export.jsonl',
      description: 'See what each rule matches in an export, and what the mapping leaves unmapped.',
    },
  ]
  static override flags = {
    sample: Flags.string({
      description:
        'An input convert reads (JSON Lines, a JSON array or a vendor API page), to count what each rule matches.',
    }),
  }
  static override summary = 'Check a mapping file, and what it does with a sample input.'

  public async run(): Promise<MappingCheckResult> {
    const {args, flags} = await this.parse(MappingCheck)
    const {runMappingCheck} = await import('../../mapping-check/index.js')
    const {renderMappingCheck} = await import('../../mapping-check/render.js')
    const result = await runMappingCheck({mapping: args.file, ...(flags.sample ? {sample: flags.sample} : {})})
    this.logSummary(renderMappingCheck(result))
    return result
  }
}
