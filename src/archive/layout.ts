/** Where things live inside a convoshift bag, and the bag-info labels convoshift adds. Shared by writer and readers. */
export const DATA = 'data'
export const SHARD_DIR = 'data/conversations'
export const INDEX_FILE = 'data/index.jsonl'
export const ID_MAP_FILE = 'data/id-map.jsonl'
export const REJECTED_FILE = 'data/rejected.jsonl'
export const ORIGINALS_DIR = 'data/originals'
export const TAG_FILES = ['bagit.txt', 'bag-info.txt'] as const

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

/** One line of data/index.jsonl: where a conversation is and the SHA-256 of its stable-stringified record. */
export interface IndexEntry {
  id: string
  line: number
  sha256: string
  shard: string
}
