import {type JsonObject} from '../json.js'

/**
 * What a command other than convert does with each converted record on a pool worker (archive create redacts and
 * hashes it). The worker imports `module`, which exports `makeRecordTask(options)`: so the engine runs the command's
 * per-record step without importing the command. Without a task a worker writes each record's stable JSON line.
 */
export interface PoolTask {
  module: string
  /** Structured-cloned into the worker. */
  options: unknown
}

export interface RecordTask {
  /** Counts gathered since the last call, then cleared: they travel with each chunk and the main thread adds them up. */
  drain(): unknown
  /** The line to write for a converted record (with its newline), and what the main thread must know of it. */
  emit(record: JsonObject): {line: string; note: unknown}
}

/** A record a task emitted: where it sits in its chunk, its line's length in bytes, and the task's note. */
export interface Emitted {
  bytes: number
  line: number
  note: unknown
  ordinal: number
}
