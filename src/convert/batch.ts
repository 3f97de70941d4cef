import {expandTopLevel} from '../io/read-records.js'
import {stableLine} from '../util/stable-json.js'
import {type BatchRequest, type BatchResult} from './parallel.js'
import {type Converter} from './pipeline.js'

/**
 * Parses, validates, maps and serialises one batch of raw JSON Lines lines: the unit of work of a parallel run, on a
 * worker thread or on the main thread. The statistics it gathered travel with the result (and are cleared here).
 */
export function makeBatchConverter(
  converter: Converter,
  envelopeKeys: ReadonlySet<string>,
): (request: BatchRequest) => BatchResult {
  return (request) => {
    let out = ''
    let records = 0
    let converted = 0
    const rejected: Array<{line: number; ordinal: number; reason: string; record: unknown}> = []
    for (const item of request.items) {
      let value: unknown
      try {
        value = JSON.parse(item.text)
      } catch {
        // The single-threaded reader owns error reporting (line, column, multi-line values): hand it back.
        return {fallback: `line ${item.line} does not parse on its own`, seq: request.seq}
      }

      const expanded = expandTopLevel(value, envelopeKeys)
      if (!expanded) return {fallback: `line ${item.line} is not a record`, seq: request.seq}
      for (const record of expanded.records) {
        const outcome = converter.convert(record)
        if (outcome.value) {
          out += stableLine(outcome.value)
          converted++
        } else {
          rejected.push({line: item.line, ordinal: records, reason: outcome.reason, record})
        }

        records++
      }
    }

    return {
      carried: drain(converter.stats.carried),
      conflicts: drain(converter.stats.conflicts),
      converted,
      declined: drain(converter.stats.declined),
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
