/**
 * openRecords vs a minimal hand loop (1 MiB reads, Buffer#indexOf split, JSON.parse) over the same file; and, on the
 * lines of that file held in memory, JSON.parse alone vs parseGuarded (JSON.parse plus the checks for what it would
 * change: duplicate keys, inexact numbers, depth), so the checks' own cost can be read off (`checks` lines).
 * Run: node --loader ts-node/esm --no-warnings bench/read-records.ts [MiB=50] [file.jsonl for the checks]
 * Inputs are generated into .bench/ (gitignored). Rounds alternate hand loop / reader; medians are reported.
 */
import {once} from 'node:events'
import {createWriteStream} from 'node:fs'
import {mkdir, open, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {finished} from 'node:stream/promises'
import {createGzip} from 'node:zlib'

import {parseGuarded} from '../src/io/json-guard.js'
import {openRecords} from '../src/io/read-records.js'
import {makeRecord} from './io-fixtures.js'

const MiB = 2 ** 20
const SIZE = Number(process.argv[2] ?? 50) * MiB
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const DIR = join(process.cwd(), '.bench')

async function generate(path: string, layout: 'array' | 'jsonl', gzip = false): Promise<void> {
  const exists = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  )
  if (exists) return
  const file = createWriteStream(path)
  const gz = gzip ? createGzip() : undefined
  if (gz) gz.pipe(file)
  const out = gz ?? file
  let bytes = 0
  let i = 0
  if (layout === 'array') out.write('[\n')
  while (bytes < SIZE) {
    const record = makeRecord(++i, 0.5)
    const text =
      layout === 'array' ? `${i > 1 ? ',\n' : ''}${JSON.stringify(record, null, 2)}` : `${JSON.stringify(record)}\n`
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }

  if (layout === 'array') out.write('\n]\n')
  out.end()
  await finished(file)
}

async function handLoop(path: string): Promise<number> {
  const file = await open(path, 'r')
  let buffer = Buffer.allocUnsafe(MiB)
  let end = 0
  let records = 0
  for (;;) {
    if (end === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(bigger, 0, 0, end)
      buffer = bigger
    }

    const {bytesRead} = await file.read(buffer, end, buffer.length - end, null)
    if (bytesRead === 0) break
    end += bytesRead
    const view = buffer.subarray(0, end)
    let start = 0
    let newline = view.indexOf(10, start)
    while (newline !== -1) {
      if (newline > start) {
        JSON.parse(view.toString('utf8', start, newline))
        records++
      }

      start = newline + 1
      newline = view.indexOf(10, start)
    }

    buffer.copy(buffer, 0, start, end)
    end -= start
  }

  if (end > 0) {
    JSON.parse(buffer.toString('utf8', 0, end))
    records++
  }

  await file.close()
  return records
}

async function reader(path: string): Promise<number> {
  const source = await openRecords({envelopeKeys: ['records'], path})
  let records = 0
  for await (const record of source) if (record.value) records++
  return records
}

/** The lines of a JSONL file, read once. */
const cachedLines = new Map<string, string[]>()
async function linesOf(path: string): Promise<string[]> {
  let lines = cachedLines.get(path)
  if (!lines) {
    const file = await open(path, 'r')
    lines = (await file.readFile('utf8')).split('\n').filter(Boolean)
    await file.close()
    cachedLines.set(path, lines)
  }

  return lines
}

async function parseOnly(path: string): Promise<number> {
  let records = 0
  for (const line of await linesOf(path)) if (JSON.parse(line)) records++
  return records
}

async function parseChecked(path: string): Promise<number> {
  let records = 0
  for (const line of await linesOf(path)) if (parseGuarded(line, 1000).kind === 'ok') records++
  return records
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function compare(
  label: string,
  path: string,
  textPath: string,
  fns: Array<[string, (path: string) => Promise<number>]>,
): Promise<void> {
  const times = new Map<string, number[]>(fns.map(([name]) => [name, []]))
  const counts = new Map<string, number>()
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of fns) {
      const start = performance.now()
      counts.set(name, await fn(path))
      times.get(name)!.push(performance.now() - start)
    }
  }

  // Throughput per byte of (decompressed) JSON text.
  const {size} = await stat(textPath)
  const first = median(times.get(fns[0]![0])!)
  for (const [name] of fns) {
    const ms = median(times.get(name)!)
    console.log(
      `${label.padEnd(28)} ${name.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${(size / MiB / (ms / 1000)).toFixed(0).padStart(4)} MiB/s  ` +
        `${String(counts.get(name)).padStart(6)} records  ${(ms / first).toFixed(3)}x`,
    )
  }
}

await mkdir(DIR, {recursive: true})
const mb = SIZE / MiB
const jsonl = join(DIR, `io-${mb}MiB.jsonl`)
const array = join(DIR, `io-${mb}MiB-array.json`)
const gz = join(DIR, `io-${mb}MiB.jsonl.gz`)
await generate(jsonl, 'jsonl')
await generate(array, 'array')
await generate(gz, 'jsonl', true)
console.log(`node ${process.version}, ${ROUNDS} rounds, medians`)
await compare('jsonl', jsonl, jsonl, [
  ['hand loop', handLoop],
  ['openRecords', reader],
])
await compare('pretty array (document)', array, array, [['openRecords', reader]])
await compare('jsonl.gz (same JSONL, gzip)', gz, jsonl, [['openRecords', reader]])
// The checks on records as LivePerson exports hold them (a file given on the command line), else on the JSONL above.
const checked = process.argv[3] ?? jsonl
await linesOf(checked)
await compare('checks', checked, checked, [
  ['JSON.parse', parseOnly],
  ['parseGuarded', parseChecked],
])
