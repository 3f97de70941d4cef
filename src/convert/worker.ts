/**
 * A conversion worker: parses, validates, maps and serialises batches of raw JSON Lines lines, so that on a
 * multi-core machine the mapping work runs beside the main thread's. Results go back in the order received.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {makeConverter, resolveSides} from '../engine/pipeline.js'
import {makeBatchConverter} from './batch.js'
import {type BatchRequest, type WorkerSetup} from './parallel.js'

const setup = workerData as WorkerSetup
const {from, to} = await resolveSides(setup)
const converter = makeConverter(from, to, {withoutExtensions: setup.withoutExtensions === true})
const convertBatch = makeBatchConverter(converter, from, setup.limits)

parentPort!.on('message', (request: BatchRequest) => {
  parentPort!.postMessage(convertBatch(request))
})
parentPort!.postMessage({ready: true})
