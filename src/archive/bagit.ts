import {createHash, type Hash} from 'node:crypto'
import {closeSync, openSync, readSync} from 'node:fs'
import {open} from 'node:fs/promises'

import {ConvoshiftError, ExitCode} from '../errors.js'
/**
 * BagIt 1.0 (RFC 8493) primitives shared by the archive writer and verifier: tag-file text, manifest lines with the
 * RFC's percent-encoding, bag-info label/value lines (folded at whitespace), Payload-Oxum, and files written or read
 * with their sha256 and sha512 computed in the same pass.
 */
import {type AtomicDirectory} from '../io/atomic-directory.js'
import {type FileWriter} from '../io/file-writer.js'

/** `bagit.txt`, byte for byte (RFC 8493 §2.1.1). */
export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'
export const ALGORITHMS = ['sha256', 'sha512'] as const
export type Algorithm = (typeof ALGORITHMS)[number]
export type Digests = Record<Algorithm, string>

/** One file of a bag: its path relative to the bag root (always with `/`), size and digests. */
export interface BagFile {
  bytes: number
  digests: Digests
  path: string
}

/** §2.1.3: CR, LF and % (and only those) are percent-encoded in manifest file paths. */
export function encodeManifestPath(path: string): string {
  return path.replaceAll('%', '%25').replaceAll('\n', '%0A').replaceAll('\r', '%0D')
}

export function decodeManifestPath(path: string): string {
  return path.replaceAll(/%0A/gi, '\n').replaceAll(/%0D/gi, '\r').replaceAll(/%25/g, '%')
}

/** Manifest text: one `<checksum> <path>` line per file, sorted by path so the text is deterministic. */
export function renderManifest(files: readonly BagFile[], algorithm: Algorithm): string {
  return [...files]
    .sort((a, b) => compareStrings(a.path, b.path))
    .map((file) => `${file.digests[algorithm]} ${encodeManifestPath(file.path)}\n`)
    .join('')
}

export interface ManifestEntry {
  checksum: string
  line: number
  path: string
}

/**
 * Parses a manifest: `checksum`, one or more spaces or tabs, then the (percent-encoded) path. Lines may end in LF,
 * CR LF or CR (§2.1.3 lets tag files use any of them). A malformed line is returned as a problem, not thrown.
 */
export function parseManifest(text: string): {
  entries: ManifestEntry[]
  problems: Array<{line: number; problem: string}>
} {
  const entries: ManifestEntry[] = []
  const problems: Array<{line: number; problem: string}> = []
  for (const [i, line] of splitTagLines(text).entries()) {
    if (line === '') continue
    const match = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(line)
    if (match) entries.push({checksum: match[1]!.toLowerCase(), line: i + 1, path: decodeManifestPath(match[2]!)})
    else problems.push({line: i + 1, problem: 'not a "<checksum> <path>" line'})
  }

  return {entries, problems}
}

export function splitTagLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** Longest bag-info line we write when the value has whitespace to fold at (§2.2.2 recommends 79). */
const MAX_LINE = 79

/**
 * One bag-info line, folded at spaces when longer than 79 characters: the space becomes the leading whitespace of the
 * continuation line, so unfolding (removing the line break) gives the value back exactly. A value without spaces
 * (a digest) stays on one line: inserting whitespace would change it.
 */
export function renderBagInfoLine(label: string, value: string): string {
  if (/[\r\n]/.test(value) || /[\r\n:]/.test(label) || label.trim() !== label) {
    throw new Error(`bag-info: cannot write label ${JSON.stringify(label)} with value ${JSON.stringify(value)}`)
  }

  const words = value.split(' ')
  let line = `${label}: ${words[0]}`
  let out = ''
  for (const word of words.slice(1)) {
    if (line.length + 1 + word.length > MAX_LINE && line.trim() !== '') {
      out += line + '\n'
      line = ` ${word}`
    } else {
      line += ` ${word}`
    }
  }

  return out + line + '\n'
}

export type BagInfo = Array<{label: string; value: string}>

/** Parses bag-info.txt (labels may repeat, so a list); continuation lines start with a space or tab. */
export function parseBagInfo(text: string): {info: BagInfo; problems: Array<{line: number; problem: string}>} {
  const info: BagInfo = []
  const problems: Array<{line: number; problem: string}> = []
  for (const [i, line] of splitTagLines(text).entries()) {
    if (/^[ \t]/.test(line)) {
      const last = info.at(-1)
      if (last) last.value += line
      else problems.push({line: i + 1, problem: 'continuation line without a label before it'})
      continue
    }

    const colon = line.indexOf(':')
    if (colon <= 0) {
      problems.push({line: i + 1, problem: 'not a "Label: value" line'})
      continue
    }

    info.push({label: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim()})
  }

  return {info, problems}
}

export function bagInfoValue(info: BagInfo, label: string): string | undefined {
  return info.find((entry) => entry.label.toLowerCase() === label.toLowerCase())?.value
}

export function payloadOxum(files: readonly BagFile[]): string {
  return `${files.reduce((sum, file) => sum + file.bytes, 0)}.${files.length}`
}

/** Plain code-unit comparison: locale-independent, so manifests sort the same everywhere. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1
  return a > b ? 1 : 0
}

function newHashes(): Record<Algorithm, Hash> {
  return {sha256: createHash('sha256'), sha512: createHash('sha512')}
}

function digestsOf(hashes: Record<Algorithm, Hash>): Digests {
  return {sha256: hashes.sha256.digest('hex'), sha512: hashes.sha512.digest('hex')}
}

/** Bytes gathered before they are hashed and written: small, so the transient buffers stay small too. */
const BATCH_BYTES = 64 * 1024

/**
 * A new file of a bag being assembled (io/atomic-directory.ts), written through the one FileWriter with both digests
 * updated as the bytes go out: no second read to hash it.
 */
export class HashingWriter {
  private readonly hashes = newHashes()
  private readonly writer: FileWriter

  /** `bagPath` is its name inside the bag. */
  constructor(
    directory: AtomicDirectory,
    readonly bagPath: string,
  ) {
    this.writer = directory.file(bagPath, {
      bufferBytes: BATCH_BYTES,
      onBytes: (bytes) => {
        this.hashes.sha256.update(bytes)
        this.hashes.sha512.update(bytes)
      },
    })
  }

  get bytes(): number {
    return this.writer.written
  }

  /** Closes the file (idempotent) and returns what the manifests need. */
  close(): BagFile {
    this.writer.close()
    return {bytes: this.bytes, digests: digestsOf(this.hashes), path: this.bagPath}
  }

  /** Closes without the digests, on error paths. */
  discard(): void {
    this.writer.discard()
  }

  write(text: string): void {
    this.writer.write(text)
  }

  writeBytes(bytes: Uint8Array): void {
    this.writer.writeBytes(bytes)
  }
}

const READ_CHUNK = 4 * 1024 * 1024

/** Copies `source` to a new file, hashing as it goes: the copy is byte-exact and its digests cost no extra read. */
export function copyHashing(source: string, writer: HashingWriter): BagFile {
  const fd = openSync(source, 'r')
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK)
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null)
      if (read === 0) break
      writer.writeBytes(buffer.subarray(0, read))
    }
  } finally {
    closeSync(fd)
  }

  return writer.close()
}

/**
 * Streams a file once, updating a digest per algorithm (sha256 and sha512 by default; any other a manifest names, if
 * node has it), and hands each chunk to `onChunk`, so the record checks read shards in the same pass. Memory: one 4 MiB
 * buffer.
 */
export async function hashFile(
  path: string,
  onChunk?: (chunk: Buffer) => void,
  algorithms: readonly string[] = ALGORITHMS,
): Promise<{bytes: number; digests: Record<string, string>}> {
  const hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as const)
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new ConvoshiftError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code})`, {
      code: 'INPUT_UNREADABLE',
      exitCode: ExitCode.Io,
    })
  }

  let bytes = 0
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK)
    for (;;) {
      const {bytesRead} = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      for (const [, hash] of hashes) hash.update(chunk)
      onChunk?.(chunk)
      bytes += bytesRead
    }
  } finally {
    await handle.close()
  }

  return {bytes, digests: Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')]))}
}
