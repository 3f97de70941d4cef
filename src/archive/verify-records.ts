/**
 * Record-level checks of a convoshift bag. Each shard is fed to `RecordChecker` as it is hashed; its index entries are
 * read just before it (the index lists shards in order), so memory holds one shard's entries at most. Every index entry
 * is paired, in order, with the next "archived" line of data/id-map.jsonl, and every "rejected" id-map line with the
 * next line of data/rejected.jsonl and its SHA-256 (`Ledger`): no one of these files can be edited alone.
 */
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import {type z} from 'zod'

import {type ArchiveProblem} from '../schemas/archive.js'
import {ID_MAP_FILE, IdMapEntry, INDEX_FILE, IndexEntry, REJECTED_FILE, RejectedLine, SHARD_DIR} from './layout.js'
import {fileLines, type Line, parseLine} from './lines.js'

export interface Problems {
  add(problem: z.infer<typeof ArchiveProblem>): void
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** What the ledger counted, for the bag-info claims. */
export interface LedgerCounts {
  archived: number
  idMapLines: number
  rejected: number
  rejectedLines: number
}

/** data/id-map.jsonl against the index (archived lines) and data/rejected.jsonl (rejected lines), in one pass. */
class Ledger {
  readonly counts: LedgerCounts = {archived: 0, idMapLines: 0, rejected: 0, rejectedLines: 0}
  private readonly idMap: AsyncGenerator<Line>
  private nextInput = 0
  /** Set once a line is found missing, added or moved: pairing further lines would only repeat that finding. */
  private outOfStep = false
  private previousInputLine = 0
  private readonly rejected: AsyncGenerator<Line>

  constructor(
    root: string,
    private readonly problems: Problems,
  ) {
    this.idMap = fileLines(join(root, ID_MAP_FILE))
    this.rejected = fileLines(join(root, REJECTED_FILE))
  }

  async finish(): Promise<void> {
    for (;;) {
      const next = await this.nextIdMap()
      if (!next) break
      if (next.entry?.outcome === 'archived' && !this.outOfStep) {
        this.stepOut(next.line, `conversation ${next.entry.id} is archived here, but ${INDEX_FILE} has no entry left`)
      }
    }

    for (;;) {
      const extra = await this.rejected.next()
      if (extra.done) break
      this.counts.rejectedLines++
      if (!this.outOfStep) {
        this.outOfStep = true
        this.problems.add({
          file: REJECTED_FILE,
          line: extra.value.line,
          problem: `not in ${ID_MAP_FILE} (a rejected record added?)`,
        })
      }
    }
  }

  /** Pairs one index entry (undefined: a malformed one, which still takes its place) with the next archived line. */
  async onIndexEntry(entry: IndexEntry | undefined, indexLine: number): Promise<void> {
    for (;;) {
      const next = await this.nextIdMap()
      if (!next) {
        if (!this.outOfStep && entry) {
          this.outOfStep = true
          this.problems.add({
            file: INDEX_FILE,
            line: indexLine,
            problem: `conversation ${entry.id} is not in ${ID_MAP_FILE} (it has fewer archived records than the index)`,
          })
        }

        return
      }

      if (next.entry?.outcome === 'rejected') continue
      const mapped = next.entry
      if (!mapped || !entry || this.outOfStep) return
      if (mapped.id !== entry.id || mapped.shard !== entry.shard || mapped.line !== entry.line) {
        this.problems.add({
          file: ID_MAP_FILE,
          line: next.line,
          problem: `says conversation ${mapped.id} is at ${mapped.shard}:${mapped.line}, but ${INDEX_FILE}:${indexLine} has ${entry.id} at ${entry.shard}:${entry.line}`,
        })
      }

      return
    }
  }

  private async checkRejected(entry: Extract<IdMapEntry, {outcome: 'rejected'}>, at: number): Promise<void> {
    const next = await this.rejected.next()
    if (next.done) {
      this.stepOut(at, `names ${REJECTED_FILE} line ${entry.line}, which is not there`)
      return
    }

    this.counts.rejectedLines++
    const {bytes, line} = next.value
    if (this.outOfStep) return
    if (entry.line !== line) {
      this.stepOut(at, `names ${REJECTED_FILE} line ${entry.line}, but the next rejected record is line ${line}`)
      return
    }

    if (sha256(bytes) !== entry.sha256) {
      this.problems.add({
        file: REJECTED_FILE,
        line,
        problem: `does not match its SHA-256 in ${ID_MAP_FILE}:${at} (the rejected record was edited)`,
      })
      return
    }

    const parsed = parseLine(RejectedLine, bytes)
    if ('error' in parsed) {
      this.problems.add({file: REJECTED_FILE, line, problem: `not a rejected record: ${parsed.error}`})
      return
    }

    const record = parsed.value
    const id = record.id === undefined ? undefined : String(record.id)
    if (record.index !== entry.inputIndex || record.line !== entry.inputLine || id !== entry.sourceId) {
      this.problems.add({
        file: ID_MAP_FILE,
        line: at,
        problem: `says input record ${entry.inputIndex} (line ${entry.inputLine}) was rejected as ${REJECTED_FILE}:${line}, which holds record ${record.index} (line ${record.line})${id === entry.sourceId ? '' : ` with id ${id ?? 'none'}, not ${entry.sourceId ?? 'none'}`}`,
      })
    }
  }

  /** The next id-map line, checked on its own (form, input order) and, when rejected, against data/rejected.jsonl. */
  private async nextIdMap(): Promise<undefined | {entry: IdMapEntry | undefined; line: number}> {
    const next = await this.idMap.next()
    if (next.done) return undefined
    const {bytes, line} = next.value
    this.counts.idMapLines++
    const parsed = parseLine(IdMapEntry, bytes)
    if ('error' in parsed) {
      this.problems.add({file: ID_MAP_FILE, line, problem: `not an id map entry: ${parsed.error}`})
      // Archived or rejected, it cannot tell: pairing the lines after it would only misreport them.
      this.outOfStep = true
      this.nextInput++
      return {entry: undefined, line}
    }

    const entry = parsed.value
    if (entry.inputIndex !== this.nextInput && !this.outOfStep) {
      this.stepOut(
        line,
        `inputIndex is ${entry.inputIndex}, expected ${this.nextInput} (a line removed, added or moved)`,
      )
    } else if (entry.inputLine < this.previousInputLine && !this.outOfStep) {
      this.stepOut(line, `inputLine ${entry.inputLine} comes after line ${this.previousInputLine} (out of input order)`)
    }

    this.nextInput = entry.inputIndex + 1
    this.previousInputLine = entry.inputLine
    if (entry.outcome === 'archived') this.counts.archived++
    else {
      this.counts.rejected++
      await this.checkRejected(entry, line)
    }

    return {entry, line}
  }

  private stepOut(line: number, problem: string): void {
    this.outOfStep = true
    this.problems.add({file: ID_MAP_FILE, line, problem})
  }
}

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

  constructor(
    root: string,
    private readonly problems: Problems,
    private readonly check: (record: unknown) => string | undefined,
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
    } else {
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
