import {expect} from 'chai'
import fc from 'fast-check'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {canonicalJson} from '../../src/engine/canonical.js'
import {isPlainObject, type JsonObject} from '../../src/engine/json.js'
import {builtInFormats} from '../../src/engine/load-mapping.js'
import {loadSide, makeConverter, NEUTRAL, type Side} from '../../src/engine/pipeline.js'
import {openRecords} from '../../src/io/read-records.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {stableLine, stableStringify} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'

const ROOT = join(import.meta.dirname, '..', '..')
const FORMATS = [NEUTRAL, ...builtInFormats()]
/** Every bundled fixture and example (the malformed ones give no records). */
const DIRS = ['ada', 'deepconverse', 'iadvize', 'intercom', 'koreai', 'liveperson'].flatMap((vendor) => [
  `test/fixtures/${vendor}`,
  `examples/${vendor}`,
])

/** The records of a file as `side` reads it (an iAdvize GraphQL page: its nodes), where the side accepts them. */
async function recordsFor(side: Side, path: string): Promise<JsonObject[]> {
  const values: unknown[] = []
  try {
    const source = await openRecords({envelopeKeys: side.envelope, path})
    try {
      for await (const item of source) if (!item.rejected) values.push(item.value)
    } finally {
      await source.close()
    }
  } catch {
    return [] // a fixture that is malformed on purpose
  }

  const nodes = values.flatMap((value) => {
    const edges = (value as {data?: {closedConversations?: {edges?: Array<{node: unknown}>}}}).data?.closedConversations
      ?.edges
    return Array.isArray(edges) ? edges.map((edge) => edge.node) : [value]
  })
  return nodes.filter((value): value is JsonObject => isPlainObject(value) && side.check(value) === undefined)
}

/** A record as convert reads it: through JSON text (structuredClone would keep `__proto__` differently). */
function asParsed(record: JsonObject): JsonObject {
  // eslint-disable-next-line unicorn/prefer-structured-clone
  return JSON.parse(JSON.stringify(record)) as JsonObject
}

/** The old serializer against the new one on one converted record, which the new one must leave as it was. */
function expectSameBytes(value: JsonObject, what: string): void {
  const before = stableStringify(value)
  const snapshot = JSON.stringify(value)
  expect(canonicalJson(value), what).to.equal(before)
  expect(JSON.stringify(value), `${what}: left unchanged`).to.equal(snapshot)
}

describe('canonical output: converted records are written byte for byte as stableStringify writes them', () => {
  const sides = new Map<string, Side>()
  const inputs = new Map<string, JsonObject[]>()

  before(async () => {
    for (const format of FORMATS) sides.set(format, await loadSide(format))
    const files = (
      await Promise.all(
        DIRS.map(async (dir) => (await readdir(join(ROOT, dir)).catch(() => [])).map((name) => join(ROOT, dir, name))),
      )
    ).flat()
    for (const format of FORMATS) {
      const side = sides.get(format)!
      const found: JsonObject[] = []
      for (const file of files) found.push(...(await recordsFor(side, file)))
      const generate = sampleGenerators[format]
      if (generate) found.push(...(generate(6, {messages: 8, seed: 'canonical'}) as Iterable<JsonObject>))
      inputs.set(format, found)
    }
  })

  it('has fixtures or samples for every format, neutral included', () => {
    for (const format of FORMATS) expect(inputs.get(format), format).to.not.be.empty
  })

  for (const from of FORMATS) {
    it(`${from} → every other format`, function () {
      this.timeout(120_000)
      let compared = 0
      for (const to of FORMATS.filter((format) => format !== from)) {
        const converter = makeConverter(sides.get(from)!, sides.get(to)!)
        for (const [i, record] of inputs.get(from)!.entries()) {
          const outcome = converter.convert(asParsed(record))
          if (outcome.value === undefined) continue // rejected: written by stableLine, not here
          expectSameBytes(outcome.value, `${from} → ${to}, record ${i}`)
          compared++
        }
      }

      expect(compared).to.be.greaterThan(0)
    })
  }

  describe('through convert', () => {
    const tmp = useTempDir('all')

    for (const [from, to] of [
      ['liveperson', NEUTRAL],
      ['ada', 'liveperson'],
      [NEUTRAL, 'koreai'],
    ] as const) {
      it(`convert --from ${from} --to ${to} writes each record as the old serializer did`, async function () {
        this.timeout(60_000)
        const input = join(tmp.dir, `${from}-${to}.jsonl`)
        const records = inputs.get(from)!
        await writeFile(input, records.map((record) => JSON.stringify(record)).join('\n') + '\n')
        const output = join(tmp.dir, `${from}-${to}.out.jsonl`)
        const result = await runConvert({from, input, jobs: 1, output, to})
        const converter = makeConverter(sides.get(from)!, sides.get(to)!)
        const expected = records
          .map((record) => converter.convert(asParsed(record)).value)
          .filter((value) => value !== undefined)
          .map((value) => stableLine(value))
          .join('')
        expect(result.records.converted).to.be.greaterThan(0)
        expect(await readFile(output, 'utf8')).to.equal(expected)
      })
    }
  })

  describe('on generated values (property)', () => {
    /** Keys whose sorted order JSON.stringify cannot keep (array indexes), and odd ones; objects made as JSON.parse makes them. */
    const key = fc.oneof(
      fc.constantFrom(
        '__proto__',
        '0',
        '1',
        '10',
        '9',
        '-1',
        '01',
        '4294967295',
        '',
        'a',
        'B',
        'é',
        '\uD83D\uDE00',
        '~/',
      ),
      fc.string({maxLength: 6}),
    )
    const json = fc.letrec<{value: unknown}>((tie) => ({
      value: fc.oneof(
        {depthSize: 'small'},
        fc.oneof(fc.string({maxLength: 6}), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
        fc.array(tie('value'), {maxLength: 4}),
        fc.array(fc.tuple(key, tie('value')), {maxLength: 5}),
      ),
    })).value
    /** Entry lists become objects in that key order, through JSON text so `__proto__` is an own key. */
    const toText = (value: unknown): string => {
      if (!Array.isArray(value)) return JSON.stringify(value) ?? 'null'
      const entries = value as unknown[]
      const isEntries =
        entries.length > 0 && entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')
      if (!isEntries) return `[${entries.map((e) => toText(e)).join(',')}]`
      return `{${(entries as Array<[string, unknown]>).map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(',')}}`
    }

    it('writes any JSON value as stableStringify does, and leaves it as it was', () => {
      fc.assert(
        fc.property(json, (generated) => {
          const text = toText(generated)
          const value = JSON.parse(text) as unknown
          expect(canonicalJson(value)).to.equal(stableStringify(value))
          expect(JSON.stringify(value)).to.equal(JSON.stringify(JSON.parse(text)))
        }),
        {numRuns: 3000},
      )
    })

    it('writes generated records of every shape, in every direction, as stableStringify does', function () {
      this.timeout(120_000)
      fc.assert(
        fc.property(fc.constantFrom(...builtInFormats()), fc.string({maxLength: 8}), (format, seed) => {
          const [record] = [...sampleGenerators[format]!(1, {messages: 4, seed})] as JsonObject[]
          for (const to of FORMATS.filter((f) => f !== format)) {
            const outcome = makeConverter(sides.get(format)!, sides.get(to)!).convert(record)
            if (outcome.value !== undefined) expectSameBytes(outcome.value, `${format} → ${to} (seed ${seed})`)
          }
        }),
        {numRuns: 60},
      )
    })
  })
})
