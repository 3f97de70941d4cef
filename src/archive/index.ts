/**
 * The archive services: a neutral, tamper-evident archive as a BagIt 1.0 bag (RFC 8493). docs/archive.md describes
 * the bag layout, the checks and redaction. Other services (migrate) call these; their signatures are stable.
 *
 * Delta runs: a new bag never overwrites an old one. Keep bag-v1/, bag-v2/… side by side and pass the previous bag as
 * `previous`: the new bag records the previous one's External-Identifier (Convoshift-Previous-Bag), shares its
 * Bag-Group-Identifier and increments Convoshift-Bag-Version, so the chain can be followed and each bag verified alone.
 */
export {type ArchiveCreateOptions, type ArchiveCreateResult, type ArchiveProgress, createArchive} from './create.js'
export {type ArchiveExportOptions, type ArchiveExportResult, exportArchive} from './export.js'
export {DEFAULT_SHARD_BYTES, type IndexEntry} from './layout.js'
export {parseRedactRules, REDACTION_KINDS, Redactor} from './redact.js'
export {
  type ArchiveVerifyOptions,
  type ArchiveVerifyProgress,
  type ArchiveVerifyResult,
  verifyArchive,
} from './verify.js'
