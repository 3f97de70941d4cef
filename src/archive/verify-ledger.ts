/**
 * data/id-map.jsonl against the index and data/rejected.jsonl, in one pass: every index entry is paired, in order, with
 * the next "archived" line of the id map, and every "rejected" id-map line with the next line of the rejected file and
 * its SHA-256. So none of the three files can be edited alone. Memory: one line of each.
 */
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import {type z} from 'zod'

import {type ArchiveProblem} from '../schemas/archive.js'
import {ID_MAP_FILE, IdMapEntry, INDEX_FILE, type IndexEntry, REJECTED_FILE, RejectedLine} from './layout.js'
import {fileLines, type Line, parseLine} from './lines.js'

export interface Problems {
  add(problem: z.infer<typeof ArchiveProblem>): void
}

export function sha256(bytes: Buffer): string {
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
export class Ledger {
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
