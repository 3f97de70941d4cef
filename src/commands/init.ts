import * as Flags from '@oclif/core/flags'
import {join} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {ExitCode, exitCodesHelp} from '../errors.js'
import {checkWritePaths} from '../io/write-paths.js'
import {initProject} from '../migrate/init.js'
import {parseProject, PROJECT_FILE_NAME} from '../migrate/project.js'
import {type ProjectFile} from '../schemas/project.js'

export default class Init extends BaseCommand {
  static override description = `Writes convoshift.json, the project file \`migrate\` reads, into a workspace directory: source vendor and account, the NAMES of the environment variables holding credentials (never the secrets), target format, mapping override, time range, archive and redaction options. Every field has a comment beside it (a "//field" key: JSON has no comments; readers ignore keys starting with //). Schema: schemas/project.schema.json.

${exitCodesHelp([
  [ExitCode.Ok, 'written'],
  ExitCode.Internal,
  [ExitCode.Usage, 'also an unknown shape'],
  [ExitCode.Io, 'also convoshift.json exists (use --force)'],
])}`
  static override examples = [
    {
      command:
        '<%= config.bin %> <%= command.id %> --from liveperson --to ada --workspace migration --account 12345678 --credential token=LP_TOKEN',
      description: 'A project exporting from the LivePerson API with the bearer token in $LP_TOKEN.',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --from ada --to neutral --workspace migration --input ada-export.jsonl',
      description: 'A project migrating an export file.',
    },
  ]
  static override flags = {
    account: Flags.string({description: 'Vendor account, brand, bot or project id.'}),
    'base-url': Flags.string({description: "The vendor API's base URL, when not the default."}),
    credential: Flags.string({
      description:
        'name=ENV_VAR: the environment variable holding a credential (repeatable). Default: token=CONVOSHIFT_TOKEN.',
      multiple: true,
    }),
    force: Flags.boolean({description: 'Overwrite an existing convoshift.json.'}),
    from: Flags.string({description: 'Record shape of the source.', required: true}),
    input: Flags.string({char: 'i', description: 'An export file to migrate instead of calling the API.'}),
    mapping: Flags.string({description: 'A mapping file extending the built-in mapping of --from or --to.'}),
    redact: Flags.string({
      description: 'Redaction kinds for the archive: email, phone, card, ip, regex:<pattern>.',
      multiple: true,
    }),
    since: Flags.string({description: 'Start of the export time range (ISO 8601).'}),
    to: Flags.string({description: 'Record shape to write.', required: true}),
    until: Flags.string({description: 'End of the export time range (ISO 8601).'}),
    workspace: Flags.string({char: 'w', description: 'The workspace directory (created if missing).', required: true}),
  }
  static override summary = 'Write a commented migration project file (convoshift.json).'

  public async run(): Promise<{path: string; project: ProjectFile}> {
    const {flags} = await this.parse(Init)
    await checkWritePaths({
      reads: [
        {flag: '--input', path: flags.input},
        {flag: '--mapping', path: flags.mapping},
      ],
      writes: [{flag: 'the project file', path: join(flags.workspace, PROJECT_FILE_NAME)}],
    })
    const credentials = flags.credential
      ? Object.fromEntries(
          flags.credential.map((pair) => {
            const at = pair.indexOf('=')
            if (at < 1) this.error(`--credential: expected name=ENV_VAR, got "${pair.slice(0, 40)}"`, {exit: 2})
            return [pair.slice(0, at), pair.slice(at + 1)]
          }),
        )
      : undefined
    const {path, text} = await initProject({
      account: flags.account,
      baseUrl: flags['base-url'],
      credentials,
      force: flags.force,
      from: flags.from,
      input: flags.input,
      mapping: flags.mapping,
      redact: flags.redact,
      since: flags.since,
      to: flags.to,
      until: flags.until,
      workspace: flags.workspace,
    })
    this.log(`wrote ${path}`)
    this.log(`next: convoshift migrate --workspace ${flags.workspace}`)
    return {path, project: parseProject(text, path)}
  }
}
