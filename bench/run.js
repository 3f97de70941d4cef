#!/usr/bin/env node
// `npm run bench` (= npm run build && node bench/run.js [--quick]): convoshift as its users run it, whole CLI processes
// with node's start-up and module loading included, each figure a ratio against a baseline measured in the same run:
// the bare loop (bench/bare-loop.js: read, JSON.parse, JSON.stringify, write, one thread, as a process) on the same
// file. Two input sizes (~52 and ~105 MB) show whether peak memory stays flat. Every figure is the median of the
// rounds (3, or BENCH_REPEATS); in each round every run of one size follows the others, so a machine whose speed
// drifts slows a figure and its baseline alike. On a shared machine, read the ratios, not the seconds.
//
// --quick: 1 and 2 MiB inputs, one round, no export lines: shows that every line is printed, says nothing about speed.
// Exit code: 0 when every target is met, 1 when one is missed, 2 when a run failed.
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {closeSync, openSync, readFileSync} from 'node:fs'
import {mkdir, readFile, rm} from 'node:fs/promises'
import {availableParallelism, loadavg} from 'node:os'
import {join} from 'node:path'

import {adaTargetOf, ensureInput, firstRecordOf, formatMB, ROOT, SHAPES, warm, WORK_DIR} from './inputs.js'

const QUICK = process.argv.includes('--quick')
const REPEATS = QUICK ? 1 : Number(process.env.BENCH_REPEATS ?? 3)
const MiB = 2 ** 20
const SIZES = QUICK
  ? [
      {bytes: MiB, key: '1MiB'},
      {bytes: 2 * MiB, key: '2MiB'},
    ]
  : [
      {bytes: 50 * MiB, key: '50MiB'},
      {bytes: 100 * MiB, key: '100MiB'},
    ]
/** One-record runs (and `node -e 0` runs) per round: each is short, so more of them. */
const ONE_RECORD_RUNS = 3
const OUT = join(WORK_DIR, 'out')
const CLI = join(ROOT, 'bin', 'run.js')
const JQ_PROGRAM = join(ROOT, 'bench', 'liveperson-to-neutral.jq')
/** Peak RSS of a finished process tree, from the kernel's accounting (GNU time); without it RSS is not measured. */
const TIME = '/usr/bin/time'
/** Flat: the larger input's peak at most this much above the smaller's. */
const FLAT = 0.1
const RSS_MB = 250
let HAVE_TIME = false

/** The node options of bin/run.js's `#!/usr/bin/env -S node …` line: the CLI runs with them, and so does the bare loop. */
const NODE_FLAGS = (() => {
  const words = readFileSync(CLI, 'utf8').split('\n', 1)[0].split(/\s+/)
  return words.slice(words.indexOf('node') + 1).filter((word) => word.startsWith('--'))
})()
const node = (...args) => [process.execPath, ...NODE_FLAGS, ...args]
const cli = (...args) => node(CLI, ...args)

/**
 * What is timed, per input size. `argv(input, output)` is the whole command; `stdout: 'file'` sends its stdout to the
 * output file (jq); `records` checks the count the run reports against the input's.
 */
const RUNS = [
  ...SHAPES.map((shape) => ({
    argv: (input, output) => node(join(ROOT, 'bench', 'bare-loop.js'), input.path, output),
    key: `bare ${shape}`,
    records: (stdout) => Number(stdout.trim()),
    shape,
  })),
  ...SHAPES.map((shape) => ({
    argv: (input, output) =>
      cli('convert', '--from', shape, '--to', 'neutral', '--input', input.path, '--output', output),
    key: `convert ${shape}`,
    records: readCount,
    shape,
  })),
  {
    argv: (input, output) =>
      cli(
        'convert',
        '--from',
        'liveperson',
        '--to',
        'neutral',
        '--jobs',
        '1',
        '--input',
        input.path,
        '--output',
        output,
      ),
    key: 'convert liveperson --jobs 1',
    records: readCount,
    shape: 'liveperson',
  },
  {
    argv: (input) =>
      cli('verify', '--from', 'liveperson', '--to', 'ada', '--source', input.path, '--target', input.ada),
    key: 'verify',
    shape: 'liveperson',
  },
  {
    argv: (input, output) =>
      cli(
        'archive',
        'create',
        '--from',
        'liveperson',
        '--date',
        '2026-01-01',
        '--input',
        input.path,
        '--output',
        output,
      ),
    key: 'archive create',
    shape: 'liveperson',
  },
  {argv: (input) => ['jq', '-c', '-f', JQ_PROGRAM, input.path], key: 'jq', shape: 'liveperson', stdout: 'file'},
]

/** convert's summary line: `N read = N converted + N rejected (…)`. */
function readCount(stdout) {
  const match = /^(\d+) read = (\d+) converted \+ (\d+) rejected/m.exec(stdout)
  return match ? Number(match[1]) : Number.NaN
}

/** Run one command to completion: wall ms from spawn to exit, peak RSS in MB (or null), exit code and stdout. */
async function measure(argv, {stdoutFile} = {}) {
  const rssFile = join(OUT, 'rss.txt')
  const withTime = HAVE_TIME ? [TIME, '-f', '%M', '-o', rssFile, ...argv] : argv
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined
  const started = performance.now()
  const child = spawn(withTime[0], withTime.slice(1), {
    cwd: ROOT,
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', fd ?? 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const [code] = await once(child, 'close')
  const ms = performance.now() - started
  if (fd !== undefined) closeSync(fd)
  const rssMB = HAVE_TIME ? Number.parseInt(await readFile(rssFile, 'utf8'), 10) / 1024 : null
  return {code, ms, rssMB, stderr: stderr.trim(), stdout}
}

const times = (v) => `${v.toFixed(2)}×`
const atMost = (limit) => ({ok: (v) => v <= limit, text: `≤ ${limit.toFixed(1)}×`})

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main() {
  if (!Number.isInteger(REPEATS) || REPEATS < 1) throw new Error(`BENCH_REPEATS must be a positive integer`)
  await mkdir(OUT, {recursive: true})
  HAVE_TIME = (await measure(['true']).catch(() => ({code: 1}))).code === 0
  // jq is the peer, not a dependency: without it, its lines say so and the rest runs.
  const haveJq = (await measure(['jq', '--version']).catch(() => ({code: 1}))).code === 0
  if (!haveJq)
    RUNS.splice(
      RUNS.findIndex((run) => run.key === 'jq'),
      1,
    )

  // Inputs: generated or reused, then read once so no first run pays for a cold page cache.
  const inputs = new Map()
  for (const shape of SHAPES) {
    for (const size of SIZES) {
      const input = await ensureInput(shape, size)
      if (shape === 'liveperson') input.ada = await adaTargetOf(input)
      inputs.set(`${shape} ${size.key}`, input)
      for (const path of [input.path, input.ada]) if (path) await warm(path)
    }
  }

  const lp = SIZES.map((size) => inputs.get(`liveperson ${size.key}`))
  const oneRecord = await firstRecordOf(lp[0])
  const [load1, load5] = loadavg()
  const say = (line = '') => process.stdout.write(`${line}\n`)
  say(
    `convoshift bench${QUICK ? ' --quick (tiny inputs, one round: checks the bench runs, not the speed)' : ''}: ` +
      `node ${process.version}, ${availableParallelism()} cores, load average ${load1.toFixed(1)} (1 min), ${load5.toFixed(1)} (5 min) at the start`,
  )
  say(
    `every figure: median of ${REPEATS} round(s), each run a whole process (start-up included); ratios against the bare loop` +
      ` (bench/bare-loop.js: read, parse, stringify, write on one thread) on the same file in the same rounds`,
  )
  for (const shape of SHAPES) {
    const sized = SIZES.map((size) => inputs.get(`${shape} ${size.key}`))
    say(`input ${shape}: ${sized.map((i) => `${formatMB(i.bytes)} (${i.records} records)`).join(', ')}`)
  }

  // The rounds. A failed command is reported once and not run again.
  const samples = new Map()
  const failures = new Map()
  const add = (key, sample) => samples.set(key, [...(samples.get(key) ?? []), sample])
  for (let round = 1; round <= REPEATS; round++) {
    for (const size of SIZES) {
      for (const run of RUNS) {
        const key = `${run.key} ${size.key}`
        if (failures.has(key)) continue
        const input = inputs.get(`${run.shape} ${size.key}`)
        const output = join(OUT, `${run.key.replaceAll(' ', '-')}.out`)
        await rm(output, {force: true, recursive: true})
        const result = await measure(run.argv(input, output), run.stdout ? {stdoutFile: output} : {})
        await rm(output, {force: true, recursive: true})
        const counted = run.records?.(result.stdout)
        if (result.code !== 0) failures.set(key, `exit ${result.code}: ${result.stderr.split('\n').at(-1)}`)
        else if (counted !== undefined && counted !== input.records)
          failures.set(key, `reported ${counted} records of ${input.records}`)
        else add(key, result)
      }
    }

    for (let i = 0; i < ONE_RECORD_RUNS; i++) {
      add('node -e 0', await measure([process.execPath, '-e', '0']))
      const output = join(OUT, 'one-record.out')
      const result = await measure(
        cli('convert', '--from', 'liveperson', '--to', 'neutral', '--input', oneRecord, '--output', output),
      )
      if (result.code === 0 && readCount(result.stdout) === 1) add('one record', result)
      else failures.set('one record', `exit ${result.code}: ${result.stderr.split('\n').at(-1)}`)
    }

    process.stderr.write(`round ${round}/${REPEATS} done\n`)
  }

  const report = new Report(say, samples, failures, SIZES)
  report.table(lp)
  report.memory()
  report.startUp()

  // Export lines (issue 6): bench/export.ts, against the vendor simulators (TypeScript, so through ts-node).
  if (QUICK) say('export: not run under --quick (bench/export.ts, against the vendor simulators)')
  else {
    const child = spawn(
      process.execPath,
      ['--loader', 'ts-node/esm', '--no-warnings', join(ROOT, 'bench', 'export.ts')],
      {
        cwd: ROOT,
        env: {...process.env, BENCH_REPEATS: String(REPEATS)},
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    )
    const [code] = await once(child, 'close')
    if (code !== 0) report.missed++
  }

  say()
  say(`bench: ${report.met} target(s) met, ${report.missed} missed, ${failures.size} run(s) failed`)
  process.exitCode = failures.size > 0 ? 2 : report.missed > 0 ? 1 : 0
}

/** The printed figures: medians, ratios, targets. */
class Report {
  met = 0
  missed = 0

  constructor(say, samples, failures, sizes) {
    Object.assign(this, {failures, samples, say, sizes})
  }

  /** A target's verdict, counted. */
  check(ok) {
    if (ok) this.met++
    else this.missed++
    return ok ? 'met' : 'MISSED'
  }

  /** Median of one field over a key's runs; undefined when it failed or never ran. */
  median(key, field = 'ms') {
    const runs = this.samples.get(key)
    return runs && !this.failures.has(key) ? median(runs.map((run) => run[field])) : undefined
  }

  /** Peak RSS at both sizes and whether it stays flat, for every convoshift run. */
  memory() {
    this.say()
    this.say(`peak RSS (whole process)${' '.repeat(22)}${this.sizes.map((s) => s.key.padStart(9)).join('')}  target`)
    for (const run of RUNS.filter((r) => r.key.startsWith('convert') || ['archive create', 'verify'].includes(r.key))) {
      const peaks = this.sizes.map((size) => this.median(`${run.key} ${size.key}`, 'rssMB'))
      const cells = peaks.map((mb) => (mb === undefined || mb === null ? 'n/a' : `${Math.round(mb)} MB`).padStart(9))
      if (peaks.some((mb) => mb === undefined || mb === null)) {
        this.say(`${run.key.padEnd(46)}${cells.join('')}  ≤ ${RSS_MB} MB, flat: not measured (no ${TIME})`)
        continue
      }

      const growth = peaks.at(-1) / peaks[0] - 1
      const ok = Math.max(...peaks) <= RSS_MB && growth <= FLAT
      const sign = growth >= 0 ? '+' : ''
      this.say(
        `${run.key.padEnd(46)}${cells.join('')}  ≤ ${RSS_MB} MB, flat (≤ +${FLAT * 100}%): ${sign}${(growth * 100).toFixed(0)}% ${this.check(ok)}`,
      )
    }
  }

  /** One row: a figure at each size, its target and verdict. */
  row(name, values, format, target) {
    const cells = values.map((v) => (v === undefined ? 'failed' : format(v)).padStart(9)).join('')
    const known = values.filter((v) => v !== undefined)
    const verdict =
      target?.ok && known.length === values.length ? ` ${this.check(known.every((v) => target.ok(v)))}` : ''
    this.say(`${name.padEnd(46)}${cells}  ${target?.text ?? ''}${verdict}`.trimEnd())
  }

  /** A one-record convert: start-up and the work of one record, absolute and against node doing nothing. */
  startUp() {
    const one = this.median('one record')
    const empty = this.median('node -e 0')
    this.say()
    if (one === undefined || empty === undefined) {
      this.say(`one-record convert: failed (${this.failures.get('one record')})`)
      this.missed++
      return
    }

    const runs = this.samples.get('one record').length
    this.say(
      `one-record convert (start-up), median of ${runs}: ${(one / 1000).toFixed(2)} s wall, ${(one / empty).toFixed(1)}× node -e 0` +
        ` (${(empty / 1000).toFixed(2)} s)  target ≤ 0.45 s ${this.check(one <= 450)}`,
    )
  }

  /** The throughput figures: each a ratio against the bare loop on its own input. */
  table(lp) {
    const {say, sizes} = this
    const ratio = (key, base) =>
      sizes.map((size) => {
        const a = this.median(`${key} ${size.key}`)
        const b = this.median(`${base} ${size.key}`)
        return a === undefined || b === undefined ? undefined : a / b
      })
    say()
    say(`${'figure'.padEnd(46)}${sizes.map((s, i) => formatMB(lp[i].bytes).padStart(9)).join('')}  target`)
    this.row(
      'bare loop, liveperson (seconds)',
      sizes.map((size) => this.median(`bare liveperson ${size.key}`)),
      (ms) => `${(ms / 1000).toFixed(2)} s`,
    )
    this.row('convert liveperson→neutral (default)', ratio('convert liveperson', 'bare liveperson'), times, atMost(1.2))
    this.row(
      'convert liveperson→neutral --jobs 1',
      ratio('convert liveperson --jobs 1', 'bare liveperson'),
      times,
      atMost(2),
    )
    for (const shape of SHAPES.filter((s) => s !== 'liveperson')) {
      this.row(`convert ${shape}→neutral (default)`, ratio(`convert ${shape}`, `bare ${shape}`), times, atMost(1.4))
    }

    this.row('verify liveperson vs its Ada conversion', ratio('verify', 'bare liveperson'), times, atMost(2.5))
    this.row('archive create liveperson', ratio('archive create', 'bare liveperson'), times)
    this.row('  against convert liveperson→neutral', ratio('archive create', 'convert liveperson'), times, atMost(1.5))
    if (RUNS.some((run) => run.key === 'jq')) {
      this.row('jq -c -f bench/liveperson-to-neutral.jq', ratio('jq', 'bare liveperson'), times)
      this.row(
        '  convoshift convert (default) is faster by',
        ratio('jq', 'convert liveperson'),
        (v) => `${v.toFixed(1)}×`,
        {text: '(jq runs a lighter mapping: see its header)'},
      )
    } else {
      say('jq -c -f bench/liveperson-to-neutral.jq: jq is not installed, not timed')
    }

    for (const [key, why] of this.failures) say(`FAILED ${key}: ${why}`)
  }
}

await main()
