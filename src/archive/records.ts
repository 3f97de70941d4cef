/**
 * archive create's pass over the input records: each archived in a shard (listed in the index) or rejected, and
 * listed in the id map in input order. In process, or on the worker pool for a JSON Lines file (the same bag, byte for
 * byte): workers convert, redact, serialise and hash (record-task.ts), the main thread places the lines.
 */
import {type Converter, diagnoseWrongFormat, rejectedEntry, type Side} from '../engine/pipeline.js'
import {LINE_LIMIT} from '../engine/pool/chunk.js'
import {newlinePieces} from '../engine/pool/chunks.js'
import {type ConvertedChunk, convertOnPool} from '../engine/pool/pool.js'
import {type FileSource, type InputPosition} from '../io/byte-source.js'
import {throwIfInterrupted} from '../io/interrupt.js'
import {DEFAULT_LIMITS, type RecordLimits} from '../io/limits.js'
import {type RecordSource} from '../io/read-records.js'
import {REJECTED_FILE} from './layout.js'
import {archivedLine, type ArchivedNote, type ArchiveTaskOptions} from './record-task.js'
import {type RedactionCounts, type Redactor} from './redact.js'

/** Where the records go: the bag's payload (create.ts). */
export interface Payload {
  archive(text: string, note: ArchivedNote): Placed
  archiveEncoded(line: Uint8Array, note: ArchivedNote): Placed
  mapId(entry: Record<string, unknown>): void
  reject(entry: Record<string, unknown>): {line: number; sha256: string}
}

export interface Placed {
  line: number
  shard: string
}

export interface ArchiveCounts {
  archived: number
  messages: number
  read: number
  rejected: number
}

export interface RecordsRun {
  counts: ArchiveCounts
  from: Side
  options: {
    from: string
    input: string
    limits?: RecordLimits | undefined
    onProgress?: ((progress: ArchiveCounts & {input?: InputPosition | undefined}) => void) | undefined
    output: string
    redact?: string[] | undefined
  }
  payload: Payload
  redactor: Redactor | undefined
}

interface Position {
  index: number
  line: number
}

function archived(run: RecordsRun, where: Placed, note: ArchivedNote, position: Position): void {
  run.counts.archived++
  run.counts.messages += note.messages
  run.payload.mapId({inputIndex: position.index, inputLine: position.line, id: note.id, outcome: 'archived', ...where})
}

/** A rejected record, redacted as the records are, with its line and reason. */
function rejected(
  run: RecordsRun,
  record: unknown,
  position: Position,
  why: Parameters<typeof rejectedEntry>[3],
): void {
  const {from, payload, redactor} = run
  const reason = typeof why === 'string' ? why : why.reason
  const entry = rejectedEntry(from, record, position, why)
  const kept = redactor ? {...redactor.redactValue(entry), reason: redactor.redactText(reason)} : entry
  const {line, sha256} = payload.reject(kept)
  run.counts.rejected++
  const sourceId = from.identity(record)
  const id = typeof sourceId === 'string' || typeof sourceId === 'number' ? {sourceId: String(sourceId)} : {}
  payload.mapId({
    inputIndex: position.index,
    inputLine: position.line,
    ...id,
    line,
    outcome: 'rejected',
    rejectedFile: REJECTED_FILE,
    sha256,
  })
}

export async function archiveInProcess(run: RecordsRun, converter: Converter, records: RecordSource): Promise<void> {
  const {counts, options, redactor} = run
  for await (const item of records) {
    throwIfInterrupted(options.output)
    counts.read++
    // Input the reader could not take as written (malformed, too deep or large, changed by parsing): rejected.
    const outcome = item.rejected ? {reason: item.rejected.reason} : converter.convert(item.value)
    if (outcome.value) {
      const {note, text} = archivedLine(redactor ? redactor.redactValue(outcome.value) : outcome.value)
      archived(run, run.payload.archive(text, note), note, item)
    } else {
      if (counts.read === 1 && !item.rejected) {
        const wrong = await diagnoseWrongFormat(item.value, options.from, `${options.input}:${item.line}`)
        if (wrong) throw wrong
      }

      rejected(run, item.value, item, item.rejected ?? outcome.reason)
    }

    if (options.onProgress && counts.read % 256 === 0) options.onProgress({...counts, input: records.position})
  }
}

/**
 * The same pass on `workers` pool workers; false (with nothing to keep) when the input needs the single-threaded
 * reader after all, or its first record is rejected (the in-process pass names the format it is).
 */
export async function archiveOnPool(run: RecordsRun, workers: number): Promise<boolean> {
  const {counts, options, payload, redactor} = run
  const limits = options.limits ?? DEFAULT_LIMITS
  const task: ArchiveTaskOptions = {redact: options.redact ?? []}
  const setup = {
    from: options.from,
    limits,
    task: {module: new URL('record-task.js', import.meta.url).href, options: task},
    to: 'neutral',
  }
  let lines = 1
  const reading: {file?: FileSource} = {}
  const pieces = newlinePieces(options.input, Math.min(LINE_LIMIT, limits.maxRecordBytes), reading)
  const {fallback} = await convertOnPool(pieces, setup, workers, async (chunk: ConvertedChunk) => {
    throwIfInterrupted(options.output)
    const first = chunk.rejected[0]
    if (counts.read === 0 && first?.ordinal === 0 && !first.raw) return 'the first record was rejected'
    const emitted = chunk.emitted!
    let offset = 0
    let next = 0
    for (const entry of chunk.rejected) {
      for (; next < emitted.length && emitted[next]!.ordinal < entry.ordinal; next++)
        offset = place(emitted[next]!, offset)
      rejected(
        run,
        entry.record,
        {index: counts.read + entry.ordinal, line: lines + entry.line},
        entry.raw ?? entry.reason,
      )
    }

    for (; next < emitted.length; next++) offset = place(emitted[next]!, offset)
    if (redactor && chunk.taskCounts) {
      const add = chunk.taskCounts as RedactionCounts
      for (const kind of Object.keys(add) as Array<keyof RedactionCounts>) redactor.counts[kind] += add[kind]
    }

    lines += chunk.lines
    counts.read += chunk.records
    options.onProgress?.({...counts, input: reading.file?.position})

    function place(record: (typeof emitted)[number], start: number): number {
      const note = record.note as ArchivedNote
      const end = start + record.bytes
      const where = payload.archiveEncoded(chunk.out.subarray(start, end), note)
      archived(run, where, note, {index: counts.read + record.ordinal, line: lines + record.line})
      return end
    }
  })
  return fallback === undefined
}
