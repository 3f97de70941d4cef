import {z} from 'zod'

/** The `--json` contract of `convoshift export`; published as schemas/export-result.schema.json. */
export const ExportResult = z
  .strictObject({
    format: z.string().describe('The record shape exported; `convert --from <format>` reads the output.'),
    vendor: z.string(),
    baseUrl: z.string().describe('Scheme, host and path prefix the API was called at.'),
    since: z.string().describe('Start of the range (inclusive), ISO 8601 UTC.'),
    until: z.string().describe('End of the range (exclusive), ISO 8601 UTC.'),
    output: z.string(),
    resumed: z.boolean().describe('This run continued an interrupted one (--resume with a checkpoint).'),
    windows: z
      .number()
      .int()
      .describe('Time windows the range was split into (the API maximum, aligned to its rounding).'),
    pages: z.number().int().describe('Pages fetched and written (across resumed runs).'),
    requests: z.number().int().describe('HTTP exchanges that got a response, retries and message fetches included.'),
    retries: z.number().int().describe('Requests retried after a 429, 5xx, timeout, reset or truncated body.'),
    records: z
      .strictObject({
        received: z.number().int().describe('Records the API returned.'),
        written: z.number().int().describe('Records written to the output (one JSON line each).'),
        duplicates: z.number().int().describe('Records already written (returned again by a later page or window).'),
        outsideRange: z
          .number()
          .int()
          .describe('Records whose time is outside their window or the range (APIs that round the bounds).'),
      })
      .describe('received = written + duplicates + outsideRange.'),
    vendorCounts: z
      .record(z.string(), z.number().int())
      .describe('Counters of the vendor adapter, e.g. partialRefetched (LivePerson isPartial records fetched whole).'),
  })
  .describe('Result of `convoshift export --json`.')

export type ExportResult = z.infer<typeof ExportResult>
