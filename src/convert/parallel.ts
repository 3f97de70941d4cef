import {Worker} from 'node:worker_threads'

import {type RecordLimits} from '../io/limits.js'
import {type InputRecord, type RejectedInput} from '../io/read-records.js'

/**
 * Runs the conversion of raw JSON Lines lines on `jobs` threads, the main thread being one of them, keeping output
 * order: a batch goes to the least busy worker, or is converted on the main thread when every worker has enough, and
 * results are written strictly in sequence, so the output is byte-identical to a single-threaded run. Anything unusual (a line that does not parse alone, the first record rejected) ends the
 * attempt with `fallback`, and the caller starts again single-threaded, which owns exact error reporting.
 */
export interface WorkerSetup {
  from: string
  limits: RecordLimits
  mapping?: string | undefined
  to: string
  withoutExtensions?: boolean
}

/** A line to read (`text` from `column` on), or one the reader already rejected. */
export type BatchItem =
  | {column: number; line: number; rejected?: undefined; text: string}
  | {column?: undefined; line: number; rejected: RejectedInput; text?: undefined}

export interface BatchRequest {
  items: BatchItem[]
  seq: number
}

/** A record the batch rejected: the mapping's reason, or (`raw`) input that could not be read exactly. */
export interface RejectedInBatch {
  line: number
  ordinal: number
  raw?: RejectedInput
  reason: string
  record?: unknown
}

export type BatchResult =
  | {
      converted: number
      carried: Array<[string, number]>
      conflicts: Array<[string, number]>
      declined: Array<[string, number]>
      fallback?: undefined
      /** The source identity of each converted record, in order (to count duplicate and empty ids). */
      ids: unknown[]
      noHome: Array<[string, number]>
      out: string
      records: number
      rejected: RejectedInBatch[]
      seq: number
    }
  | {fallback: string; seq: number}

export interface ParallelSink {
  /** Writes one batch's results; returns a reason when the attempt must start again single-threaded. */
  onBatch(result: Exclude<BatchResult, {fallback: string}>): Promise<string | undefined>
}

/** Lines per batch, and text per batch: large enough to amortise messaging, small enough to bound memory. */
const BATCH_LINES = 64
const BATCH_CHARS = 1024 * 1024
const IN_FLIGHT_PER_WORKER = 2

function startWorker(setup: WorkerSetup): Promise<Worker> {
  const ts = import.meta.url.endsWith('.ts')
  // Under ts-node (tests, bin/dev.js) the worker is TypeScript too and needs the same loader.
  const worker = new Worker(new URL(ts ? './worker.ts' : './worker.js', import.meta.url), {
    execArgv: ts ? ['--loader', 'ts-node/esm', '--no-warnings'] : [],
    workerData: setup,
  })
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker))
    worker.once('error', reject)
  })
}

export async function convertInParallel(
  items: AsyncIterable<InputRecord>,
  setup: WorkerSetup,
  jobs: number,
  sink: ParallelSink,
  convertHere: (request: BatchRequest) => BatchResult,
): Promise<{fallback?: string}> {
  const workers = await Promise.all(Array.from({length: jobs - 1}, () => startWorker(setup)))
  const busy = new Map<Worker, number>(workers.map((w) => [w, 0]))
  const done = new Map<number, BatchResult>()
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const notify = (): void => {
    wake?.()
    wake = undefined
  }

  for (const worker of workers) {
    worker.on('message', (result: BatchResult) => {
      busy.set(worker, busy.get(worker)! - 1)
      done.set(result.seq, result)
      notify()
    })
    worker.on('error', (error) => {
      failure = error
      notify()
    })
  }

  const waitForNews = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve
    })
  let nextToWrite = 0
  let sent = 0
  let fallback: string | undefined

  /** Writes finished batches in order; returns false when the attempt must fall back. */
  const flush = async (): Promise<boolean> => {
    for (let result = done.get(nextToWrite); result; result = done.get(nextToWrite)) {
      done.delete(nextToWrite)
      nextToWrite++
      if (result.fallback !== undefined) {
        fallback = result.fallback
        return false
      }

      const reason = await sink.onBatch(result)
      if (reason !== undefined) {
        fallback = reason
        return false
      }
    }

    return true
  }

  const dispatch = async (request: BatchRequest): Promise<boolean> => {
    if (failure) throw failure
    if (!(await flush())) return false
    let least: undefined | Worker
    for (const [worker, load] of busy)
      if (load < IN_FLIGHT_PER_WORKER && (!least || load < busy.get(least)!)) least = worker
    if (least) {
      busy.set(least, busy.get(least)! + 1)
      least.postMessage(request)
      sent++
      return true
    }

    // Every worker has enough queued: the main thread takes this batch itself rather than wait.
    done.set(request.seq, convertHere(request))
    sent++
    return true
  }

  try {
    let batch: BatchRequest = {items: [], seq: 0}
    let chars = 0
    for await (const item of items) {
      if (item.rejected) {
        batch.items.push({line: item.line, rejected: item.rejected})
        chars += item.rejected.text.length
      } else if (item.text === undefined) {
        return {fallback: 'a value was read the document way'}
      } else {
        batch.items.push({column: item.column ?? 1, line: item.line, text: item.text})
        chars += item.text.length
      }

      if (batch.items.length >= BATCH_LINES || chars >= BATCH_CHARS) {
        if (!(await dispatch(batch))) return {fallback: fallback!}
        batch = {items: [], seq: batch.seq + 1}
        chars = 0
      }
    }

    if (batch.items.length > 0 && !(await dispatch(batch))) return {fallback: fallback!}
    // Both counters move in the message handlers and flush(), between the awaits.
    for (;;) {
      if (failure) throw failure
      if (!(await flush())) return {fallback: fallback!}
      if (nextToWrite >= sent) break
      await waitForNews()
    }

    return {}
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}
