import {type Converter, type Side} from '../engine/pipeline.js'
import {readJsonLine} from '../io/json-line.js'
import {type RecordLimits} from '../io/limits.js'
import {stableLine} from '../util/stable-json.js'
import {type BatchRequest, type BatchResult, type RejectedInBatch} from './parallel.js'

/**
 * Parses, validates, maps and serialises one batch of raw JSON Lines lines: the unit of work of a parallel run, on a
 * worker thread or on the main thread. Lines are read exactly as the single-threaded reader reads them (readJsonLine);
 * the statistics gathered travel with the result (and are cleared here).
 */
export function makeBatchConverter(
  converter: Converter,
  from: Pick<Side, 'envelope' | 'identity'>,
  limits: RecordLimits,
): (request: BatchRequest) => BatchResult {
  const envelopeKeys = new Set(from.envelope)
  return (request) => {
    let out = ''
    let records = 0
    let converted = 0
    const ids: unknown[] = []
    const rejected: RejectedInBatch[] = []
    for (const item of request.items) {
      if (item.rejected) {
        // The reader rejected the line itself (larger than the limit).
        rejected.push({line: item.line, ordinal: records++, raw: item.rejected, reason: item.rejected.reason})
        continue
      }

      const outcome = readJsonLine(item.text, envelopeKeys, limits.maxDepth, item.column)
      // A line that ends early may go on over the next lines: only the single-threaded reader can tell.
      if (outcome.endsEarly) return {fallback: `line ${item.line} does not parse on its own`, seq: request.seq}
      for (const record of outcome.records) {
        if (record.rejected) {
          const {rejected: raw, value} = record
          rejected.push({line: item.line, ordinal: records++, raw, reason: raw.reason, record: value})
          continue
        }

        const result = converter.convert(record.value)
        if (result.value) {
          out += stableLine(result.value)
          ids.push(from.identity(record.value))
          converted++
        } else {
          rejected.push({line: item.line, ordinal: records, reason: result.reason, record: record.value})
        }

        records++
      }
    }

    return {
      carried: drain(converter.stats.carried),
      conflicts: drain(converter.stats.conflicts),
      converted,
      declined: drain(converter.stats.declined),
      ids,
      noHome: drain(converter.stats.noHome),
      out,
      records,
      rejected,
      seq: request.seq,
    }
  }
}

function drain(map: Map<string, number>): Array<[string, number]> {
  const entries = [...map]
  map.clear()
  return entries
}
