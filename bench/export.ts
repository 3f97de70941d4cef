// Export bench lines (issue 6), against the LivePerson simulator on 127.0.0.1 with 50 ms latency per request:
//   1. rate: with a client-side limit of R requests/s, the requests achieved over the run are ≥ 80% of what R allows
//      in that time (a burst of R, then R per second);
//   2. concurrency: without a limit, --concurrency 8 on the offset-paginated API is ≥ 5x faster than sequential
//      paging, measured in the same run.
// Run by bench/run.js (or alone: node --loader ts-node/esm --no-warnings bench/export.ts). Median of BENCH_REPEATS.
// Exit code 0 when both targets pass.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runExport} from '../src/export/runner.js'
import {livePersonData, livePersonSimulator, LP_ACCOUNT, LP_EPOCH, LP_TOKEN} from '../test/simulators/liveperson.js'

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const LATENCY_MS = 50
const RATE = 10
const PAGE_SIZE = 5
const HOUR = 3_600_000

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function timedExport(
  records: number,
  options: {concurrency: number; rate: number},
): Promise<{ms: number; requests: number}> {
  const data = livePersonData({count: records, stepMs: HOUR})
  const sim = livePersonSimulator({latencyMs: LATENCY_MS, records: data})
  await sim.start()
  const dir = await mkdtemp(join(tmpdir(), 'convoshift-bench-'))
  try {
    const started = performance.now()
    const result = await runExport({
      baseUrl: sim.baseUrl,
      concurrency: options.concurrency,
      format: 'liveperson',
      output: join(dir, 'out.jsonl'),
      pageSize: PAGE_SIZE,
      rate: options.rate,
      since: LP_EPOCH,
      until: LP_EPOCH + records * HOUR,
      values: {account: LP_ACCOUNT, token: LP_TOKEN},
    })
    const ms = performance.now() - started
    if (result.records.written !== records) throw new Error(`exported ${result.records.written} of ${records}`)
    return {ms, requests: result.requests}
  } finally {
    await sim.stop()
    await rm(dir, {force: true, recursive: true})
  }
}

let failed = false
const verdict = (ok: boolean): string => (ok ? 'ok' : 'FAIL')

// 1. Rate: 300 records in 60 pages at R = 10/s, one page at a time.
const rateRuns: number[] = []
let rateRequests = 0
for (let i = 0; i < REPEATS; i++) {
  const {ms, requests} = await timedExport(300, {concurrency: 1, rate: RATE})
  rateRuns.push(ms)
  rateRequests = requests
}

const rateMs = median(rateRuns)
const allowed = RATE + (RATE * rateMs) / 1000
const achieved = rateRequests / allowed
failed ||= achieved < 0.8
process.stdout.write(
  `export rate  ${rateRequests} requests in ${Math.round(rateMs)} ms at --rate ${RATE} (${LATENCY_MS} ms latency): ` +
    `${((rateRequests * 1000) / rateMs).toFixed(1)} req/s, ${(achieved * 100).toFixed(0)}% of what the rate allows ` +
    `(target ≥ 80%) ${verdict(achieved >= 0.8)}\n`,
)

// 2. Concurrency: 400 records in 80 pages, no limit; sequential vs 8 in flight, interleaved.
const sequential: number[] = []
const parallel: number[] = []
for (let i = 0; i < REPEATS; i++) {
  sequential.push((await timedExport(400, {concurrency: 1, rate: 0})).ms)
  parallel.push((await timedExport(400, {concurrency: 8, rate: 0})).ms)
}

const speedup = median(sequential) / median(parallel)
failed ||= speedup < 5
process.stdout.write(
  `export concurrency  80 pages (${LATENCY_MS} ms latency, no rate limit): sequential ${Math.round(median(sequential))} ms, ` +
    `--concurrency 8 ${Math.round(median(parallel))} ms: ${speedup.toFixed(1)}x (target ≥ 5x) ${verdict(speedup >= 5)}\n`,
)

process.exitCode = failed ? 1 : 0
