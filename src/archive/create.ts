/**
 * `archive create`: converts a vendor export to neutral conversations and writes them, with the export itself as
 * evidence, as a BagIt 1.0 bag (RFC 8493). The bag is assembled in a sibling temp directory and renamed into place,
 * so an interrupted or failed run leaves no partial bag. Same input and options give a byte-identical bag.
 */
import {createHash, type KeyObject} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {lstat, readdir, readFile, rm, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type z} from 'zod'

import {BUILT_IN_MAPPINGS} from '../engine/load-mapping.js'
import {loadSide, makeConverter, NEUTRAL} from '../engine/pipeline.js'
import {poolWorkers} from '../engine/pool/pool.js'
import {ConvoshiftError, ExitCode, isConvoshiftError} from '../errors.js'
import {AtomicDirectory, removeStaleDirectories} from '../io/atomic-directory.js'
import {type InputPosition} from '../io/byte-source.js'
import {DEFAULT_LIMITS, type RecordLimits} from '../io/limits.js'
import {openRecords, type RecordSource} from '../io/read-records.js'
import {type ArchiveCreateResult as ArchiveCreateResultSchema} from '../schemas/archive.js'
import {NEUTRAL_SCHEMA_VERSION} from '../schemas/neutral.js'
import {bagSize} from '../util/size.js'
import {stableLine, stableStringify} from '../util/stable-json.js'
import {
  ALGORITHMS,
  type BagFile,
  bagInfoValue,
  BAGIT_TXT,
  copyHashing,
  encodeManifestPath,
  hashFile,
  HashingWriter,
  parseBagInfo,
  payloadOxum,
  renderBagInfoLine,
  renderManifest,
} from './bagit.js'
import {
  DEFAULT_SHARD_BYTES,
  formatRecordLimits,
  ID_MAP_FILE,
  INDEX_FILE,
  LABELS,
  LAYOUT_VERSION,
  ORIGINALS_DIR,
  REJECTED_FILE,
  SHARD_DIR,
  shardPath,
  SIGNATURE_FILE,
} from './layout.js'
import {type ArchivedNote} from './record-task.js'
import {archiveInProcess, archiveOnPool, type Placed, type RecordsRun} from './records.js'
import {describeRules, hasRules, parseRedactRules, type RedactionCounts, Redactor} from './redact.js'
import {keyFingerprint, loadPrivateKey, renderSignature} from './signature.js'

export type ArchiveCreateResult = z.infer<typeof ArchiveCreateResultSchema>

export interface ArchiveProgress {
  archived: number
  read: number
  rejected: number
  /** For an input file: bytes read of its size. */
  input?: InputPosition | undefined
}

export interface ArchiveCreateOptions {
  /** Bagging-Date, YYYY-MM-DD. Default: SOURCE_DATE_EPOCH's date if set, else today's date (UTC). */
  date?: string
  /** Environment to read SOURCE_DATE_EPOCH from; default process.env. */
  env?: NodeJS.ProcessEnv
  /** The record shape of the input (a built-in mapping name). */
  from: string
  /** The vendor export: one file (JSONL, JSON array or API page, gzip detected). */
  input: string
  /**
   * Copy the input byte for byte into data/originals/. Default: true, but false when `redact` is given (the originals
   * hold the raw data redaction removes); pass true explicitly to keep them anyway.
   */
  keepOriginals?: boolean
  /** Worker threads converting a JSON Lines input while the main thread writes the bag (--jobs); 1: none. */
  jobs?: number
  /** Size and depth limits of one input record (--max-record-bytes, --max-depth). */
  limits?: RecordLimits
  onProgress?: (progress: ArchiveProgress) => void
  /** The bag directory to create; it must not exist yet. */
  output: string
  /**
   * A previous bag of the same source (delta runs): its External-Identifier is recorded as Convoshift-Previous-Bag,
   * its Bag-Group-Identifier (or identifier) carried as this bag's Bag-Group-Identifier, and the version incremented.
   */
  previous?: string
  /** Replace an existing bag (or empty directory) at `output` once the new bag is complete (--force). */
  replace?: boolean
  /** `--redact` values: email, phone, card, ip, regex:<pattern> (comma-separated lists allowed). */
  redact?: string[]
  /** Largest shard in bytes; a conversation is never split, so a single larger record gets a shard of its own. */
  shardBytes?: number
  /** A PKCS#8 PEM Ed25519 private key file: the bag is signed (convoshift-signature.txt). Never echoed. */
  sign?: string
}

const PACKAGE_VERSION = (() => {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json')
  return (JSON.parse(readFileSync(path, 'utf8')) as {version: string}).version
})()

export const SOFTWARE_AGENT = `convoshift ${PACKAGE_VERSION}`

function usage(message: string): ConvoshiftError {
  return new ConvoshiftError(message, {code: 'USAGE', exitCode: ExitCode.Usage})
}

/** Bagging-Date: explicit, else SOURCE_DATE_EPOCH (reproducible builds' convention), else today in UTC. */
export function resolveBaggingDate(date: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (date !== undefined) {
    const parsed = new Date(`${date}T00:00:00Z`)
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(parsed.getTime()) ||
      parsed.toISOString().slice(0, 10) !== date
    ) {
      throw usage(`--date: expected a date as YYYY-MM-DD, got "${date}"`)
    }

    return date
  }

  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw usage(`SOURCE_DATE_EPOCH: expected whole seconds since 1970, got "${epoch}"`)
    return new Date(Number(epoch) * 1000).toISOString().slice(0, 10)
  }

  return new Date().toISOString().slice(0, 10)
}

async function checkInput(input: string): Promise<void> {
  if (input === '-')
    throw usage('archive create needs a file for --input (its bytes are archived as evidence), not stdin')
  try {
    if (!(await stat(input)).isFile()) throw new Error('not a file')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new ConvoshiftError(
      `${input}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'not a file'})`}`,
      {
        code: code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
        exitCode: ExitCode.Io,
      },
    )
  }
}

/**
 * An existing output is refused, or with `replace` (--force) accepted when it is a bag (bagit.txt) or an empty
 * directory: convoshift replaces only what it could have written, never an arbitrary directory.
 */
async function checkOutput(output: string, replace: boolean): Promise<void> {
  let stats
  try {
    stats = await lstat(output)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new ConvoshiftError(`${output}: cannot write (${(error as NodeJS.ErrnoException).code})`, {
      code: 'OUTPUT_UNWRITABLE',
      exitCode: ExitCode.Io,
    })
  }

  if (!replace) {
    throw new ConvoshiftError(`${output}: already exists; a bag is replaced only with --force`, {
      code: 'OUTPUT_EXISTS',
      exitCode: ExitCode.Io,
      suggestions: ['pass --force to replace it, or write a new version (bag-v2/) with --previous <the old bag>'],
    })
  }

  const entries = stats.isDirectory() ? await readdir(output) : undefined
  const isBag = entries?.includes('bagit.txt') && (await lstat(join(output, 'bagit.txt'))).isFile()
  if (!isBag && entries?.length !== 0) {
    throw new ConvoshiftError(`${output}: not a bag; --force replaces only a bag or an empty directory`, {
      code: 'OUTPUT_EXISTS',
      exitCode: ExitCode.Io,
    })
  }
}

interface Lineage {
  group: string
  identifier: string
  version: number
}

async function readLineage(previous: string): Promise<Lineage> {
  let text: string
  try {
    text = await readFile(join(previous, 'bag-info.txt'), 'utf8')
  } catch {
    throw new ConvoshiftError(`${previous}: not a bag (no readable bag-info.txt)`, {
      code: 'ARCHIVE_NOT_FOUND',
      exitCode: ExitCode.Io,
    })
  }

  const {info} = parseBagInfo(text)
  const identifier = bagInfoValue(info, 'External-Identifier')
  if (!identifier) {
    throw new ConvoshiftError(`${previous}/bag-info.txt: no External-Identifier, so this bag cannot name it`, {
      code: 'ARCHIVE_INVALID',
      exitCode: ExitCode.ArchiveInvalid,
    })
  }

  const version = Number(bagInfoValue(info, LABELS.bagVersion) ?? '1')
  return {
    group: bagInfoValue(info, 'Bag-Group-Identifier') ?? identifier,
    identifier,
    version: Number.isInteger(version) && version > 0 ? version : 1,
  }
}

async function mappingDigest(format: string): Promise<string> {
  const bytes = await readFile(join(BUILT_IN_MAPPINGS, `${format}.json`))
  return createHash('sha256').update(bytes).digest('hex')
}

/** The payload, written file by file into the temp bag; the shard rolls over at `shardBytes`. */
class PayloadWriter {
  readonly files: BagFile[] = []
  private readonly idMap: HashingWriter
  private readonly index: HashingWriter
  private rejected: HashingWriter | undefined
  private rejectedLines = 0
  private shard: HashingWriter | undefined
  private shardLines = 0
  private shards = 0
  /** Bytes given to the current shard (HashingWriter counts only what it has flushed). */
  private shardSize = 0

  constructor(
    private readonly bag: AtomicDirectory,
    private readonly shardBytes: number,
  ) {
    this.index = new HashingWriter(bag, INDEX_FILE)
    this.idMap = new HashingWriter(bag, ID_MAP_FILE)
  }

  get shardCount(): number {
    return this.shards
  }

  /** Writes a conversation (its stable JSON, and what archivedLine says of it); returns where it went. */
  archive(text: string, note: ArchivedNote): Placed {
    const line = text + '\n'
    return this.place(Buffer.byteLength(line), note, (shard) => shard.write(line))
  }

  /** Writes a conversation a pool worker serialised: its line, encoded, with the newline. */
  archiveEncoded(line: Uint8Array, note: ArchivedNote): Placed {
    return this.place(line.length, note, (shard) => shard.writeBytes(line))
  }

  close(): void {
    this.closeShard()
    this.files.push(this.index.close(), this.idMap.close())
    if (this.rejected) this.files.push(this.rejected.close())
  }

  discard(): void {
    for (const writer of [this.shard, this.index, this.idMap, this.rejected]) writer?.discard()
  }

  mapId(entry: Record<string, unknown>): void {
    this.idMap.write(stableLine(entry))
  }

  /** Writes a rejected record; returns its line and the SHA-256 of that line, which the id map records. */
  reject(entry: Record<string, unknown>): {line: number; sha256: string} {
    this.rejected ??= new HashingWriter(this.bag, REJECTED_FILE)
    const text = stableStringify(entry)
    this.rejected.write(text + '\n')
    return {line: ++this.rejectedLines, sha256: createHash('sha256').update(text).digest('hex')}
  }

  /** Discards what was written and removes its files, for a run that starts again without the pool. */
  async remove(): Promise<void> {
    this.discard()
    const written = [INDEX_FILE, ID_MAP_FILE, REJECTED_FILE].map(async (path) =>
      rm(join(this.bag.temp, path), {force: true}),
    )
    await Promise.all([...written, rm(join(this.bag.temp, SHARD_DIR), {force: true, recursive: true})])
    await this.bag.mkdir(SHARD_DIR)
  }

  private closeShard(): void {
    if (this.shard) this.files.push(this.shard.close())
    this.shard = undefined
  }

  /** A conversation never spans shards: one that does not fit starts the next. */
  private place(bytes: number, note: ArchivedNote, write: (shard: HashingWriter) => void): Placed {
    if (!this.shard || (this.shardSize > 0 && this.shardSize + bytes > this.shardBytes)) {
      this.closeShard()
      this.shards++
      const path = shardPath(this.shards)
      this.shard = new HashingWriter(this.bag, path)
      this.shardLines = 0
      this.shardSize = 0
    }

    write(this.shard)
    this.shardSize += bytes
    this.shardLines++
    const where = {line: this.shardLines, shard: this.shard.bagPath}
    this.index.write(stableLine({id: note.id, line: where.line, sha256: note.sha256, shard: where.shard}))
    return where
  }
}

/**
 * Creates the bag. Every input record ends up archived (in a shard, listed in the index) or in data/rejected.jsonl
 * with its line and reason; data/id-map.jsonl has one line per input record saying which. Throws ConvoshiftError for
 * bad options, unreadable input, input of another format, or an existing output.
 */
export async function createArchive(options: ArchiveCreateOptions): Promise<ArchiveCreateResult> {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES
  if (!Number.isInteger(shardBytes) || shardBytes < 1)
    throw usage(`--shard-size: expected a positive number of bytes, got ${shardBytes}`)
  const rules = parseRedactRules(options.redact ?? [])
  const redactor = hasRules(rules) ? new Redactor(rules) : undefined
  const keepOriginals = options.keepOriginals ?? !redactor
  const baggingDate = resolveBaggingDate(options.date, options.env)
  if (options.from === NEUTRAL)
    throw usage('--from: archive create reads a vendor export; neutral input is not supported yet')
  const from = await loadSide(options.from)
  const neutral = await loadSide(NEUTRAL)
  await checkInput(options.input)
  // First: a dead run's leftovers go (and an old bag a killed --force run had moved aside comes back).
  await removeStaleDirectories(options.output)
  await checkOutput(options.output, options.replace ?? false)
  const lineage = options.previous === undefined ? undefined : await readLineage(options.previous)
  const signer: KeyObject | undefined = options.sign === undefined ? undefined : await loadPrivateKey(options.sign)

  const bag = await AtomicDirectory.create(options.output, SHARD_DIR)
  let payload: PayloadWriter | undefined
  try {
    // Evidence first: the input byte for byte (or only its digest when the originals stay out).
    const sourceName = basename(options.input)
    let source: BagFile
    if (keepOriginals) {
      await bag.mkdir(ORIGINALS_DIR)
      source = copyHashing(options.input, new HashingWriter(bag, `${ORIGINALS_DIR}/${sourceName}`))
    } else {
      const hashed = await hashFile(options.input)
      source = {
        bytes: hashed.bytes,
        digests: {sha256: hashed.digests.sha256!, sha512: hashed.digests.sha512!},
        path: '',
      }
    }

    payload = new PayloadWriter(bag, shardBytes)
    const run: RecordsRun = {
      counts: {archived: 0, messages: 0, read: 0, rejected: 0},
      from,
      options,
      payload,
      redactor,
    }
    const open = async (): Promise<RecordSource> =>
      openRecords({envelopeKeys: from.envelope, limits: options.limits, path: options.input})
    let records = await open()
    try {
      const workers = poolWorkers(options.input, options.jobs)
      // The pool takes JSON Lines only (a document's values are not cut at newlines) and reads the file itself.
      const pooled = workers > 1 && records.layout === 'jsonl'
      if (pooled) await records.close()
      if (!pooled || !(await archiveOnPool(run, workers))) {
        if (pooled) {
          // Nothing of the pool's pass is kept: the single-threaded pass starts again from the first record.
          await payload.remove()
          payload = new PayloadWriter(bag, shardBytes)
          Object.assign(run, {counts: {archived: 0, messages: 0, read: 0, rejected: 0}, payload})
          if (redactor) redactor.resetCounts()
          records = await open()
        }

        await archiveInProcess(run, makeConverter(from, neutral), records)
      }
    } finally {
      await records.close()
    }

    const {counts} = run
    payload.close()
    const files = keepOriginals ? [source, ...payload.files] : payload.files
    const manifests = Object.fromEntries(ALGORITHMS.map((algorithm) => [algorithm, renderManifest(files, algorithm)]))
    const identifier = `urn:sha256:${createHash('sha256').update(manifests.sha256!).digest('hex')}`
    const redaction = redactor ? {counts: {...redactor.counts}, rules: describeRules(rules)} : null
    const info: Array<[string, string]> = [
      ['Bag-Software-Agent', SOFTWARE_AGENT],
      ['Bagging-Date', baggingDate],
      ['Payload-Oxum', payloadOxum(files)],
      ['Bag-Size', bagSize(files.reduce((sum, file) => sum + file.bytes, 0))],
      ['External-Identifier', identifier],
      [
        'External-Description',
        `Conversations exported from ${from.mapping!.vendor} (${options.from} records), in the convoshift neutral model ` +
          `(schema ${NEUTRAL_SCHEMA_VERSION})` +
          (keepOriginals ? ', with the export itself as evidence.' : '; the export itself is not included.'),
      ],
      ...(lineage ? ([['Bag-Group-Identifier', lineage.group]] as Array<[string, string]>) : []),
      [LABELS.archiveLayout, LAYOUT_VERSION],
      [LABELS.bagVersion, String(lineage ? lineage.version + 1 : 1)],
      ...(lineage ? ([[LABELS.previous, lineage.identifier]] as Array<[string, string]>) : []),
      [LABELS.sourceVendor, from.mapping!.vendor],
      [LABELS.recordShape, options.from],
      [LABELS.recordLimits, formatRecordLimits(options.limits ?? DEFAULT_LIMITS)],
      // A file name may hold CR, LF or %: encoded as in the manifests, so the tag stays one line.
      [LABELS.sourceFile, encodeManifestPath(sourceName)],
      [LABELS.sourceSha256, source.digests.sha256],
      [LABELS.mapping, `mappings/${options.from}.json ${await mappingDigest(options.from)}`],
      [LABELS.neutralSchema, NEUTRAL_SCHEMA_VERSION],
      [LABELS.recordsRead, String(counts.read)],
      [LABELS.recordsArchived, String(counts.archived)],
      [LABELS.recordsRejected, String(counts.rejected)],
      [LABELS.conversations, String(counts.archived)],
      [LABELS.messages, String(counts.messages)],
      [LABELS.shards, String(payload.shardCount)],
      [LABELS.shardSize, String(shardBytes)],
      [LABELS.originals, keepOriginals ? (redactor ? 'included, not redacted' : 'included') : 'omitted'],
      [LABELS.redaction, redaction ? redaction.rules.join(', ') : 'none'],
      ...(redaction ? redactionLines(redaction.counts, redaction.rules) : []),
    ]
    const tagFiles: Record<string, string> = {
      'bag-info.txt': info.map(([label, value]) => renderBagInfoLine(label, value)).join(''),
      'bagit.txt': BAGIT_TXT,
      'manifest-sha256.txt': manifests.sha256!,
      'manifest-sha512.txt': manifests.sha512!,
    }
    const tagEntries = Object.entries(tagFiles).map(([name, text]) => tagFile(name, text))
    if (signer) {
      // Signed: the sha512 tag manifest as it reads without the signature's own line, which is added after.
      tagFiles[SIGNATURE_FILE] = renderSignature(renderManifest(tagEntries, 'sha512'), signer)
      tagEntries.push(tagFile(SIGNATURE_FILE, tagFiles[SIGNATURE_FILE]))
    }

    // Once interrupted, no file more (the bag refuses them): a bag renamed into place with part of it gone would be a
    // partial bag under the output's name (the campaign's SIGTERM found it).
    for (const [name, text] of Object.entries(tagFiles)) await bag.writeFile(name, text)
    for (const algorithm of ALGORITHMS) {
      await bag.writeFile(`tagmanifest-${algorithm}.txt`, renderManifest(tagEntries, algorithm))
    }

    await checkOutput(options.output, options.replace ?? false)
    await bag.commit()
    const result: ArchiveCreateResult = {
      bagCount: null,
      baggingDate,
      conversations: counts.archived,
      from: options.from,
      identifier,
      input: options.input,
      messages: counts.messages,
      originals: keepOriginals ? 'included' : 'omitted',
      output: options.output,
      payload: {bytes: files.reduce((sum, file) => sum + file.bytes, 0), files: files.length},
      previous: lineage?.identifier ?? null,
      records: {archived: counts.archived, read: counts.read, rejected: counts.rejected},
      redaction,
      shards: payload.shardCount,
      signedBy: signer ? keyFingerprint(signer) : null,
      version: lineage ? lineage.version + 1 : 1,
    }
    options.onProgress?.(counts)
    return result
  } catch (error) {
    payload?.discard()
    await bag.abort()
    if (isConvoshiftError(error)) throw error
    const {code} = error as NodeJS.ErrnoException
    if (code) {
      throw new ConvoshiftError(`${options.output}: cannot write the bag (${code})`, {
        code: 'OUTPUT_UNWRITABLE',
        exitCode: ExitCode.Io,
      })
    }

    throw error
  }
}

function redactionLines(counts: RedactionCounts, rules: string[]): Array<[string, string]> {
  const kinds = (['email', 'phone', 'card', 'ip'] as const).filter((kind) => rules.includes(kind))
  const lines: Array<[string, string]> = kinds.map((kind) => [
    `Convoshift-Redacted-${kind === 'ip' ? 'IP' : capitalise(kind)}`,
    String(counts[kind]),
  ])
  if (rules.some((rule) => rule.startsWith('regex:'))) lines.push(['Convoshift-Redacted-Regex', String(counts.regex)])
  return lines
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

function tagFile(name: string, text: string): BagFile {
  const bytes = Buffer.from(text, 'utf8')
  return {
    bytes: bytes.length,
    digests: {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sha512: createHash('sha512').update(bytes).digest('hex'),
    },
    path: name,
  }
}
