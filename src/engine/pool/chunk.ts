import {isUtf8} from 'node:buffer'

import {readJsonLine, type RejectedInput} from '../../io/json-line.js'
import {type RecordLimits} from '../../io/limits.js'
import {canonicalLine} from '../canonical.js'
import {type Converter, type MappingStats, type Side} from './core.js'
import {type Emitted, type RecordTask} from './task.js'

/** Whole JSON Lines lines of the input, as read: what the main thread hands a worker (the buffer is transferred). */
export interface Chunk {
  bytes: ArrayBuffer
  length: number
  seq: number
}

/** A record the chunk rejected: the mapping's reason, or (`raw`) input that could not be read exactly. */
export interface RejectedInChunk {
  /** 0-based line within the chunk; the main thread adds the lines of the chunks before. */
  line: number
  /** 0-based record within the chunk; the main thread adds the records before. */
  ordinal: number
  raw?: RejectedInput
  reason: string
  record?: unknown
}

type StatsEntries = {[K in keyof MappingStats]: Array<[string, number]>}

export type ChunkResult =
  | {
      converted: number
      /** With a task: each converted record, in order (its line is the next `bytes` of `out`). */
      emitted?: Emitted[]
      fallback?: undefined
      /** The source identity of each converted record, in order (to count duplicate and empty ids). */
      ids: unknown[]
      /** Newlines in the chunk. */
      lines: number
      /** The converted records, UTF-8, one per line (the buffer is transferred back). */
      out: Uint8Array
      records: number
      rejected: RejectedInChunk[]
      seq: number
      stats: StatsEntries
      /** With a task: its counts for the chunk. */
      taskCounts?: unknown
    }
  /** Input only the single-threaded reader handles exactly (see `convertChunk`): the run starts again without the pool. */
  | {fallback: string; seq: number}

/** JSON Lines whitespace: space, tab and CR between values; a newline ends a line. */
const SPACE = 0x20
const TAB = 0x09
const CR = 0x0d
const NEWLINE = 0x0a
/** A line longer than this is read the document way by the single-threaded reader (read-records.ts LINE_LIMIT). */
export const LINE_LIMIT = 4 * 1024 * 1024

/**
 * Decodes, parses, maps, checks, serialises and encodes one chunk: a worker's whole job. Each line is read exactly as
 * the single-threaded reader reads a JSON Lines line (readJsonLine, the same limits). Lines it reads some other way —
 * a line that ends inside its value (it may go on over the next lines), one longer than the line limit (streamed the
 * document way), bytes that are not UTF-8 (a located error) — give `fallback` instead: rare, and the single-threaded
 * run owns their exact handling. Statistics gathered travel with the result (and are cleared here). A `task` decides
 * the line written for each converted record.
 */
export function makeChunkConverter(
  converter: Converter,
  from: Pick<Side, 'envelope' | 'identity'>,
  limits: RecordLimits,
  task?: RecordTask,
): (chunk: Chunk) => ChunkResult {
  const envelopeKeys = new Set(from.envelope)
  const longest = Math.min(LINE_LIMIT, limits.maxRecordBytes)
  return ({bytes, length, seq}) => {
    const buffer = Buffer.from(bytes, 0, length)
    if (!isUtf8(buffer)) return {fallback: 'bytes that are not UTF-8', seq}
    const out = new OutputBytes(length)
    let records = 0
    let converted = 0
    let line = 0
    let lineStart = 0
    const ids: unknown[] = []
    const rejected: RejectedInChunk[] = []
    const emitted: Emitted[] = []
    let pos = 0
    while (pos < length) {
      const byte = buffer[pos]
      if (byte === SPACE || byte === TAB || byte === CR) {
        pos++
        continue
      }

      if (byte === NEWLINE) {
        pos++
        line++
        lineStart = pos
        continue
      }

      const newline = buffer.indexOf(NEWLINE, pos)
      const end = newline === -1 ? length : newline
      if (end - pos > longest) return {fallback: `line ${line} is longer than ${longest} bytes`, seq}
      // Leading blanks are ASCII: one byte, one column.
      const outcome = readJsonLine(
        buffer.toString('utf8', pos, end),
        envelopeKeys,
        limits.maxDepth,
        pos - lineStart + 1,
      )
      if (outcome.endsEarly) return {fallback: `a line ends inside its value`, seq}
      for (const record of outcome.records) {
        if (record.rejected) {
          rejected.push({
            line,
            ordinal: records++,
            raw: record.rejected,
            reason: record.rejected.reason,
            record: record.value,
          })
          continue
        }

        const result = converter.convert(record.value)
        if (result.value) {
          if (task) {
            const {line: text, note} = task.emit(result.value)
            emitted.push({bytes: out.write(text), line, note, ordinal: records})
          } else {
            out.write(canonicalLine(result.value))
          }

          ids.push(from.identity(record.value))
          converted++
        } else {
          rejected.push({line, ordinal: records, reason: result.reason, record: record.value})
        }

        records++
      }

      pos = end
    }

    const {stats} = converter
    return {
      converted,
      ...(task ? {emitted, taskCounts: task.drain()} : {}),
      ids,
      lines: line,
      out: out.bytes(),
      records,
      rejected,
      seq,
      stats: {
        carried: drain(stats.carried),
        conflicts: drain(stats.conflicts),
        declined: drain(stats.declined),
        noHome: drain(stats.noHome),
      },
    }
  }
}

/**
 * A chunk's output, encoded as each line is made. Joining the lines into one string first kept every line of the chunk
 * alive until its end, so they survived young-generation collections and were copied and promoted; written here at
 * once they die young. Its own (unpooled) memory, so the result can be transferred.
 */
class OutputBytes {
  private buffer: Buffer
  private used = 0

  constructor(expected: number) {
    this.buffer = Buffer.allocUnsafeSlow(expected)
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, 0, this.used)
  }

  /** Returns the bytes written. */
  write(text: string): number {
    // A UTF-16 code unit takes at most three UTF-8 bytes.
    const room = this.used + text.length * 3
    if (room > this.buffer.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(room, this.buffer.length * 2))
      this.buffer.copy(larger, 0, 0, this.used)
      this.buffer = larger
    }

    const written = this.buffer.write(text, this.used)
    this.used += written
    return written
  }
}

function drain(map: Map<string, number>): Array<[string, number]> {
  const entries = [...map]
  map.clear()
  return entries
}
