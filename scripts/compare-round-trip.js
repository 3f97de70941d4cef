#!/usr/bin/env node
// Compares the records of a vendor export with the records a round trip produced, as canonical JSON.
// Usage: node scripts/compare-round-trip.js <original export> <round-tripped JSONL>
import stringify from 'fast-json-stable-stringify'
import {readFileSync} from 'node:fs'

const [originalPath, roundTrippedPath] = process.argv.slice(2)
if (!originalPath || !roundTrippedPath) {
  process.stderr.write('usage: compare-round-trip.js <original export> <round-tripped JSONL>\n')
  process.exit(2)
}

const lines = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
const original = originalPath.endsWith('.jsonl') ? lines(originalPath) : JSON.parse(readFileSync(originalPath, 'utf8'))
const records = Array.isArray(original)
  ? original
  : (Object.values(original).find((value) => Array.isArray(value)) ?? [original])
const back = lines(roundTrippedPath)

let same = 0
for (const [i, record] of records.entries()) {
  if (back[i] !== undefined && stringify(back[i]) === stringify(record)) same++
  else process.stderr.write(`record ${i + 1} differs after the round trip\n`)
}

const ok = same === records.length && back.length === records.length
process.stdout.write(
  `round trip: ${same}/${records.length} records identical${ok ? '' : ` (${back.length} came back)`}\n`,
)
process.exit(ok ? 0 : 1)
