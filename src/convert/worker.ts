/**
 * A conversion worker: parses, validates, maps and serialises batches of raw JSON Lines lines, so that on a
 * multi-core machine the mapping work runs beside the reading and writing. Results go back in the order received.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {expandTopLevel} from '../io/read-records.js'
import {stableLine} from '../util/stable-json.js'
import {type BatchRequest, type BatchResult, type WorkerSetup} from './parallel.js'
import {makeConverter, resolveSides} from './pipeline.js'

const setup = workerData as WorkerSetup
const {from, to} = await resolveSides(setup)
const converter = makeConverter(from, to)
const envelopeKeys = new Set(from.envelope)

function drain(map: Map<string, number>): Array<[string, number]> {
  const entries = [...map]
  map.clear()
  return entries
}

function convertBatch(request: BatchRequest): BatchResult {
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
    converted,
    carried: drain(converter.stats.carried),
    declined: drain(converter.stats.declined),
    noHome: drain(converter.stats.noHome),
    out,
    records,
    rejected,
    seq: request.seq,
  }
}

parentPort!.on('message', (request: BatchRequest) => {
  parentPort!.postMessage(convertBatch(request))
})
parentPort!.postMessage({ready: true})
