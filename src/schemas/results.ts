import {z} from 'zod'

import {VerifySummary} from './verify.js'

/** The `--json` contract of each command; published under schemas/ and drift-tested. */
export const ConvertCounts = z.strictObject({
  converted: z.number().int().describe('Records written to the output.'),
  read: z.number().int().describe('Records read from the input.'),
  rejected: z
    .number()
    .int()
    .describe(
      'Records written to the rejected file; read = converted + rejected. A JSON Lines line that cannot be read counts as one record.',
    ),
})

export const ConvertResult = z
  .strictObject({
    compressed: z.boolean().describe('The input was gzip-compressed.'),
    declined: z
      .record(z.string(), z.number().int())
      .describe('Source values no neutral field could represent (kept verbatim in extensions), by vendor path.'),
    dryRun: z.boolean(),
    from: z.string(),
    ids: z
      .strictObject({
        duplicated: z
          .strictObject({
            count: z.number().int().describe('Conversation ids that more than one converted record carries.'),
            ids: z
              .array(z.strictObject({copies: z.number().int(), id: z.string()}))
              .describe('The first of them in id order (at most 10), with how many records carry each.'),
          })
          .describe('Ids converted more than once: verify pairs conversations by id, a target vendor keys them by it.'),
        empty: z.number().int().describe('Converted records without a conversation id, or with an empty one.'),
      })
      .describe("The conversation ids of the converted records (the input shape's `identity`): counted, not rejected."),
    input: z.string(),
    layout: z.enum(['jsonl', 'json-document']).describe('How the input was laid out.'),
    carried: z
      .record(z.string(), z.number().int())
      .describe(
        'Neutral values the target record shape has no native field for, kept in its free-form field, by neutral path.',
      ),
    carriedIn: z
      .string()
      .nullable()
      .describe("The target shape's free-form field (its mapping's `carry`), if it has one."),
    carryConflicts: z
      .record(z.string(), z.number().int())
      .describe(
        "Carried values not restored because the input's own field no longer holds the value they were written beside (the record was edited since): the record's value is kept, by neutral path.",
      ),
    noHome: z
      .record(z.string(), z.number().int())
      .describe(
        'Neutral values the target record shape has no field for at all (lost in the target), by neutral path.',
      ),
    output: z.string().nullable(),
    records: ConvertCounts,
    rejectedFile: z.string().nullable().describe('Path of the rejected-records file, when any record was rejected.'),
    to: z.string(),
    verify: VerifySummary.optional().describe(
      'With --report: the verification of the conversion (a dry run verifies it in memory).',
    ),
  })
  .describe('Result of `convoshift convert --json`.')
