import {z} from 'zod'

/** The `--json` contracts of `archive create`, `archive verify` and `archive export`; published under schemas/. */

const RedactionCounts = z
  .strictObject({
    card: z.number().int(),
    email: z.number().int(),
    ip: z.number().int(),
    phone: z.number().int(),
    regex: z.number().int(),
  })
  .describe('Placeholders written, by kind.')

export const ArchiveCreateResult = z
  .strictObject({
    bagCount: z.string().nullable().describe('Reserved for split bags ("N of T"); convoshift writes one bag, so null.'),
    baggingDate: z.string().describe('Bagging-Date (YYYY-MM-DD): --date, else SOURCE_DATE_EPOCH, else today (UTC).'),
    conversations: z.number().int().describe('Conversations archived (one per index line).'),
    from: z.string().describe('The record shape of the input.'),
    identifier: z
      .string()
      .describe("External-Identifier: urn:sha256 of the bag's manifest-sha256.txt, so it names the content."),
    input: z.string(),
    messages: z.number().int().describe('Messages in the archived conversations.'),
    originals: z
      .enum(['included', 'omitted'])
      .describe(
        'Whether the input file is in data/originals/ byte for byte (omitted by --no-originals, and by default with --redact).',
      ),
    output: z.string().describe('The bag directory.'),
    payload: z.strictObject({bytes: z.number().int(), files: z.number().int()}).describe('Payload-Oxum as numbers.'),
    previous: z
      .string()
      .nullable()
      .describe(
        'External-Identifier of the bag this one follows (createArchive `previous`), recorded as Convoshift-Previous-Bag.',
      ),
    records: z
      .strictObject({
        archived: z.number().int(),
        read: z.number().int(),
        rejected: z
          .number()
          .int()
          .describe('Kept in data/rejected.jsonl with line and reason; read = archived + rejected.'),
      })
      .describe('Input records; they reconcile.'),
    redaction: z
      .strictObject({counts: RedactionCounts, rules: z.array(z.string())})
      .nullable()
      .describe('Rules applied (custom patterns by SHA-256 prefix) and placeholder counts; null without --redact.'),
    shards: z.number().int().describe('Conversation shards written under data/conversations/.'),
    signedBy: z
      .string()
      .nullable()
      .describe('With --sign: the fingerprint (sha256:<hex> of the SPKI DER) of the public key that checks it.'),
    version: z.number().int().describe("Convoshift-Bag-Version: 1, or the previous bag's version + 1."),
  })
  .describe('Result of `convoshift archive create --json`.')

export const ArchiveProblem = z.strictObject({
  file: z.string().describe('Path relative to the bag root, e.g. data/conversations/part-000001.jsonl.'),
  line: z.number().int().optional().describe('1-based line in that file, where the problem is a line.'),
  problem: z.string(),
  record: z.string().optional().describe('The conversation id (sourceId), where the problem is a record.'),
})

export const ArchiveVerifyResult = z
  .strictObject({
    checked: z
      .strictObject({
        bytes: z.number().int().describe('Payload and tag bytes hashed (sha256 and sha512, one read).'),
        files: z.number().int().describe('Files checked against the manifests.'),
        records: z.number().int().describe('Records checked against the index and the neutral schema.'),
      })
      .describe('What was checked; zero bytes and records with --fast.'),
    convoshift: z
      .boolean()
      .describe(
        "The bag holds convoshift's layout or labels, so its records, id map and bag-info claims were checked too.",
      ),
    dir: z.string(),
    fast: z.boolean().describe('Only Payload-Oxum and the file list were checked.'),
    problems: z.array(ArchiveProblem).describe('Everything found wrong, by file; capped at 1000 (see truncated).'),
    signature: z
      .strictObject({
        key: z
          .string()
          .nullable()
          .describe('The key the signature names (sha256:<hex> of its SPKI DER), or null when there is none.'),
        status: z
          .enum(['invalid', 'unchecked', 'unsigned', 'verified'])
          .describe(
            'verified: checked with --key; unchecked: signed, but no --key given (or --fast); unsigned: no convoshift-signature.txt (a problem only with --require-signature); invalid: see problems.',
          ),
      })
      .describe('convoshift-signature.txt: the Ed25519 signature of tagmanifest-sha512.txt (docs/archive.md).'),
    truncated: z.number().int().describe('Problems found beyond the ones listed.'),
    valid: z.boolean(),
  })
  .describe('Result of `convoshift archive verify --json`.')

export const ArchiveExportResult = z
  .strictObject({
    dir: z.string(),
    exported: z.number().int().describe('Conversations written to the output.'),
    filters: z.strictObject({ids: z.array(z.string()), participants: z.array(z.string())}),
    notFound: z.array(z.string()).describe('Requested --id values the archive does not hold.'),
    output: z.string(),
    rejected: z.number().int().describe('Selected conversations the target shape would not accept (see rejectedFile).'),
    rejectedFile: z.string().nullable(),
    scanned: z.number().int().describe('Archived conversations read.'),
    selected: z.number().int().describe('Conversations matching the filters; selected = exported + rejected.'),
    to: z.string(),
  })
  .describe('Result of `convoshift archive export --json`.')
