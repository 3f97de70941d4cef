#!/usr/bin/env node
// One measured run, in its own process so peak RSS belongs to that run alone:
//
//   node bench/child.js <mode> <input> <output> [options-json]
//
// Prints one JSON line on stdout: {"ms", "maxRssMB", "records", "loadMs"}. `ms` is the wall time of the work only:
// neither node's start-up nor loading the code under test (`loadMs`) is in it. `maxRssMB` is the whole process's peak.
// Exit code 3 means the code under test is not built yet; bench/run.js reports that instead of a figure.
import {once} from 'node:events'
import {createWriteStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {finished} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'

const NOT_BUILT = 3
const READ_CHUNK = 2 ** 20
const WRITE_BATCH_CHARS = 2 ** 20
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

class NotBuiltError extends Error {}

/**
 * Reads `path` in 1 MiB chunks and calls `emit(view, start, stop)` for each line (the buffer and the line's byte range),
 * splitting on '\n' with Buffer#indexOf: no per-line promises, no readline, no Buffer.concat per chunk. When `emit`
 * returns false, waits for `drained()` before going on.
 */
async function scanLines(path, emit, drained) {
  const source = await open(path, 'r')
  let buffer = Buffer.allocUnsafe(READ_CHUNK)
  let end = 0
  try {
    for (;;) {
      if (end === buffer.length) {
        // One line is longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(bigger, 0, 0, end)
        buffer = bigger
      }

      const {bytesRead} = await source.read(buffer, end, buffer.length - end, null)
      if (bytesRead === 0) break
      end += bytesRead
      const view = buffer.subarray(0, end)
      let start = 0
      let newline = view.indexOf(NEWLINE, start)
      while (newline !== -1) {
        if (!emit(view, start, newline)) await drained()
        start = newline + 1
        newline = view.indexOf(NEWLINE, start)
      }

      // Keep the partial last line for the next read.
      buffer.copy(buffer, 0, start, end)
      end -= start
    }

    emit(buffer, 0, end)
  } finally {
    await source.close()
  }
}

/**
 * The bare loop every JSONL-to-JSONL command is measured against: read lines (scanLines), JSON.parse, JSON.stringify,
 * write ~1 MiB batches to a write stream (so disk writes overlap parsing), respecting backpressure.
 */
async function baseline(input, output) {
  const sink = createWriteStream(output, {highWaterMark: WRITE_BATCH_CHARS})
  let records = 0
  let batch = []
  let batchChars = 0

  const flush = () => {
    const ok = sink.write(`${batch.join('\n')}\n`)
    batch = []
    batchChars = 0
    return ok
  }

  // Returns false when the write stream wants the caller to wait for 'drain'.
  const emit = (view, start, stop) => {
    if (stop > start && view[stop - 1] === CARRIAGE_RETURN) stop--
    if (stop <= start) return true
    const line = JSON.stringify(JSON.parse(view.toString('utf8', start, stop)))
    batch.push(line)
    batchChars += line.length
    records++
    return batchChars < WRITE_BATCH_CHARS || flush()
  }

  try {
    await scanLines(input, emit, () => once(sink, 'drain'))
    if (batch.length > 0) flush()
    sink.end()
    await finished(sink)
  } finally {
    sink.destroy()
  }

  return records
}

/** Import a compiled module, telling "not built yet" apart from a real failure. */
async function importBuilt(specifier, exportName) {
  const path = fileURLToPath(new URL(specifier, import.meta.url))
  let module
  try {
    module = await import(specifier)
  } catch (error) {
    // The module itself, or a compiled module it imports, is missing: the build is absent or incomplete.
    // A missing npm package is a real failure and is rethrown.
    const missing =
      error?.code === 'ERR_MODULE_NOT_FOUND'
        ? /Cannot find module '([^']+)'/.exec(String(error.message))?.[1]
        : undefined
    if (missing === path) throw new NotBuiltError(`${path} does not exist`)
    if (missing?.startsWith(DIST)) throw new NotBuiltError(`incomplete build: ${error.message}`)
    throw error
  }

  if (typeof module[exportName] !== 'function') throw new NotBuiltError(`${path} does not export ${exportName}()`)
  return module[exportName]
}

/** The record count from a service summary, whatever the service calls it; null when it reports none. */
function countFrom(summary) {
  // convert's result: {records: {read, converted, rejected}}
  if (typeof summary?.records?.read === 'number') return summary.records.read
  for (const key of ['records', 'conversations', 'converted', 'written', 'count', 'total']) {
    if (typeof summary?.[key] === 'number') return summary[key]
    if (typeof summary?.counts?.[key] === 'number') return summary.counts[key]
  }

  return null
}

/** The bare loop verify is measured against: read and JSON.parse every line of both files, nothing else. */
async function parseBoth(paths) {
  let records = 0
  const emit = (view, start, stop) => {
    if (stop > start && view[stop - 1] === CARRIAGE_RETURN) stop--
    if (stop <= start) return true
    JSON.parse(view.toString('utf8', start, stop))
    records++
    return true
  }

  for (const path of paths) await scanLines(path, emit)
  return records
}

/**
 * The modes bench/run.js can ask for. `load` runs before the clock starts; `run` is timed and returns a record count.
 * Add a mode per command to measure (verify, archive, export …).
 */
const MODES = {
  baseline: {
    load: async () => null,
    run: (loaded, input, output) => baseline(input, output),
  },
  convert: {
    load: () => importBuilt('../dist/convert/index.js', 'runConvert'),
    async run(runConvert, input, output, options) {
      const summary = await runConvert({
        from: options.from ?? 'liveperson',
        input,
        output,
        to: options.to ?? 'neutral',
        withoutExtensions: options.withoutExtensions === true,
      })
      return countFrom(summary)
    },
    service: 'convert service',
  },
  'parse-both': {
    load: async () => null,
    run: (loaded, input, output, options) => parseBoth([input, options.target]),
  },
  'archive-create': {
    load: () => importBuilt('../dist/archive/index.js', 'createArchive'),
    async run(createArchive, input, output, options) {
      const result = await createArchive({date: '2026-01-01', from: options.from ?? 'liveperson', input, output})
      return result.records.read
    },
    service: 'archive service',
  },
  // Verifies a bag made beforehand (bench/run.js prepares it); returns null: it checks files and bytes, not input records.
  'archive-verify': {
    load: () => importBuilt('../dist/archive/index.js', 'verifyArchive'),
    async run(verifyArchive, input, output, options) {
      const result = await verifyArchive({dir: options.dir, records: options.records})
      if (!result.valid) throw new Error(`archive verify failed: ${JSON.stringify(result.problems.slice(0, 3))}`)
      return null
    },
    service: 'archive service',
  },
  verify: {
    load: () => importBuilt('../dist/verify/index.js', 'runVerify'),
    async run(runVerify, input, output, options) {
      const report = await runVerify({from: options.from, source: input, target: options.target, to: options.to})
      if (!report.verdict.ok) throw new Error(`verify failed: ${report.verdict.reasons.join('; ')}`)
      return report.source.read + report.target.read
    },
    service: 'verify service',
  },
}

async function main() {
  const [modeName, input, output, optionsJson = '{}'] = process.argv.slice(2)
  const mode = MODES[modeName]
  if (!mode || !input || !output) {
    process.stderr.write(
      `usage: node bench/child.js <${Object.keys(MODES).join('|')}> <input> <output> [options-json]\n`,
    )
    process.exitCode = 2
    return
  }

  let loaded
  const loadStart = performance.now()
  try {
    loaded = await mode.load()
  } catch (error) {
    if (!(error instanceof NotBuiltError)) throw error
    process.stderr.write(
      `${mode.service ?? modeName} not built yet: ${error.message}. Run \`npm run build\` once it exists.\n`,
    )
    process.exitCode = NOT_BUILT
    return
  }

  const loadMs = performance.now() - loadStart
  const start = performance.now()
  const records = await mode.run(loaded, input, output, JSON.parse(optionsJson))
  const ms = performance.now() - start
  const maxRssMB = process.resourceUsage().maxRSS / 1024
  process.stdout.write(
    `${JSON.stringify({loadMs: Math.round(loadMs), maxRssMB: Math.round(maxRssMB * 10) / 10, ms: Math.round(ms), records})}\n`,
  )
}

await main()
