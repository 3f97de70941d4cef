import {z} from 'zod'

import {VerifySummary} from './verify.js'

/** The `--json` contract of each command; published under schemas/ and drift-tested. */
export const ConvertCounts = z.strictObject({
  converted: z.number().int().describe('Records written to the output.'),
  read: z.number().int().describe('Records read from the input.'),
  rejected: z.number().int().describe('Records written to the rejected file; read = converted + rejected.'),
})

export const ConvertResult = z
  .strictObject({
    compressed: z.boolean().describe('The input was gzip-compressed.'),
    declined: z
      .record(z.string(), z.number().int())
      .describe('Source values no neutral field could represent (kept verbatim in extensions), by vendor path.'),
    dryRun: z.boolean(),
    from: z.string(),
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
