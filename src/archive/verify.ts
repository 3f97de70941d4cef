/**
 * `archive verify`: checks a bag as RFC 8493 defines validity (bagit.txt, every payload file listed in every payload
 * manifest and no file missing, every checksum, the tag manifests, Payload-Oxum). A bag that holds convoshift's layout
 * is checked as a convoshift bag whatever its labels say: each record against data/index.jsonl and the neutral schema,
 * the id map and rejected records against the index (verify-records.ts), every claim of bag-info.txt against the files
 * (verify-claims.ts). With a key, the signature too (signature.ts). Every problem is reported by file (and line/record).
 */
import {createHash, getHashes, type KeyObject} from 'node:crypto'
import {lstat, readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {type z} from 'zod'

import {builtInFormats} from '../engine/load-mapping.js'
import {loadSide, NEUTRAL} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {type ArchiveProblem, type ArchiveVerifyResult as ArchiveVerifyResultSchema} from '../schemas/archive.js'
import {
  type BagInfo,
  bagInfoValue,
  compareStrings,
  decodeManifestPath,
  hashFile,
  parseBagInfo,
  parseManifest,
} from './bagit.js'
import {INDEX_FILE, LABELS, ORIGINALS_DIR, parseRecordLimits, SHARD_DIR, SIGNATURE_FILE, SIGNED_FILE} from './layout.js'
import {checkSignature, loadPublicKey, type SignatureCheck} from './signature.js'
import {type BagFacts, checkClaims, convoshiftEvidence} from './verify-claims.js'
import {checkEvidence, type Evidence} from './verify-evidence.js'
import {RecordChecker} from './verify-records.js'

export type ArchiveVerifyResult = z.infer<typeof ArchiveVerifyResultSchema>
export type Problem = z.infer<typeof ArchiveProblem>

export interface ArchiveVerifyOptions {
  dir: string
  /** Payload-Oxum and the file list only: no hashing. */
  fast?: boolean
  /** An SPKI PEM Ed25519 public key file: a signature is checked with it. */
  key?: string
  /** Called now and then while the payload is hashed (progress). */
  onProgress?: (progress: ArchiveVerifyProgress) => void
  /** Check records against the index and the neutral schema (default true; false hashes only). */
  records?: boolean
  /** An unsigned bag fails (needs `key`: a signature means something only when checked with a trusted key). */
  requireSignature?: boolean
}

/** How far the payload check is: bytes hashed of the payload's size (from its file list), records checked. */
export interface ArchiveVerifyProgress {
  bytes: number
  records: number
  totalBytes: number
  /** After hashing: records of the kept export paired with the id map so far. */
  paired?: number
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

  /** Whether a problem was already reported at this line: a second check of it would repeat the finding. */
  has(file: string, line: number): boolean {
    return this.list.some((problem) => problem.file === file && problem.line === line)
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

  // The payload directory itself must be one: a symlink would let the bag's files live anywhere.
  if (!(await lstat(join(root, 'data'))).isDirectory()) throw new Error('not a directory')
  await walk('data')
  return files
}

/** A tag file's text; a symlink reads as missing (it is reported as not a regular file). */
async function readText(root: string, name: string): Promise<string | undefined> {
  try {
    if (!(await lstat(join(root, name))).isFile()) return undefined
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

  // Version 1.0 only, as documented: an older version (0.97) has other rules, and a bag must not pick its checks.
  const {info} = parseBagInfo(text)
  const version = bagInfoValue(info, 'BagIt-Version')
  const encoding = bagInfoValue(info, 'Tag-File-Character-Encoding')
  if (version !== '1.0')
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

  if (options.requireSignature && options.key === undefined)
    throw usage('--require-signature needs --key: a signature proves something only when checked with a key you trust')
  if (options.fast && options.key !== undefined)
    throw usage('--fast reads no file contents, so it cannot check a signature; drop --fast or --key')
  const key = options.key === undefined ? undefined : await loadPublicKey(options.key)
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

  let payload = new Map<string, number>()
  try {
    payload = await listPayload(root, problems)
  } catch {
    problems.add({file: 'data', problem: 'missing: a bag must have a data/ directory'})
  }

  // What the bag holds decides, not only its labels: without the layout label a convoshift bag is still one.
  const evidence = convoshiftEvidence(info, payload)
  const convoshift = evidence !== undefined
  checkOxum(bagInfoValue(info, 'Payload-Oxum'), payload, problems)
  let signature: SignatureCheck = {key: null, status: 'unchecked'}
  const result = (): ArchiveVerifyResult => ({
    checked,
    convoshift,
    dir: root,
    fast: options.fast ?? false,
    problems: problems.list,
    signature: {key: signature.key, status: signature.status},
    truncated: problems.truncated,
    valid: problems.count === 0,
  })
  if (options.fast) return result()

  const topLevel = await listTopLevel(root, problems)
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

  const records =
    convoshift && options.records !== false
      ? new RecordChecker(root, problems, (await loadSide(NEUTRAL)).check, payload.has(INDEX_FILE))
      : undefined
  const algorithms = [...new Set(manifests.map((m) => m.algorithm))]
  const originals = new Map<string, string>()
  const progress = {bytes: 0, records: 0, totalBytes: [...payload.values()].reduce((sum, size) => sum + size, 0)}
  let checkRecords: ((chunk: Buffer) => void) | undefined
  const onChunk = (chunk: Buffer): void => {
    checkRecords?.(chunk)
    progress.bytes += chunk.length
    progress.records = records?.checked ?? 0
    options.onProgress?.(progress)
  }

  for (const path of payload.keys()) {
    if (path.startsWith(`${SHARD_DIR}/`)) await records?.prepare(path)
    checkRecords = records?.chunkHandler(path)

    // The export's SHA-256 is a claim of bag-info.txt: computed in the same read whichever manifests the bag has.
    const original = convoshift && path.startsWith(`${ORIGINALS_DIR}/`)
    const {bytes, digests} = await hashFile(
      join(root, path),
      onChunk,
      original && !algorithms.includes('sha256') ? [...algorithms, 'sha256'] : algorithms,
    )
    if (original) originals.set(path, digests.sha256!)
    records?.endFile(path, bytes)
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

  const recordFacts = await records?.finish()
  if (records) checked.records = records.checked
  checked.bytes += await checkTagManifests(root, topLevel, convoshift, problems)
  if (evidence !== undefined) {
    const facts: BagFacts = {
      originals,
      payload,
      records: recordFacts,
      sha256Manifest: await sha256Of(root, 'manifest-sha256.txt'),
      topLevel,
    }
    await checkClaims(info, facts, evidence, problems)
    const original = evidenceFile(info, originals)
    if (records && original) {
      await checkEvidence(root, original, problems, (paired) => options.onProgress?.({...progress, paired}))
    }
  }

  signature = await signatureOf(root, topLevel, key)
  if (signature.status === 'invalid') problems.add({file: SIGNATURE_FILE, problem: signature.problem!})
  if (signature.status === 'unsigned' && options.requireSignature)
    problems.add({
      file: SIGNATURE_FILE,
      problem: 'missing: the bag is unsigned, and --require-signature asks for a signature',
    })
  return result()
}

/**
 * The export kept in the bag, when there is one to check the id map against: included, of a shape convoshift reads, and
 * the file bag-info.txt names with the digest it records (otherwise that is the problem, already reported).
 */
function evidenceFile(info: BagInfo, originals: Map<string, string>): Evidence | undefined {
  const name = bagInfoValue(info, LABELS.sourceFile)
  const shape = bagInfoValue(info, LABELS.recordShape)
  const limits = parseRecordLimits(bagInfoValue(info, LABELS.recordLimits) ?? '')
  if (!bagInfoValue(info, LABELS.originals)?.startsWith('included') || name === undefined || shape === undefined)
    return undefined
  if (!limits) return undefined // reported by the claims
  const path = `${ORIGINALS_DIR}/${decodeManifestPath(name)}`
  const digest = originals.get(path)
  if (digest === undefined || digest !== bagInfoValue(info, LABELS.sourceSha256)) return undefined
  return builtInFormats().includes(shape) && shape !== NEUTRAL ? {limits, path, shape} : undefined
}

function usage(message: string): ConvoshiftError {
  return new ConvoshiftError(message, {code: 'USAGE', exitCode: ExitCode.Usage})
}

/** Regular files in the bag's top directory; a symlink there could make a tag file any file on the machine. */
async function listTopLevel(root: string, problems: Problems): Promise<string[]> {
  const names: string[] = []
  for (const entry of await readdir(root, {withFileTypes: true})) {
    if (entry.isFile()) names.push(entry.name)
    else if (!entry.isDirectory())
      problems.add({file: entry.name, problem: 'not a regular file (symlinks and devices are not allowed in a bag)'})
  }

  return names.sort(compareStrings)
}

async function sha256Of(root: string, name: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(join(root, name)))
      .digest('hex')
  } catch {
    return undefined
  }
}

/** Each listed tag file exists and matches; in a convoshift bag every tag file is listed. Returns the bytes hashed. */
async function checkTagManifests(
  root: string,
  topLevel: string[],
  convoshift: boolean,
  problems: Problems,
): Promise<number> {
  let hashedBytes = 0
  const tagManifests = await readManifests(root, topLevel, 'tagmanifest', problems)
  for (const manifest of tagManifests) {
    for (const [path, expected] of manifest.entries) {
      let digest: string
      try {
        if (!(await lstat(join(root, path))).isFile()) throw new Error('not a file')
        const hashed = await hashFile(join(root, path), undefined, [manifest.algorithm])
        hashedBytes += hashed.bytes
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

  return hashedBytes
}

async function signatureOf(root: string, topLevel: string[], key: KeyObject | undefined): Promise<SignatureCheck> {
  const text = topLevel.includes(SIGNATURE_FILE) ? await readText(root, SIGNATURE_FILE) : undefined
  const signed = topLevel.includes(SIGNED_FILE) ? await readFile(join(root, SIGNED_FILE)) : undefined
  return checkSignature(text, signed, key)
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
