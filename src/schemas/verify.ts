import {z} from 'zod'

/** The verify report: what `verify --report x.json` writes and `--json` prints. Published as schemas/verify-report.schema.json. */

const DiffClass = z.enum(['unexpected', 'transformed', 'expected'])

const SideSummary = z.strictObject({
  file: z.string().nullable().describe("The file read; null for a dry run's in-memory target."),
  format: z.string(),
  read: z.number().int().describe('Records read.'),
  normalised: z.number().int().describe('Records read back to neutral (read = normalised + rejected).'),
  rejected: z.number().int(),
  rejectedSample: z
    .array(z.strictObject({line: z.number().int(), reason: z.string()}))
    .describe('The first rejected records (by line), at most --max-listed.'),
})

const ClassCounts = z.strictObject({
  expected: z.number().int(),
  transformed: z.number().int(),
  unexpected: z.number().int(),
})

export const FieldDiffSchema = z.strictObject({
  path: z.string().describe('Concrete path: array elements by id where they have one, e.g. messages[id=m-3].text.'),
  field: z.string().describe('Neutral field pattern, e.g. messages[].text.'),
  kind: z.enum(['added', 'changed', 'lost', 'reordered']),
  class: DiffClass,
  reason: z.string(),
  before: z
    .unknown()
    .optional()
    .describe('The source value (abbreviated to a string when its JSON is long; see truncated).'),
  after: z.unknown().optional().describe('The target value (abbreviated likewise).'),
  truncated: z.boolean().optional(),
  textDiff: z.string().optional().describe('Word diff of long strings: [-removed-]{+added+}.'),
})

export const VerifyReport = z
  .strictObject({
    reportVersion: z.literal(1),
    source: SideSummary,
    target: SideSummary,
    dryRun: z.boolean(),
    verdict: z.strictObject({
      ok: z.boolean(),
      exitCode: z.number().int(),
      failOn: DiffClass.describe('The least severe class of difference that fails verification.'),
      reasons: z.array(z.string()).describe('Why verification failed; empty when ok.'),
    }),
    conversations: z.strictObject({
      source: z.number().int(),
      target: z.number().int(),
      paired: z.number().int(),
      identical: z.number().int().describe('Paired conversations with no difference at all.'),
      withDifferences: ClassCounts.describe('Paired conversations with at least one difference of each class.'),
      missingInTarget: z.strictObject({count: z.number().int(), ids: z.array(z.string())}),
      missingInSource: z.strictObject({count: z.number().int(), ids: z.array(z.string())}),
      duplicated: z.strictObject({
        count: z.number().int(),
        ids: z.array(z.strictObject({id: z.string(), source: z.number().int(), target: z.number().int()})),
      }),
    }),
    entities: z
      .array(
        z.strictObject({
          entity: z.string(),
          source: z.number().int(),
          target: z.number().int(),
          status: z.enum(['match', 'expected', 'transformed', 'unexpected']),
          reason: z.string().optional(),
        }),
      )
      .describe('Totals per entity over all records of each side.'),
    differences: ClassCounts.describe('Field differences over all paired conversations, by class.'),
    fidelity: z
      .array(
        z.strictObject({
          field: z.string(),
          present: z.number().int().describe('Paired conversations whose source has this field.'),
          survived: z.number().int().describe('Of those, how many have it unchanged in the target.'),
          share: z.number().describe('survived / present, 0..1.'),
          lost: ClassCounts.describe('Conversations where it did not survive, by the worst class of its differences.'),
        }),
      )
      .describe('The fidelity matrix: for each neutral field, in what share of conversations it survived.'),
    worstFields: z.array(z.string()).describe('The fields with the lowest survival share (unexpected losses first).'),
    samples: z
      .array(
        z.strictObject({
          id: z.string(),
          sourceLine: z.number().int(),
          targetLine: z.number().int(),
          classes: ClassCounts,
          diffs: z.array(FieldDiffSchema),
          omitted: z.number().int().describe('Differences of this conversation not listed (see --diffs for all).'),
        }),
      )
      .describe('Per-conversation differences: conversations with unexpected differences first, at most --max-listed.'),
    spilled: z
      .number()
      .int()
      .describe('Records paired through disk partitions because the files are in different orders.'),
  })
  .describe(
    'The result of comparing a source file with a target file, conversation by conversation, through the neutral model.',
  )

export type VerifyReport = z.infer<typeof VerifyReport>
export type ReportFieldDiff = z.infer<typeof FieldDiffSchema>

/** What `verify --json` prints: the report without its per-field and per-conversation detail, and where it was written. */
export const VerifySummary = VerifyReport.pick({
  conversations: true,
  differences: true,
  dryRun: true,
  entities: true,
  source: true,
  target: true,
  verdict: true,
  worstFields: true,
})
  .extend({reports: z.array(z.string()).describe('The report files written.')})
  .describe('The summary `verify --json` prints.')
export type VerifySummary = z.infer<typeof VerifySummary>

export function verifySummary(report: VerifyReport, reports: string[]): VerifySummary {
  const {conversations, differences, dryRun, entities, source, target, verdict, worstFields} = report
  return {conversations, differences, dryRun, entities, reports, source, target, verdict, worstFields}
}
