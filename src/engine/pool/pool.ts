import {Worker} from 'node:worker_threads'

import {type RecordLimits} from '../../io/limits.js'
import {type Chunk, type ChunkResult} from './chunk.js'
import {type Piece} from './chunks.js'
import {type PoolTask} from './task.js'

/** What a worker needs to build the same converter as the main thread. */
export interface PoolSetup {
  from: string
  limits: RecordLimits
  mapping?: string | undefined
  /** What to do with each converted record instead of writing its stable JSON line. */
  task?: PoolTask
  to: string
  withoutExtensions?: boolean
}

export type ConvertedChunk = Exclude<ChunkResult, {fallback: string}>

/** Chunks queued per worker: one being converted, one waiting, so a worker never idles while the main thread writes. */
const IN_FLIGHT_PER_WORKER = 2
/**
 * Young generation of a worker, as bin/run.js caps the main thread's (--max-semi-space-size=8): V8 would grow it to
 * 3 × 16 MB on a long run and peak memory would depend on input length.
 */
const WORKER_YOUNG_MB = 24

/**
 * How many pool workers a run over `input` gets: `jobs` (--jobs), else 1 (in process). Off unless asked for: paired
 * whole-CLI runs of a 52 MB LivePerson file → neutral (5 pairs, loaded 2-core machine) gave `--jobs 2` 1.41x the CPU
 * of one thread, and a loaded machine turns extra CPU into extra wall time (README, Streaming). stdin always stays in
 * process: it cannot be read a second time, which a fallback needs.
 */
export function poolWorkers(input: string, jobs: number | undefined): number {
  if (input === '-') return 1
  return Math.max(1, jobs ?? 1)
}

/**
 * Starts a worker without waiting for it: chunks posted while it loads its modules and compiles the mappings wait in
 * its port, so the main thread reads the first chunks meanwhile (waiting for every worker to say it was ready cost
 * a worker's whole start-up, 0.36-1 s, before the first chunk was read).
 */
function startWorker(setup: PoolSetup): Worker {
  const ts = import.meta.url.endsWith('.ts')
  // Under ts-node (tests, bin/dev.js) the worker is TypeScript too and needs the same loader.
  return new Worker(new URL(ts ? './worker.ts' : './worker.js', import.meta.url), {
    execArgv: ts ? ['--loader', 'ts-node/esm', '--no-warnings'] : [],
    resourceLimits: {maxYoungGenerationSizeMb: WORKER_YOUNG_MB},
    workerData: setup,
  })
}

/**
 * Converts JSON Lines pieces on `workers` threads while the main thread only reads and writes: each piece's buffer is
 * transferred to the least busy worker (no copy), which returns the encoded output and the piece's counts; results are
 * handed to `onChunk` strictly in input order, so the output is byte-identical to a single-threaded run. Returns
 * `fallback` (nothing more is handed on) when a piece holds input only the single-threaded reader handles exactly, or
 * `onChunk` says so.
 */
export async function convertOnPool(
  pieces: AsyncIterable<Piece | {tooLong: true}>,
  setup: PoolSetup,
  workers: number,
  onChunk: (result: ConvertedChunk) => Promise<string | undefined>,
): Promise<{fallback?: string}> {
  const threads = Array.from({length: workers}, () => startWorker(setup))
  const busy = new Map<Worker, number>(threads.map((w) => [w, 0]))
  const done = new Map<number, ChunkResult>()
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const notify = (): void => {
    wake?.()
    wake = undefined
  }

  for (const worker of threads) {
    worker.on('message', (result: ChunkResult) => {
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
  let written = 0
  let sent = 0
  let fallback: string | undefined

  /** Hands on finished chunks in order; false when the run must fall back. */
  const flush = async (): Promise<boolean> => {
    for (let result = done.get(written); result; result = done.get(written)) {
      done.delete(written)
      written++
      fallback = result.fallback ?? (await onChunk(result))
      if (fallback !== undefined) return false
    }

    return true
  }

  /** Waits until a worker has room, handing on what is finished meanwhile; false when the run must fall back. */
  const leastBusy = async (): Promise<false | Worker> => {
    for (;;) {
      if (failure) throw failure
      if (!(await flush())) return false
      let least: undefined | Worker
      for (const [worker, load] of busy)
        if (load < IN_FLIGHT_PER_WORKER && (!least || load < busy.get(least)!)) least = worker
      if (least) return least
      await waitForNews()
    }
  }

  try {
    for await (const piece of pieces) {
      if ('tooLong' in piece) return {fallback: 'a line too long to cut the input at'}
      const worker = await leastBusy()
      if (!worker) return {fallback: fallback!}
      busy.set(worker, busy.get(worker)! + 1)
      const chunk: Chunk = {...piece, seq: sent++}
      worker.postMessage(chunk, [piece.bytes])
    }

    for (;;) {
      if (failure) throw failure
      if (!(await flush())) return {fallback: fallback!}
      if (written >= sent) return {}
      await waitForNews()
    }
  } finally {
    await Promise.all(threads.map(async (worker) => worker.terminate()))
  }
}
