/**
 * `archive verify`: checks a bag as RFC 8493 defines validity (bagit.txt, every payload file listed in every payload
 * manifest and no file missing, every checksum, the tag manifests, Payload-Oxum), and for a convoshift bag also each
 * record: its line hashes to what data/index.jsonl says, it parses and fits the neutral schema, and the counts in
 * bag-info.txt reconcile with the files. Each file is read once; every problem is reported by file (and line/record).
 */
import {createHash, getHashes} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {lstat, readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {type z} from 'zod'

import {loadSide, NEUTRAL} from '../convert/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {type ArchiveProblem, type ArchiveVerifyResult as ArchiveVerifyResultSchema} from '../schemas/archive.js'
import {type BagInfo, bagInfoValue, BAGIT_TXT, compareStrings, hashFile, parseBagInfo, parseManifest} from './bagit.js'
import {ID_MAP_FILE, INDEX_FILE, type IndexEntry, LABELS, REJECTED_FILE, SHARD_DIR} from './layout.js'

export type ArchiveVerifyResult = z.infer<typeof ArchiveVerifyResultSchema>
export type Problem = z.infer<typeof ArchiveProblem>

export interface ArchiveVerifyOptions {
  dir: string
  /** Payload-Oxum and the file list only: no hashing. */
  fast?: boolean
  /** Check records against the index and the neutral schema (default true; false hashes only). */
  records?: boolean
}

const MAX_PROBLEMS = 1000

class Problems {
  readonly list: Problem[] = []
  truncated = 0

  add(problem: Problem): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem)
    else this.truncated++
  }

  get count(): number {
    return this.list.length + this.truncated
  }
}

/** Files under `data/`, relative to the bag root with `/`, with their sizes. Symlinks and others are problems. */
async function listPayload(root: string, problems: Problems): Promise<Map<string, number>> {
  const files = new Map<string, number>()
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), {withFileTypes: true})
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const path = `${relative}/${entry.name}`
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile()) files.set(path, (await lstat(join(root, path))).size)
      else problems.add({file: path, problem: 'not a regular file (symlinks and devices are not allowed in a bag)'})
    }
  }

  await walk('data')
  return files
}

async function readText(root: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, name), 'utf8')
  } catch {
    return undefined
  }
}

function checkBagitTxt(text: string | undefined, problems: Problems): void {
  if (text === undefined) {
    problems.add({file: 'bagit.txt', problem: 'missing: a bag must have bagit.txt'})
    return
  }

  if (text === BAGIT_TXT) return
  const {info} = parseBagInfo(text)
  const version = bagInfoValue(info, 'BagIt-Version')
  const encoding = bagInfoValue(info, 'Tag-File-Character-Encoding')
  if (version !== '1.0' && version !== '0.97')
    problems.add({file: 'bagit.txt', problem: `BagIt-Version is ${version ?? 'missing'}, expected 1.0`})
  if (encoding?.toLowerCase().replace('-', '') !== 'utf8') {
    problems.add({
      file: 'bagit.txt',
      problem: `Tag-File-Character-Encoding is ${encoding ?? 'missing'}, expected UTF-8`,
    })
  }
}

/** A manifest path must name a file inside the bag: relative, `/`-separated, no `.` or `..` segments. */
function unsafePath(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute'
  if (path.split('/').some((segment) => segment === '..' || segment === '.' || segment === ''))
    return 'has an empty, . or .. segment'
  return undefined
}

interface Manifest {
  algorithm: string
  entries: Map<string, string>
  name: string
}

async function readManifests(
  root: string,
  names: string[],
  prefix: 'manifest' | 'tagmanifest',
  problems: Problems,
): Promise<Manifest[]> {
  const manifests: Manifest[] = []
  const supported = new Set(getHashes())
  for (const name of names.filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.txt')).sort()) {
    const algorithm = name.slice(prefix.length + 1, -'.txt'.length)
    if (!supported.has(algorithm)) {
      problems.add({file: name, problem: `unknown checksum algorithm "${algorithm}"`})
      continue
    }

    const text = (await readText(root, name)) ?? ''
    const parsed = parseManifest(text)
    for (const {line, problem} of parsed.problems) problems.add({file: name, line, problem})
    const entries = new Map<string, string>()
    for (const entry of parsed.entries) {
      const unsafe = unsafePath(entry.path)
      if (unsafe) problems.add({file: name, line: entry.line, problem: `path ${JSON.stringify(entry.path)} ${unsafe}`})
      else if (prefix === 'manifest' && !entry.path.startsWith('data/')) {
        problems.add({
          file: name,
          line: entry.line,
          problem: `${entry.path} is not under data/ (a payload manifest lists payload files)`,
        })
      } else if (entries.has(entry.path))
        problems.add({file: name, line: entry.line, problem: `${entry.path} is listed twice`})
      else entries.set(entry.path, entry.checksum)
    }

    manifests.push({algorithm, entries, name})
  }

  return manifests
}

/**
 * Verifies the bag in `dir`. Throws only when `dir` is not a directory; everything wrong with the bag itself comes back
 * in `problems` (and `valid: false`), so a caller sees all of it at once.
 */
export async function verifyArchive(options: ArchiveVerifyOptions): Promise<ArchiveVerifyResult> {
  const root = options.dir
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory')
  } catch {
    throw new ConvoshiftError(`${root}: no such bag directory`, {code: 'ARCHIVE_NOT_FOUND', exitCode: ExitCode.Io})
  }

  const problems = new Problems()
  const checked = {bytes: 0, files: 0, records: 0}
  checkBagitTxt(await readText(root, 'bagit.txt'), problems)
  const bagInfoText = await readText(root, 'bag-info.txt')
  let info: BagInfo = []
  if (bagInfoText !== undefined) {
    const parsed = parseBagInfo(bagInfoText)
    info = parsed.info
    for (const {line, problem} of parsed.problems) problems.add({file: 'bag-info.txt', line, problem})
  }

  const convoshift = bagInfoValue(info, LABELS.archiveLayout) !== undefined
  let payload = new Map<string, number>()
  try {
    if (!(await stat(join(root, 'data'))).isDirectory()) throw new Error('not a directory')
    payload = await listPayload(root, problems)
  } catch {
    problems.add({file: 'data', problem: 'missing: a bag must have a data/ directory'})
  }

  checkOxum(bagInfoValue(info, 'Payload-Oxum'), payload, problems)
  const result = (): ArchiveVerifyResult => ({
    checked,
    convoshift,
    dir: root,
    fast: options.fast ?? false,
    problems: problems.list,
    truncated: problems.truncated,
    valid: problems.count === 0,
  })
  if (options.fast) return result()

  const topLevel = (await readdir(root, {withFileTypes: true}))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
  const manifests = await readManifests(root, topLevel, 'manifest', problems)
  if (manifests.length === 0)
    problems.add({file: 'manifest-sha256.txt', problem: 'missing: a bag needs at least one payload manifest'})
  for (const manifest of manifests) {
    for (const path of payload.keys()) {
      if (!manifest.entries.has(path))
        problems.add({file: path, problem: `not listed in ${manifest.name} (a file added to the bag?)`})
    }

    for (const path of manifest.entries.keys()) {
      if (!payload.has(path)) problems.add({file: path, problem: `listed in ${manifest.name} but missing`})
    }
  }

  const records = convoshift && options.records !== false ? await RecordChecker.open(root, info, problems) : undefined
  const algorithms = [...new Set(manifests.map((m) => m.algorithm))]
  for (const path of payload.keys()) {
    if (path.startsWith(`${SHARD_DIR}/`)) await records?.prepare(path)
    const onChunk = records?.chunkHandler(path)
    const {bytes, digests} = await hashFile(join(root, path), onChunk, algorithms)
    records?.endFile(path)
    checked.bytes += bytes
    checked.files++
    for (const manifest of manifests) {
      const expected = manifest.entries.get(path)
      if (expected !== undefined && expected !== digests[manifest.algorithm]) {
        problems.add({
          file: path,
          problem: `${manifest.algorithm} checksum does not match ${manifest.name} (the file was changed)`,
        })
      }
    }
  }

  await records?.finish()
  if (records) checked.records = records.checked

  // Tag manifests: each listed tag file exists and matches; in a convoshift bag every tag file is listed.
  const tagManifests = await readManifests(root, topLevel, 'tagmanifest', problems)
  for (const manifest of tagManifests) {
    for (const [path, expected] of manifest.entries) {
      let digest: string
      try {
        const hashed = await hashFile(join(root, path), undefined, [manifest.algorithm])
        checked.bytes += hashed.bytes
        digest = hashed.digests[manifest.algorithm]!
      } catch {
        problems.add({file: path, problem: `listed in ${manifest.name} but missing`})
        continue
      }

      if (digest !== expected)
        problems.add({
          file: path,
          problem: `${manifest.algorithm} checksum does not match ${manifest.name} (the file was changed)`,
        })
    }

    if (convoshift) {
      for (const name of topLevel) {
        if (!name.startsWith('tagmanifest-') && !manifest.entries.has(name)) {
          problems.add({file: name, problem: `not listed in ${manifest.name} (a file added to the bag?)`})
        }
      }
    }
  }

  if (convoshift && tagManifests.length === 0) problems.add({file: 'tagmanifest-sha256.txt', problem: 'missing'})
  return result()
}

function checkOxum(oxum: string | undefined, payload: Map<string, number>, problems: Problems): void {
  if (oxum === undefined) return
  const match = /^(\d+)\.(\d+)$/.exec(oxum)
  if (!match) {
    problems.add({file: 'bag-info.txt', problem: `Payload-Oxum "${oxum}" is not <octets>.<files>`})
    return
  }

  let bytes = 0
  for (const size of payload.values()) bytes += size
  if (Number(match[1]) !== bytes || Number(match[2]) !== payload.size) {
    problems.add({
      file: 'bag-info.txt',
      problem: `Payload-Oxum is ${oxum} but data/ holds ${bytes}.${payload.size} (bytes.files): files were added, removed or changed in size`,
    })
  }
}

/**
 * Record-level checks of a convoshift bag, fed the bytes of each payload file as it is hashed: the index entries of a
 * shard are loaded just before it (the index lists shards in order), so memory holds one shard's entries at most.
 */
class RecordChecker {
  checked = 0
  private carry: Buffer | undefined
  private readonly counts = {idMap: 0, index: 0, rejected: 0}
  private entries: IndexEntry[] = []
  private readonly indexLines: AsyncIterator<string>
  private indexLine = 0
  private line = 0
  private nextEntry: IndexEntry | undefined
  /** Counted files that were there (a missing one is reported by the manifest checks, not as a count). */
  private readonly present = new Set<string>()
  private readonly seenShards = new Set<string>()

  private constructor(
    private readonly root: string,
    private readonly info: BagInfo,
    private readonly problems: Problems,
    private readonly check: (record: unknown) => string | undefined,
  ) {
    const stream = createReadStream(join(root, INDEX_FILE))
    stream.on('error', () => {})
    this.indexLines = createInterface({crlfDelay: Infinity, input: stream})[Symbol.asyncIterator]()
  }

  static async open(root: string, info: BagInfo, problems: Problems): Promise<RecordChecker> {
    const neutral = await loadSide(NEUTRAL)
    const checker = new RecordChecker(root, info, problems, neutral.check)
    try {
      await stat(join(root, INDEX_FILE))
    } catch {
      problems.add({file: INDEX_FILE, problem: 'missing: a convoshift bag has an index'})
    }

    return checker
  }

  /** The chunk callback for one payload file (undefined when the file needs no record checks). */
  chunkHandler(path: string): ((chunk: Buffer) => void) | undefined {
    if (path === ID_MAP_FILE || path === REJECTED_FILE || path === INDEX_FILE) {
      const key = path === ID_MAP_FILE ? 'idMap' : path === REJECTED_FILE ? 'rejected' : 'index'
      this.present.add(path)
      return (chunk) => {
        let at = chunk.indexOf(10)
        while (at !== -1) {
          this.counts[key]++
          at = chunk.indexOf(10, at + 1)
        }
      }
    }

    if (!path.startsWith(`${SHARD_DIR}/`)) return undefined
    return (chunk) => this.shardChunk(path, chunk)
  }

  endFile(path: string): void {
    if (!path.startsWith(`${SHARD_DIR}/`)) return
    if (this.carry && this.carry.length > 0) {
      this.problems.add({file: path, line: this.line + 1, problem: 'truncated: the last line has no newline'})
      this.carry = undefined
    }

    const left = this.entries.length
    if (left > 0) {
      this.problems.add({
        file: path,
        problem: `truncated: ${INDEX_FILE} lists ${this.line + left} records in it, it has ${this.line} complete lines`,
      })
    }

    this.entries = []
  }

  async finish(): Promise<void> {
    // Index entries naming shards that were never read (missing files are reported by the manifest checks).
    for (;;) {
      const entry = await this.readEntry()
      if (!entry) break
      if (!this.seenShards.has(entry.shard)) {
        this.seenShards.add(entry.shard)
        this.problems.add({
          file: INDEX_FILE,
          line: this.indexLine,
          problem: `names ${entry.shard}, which is not in the bag or out of order`,
        })
      }
    }

    const expect = (label: string, actual: number, file: string): void => {
      const stated = bagInfoValue(this.info, label)
      const absent = !this.present.has(file) && file !== REJECTED_FILE
      if (!absent && stated !== undefined && Number(stated) !== actual) {
        this.problems.add({file, problem: `bag-info.txt ${label} is ${stated}, ${file} has ${actual}`})
      }
    }

    expect(LABELS.conversations, this.counts.index, INDEX_FILE)
    expect(LABELS.recordsRead, this.counts.idMap, ID_MAP_FILE)
    expect(LABELS.recordsRejected, this.counts.rejected, REJECTED_FILE)
    const read = Number(bagInfoValue(this.info, LABELS.recordsRead))
    const archived = Number(bagInfoValue(this.info, LABELS.recordsArchived))
    const rejected = Number(bagInfoValue(this.info, LABELS.recordsRejected))
    if (read !== archived + rejected) {
      this.problems.add({
        file: 'bag-info.txt',
        problem: `records do not reconcile: ${read} read ≠ ${archived} archived + ${rejected} rejected`,
      })
    }
  }

  /** Loads the index entries of `shard` (they are consecutive in the index). Call before its bytes arrive. */
  async prepare(shard: string): Promise<void> {
    this.line = 0
    this.carry = undefined
    this.entries = []
    this.seenShards.add(shard)
    for (;;) {
      const entry = this.nextEntry ?? (await this.readEntry())
      this.nextEntry = undefined
      if (!entry) break
      if (entry.shard !== shard) {
        this.nextEntry = entry
        break
      }

      this.entries.push(entry)
    }

    this.entries.reverse() // consumed from the end
  }

  private checkLine(path: string, bytes: Buffer): void {
    this.line++
    this.checked++
    const entry = this.entries.pop()
    const text = bytes.toString('utf8')
    let record: unknown
    try {
      record = JSON.parse(text)
    } catch {
      this.problems.add({
        file: path,
        line: this.line,
        ...(entry ? {record: entry.id} : {}),
        problem: 'not valid JSON (truncated or edited)',
      })
      return
    }

    const id =
      typeof (record as {sourceId?: unknown}).sourceId === 'string'
        ? (record as {sourceId: string}).sourceId
        : undefined
    const at = {file: path, line: this.line, ...(id || entry ? {record: id ?? entry!.id} : {})}
    if (entry) {
      if (entry.line !== this.line) this.problems.add({...at, problem: `${INDEX_FILE} says line ${entry.line}`})
      if (id !== entry.id) this.problems.add({...at, problem: `${INDEX_FILE} says this is conversation ${entry.id}`})
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
        this.problems.add({
          ...at,
          problem: `record does not match its SHA-256 in ${INDEX_FILE} (the record was edited)`,
        })
      }
    } else {
      this.problems.add({...at, problem: `not listed in ${INDEX_FILE} (a record added to the shard?)`})
    }

    const invalid = this.check(record)
    if (invalid) this.problems.add({...at, problem: `not a valid neutral conversation: ${invalid}`})
  }

  private async readEntry(): Promise<IndexEntry | undefined> {
    for (;;) {
      const next = await this.indexLines.next().catch((): IteratorResult<string> => ({done: true, value: undefined}))
      if (next.done) return undefined
      this.indexLine++
      const text: string = next.value
      if (text === '') continue
      try {
        const entry = JSON.parse(text) as IndexEntry
        if (typeof entry.shard === 'string' && typeof entry.sha256 === 'string' && typeof entry.line === 'number')
          return entry
      } catch {}

      this.problems.add({
        file: INDEX_FILE,
        line: this.indexLine,
        problem: 'not an index entry {id, shard, line, sha256}',
      })
    }
  }

  private shardChunk(path: string, chunk: Buffer): void {
    let start = 0
    let newline = chunk.indexOf(10)
    if (this.carry && newline !== -1) {
      this.checkLine(path, Buffer.concat([this.carry, chunk.subarray(0, newline)]))
      this.carry = undefined
      start = newline + 1
      newline = chunk.indexOf(10, start)
    }

    while (newline !== -1) {
      this.checkLine(path, chunk.subarray(start, newline))
      start = newline + 1
      newline = chunk.indexOf(10, start)
    }

    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      // The chunk buffer is reused by the reader: keep a copy of the partial line.
      this.carry = this.carry ? Buffer.concat([this.carry, rest]) : Buffer.from(rest)
    }
  }
}
