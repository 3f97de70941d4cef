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
    warnings: z
      .array(z.string())
      .optional()
      .describe(
        'Things worth a look that did not stop the run, one line each, e.g. rules of a --mapping file that matched no record (counted without --jobs only).',
      ),
    verify: VerifySummary.optional().describe(
      'With --report: the verification of the conversion (a dry run verifies it in memory).',
    ),
  })
  .describe('Result of `convoshift convert --json`.')

export const MappingCheckRule = z.strictObject({
  rule: z
    .string()
    .describe(
      'The rule in its own file\'s numbering: `rule 2`, `collection "messageRecords" rule 1`; a base file\'s as `base liveperson rule 31`.',
    ),
  location: z.string().describe('file:line:column of the rule.'),
  does: z.string().describe('What the rule maps: `vendor path → neutral path`, `→ tag prefix`, `const`.'),
  matched: z
    .number()
    .int()
    .nullable()
    .describe(
      'With --sample: records (or collection elements) the rule wrote a neutral value for; null without a sample, or for a rule that only writes neutral → vendor.',
    ),
  of: z.number().int().nullable().describe('With --sample: records (or elements of its collection) the sample has.'),
  per: z.enum(['record', 'element']).describe("Whether `matched` counts records or elements of the rule's collection."),
  hint: z
    .string()
    .nullable()
    .describe('For a rule that never matched: the nearest vendor paths the sample has (a likely typo).'),
})

export const MappingCheckResult = z
  .strictObject({
    mapping: z.string().describe('The mapping file (or built-in shape) checked.'),
    format: z.string().describe('The record shape it reads and writes.'),
    chain: z.array(z.string()).describe('The files of its `extends` chain, itself first.'),
    valid: z.literal(true).describe('Loaded, resolved and compiled (an invalid mapping is an error, exit 5).'),
    rules: z
      .array(MappingCheckRule)
      .describe("The file's own rules first, then its bases'; within each, the rules that never matched first."),
    sample: z
      .strictObject({
        input: z.string(),
        records: z.number().int().describe('Records read from the sample.'),
        rejected: z.number().int().describe('Records the mapping rejected (not counted below).'),
        leaves: z.number().int().describe('Leaf values (scalars, empty objects and arrays) of the converted records.'),
        mapped: z.number().describe('Share of the leaf values a rule reads, in percent.'),
        unmapped: z.number().describe('Share kept in extensions.<format>.unmapped (no rule reads them), in percent.'),
        original: z
          .number()
          .describe(
            'Share kept in extensions.<format>.original (read, but not reproduced by the rebuild), in percent.',
          ),
        topUnmapped: z
          .array(z.strictObject({count: z.number().int(), path: z.string()}))
          .describe('The 10 vendor paths with the most unmapped values, array indices folded to [].'),
      })
      .nullable()
      .describe('With --sample: what the mapping does with it.'),
  })
  .describe('Result of `convoshift mapping check --json`.')
