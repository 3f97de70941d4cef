/** Where things live inside a convoshift bag, and the bag-info labels convoshift adds. Shared by writer and readers. */
import {z} from 'zod'

import {type RecordLimits} from '../io/limits.js'

export const DATA = 'data'
export const SHARD_DIR = 'data/conversations'
export const INDEX_FILE = 'data/index.jsonl'
export const ID_MAP_FILE = 'data/id-map.jsonl'
export const REJECTED_FILE = 'data/rejected.jsonl'
export const ORIGINALS_DIR = 'data/originals'
/**
 * The Ed25519 signature of tagmanifest-sha512.txt without this file's own line (docs/archive.md, "Signed bags"). A tag
 * file like any other, listed in both tag manifests; the signed text leaves its line out, so nothing is circular.
 */
export const SIGNATURE_FILE = 'convoshift-signature.txt'
export const SIGNED_FILE = 'tagmanifest-sha512.txt'
/** Every tag file a convoshift bag may hold. */
export const OUR_TAG_FILES = [
  'bag-info.txt',
  'bagit.txt',
  'manifest-sha256.txt',
  'manifest-sha512.txt',
  SIGNATURE_FILE,
  'tagmanifest-sha256.txt',
  'tagmanifest-sha512.txt',
] as const

/** Version of the payload layout above, recorded as Convoshift-Archive-Layout. */
export const LAYOUT_VERSION = '1'
export const DEFAULT_SHARD_BYTES = 64 * 1024 * 1024

export const LABELS = {
  archiveLayout: 'Convoshift-Archive-Layout',
  bagVersion: 'Convoshift-Bag-Version',
  conversations: 'Convoshift-Conversations',
  mapping: 'Convoshift-Mapping-SHA256',
  messages: 'Convoshift-Messages',
  neutralSchema: 'Convoshift-Neutral-Schema-Version',
  originals: 'Convoshift-Originals',
  previous: 'Convoshift-Previous-Bag',
  recordLimits: 'Convoshift-Record-Limits',
  recordShape: 'Convoshift-Record-Shape',
  recordsArchived: 'Convoshift-Records-Archived',
  recordsRead: 'Convoshift-Records-Read',
  recordsRejected: 'Convoshift-Records-Rejected',
  redaction: 'Convoshift-Redaction',
  shardSize: 'Convoshift-Shard-Size',
  shards: 'Convoshift-Shards',
  sourceFile: 'Convoshift-Source-File',
  sourceSha256: 'Convoshift-Source-SHA256',
  sourceVendor: 'Convoshift-Source-Vendor',
} as const

export function shardPath(ordinal: number): string {
  return `${SHARD_DIR}/part-${String(ordinal).padStart(6, '0')}.jsonl`
}

/** A shard's path as the writer names it; anything else in an index entry points somewhere it must not. */
export const SHARD_PATH = /^data\/conversations\/part-\d{6}\.jsonl$/
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')
const Line = z.number().int().min(1)

/** One line of data/index.jsonl: where a conversation is and the SHA-256 of its stable-stringified record. */
export const IndexEntry = z.strictObject({
  id: z.string().min(1),
  line: Line,
  sha256: Sha256,
  shard: z.string().regex(SHARD_PATH, 'expected data/conversations/part-NNNNNN.jsonl'),
})
export type IndexEntry = z.infer<typeof IndexEntry>

const InputPosition = {inputIndex: z.number().int().min(0), inputLine: Line}

/**
 * One line of data/id-map.jsonl per input record, in input order: an archived record points at its index entry (id,
 * shard, line), a rejected one at its line of data/rejected.jsonl and that line's SHA-256, so neither file can be edited
 * alone.
 */
export const IdMapEntry = z.discriminatedUnion('outcome', [
  z.strictObject({
    ...InputPosition,
    id: z.string().min(1),
    line: Line,
    outcome: z.literal('archived'),
    shard: z.string(),
  }),
  z.strictObject({
    ...InputPosition,
    line: Line,
    outcome: z.literal('rejected'),
    rejectedFile: z.literal(REJECTED_FILE),
    sha256: Sha256,
    sourceId: z.string().optional(),
  }),
])
export type IdMapEntry = z.infer<typeof IdMapEntry>

/** One line of data/rejected.jsonl: what `convert` writes to its rejected file. */
export const RejectedLine = z.strictObject({
  id: z.union([z.string(), z.number()]).optional(),
  index: z.number().int().min(0),
  line: Line,
  reason: z.string().min(1),
  record: z.unknown(),
})

/** `--max-depth 1000 --max-record-bytes 67108864`: the limits the export was read with, so verify reads it the same way. */
export function formatRecordLimits(limits: RecordLimits): string {
  return `--max-depth ${limits.maxDepth} --max-record-bytes ${limits.maxRecordBytes}`
}

export function parseRecordLimits(text: string): RecordLimits | undefined {
  const match = /^--max-depth (\d+) --max-record-bytes (\d+)$/.exec(text)
  return match ? {maxDepth: Number(match[1]), maxRecordBytes: Number(match[2])} : undefined
}
