import {rm} from 'node:fs/promises'

import {isPlainObject} from '../../engine/json.js'
import {type Side} from '../../engine/pipeline.js'
import {type RecordLimits} from '../../io/limits.js'
import {openOutput, type OutputSink} from '../../io/output.js'
import {type InputRecord, openRecords} from '../../io/read-records.js'
import {stableLine} from '../../util/stable-json.js'
import {digest} from '../hash.js'
import {readLines} from '../lines.js'
import {type StepProgress} from '../runner.js'

export interface SourceStepResult {
  [key: string]: number | string
  /** Records new in this run (all of them in a full run). */
  added: number
  /** Records already migrated whose content changed (delta runs). */
  changed: number
  /** Later copies of a conversation the input held more than once (the last copy is kept). */
  duplicates: number
  mode: 'delta' | 'full'
  /** Records read from the input. */
  read: number
  /** Conversations in the workspace source after this run. */
  records: number
  /** Records of the input already migrated unchanged (delta runs). */
  unchanged: number
}

/**
 * A record's key in the workspace: its conversation id, or, for a record without one, the digest of its content
 * (such records still flow to convert, which rejects or converts them, but cannot be matched across runs by id).
 */
function keyOf(side: Side, record: unknown, line: string): string {
  const id = isPlainObject(record) ? side.identity(record) : undefined
  return typeof id === 'string' || typeof id === 'number' ? `id:${id}` : `#${digest(line)}`
}

async function write(sink: OutputSink, text: string): Promise<void> {
  const pending = sink.write(text)
  if (pending) await pending
}

export interface BuildSourceOptions {
  /** The previous run's source (delta runs): only records new or changed against it are added. */
  base?: string | undefined
  delta: string
  from: Side
  input: string
  limits: RecordLimits
  onProgress: (progress: StepProgress) => void
  source: string
}

/**
 * Builds the workspace source: the input's records as JSON Lines (stable key order), one line per conversation. The
 * input is read twice (streaming): first to learn the last copy of each conversation, then to write it. A delta run
 * writes the records new or changed against the base to the delta file, and the merged source as the base minus the
 * changed conversations, followed by the delta: what a full run over the merged records would hold, in a stable order.
 * Memory grows with the number of conversations (a key and a 22-character digest each), never with their size.
 */
export async function buildSource(options: BuildSourceOptions): Promise<SourceStepResult> {
  const {from} = options
  const last = new Map<string, {digest: string; index: number}>()
  let read = 0
  // Strict: input the reader rejects (malformed, too deep or large, changed by parsing) stops the run with its line;
  // the workspace source holds records exactly as read, or none.
  const read$ = (): Promise<AsyncIterable<InputRecord>> =>
    openRecords({envelopeKeys: from.envelope, limits: options.limits, path: options.input, strict: true})
  for await (const item of await read$()) {
    const line = stableLine(item.value)
    last.set(keyOf(from, item.value, line), {digest: digest(line), index: item.index})
    read++
    if (read % 1024 === 0) options.onProgress({done: read, unit: 'records'})
  }

  const base = new Map<string, string>()
  if (options.base) {
    for await (const line of readLines(options.base))
      base.set(keyOf(from, JSON.parse(line), line + '\n'), digest(line + '\n'))
  }

  const counts = {added: 0, changed: 0, duplicates: 0, unchanged: 0}
  const delta = options.base ? new Set<string>() : undefined
  const sink = await openOutput(options.base ? options.delta : options.source)
  let merged: OutputSink | undefined
  try {
    let seen = 0
    for await (const item of await read$()) {
      const line = stableLine(item.value)
      const key = keyOf(from, item.value, line)
      const entry = last.get(key)!
      seen++
      if (seen % 1024 === 0) options.onProgress({done: seen, total: read, unit: 'records'})
      if (entry.index !== item.index) {
        counts.duplicates++
        continue
      }

      const previous = base.get(key)
      if (previous === entry.digest) {
        counts.unchanged++
        continue
      }

      if (previous === undefined) counts.added++
      else counts.changed++
      delta?.add(key)
      await write(sink, line)
    }

    await sink.commit()
    let records = counts.added
    if (options.base && delta) {
      merged = await openOutput(options.source)
      records = 0
      for await (const line of readLines(options.base)) {
        if (delta.has(keyOf(from, JSON.parse(line), line + '\n'))) continue
        await write(merged, line + '\n')
        records++
      }

      for await (const line of readLines(options.delta)) {
        await write(merged, line + '\n')
        records++
      }

      await merged.commit()
    } else {
      // A full run: the delta file of an earlier delta run no longer describes this source.
      await rm(options.delta, {force: true})
    }

    return {...counts, mode: options.base ? 'delta' : 'full', read, records}
  } catch (error) {
    await sink.abort()
    await merged?.abort()
    throw error
  }
}

export function describeSource(result: SourceStepResult): string {
  const parts = [`${result.records} conversations`]
  if (result.mode === 'delta')
    parts.push(`${result.added} new, ${result.changed} changed, ${result.unchanged} unchanged`)
  if (result.duplicates > 0) parts.push(`${result.duplicates} duplicate copies dropped (the last copy kept)`)
  return parts.join('; ')
}
