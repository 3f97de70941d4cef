/**
 * Record-level checks of a convoshift bag. Each shard is fed to `RecordChecker` as it is hashed; its index entries are
 * read just before it (the index lists shards in order), so memory holds one shard's entries at most. Every index entry
 * read is handed to the `Ledger` (verify-ledger.ts), which pairs it with the id map.
 */
import {join} from 'node:path'

import {INDEX_FILE, IndexEntry, SHARD_DIR} from './layout.js'
import {fileLines, type Line, parseLine} from './lines.js'
import {Ledger, type LedgerCounts, type Problems, sha256} from './verify-ledger.js'

export {type Problems} from './verify-ledger.js'

/** Per shard: how many records it holds (the Shard-Size claim needs them). */
export interface ShardFacts {
  bytes: number
  records: number
}

export interface RecordFacts extends LedgerCounts {
  /** Index lines (well-formed or not). */
  conversations: number
  messages: number
  shards: Map<string, ShardFacts>
}

export class RecordChecker {
  checked = 0
  private carry: Buffer | undefined
  private entries: IndexEntry[] = []
  private indexEntries = 0
  private readonly indexLines: AsyncGenerator<Line>
  private indexLine = 0
  private readonly ledger: Ledger
  private line = 0
  private messages = 0
  private nextEntry: IndexEntry | undefined
  private readonly seenShards = new Set<string>()
  private readonly shards = new Map<string, ShardFacts>()

  /** `indexed`: the bag has an index (without one, its absence is the one problem, not every record). */
  constructor(
    root: string,
    private readonly problems: Problems,
    private readonly check: (record: unknown) => string | undefined,
    private readonly indexed: boolean,
  ) {
    this.indexLines = fileLines(join(root, INDEX_FILE))
    this.ledger = new Ledger(root, problems)
  }

  /** The chunk callback for one payload file (undefined when the file is not a shard). */
  chunkHandler(path: string): ((chunk: Buffer) => void) | undefined {
    if (!path.startsWith(`${SHARD_DIR}/`)) return undefined
    return (chunk) => this.shardChunk(path, chunk)
  }

  endFile(path: string, bytes: number): void {
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

    this.shards.set(path, {bytes, records: this.line})
    this.entries = []
  }

  async finish(): Promise<RecordFacts> {
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

    await this.ledger.finish()
    return {...this.ledger.counts, conversations: this.indexEntries, messages: this.messages, shards: this.shards}
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
    let record: unknown
    try {
      record = JSON.parse(bytes.toString('utf8'))
    } catch {
      this.problems.add({
        file: path,
        line: this.line,
        ...(entry ? {record: entry.id} : {}),
        problem: 'not valid JSON (truncated or edited)',
      })
      return
    }

    const {messages, sourceId} = (record ?? {}) as {messages?: unknown; sourceId?: unknown}
    if (Array.isArray(messages)) this.messages += messages.length
    const id = typeof sourceId === 'string' ? sourceId : undefined
    const at = {file: path, line: this.line, ...(id || entry ? {record: id ?? entry!.id} : {})}
    if (entry) {
      if (entry.line !== this.line) this.problems.add({...at, problem: `${INDEX_FILE} says line ${entry.line}`})
      if (id !== entry.id) this.problems.add({...at, problem: `${INDEX_FILE} says this is conversation ${entry.id}`})
      if (sha256(bytes) !== entry.sha256) {
        this.problems.add({
          ...at,
          problem: `record does not match its SHA-256 in ${INDEX_FILE} (the record was edited)`,
        })
      }
    } else if (this.indexed) {
      this.problems.add({...at, problem: `not listed in ${INDEX_FILE} (a record added to the shard?)`})
    }

    const invalid = this.check(record)
    if (invalid) this.problems.add({...at, problem: `not a valid neutral conversation: ${invalid}`})
  }

  /** The next well-formed index entry; a malformed line is reported and still takes its place in the id map. */
  private async readEntry(): Promise<IndexEntry | undefined> {
    for (;;) {
      const next = await this.indexLines.next()
      if (next.done) return undefined
      this.indexLine = next.value.line
      this.indexEntries++
      const parsed = parseLine(IndexEntry, next.value.bytes)
      if ('value' in parsed) {
        await this.ledger.onIndexEntry(parsed.value, this.indexLine)
        return parsed.value
      }

      this.problems.add({file: INDEX_FILE, line: this.indexLine, problem: `not an index entry: ${parsed.error}`})
      await this.ledger.onIndexEntry(undefined, this.indexLine)
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
