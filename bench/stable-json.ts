/**
 * stableStringify vs fast-json-stable-stringify vs native JSON.stringify on a ~12 KB conversation-like record.
 * Run: node --loader ts-node/esm --no-warnings bench/stable-json.ts
 */
import fastStableStringify from 'fast-json-stable-stringify'

import {stableStringify} from '../src/util/stable-json.js'
import {makeRecord} from './io-fixtures.js'

type Serializer = (value: unknown) => string

/** Interleaved rounds (each serializer once per round over all values); returns the median µs per record. */
function measure(serializers: Array<[string, Serializer]>, values: unknown[], rounds: number): Map<string, number> {
  const samples = new Map<string, number[]>(serializers.map(([name]) => [name, []]))
  let bytes = 0
  for (let round = -3; round < rounds; round++) {
    for (const [name, fn] of serializers) {
      const start = process.hrtime.bigint()
      for (const value of values) bytes += fn(value).length
      const perRecord = Number(process.hrtime.bigint() - start) / values.length / 1000
      if (round >= 0) samples.get(name)!.push(perRecord) // rounds below 0 are warm-up
    }
  }

  if (bytes === 0) throw new Error('nothing serialized')
  const medians = new Map<string, number>()
  for (const [name, list] of samples) medians.set(name, [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!)
  return medians
}

const sortedShare = Number(process.env.SORTED_SHARE ?? '0.9')
/** Shaped as JSON.parse makes objects, as records are in production (structuredClone would not do that). */
function asParsed(value: unknown): unknown {
  // eslint-disable-next-line unicorn/prefer-structured-clone
  return JSON.parse(JSON.stringify(value))
}

const values = Array.from({length: 200}, (_, i) => asParsed(makeRecord(i + 1, sortedShare)))
for (const v of values) if (stableStringify(v) !== fastStableStringify(v)) throw new Error('mismatch')
const medians = measure(
  [
    ['JSON.stringify (unsorted)', (v) => JSON.stringify(v)],
    ['fast-json-stable-stringify', (v) => fastStableStringify(v)],
    ['stableStringify', stableStringify],
  ],
  values,
  Number(process.env.ROUNDS ?? 30),
)
console.log(
  `record size ≈ ${JSON.stringify(values[0]).length} bytes; objects with keys already sorted: ${sortedShare * 100}%`,
)
for (const [name, us] of medians) console.log(`${name.padEnd(28)} ${us.toFixed(1).padStart(7)} µs/record (median)`)
const native = medians.get('JSON.stringify (unsorted)')!
const fast = medians.get('fast-json-stable-stringify')!
const ours = medians.get('stableStringify')!
console.log(
  `stableStringify: ${(fast / ours).toFixed(2)}x faster than fast-json-stable-stringify; ${(ours / native).toFixed(2)}x native JSON.stringify`,
)
