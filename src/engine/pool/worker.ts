/**
 * A pool worker: turns chunks of JSON Lines input into encoded output (chunk.ts), so the main thread only reads and
 * writes. Results go back in the order received, their output buffer transferred.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {type Chunk, type ChunkResult, makeChunkConverter} from './chunk.js'
import {makeConverter, resolveSides} from './core.js'
import {type PoolSetup} from './pool.js'
import {type RecordTask} from './task.js'

const setup = workerData as PoolSetup
const {from, to} = await resolveSides(setup)
const converter = makeConverter(from, to, {withoutExtensions: setup.withoutExtensions === true})
const task = setup.task
  ? ((await import(setup.task.module)) as {makeRecordTask: (options: unknown) => RecordTask}).makeRecordTask(
      setup.task.options,
    )
  : undefined
const convertChunk = makeChunkConverter(converter, from, setup.limits, task)

parentPort!.on('message', (chunk: Chunk) => {
  const result: ChunkResult = convertChunk(chunk)
  parentPort!.postMessage(result, result.fallback === undefined ? [result.out.buffer as ArrayBuffer] : [])
})
