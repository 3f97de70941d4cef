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

const Lens = z
  .enum(['native', 'recoverable'])
  .describe(
    "How the target was read: native, as the target vendor shows it (convoshift's carry field ignored); recoverable, with what convoshift carried in the vendor's free-form field applied.",
  )

export const FieldDiffSchema = z.strictObject({
  path: z.string().describe('Concrete path: array elements by id where they have one, e.g. messages[id=m-3].text.'),
  field: z.string().describe('Neutral field pattern, e.g. messages[].text.'),
  fidelity: Lens.describe('The reading of the target that shows this difference.'),
  carried: z
    .boolean()
    .optional()
    .describe(
      'Native differences only: true when the carry field holds the source value (recoverable, but not visible in the target).',
    ),
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

const Survival = z.strictObject({
  survived: z.number().int().describe('Conversations that have the field unchanged in the target, read this way.'),
  share: z.number().describe('survived / present, 0..1.'),
  lost: ClassCounts.describe('Conversations where it did not survive, by the worst class of its differences.'),
})

const DeclaredLoss = z.strictObject({
  field: z.string(),
  class: DiffClass,
  conversations: z.number().int().describe('Paired conversations that lose the field natively.'),
  share: z.number().describe('conversations / paired, 0..1.'),
  carried: z.number().int().describe('Of those, how many the carry field recovers (not visible in the target).'),
})

export const VerifyReport = z
  .strictObject({
    reportVersion: z.literal(2),
    source: SideSummary,
    target: SideSummary,
    dryRun: z.boolean(),
    verdict: z.strictObject({
      status: z
        .enum(['PASS', 'PASS WITH DECLARED LOSSES', 'FAIL'])
        .describe(
          'About what the target shows natively: FAIL (missing, extra or duplicated conversations or entities, unreadable records, or differences at or above failOn); PASS WITH DECLARED LOSSES (only losses the target mapping declares); PASS (natively identical).',
        ),
      ok: z.boolean().describe('Not FAIL.'),
      exitCode: z.number().int(),
      failOn: DiffClass.describe('The least severe class of difference that fails verification.'),
      reasons: z.array(z.string()).describe('Why verification failed; empty when ok.'),
      losses: z
        .array(DeclaredLoss)
        .describe(
          'The fields lost natively, most conversations first (at most 10): what PASS WITH DECLARED LOSSES names.',
        ),
    }),
    conversations: z.strictObject({
      source: z.number().int(),
      target: z.number().int(),
      paired: z.number().int(),
      identical: z.number().int().describe('Paired conversations the target shows natively with no difference at all.'),
      recoverable: z
        .number()
        .int()
        .describe('Paired conversations with no difference once the carry field is applied.'),
      withDifferences: ClassCounts.describe('Paired conversations with at least one native difference of each class.'),
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
          source: z.number().int().describe('Total over all source records.'),
          target: z.number().int().describe('Total over all target records, as the target shows them.'),
          missing: z.number().int().describe('In paired conversations: in the source, not in the target.'),
          extra: z.number().int().describe('In paired conversations: in the target, not in the source.'),
          duplicated: z.number().int().describe('In paired conversations: more copies in the target than the source.'),
          status: z.enum(['match', 'missing', 'extra', 'duplicated', 'differs']),
          class: DiffClass.optional(),
          reason: z.string().optional(),
        }),
      )
      .describe('Per entity: totals on each side, and what is missing, extra or duplicated in paired conversations.'),
    differences: z.strictObject({
      native: ClassCounts.describe('Field differences the target shows natively, by class.'),
      carried: z.number().int().describe('Of the native differences, those the carry field recovers.'),
      recoverable: ClassCounts.describe('Field differences that remain with the carry field applied, by class.'),
      conflicts: z
        .number()
        .int()
        .describe("Carried values not applied because the target's own value changed since it was written."),
      ignored: z.number().int().describe('Differences in fields given to --ignore, not counted above.'),
    }),
    ignored: z
      .array(z.strictObject({field: z.string(), differences: z.number().int()}))
      .describe('Fields given to --ignore that had differences, and how many.'),
    fidelity: z
      .array(
        z.strictObject({
          field: z.string(),
          present: z.number().int().describe('Paired conversations whose source has this field.'),
          native: Survival,
          recoverable: Survival,
        }),
      )
      .describe(
        'The fidelity matrix: for each neutral field, in what share of conversations it survived natively and recoverably.',
      ),
    worstFields: z
      .array(z.string())
      .describe('The fields with the lowest native survival share (unexpected losses first), at most 10.'),
    byField: z
      .array(
        z.strictObject({
          field: z.string(),
          class: DiffClass.describe('The worst class of its native differences.'),
          conversations: z.number().int().describe('Paired conversations with a native difference in this field.'),
          carried: z.number().int().describe('Of those, how many the carry field recovers.'),
          samples: z
            .array(
              z.strictObject({
                id: z.string(),
                path: z.string(),
                before: z.unknown().optional().describe('The source value; absent when the source has none.'),
                after: z.unknown().optional().describe('The target value; absent when the target has none.'),
              }),
            )
            .describe('The first differences, source value beside target value.'),
        }),
      )
      .describe('For each field with native differences: how many conversations, and sample values side by side.'),
    samples: z
      .array(
        z.strictObject({
          id: z.string(),
          sourceLine: z.number().int(),
          targetLine: z.number().int(),
          classes: ClassCounts.describe('Native differences by class.'),
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
