#!/usr/bin/env node
// `npm run bench` (= npm run build && node bench/run.js): throughput and memory of convoshift's streaming commands,
// each against the bare parse/stringify loop on the same input, at two input sizes so flat memory can be seen.
//
// Inputs are generated into .bench/ (gitignored) from the compiled sample generators with a fixed seed, and reused
// while the generator code, seed and size are unchanged. Every figure is the median of REPEATS runs, each in a fresh
// child process (bench/child.js), interleaved: baseline and scenarios alternate at each size on every round.
//
// To measure something new, add a row to SCENARIOS (and, for a new input kind, to INPUTS; for a new command, a mode
// to MODES in bench/child.js). Exit code: 0 when every target passes, 1 otherwise (including "not built yet").
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {once} from 'node:events'
import {createReadStream, createWriteStream, readFileSync} from 'node:fs'
import {mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {dirname, join, relative} from 'node:path'
import {finished} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const WORK_DIR = join(ROOT, '.bench')
const OUT_DIR = join(WORK_DIR, 'out')
const CHILD = join(ROOT, 'bench', 'child.js')
const SEED = 'convoshift-bench-1'
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const NOT_BUILT = 3
const MiB = 2 ** 20

/** Input sizes. The second is ~2x the first, so a streaming command's peak RSS should barely move between them. */
const SIZES = [
  {bytes: 50 * MiB, key: '50MiB'},
  {bytes: 100 * MiB, key: '100MiB'},
]

/** Input kinds: a JSONL file of each record shape, from its compiled sample generator (dist/sample/), cached in .bench/. */
const SHAPES = ['liveperson', 'liveperson-consumer', 'ada', 'koreai', 'iadvize', 'deepconverse']
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined

const INPUTS = Object.fromEntries(
  SHAPES.map((shape) => [
    shape,
    {
      // A change to the shape's generator (or the shared random helpers) makes a fresh input.
      generatorFiles: [`dist/sample/${shape.split('-')[0]}.js`, 'dist/sample/random.js'],
      async records() {
        const {sampleGenerators} = await import('../dist/sample/index.js')
        const generate = sampleGenerators[shape]
        if (!generate) throw new Error(`no sample generator for ${shape}`)
        return generate(Number.POSITIVE_INFINITY, {seed: SEED})
      },
    },
  ]),
)

/**
 * What is measured. `mode` and `baseline` name modes of bench/child.js; `options` is passed to the mode.
 * Targets: `ratio` = max scenario/baseline wall time at every size; `rssMB` = max peak RSS at any size;
 * `rssGrowth` = max relative growth of peak RSS from the smallest to the largest input.
 * BENCH_ONLY=ada,koreai runs a subset.
 *
 * Each conversion is followed by a diagnostic without targets: the same conversion with each record's lossless
 * remainder (`extensions.<format>`) left out. Set against each other, the two lines show what losslessness costs: the
 * rebuild-and-diff check per record, and serialising what the neutral model has no field for.
 */
const SCENARIOS = SHAPES.filter((shape) => !ONLY || ONLY.includes(shape)).flatMap((shape) => [
  {
    baseline: 'baseline',
    input: shape,
    mode: 'convert',
    name: `convert ${shape}→neutral`,
    options: {from: shape, to: 'neutral'},
    targets: {ratio: 1.5, rssGrowth: 0.1, rssMB: 200},
  },
  {
    baseline: 'baseline',
    input: shape,
    mode: 'convert',
    name: `diagnostic: convert ${shape}→neutral without extensions`,
    options: {from: shape, to: 'neutral', withoutExtensions: true},
    targets: {},
  },
])

/**
 * verify: a LivePerson export against its conversion to Ada (made once per input by the convert service, cached
 * beside it), measured against parsing both files. Options are functions of the input so each size gets its target.
 */
if (!ONLY || ONLY.includes('verify')) {
  const targetFor = (input) => ({from: 'liveperson', target: `${input.path}.ada.jsonl`, to: 'ada'})
  SCENARIOS.push({
    baseline: 'parse-both',
    baselineOptions: targetFor,
    input: 'liveperson',
    mode: 'verify',
    name: 'verify liveperson vs ada',
    options: targetFor,
    async prepare(input) {
      const target = `${input.path}.ada.jsonl`
      const meta = await readJson(`${target}.meta.json`)
      if (meta?.source === input.generator && meta?.bytes === (await fileSize(target))) return
      const {runConvert} = await import('../dist/convert/index.js')
      await runConvert({from: 'liveperson', input: input.path, output: target, to: 'ada'})
      await writeFile(
        `${target}.meta.json`,
        `${JSON.stringify({bytes: await fileSize(target), source: input.generator})}\n`,
      )
      process.stdout.write(`converted ${relative(ROOT, input.path)} to Ada for the verify scenario\n`)
    },
    // Records counted over both files.
    recordsFactor: 2,
    targets: {ratio: 3, rssGrowth: 0.1, rssMB: 200},
  })
}

/**
 * archive: create against convert to neutral on the same file (target ≤ 2x); verify of that bag, hashing only and with
 * the record checks, in absolute MB/s of bag bytes (target ≥ 200 MB/s for hashing). The bag is made in `prepare`.
 */
if (!ONLY || ONLY.includes('archive')) {
  SCENARIOS.push({
    baseline: 'convert',
    input: 'liveperson',
    mode: 'archive-create',
    name: 'archive create liveperson',
    options: {from: 'liveperson'},
    targets: {ratio: 2, rssGrowth: 0.1, rssMB: 200},
  })
  const bagFor = (input) => `${input.path}.bag`
  const bagBytes = new Map()
  for (const records of [false, true]) {
    SCENARIOS.push({
      baseline: 'baseline',
      bytesFor: (input) => bagBytes.get(bagFor(input)),
      input: 'liveperson',
      mode: 'archive-verify',
      name: records ? 'archive verify liveperson (hashes + records)' : 'archive verify liveperson (hashes)',
      options: (input) => ({dir: bagFor(input), records, target: `${bagFor(input)}/bag-info.txt`}),
      async prepare(input) {
        const dir = bagFor(input)
        if (bagBytes.has(dir)) return
        await rm(dir, {force: true, recursive: true})
        const {createArchive} = await import('../dist/archive/index.js')
        const result = await createArchive({date: '2026-01-01', from: 'liveperson', input: input.path, output: dir})
        bagBytes.set(dir, result.payload.bytes)
        process.stdout.write(`archived ${relative(ROOT, input.path)} as a bag for the archive verify scenarios\n`)
      },
      targets: records ? {rssGrowth: 0.1, rssMB: 200} : {mbps: 200, rssGrowth: 0.1, rssMB: 200},
    })
  }
}

const optionsFor = (options, input) => (typeof options === 'function' ? options(input) : options)
const formatMB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`
const verdict = (ok) => (ok ? 'PASS' : 'FAIL')

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median wall time and peak RSS of a unit's runs. */
function summarise(unit) {
  return {
    maxRssMB: median(unit.samples.map((s) => s.maxRssMB)),
    ms: median(unit.samples.map((s) => s.ms)),
    records: unit.samples[0]?.records ?? null,
  }
}

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {}
}

async function fileSize(path) {
  try {
    return (await stat(path)).size
  } catch {
    return -1
  }
}

/** Hash of the compiled generator code: a changed generator invalidates cached inputs. */
async function generatorHash(kind) {
  const hash = createHash('sha256')
  for (const file of INPUTS[kind].generatorFiles) hash.update(await readFile(join(ROOT, file)))
  return hash.digest('hex').slice(0, 16)
}

/** Make (or reuse) `.bench/<kind>-<size>.jsonl`: whole records, one per line, until at least `size.bytes`. */
async function ensureInput(kind, size) {
  const path = join(WORK_DIR, `${kind}-${size.key}.jsonl`)
  const metaPath = `${path}.meta.json`
  const hash = await generatorHash(kind)
  const meta = await readJson(metaPath)
  if (
    meta &&
    meta.seed === SEED &&
    meta.generator === hash &&
    meta.targetBytes === size.bytes &&
    (await fileSize(path)) === meta.bytes
  ) {
    return {...meta, path, reused: true}
  }

  const started = performance.now()
  const tmp = `${path}.tmp`
  const sink = createWriteStream(tmp, {highWaterMark: MiB})
  let bytes = 0
  let records = 0
  let batch = ''
  for (const record of await INPUTS[kind].records()) {
    const line = `${JSON.stringify(record)}\n`
    batch += line
    bytes += Buffer.byteLength(line)
    records++
    if (batch.length >= MiB || bytes >= size.bytes) {
      if (!sink.write(batch))
        await new Promise((resolve) => {
          sink.once('drain', resolve)
        })
      batch = ''
    }

    if (bytes >= size.bytes) break
  }

  sink.end()
  await finished(sink)
  await rename(tmp, path)
  const fresh = {bytes, generator: hash, records, seed: SEED, targetBytes: size.bytes}
  await writeFile(metaPath, `${JSON.stringify(fresh, null, 2)}\n`)
  process.stdout.write(
    `generated ${relative(ROOT, path)} (${formatMB(bytes)}, ${records} records) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  return {...fresh, path, reused: false}
}

/** Read a file once so the first timed run does not pay for a cold page cache. */
async function warm(path) {
  const stream = createReadStream(path, {highWaterMark: 4 * MiB})
  stream.resume()
  await finished(stream)
}

/**
 * The node options bin/run.js starts the CLI with (its `#!/usr/bin/env -S node …` line). Every measured run, the bare
 * loop included, gets the same runtime the CLI has.
 */
const CLI_NODE_FLAGS = (() => {
  const shebang = readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8').split('\n', 1)[0]
  const words = shebang.split(/\s+/)
  return words.slice(words.indexOf('node') + 1).filter((word) => word.startsWith('--'))
})()

/** Run bench/child.js once; resolve to {ms, maxRssMB, records} or {error, notBuilt}. */
async function runChild(mode, input, options) {
  const output = join(OUT_DIR, `${mode}-output.jsonl`)
  await rm(output, {force: true, recursive: true})
  const child = spawn(
    process.execPath,
    [...CLI_NODE_FLAGS, CHILD, mode, input, output, JSON.stringify(options ?? {})],
    {
      env: {...process.env, NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000)
  })
  const [code, signal] = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (...args) => resolve(args))
  })
  await rm(output, {force: true, recursive: true})
  if (code === NOT_BUILT) return {error: stderr.trim(), notBuilt: true}
  const last = stdout.trim().split('\n').at(-1) ?? ''
  let result
  try {
    result = JSON.parse(last)
  } catch {}

  if (code !== 0 || typeof result?.ms !== 'number') {
    return {error: `exit ${code ?? signal}: ${stderr.trim() || stdout.trim() || '(no output)'}`}
  }

  return result
}

async function main() {
  if (!Number.isInteger(REPEATS) || REPEATS < 1)
    throw new Error(`BENCH_REPEATS must be a positive integer, got ${process.env.BENCH_REPEATS}`)
  await mkdir(OUT_DIR, {recursive: true})
  process.stdout.write(
    `convoshift bench: node ${process.version}, seed ${SEED}, median of ${REPEATS} runs each, every run a fresh process\n`,
  )

  // Inputs, generated or reused, for every kind a scenario needs.
  const inputs = new Map()
  for (const kind of new Set(SCENARIOS.map((scenario) => scenario.input))) {
    for (const size of SIZES) {
      const input = await ensureInput(kind, size)
      inputs.set(`${kind}/${size.key}`, input)
      if (input.reused)
        process.stdout.write(
          `reusing ${relative(ROOT, input.path)} (${formatMB(input.bytes)}, ${input.records} records)\n`,
        )
      await warm(input.path)
    }
  }

  // Inputs some scenarios derive from the generated ones (verify's converted target), made once and cached.
  for (const scenario of SCENARIOS) {
    if (!scenario.prepare) continue
    for (const size of SIZES) {
      const input = inputs.get(`${scenario.input}/${size.key}`)
      await scenario.prepare(input)
      await warm(scenario.options(input).target)
    }
  }

  // Measurement units: one per distinct baseline and one per scenario, at each size.
  const units = new Map()
  for (const scenario of SCENARIOS) {
    for (const size of SIZES) {
      const input = inputs.get(`${scenario.input}/${size.key}`)
      const baselineKey = `${scenario.baseline}|${scenario.input}|${size.key}`
      if (!units.has(baselineKey)) {
        units.set(baselineKey, {
          input,
          mode: scenario.baseline,
          options: optionsFor(scenario.baselineOptions, input),
          records: input.records * (scenario.recordsFactor ?? 1),
          samples: [],
          size,
        })
      }

      units.set(`${scenario.name}|${size.key}`, {
        input,
        mode: scenario.mode,
        options: optionsFor(scenario.options, input),
        records: input.records * (scenario.recordsFactor ?? 1),
        samples: [],
        size,
      })
    }
  }

  for (let round = 1; round <= REPEATS; round++) {
    for (const size of SIZES) {
      for (const unit of units.values()) {
        if (unit.size !== size || unit.error) continue
        const result = await runChild(unit.mode, unit.input.path, unit.options)
        if (result.error) {
          unit.error = result.error
          unit.notBuilt = result.notBuilt ?? false
        } else {
          unit.samples.push(result)
        }
      }
    }

    process.stdout.write(`round ${round}/${REPEATS} done\n`)
  }

  let failed = false
  process.stdout.write('\n')
  for (const [key, unit] of units) {
    if (!SCENARIOS.some((scenario) => key === `${scenario.baseline}|${scenario.input}|${unit.size.key}`) || unit.error)
      continue
    const b = summarise(unit)
    const miscount = b.records === unit.records ? '' : `  FAIL: read ${b.records} of ${unit.records} records`
    failed ||= miscount !== ''
    process.stdout.write(
      `${unit.mode} ${key.split('|')[1]}  ${formatMB(unit.input.bytes)}  ${Math.round(b.ms)} ms  ${(unit.input.bytes / 1e6 / (b.ms / 1000)).toFixed(1)} MB/s` +
        `  peak RSS ${Math.round(b.maxRssMB)} MB  ${b.records} records${miscount}\n`,
    )
  }

  for (const scenario of SCENARIOS) {
    const {targets} = scenario
    const peaks = []
    for (const size of SIZES) {
      const base = units.get(`${scenario.baseline}|${scenario.input}|${size.key}`)
      const unit = units.get(`${scenario.name}|${size.key}`)
      const inputMB = formatMB(base.input.bytes)
      if (base.error) {
        failed = true
        process.stdout.write(`${scenario.name}  ${inputMB}  baseline failed: ${base.error}\n`)
        continue
      }

      const b = summarise(base)
      if (unit.error) {
        failed = true
        const why = unit.notBuilt ? `NOT BUILT (${unit.error})` : `FAILED: ${unit.error}`
        process.stdout.write(
          `${scenario.name}  ${inputMB}  ${why}  baseline ${Math.round(b.ms)} ms  peak RSS ${Math.round(b.maxRssMB)} MB  FAIL\n`,
        )
        continue
      }

      const s = summarise(unit)
      const ratio = s.ms / b.ms
      const ratioOk = targets.ratio === undefined || ratio <= targets.ratio
      failed ||= !ratioOk
      const target = targets.ratio === undefined ? '' : ` (target ≤ ${targets.ratio.toFixed(2)}x) ${verdict(ratioOk)}`
      const counted =
        s.records !== null && s.records !== unit.records ? `  [reported ${s.records} of ${unit.records} records]` : ''
      // An absolute throughput, for scenarios whose work is measured in bytes of their own (archive verify).
      let rate = ''
      const bytes = scenario.bytesFor?.(unit.input)
      if (bytes !== undefined) {
        const mbps = bytes / 1e6 / (s.ms / 1000)
        const rateOk = targets.mbps === undefined || mbps >= targets.mbps
        failed ||= !rateOk
        rate = `  ${formatMB(bytes)} at ${mbps.toFixed(0)} MB/s${targets.mbps === undefined ? '' : ` (target ≥ ${targets.mbps} MB/s) ${verdict(rateOk)}`}`
      }

      process.stdout.write(
        `${scenario.name}  ${inputMB}  ${Math.round(s.ms)} ms  baseline ${Math.round(b.ms)} ms  ratio ${ratio.toFixed(2)}x${target}${rate}` +
          `  peak RSS ${Math.round(s.maxRssMB)} MB (baseline ${Math.round(b.maxRssMB)} MB)${counted}\n`,
      )
      peaks.push({inputMB, rss: s.maxRssMB})
    }

    if (peaks.length === SIZES.length && (targets.rssMB !== undefined || targets.rssGrowth !== undefined)) {
      const first = peaks[0].rss
      const last = peaks.at(-1).rss
      const growth = (last - first) / first
      const highest = Math.max(...peaks.map((p) => p.rss))
      const checks = []
      if (targets.rssMB !== undefined) {
        const ok = highest <= targets.rssMB
        failed ||= !ok
        checks.push(`≤ ${targets.rssMB} MB ${verdict(ok)}`)
      }

      if (targets.rssGrowth !== undefined) {
        const ok = growth <= targets.rssGrowth
        failed ||= !ok
        checks.push(`growth ≤ ${Math.round(targets.rssGrowth * 100)}% ${verdict(ok)}`)
      }

      const shape = targets.rssGrowth === undefined || growth <= targets.rssGrowth ? 'flat' : 'grows'
      const sign = growth >= 0 ? '+' : ''
      process.stdout.write(
        `${scenario.name}  peak RSS ${peaks.map((p) => `${p.inputMB} input: ${Math.round(p.rss)} MB`).join(', ')}` +
          ` → ${shape} (${sign}${(growth * 100).toFixed(1)}%; target ${checks.join(', ')})\n`,
      )
    }
  }

  // Export lines (issue 6): bench/export.ts runs against the vendor simulators (TypeScript, so through ts-node).
  if (!ONLY || ONLY.includes('export')) {
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
    failed ||= code !== 0
  }

  process.stdout.write(`\n${failed ? 'bench: FAIL' : 'bench: PASS'}\n`)
  process.exitCode = failed ? 1 : 0
}

await main()
