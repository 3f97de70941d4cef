/**
 * The export kept as evidence (data/originals/) against the id map. The id map has one line per record of the export, in
 * its order, with the record's line and id; the export's SHA-256 is in bag-info.txt. So a conversation cannot vanish
 * from the archive by being removed from a shard, the index and the id map alike: the export still holds it.
 */
import {join} from 'node:path'

import {loadSide} from '../engine/pipeline.js'
import {type RecordLimits} from '../io/limits.js'
import {openRecords, type RecordSource} from '../io/read-records.js'
import {ID_MAP_FILE, IdMapEntry} from './layout.js'
import {fileLines, parseLine} from './lines.js'
import {type Problems} from './verify-ledger.js'

type Findings = Problems & {has(file: string, line: number): boolean}

/** The export in the bag: its path in the bag, its record shape, and the limits archive create read it with. */
export interface Evidence {
  limits: RecordLimits
  path: string
  shape: string
}

/** Reads the export as `archive create` read it (shape, limits) and pairs each record with its id-map line. */
export async function checkEvidence(
  root: string,
  evidence: Evidence,
  problems: Findings,
  onProgress?: (paired: number) => void,
): Promise<void> {
  const {limits, path: original, shape} = evidence
  const side = await loadSide(shape)
  const idMap = fileLines(join(root, ID_MAP_FILE))
  let records: RecordSource | undefined
  let count = 0
  try {
    records = await openRecords({envelopeKeys: side.envelope, limits, path: join(root, original)})
    for await (const item of records) {
      count++
      if (count % 256 === 0) onProgress?.(count)
      const next = await idMap.next()
      if (next.done) {
        problems.add({
          file: original,
          line: item.line,
          problem: `record ${item.index} is not in ${ID_MAP_FILE} (it has ${count - 1} lines): a record of the export left out`,
        })
        return
      }

      const parsed = parseLine(IdMapEntry, next.value.bytes)
      if ('error' in parsed) return // reported by the id-map checks
      const entry = parsed.value
      const identity = side.identity(item.value)
      const id = typeof identity === 'string' || typeof identity === 'number' ? String(identity) : undefined
      const mapped = entry.outcome === 'archived' ? entry.id : entry.sourceId
      if (entry.inputIndex !== item.index || entry.inputLine !== item.line || mapped !== id) {
        // A line the index or rejected-file checks already named is not named twice.
        if (problems.has(ID_MAP_FILE, next.value.line)) return
        problems.add({
          file: ID_MAP_FILE,
          line: next.value.line,
          problem: `says input record ${entry.inputIndex} (line ${entry.inputLine}) is ${mapped ?? 'without an id'}, but record ${item.index} of ${original} (line ${item.line}) is ${id ?? 'without an id'}`,
        })
        return
      }
    }
  } catch (error) {
    problems.add({file: original, problem: `cannot be read as ${shape} records: ${(error as Error).message}`})
    return
  } finally {
    await records?.close()
  }

  const extra = await idMap.next()
  if (!extra.done) {
    problems.add({
      file: ID_MAP_FILE,
      line: extra.value.line,
      problem: `${original} holds ${count} records, but the id map goes on (an input record added?)`,
    })
  }
}
