import {z} from 'zod'

/**
 * The migration project file (`convoshift.json` in a workspace) and the `migrate --json` result.
 *
 * The project file is plain JSON. JSON has no comments, so any key starting with `//` is a comment: `init` writes
 * `"//field": "what field means"` beside every field, and readers ignore such keys at every level.
 */

/** An environment variable's NAME. A value that does not look like one is refused (it may be the secret itself). */
export const EnvVarName = z
  .string()
  .regex(
    /^[A-Z_][A-Z\d_]{0,127}$/,
    'must be the NAME of an environment variable (A-Z, 0-9, _), never the secret itself',
  )
  .describe('Name of the environment variable that holds the secret; the secret itself never goes in this file.')

const OptionalText = z.string().min(1).nullable()

export const ProjectSource = z
  .strictObject({
    shape: z
      .string()
      .min(1)
      .describe(
        'Record shape of the source (as --from): liveperson, liveperson-consumer, ada, koreai, iadvize, deepconverse.',
      ),
    input: OptionalText.default(null).describe(
      'An export file to migrate instead of calling the vendor API (relative to the workspace). `migrate --input` overrides it.',
    ),
    account: OptionalText.default(null).describe(
      'Vendor account, brand, bot or project id, as the `export` command names it.',
    ),
    baseUrl: OptionalText.default(null).describe("The vendor API's base URL, when it is not the vendor's default."),
    options: z
      .record(z.string().regex(/^[a-z][\dA-Za-z]*$/), z.union([z.string(), z.array(z.string())]))
      .default({})
      .describe(
        'Other export flags of the vendor by camelCase name (e.g. botName for DeepConverse), as `export --help` lists them.',
      ),
    credentials: z
      .record(z.string().regex(/^[a-z][\dA-Za-z-]*$/), EnvVarName)
      .default({})
      .describe('Credential name (as `export` names it, e.g. token) → environment variable NAME holding it.'),
    since: OptionalText.default(null).describe('Start of the time range to export (ISO 8601), inclusive.'),
    until: OptionalText.default(null).describe('End of the time range to export (ISO 8601), exclusive.'),
  })
  .describe('Where the conversations come from.')

export const ProjectTarget = z
  .strictObject({
    shape: z
      .string()
      .min(1)
      .describe('Record shape to write (as --to): neutral, or a vendor shape (liveperson, ada, koreai…).'),
    mapping: OptionalText.default(null).describe(
      'A mapping file (relative to the workspace) that extends the built-in mapping of the source or target shape.',
    ),
  })
  .describe('What the conversations become.')

export const ProjectArchive = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Write a BagIt archive of the neutral conversations.'),
    redact: z
      .array(z.string().min(1))
      .default([])
      .describe('Redaction kinds for the archive: email, phone, card, ip, regex:<pattern>.'),
    date: OptionalText.default(null).describe(
      "The bag's Bagging-Date (YYYY-MM-DD). Null: SOURCE_DATE_EPOCH, else the day of the run (the bag's one wall-clock field).",
    ),
  })
  .describe('The tamper-evident archive step.')

export const ProjectVerify = z
  .strictObject({
    failOn: z
      .enum(['unexpected', 'transformed', 'expected'])
      .default('unexpected')
      .describe(
        'The least severe class of difference that fails verification and stops the pipeline before the archive.',
      ),
  })
  .describe('The verify step.')

export const PROJECT_FILE_VERSION = 1

export const ProjectFile = z
  .strictObject({
    $schema: z.string().optional().describe('Optional: where an editor finds this schema.'),
    version: z.literal(PROJECT_FILE_VERSION).describe('Project file format version.'),
    source: ProjectSource,
    target: ProjectTarget,
    verify: ProjectVerify.default({failOn: 'unexpected'}),
    archive: ProjectArchive.default({date: null, enabled: true, redact: []}),
  })
  .describe('A convoshift migration project (convoshift.json). Keys starting with // are comments.')

export type ProjectFile = z.infer<typeof ProjectFile>
export type ProjectFileInput = z.input<typeof ProjectFile>

// ---------------------------------------------------------------------------------------------------------------------
// `migrate --json`

export const MigrateStepResult = z.strictObject({
  name: z.enum(['export', 'source', 'convert', 'verify', 'archive']),
  status: z
    .enum(['ran', 'skipped', 'not-run'])
    .describe('skipped: inputs, options and outputs unchanged since it last ran.'),
  summary: z.string().describe('One line: what the step did, or why it was skipped or not run.'),
})

export const MigrateResult = z
  .strictObject({
    workspace: z.string(),
    from: z.string(),
    to: z.string(),
    dryRun: z.boolean(),
    sinceLast: z.boolean().describe('A delta run: only conversations new or changed since the last completed run.'),
    run: z.number().int().nullable().describe('Number of this completed run in the workspace; null for a dry run.'),
    upToDate: z.boolean().describe('Every step was skipped: the workspace already held this migration.'),
    steps: z.array(MigrateStepResult),
    records: z.strictObject({
      source: z.number().int().describe('Conversations in the workspace source after this run.'),
      added: z.number().int().describe('Conversations new in this run (all of them in a full run).'),
      changed: z.number().int().describe('Conversations already migrated whose source record changed (delta runs).'),
      converted: z.number().int().describe('Records in the converted output.'),
      rejected: z.number().int().describe('Records in the rejected file; source = converted + rejected.'),
    }),
    files: z.strictObject({
      source: z.string(),
      output: z.string().nullable().describe('The converted output; null for a dry run.'),
      rejected: z.string().nullable(),
      idMap: z
        .string()
        .nullable()
        .describe('JSON Lines: {"source": <source id>, "target": <target id>} per converted record.'),
      report: z.string().nullable().describe('The verify report, when the verify step is available.'),
      bag: z
        .string()
        .nullable()
        .describe('The BagIt archive of this run, when the archive step is available and enabled.'),
      runLog: z.string(),
    }),
  })
  .describe('Result of `convoshift migrate --json`.')

export type MigrateResult = z.infer<typeof MigrateResult>
export type MigrateStepResult = z.infer<typeof MigrateStepResult>

/**
 * The project file's JSON Schema: the zod model as written by people (defaults optional), where every object also
 * accepts `//`-prefixed comment keys.
 */
export function projectJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProjectFile, {io: 'input', target: 'draft-2020-12'}) as Record<string, unknown>
  const allowComments = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) allowComments(item)
      return
    }

    if (node === null || typeof node !== 'object') return
    const object = node as Record<string, unknown>
    if (object.type === 'object' && object.properties) object.patternProperties = {'^//': {type: 'string'}}
    for (const value of Object.values(object)) allowComments(value)
  }

  allowComments(schema)
  return schema
}
