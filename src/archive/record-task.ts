/**
 * archive create's step for each converted record, run on a pool worker (engine/pool/task.ts): redact, serialise and
 * hash the conversation, as the single-threaded loop in create.ts does, so the main thread only places lines in shards.
 */
import {createHash} from 'node:crypto'

import {canonicalJson} from '../engine/canonical.js'
import {type JsonObject} from '../engine/json.js'
import {type RecordTask} from '../engine/pool/task.js'
import {hasRules, parseRedactRules, type RedactionCounts, Redactor} from './redact.js'

export interface ArchiveTaskOptions {
  redact: string[]
}

/** What the main thread needs of an archived record: the id to index it by, its messages, its record's SHA-256. */
export interface ArchivedNote {
  id: string
  messages: number
  sha256: string
}

/** One archived record: its line (stable JSON, redacted) and what the index and the counts need. */
export function archivedLine(record: JsonObject): {note: ArchivedNote; text: string} {
  const text = canonicalJson(record)
  return {
    note: {
      id: String(record.sourceId),
      messages: Array.isArray(record.messages) ? record.messages.length : 0,
      sha256: createHash('sha256').update(text).digest('hex'),
    },
    text,
  }
}

export function makeRecordTask(options: ArchiveTaskOptions): RecordTask {
  const rules = parseRedactRules(options.redact)
  const redactor = hasRules(rules) ? new Redactor(rules) : undefined
  return {
    drain(): RedactionCounts | undefined {
      if (!redactor) return undefined
      const counts = {...redactor.counts}
      redactor.resetCounts()
      return counts
    },
    emit(record) {
      const {note, text} = archivedLine(redactor ? redactor.redactValue(record) : record)
      return {line: text + '\n', note}
    },
  }
}
