import {expect} from 'chai'

import {type JsonObject} from '../../src/engine/json.js'
import {builtInFormats} from '../../src/engine/load-mapping.js'
import {diagnoseWrongFormat, loadSide, makeConverter, NEUTRAL, type Side} from '../../src/engine/pipeline.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'

/** Every record shape and neutral: 8 formats give 56 ordered pairs. */
const FORMATS = [NEUTRAL, ...builtInFormats()]
const COUNT = 12

/** Each conversion goes through JSON text, as separate convert runs do. */
function convertAll(
  from: Side,
  to: Side,
  records: JsonObject[],
): {converter: ReturnType<typeof makeConverter>; out: JsonObject[]} {
  const converter = makeConverter(from, to)
  const out = records.map((record, i) => {
    const outcome = converter.convert(JSON.parse(stableStringify(record)))
    if (outcome.reason !== undefined) throw new Error(`${from.format} → ${to.format}, record ${i}: ${outcome.reason}`)
    return JSON.parse(stableStringify(outcome.value)) as JsonObject
  })
  return {converter, out}
}

describe(`every ordered pair of the ${FORMATS.length} formats`, () => {
  const sides = new Map<string, Side>()
  const samples = new Map<string, JsonObject[]>()

  before(async () => {
    for (const format of FORMATS) sides.set(format, await loadSide(format))
    for (const format of builtInFormats()) {
      const generate = sampleGenerators[format]
      if (!generate) throw new Error(`no sample generator for ${format}`)
      samples.set(format, [...generate(COUNT, {messages: 10, seed: 'pairs'})] as JsonObject[])
    }

    samples.set(NEUTRAL, convertAll(sides.get('liveperson')!, sides.get(NEUTRAL)!, samples.get('liveperson')!).out)
  })

  it('rejects, with the target field named, a conversation the target shape would not accept', () => {
    // No time at all: Ada requires date_created (and otherwise takes the earliest time the conversation has).
    const neutral = {
      dialogs: [],
      format: 'liveperson',
      messages: [],
      participants: [],
      schemaVersion: '1.0',
      sourceId: 'x1',
      tags: [],
      transfers: [],
      vendor: 'liveperson',
    }
    const outcome = makeConverter(sides.get(NEUTRAL)!, sides.get('ada')!).convert(neutral)
    expect(outcome.reason).to.equal('cannot be written as ada: date_created: missing (expected string)')
  })

  it('tells apart record shapes whose API pages share an envelope key (Ada and DeepConverse: "data")', async () => {
    for (const [format, other] of [
      ['ada', 'deepconverse'],
      ['deepconverse', 'ada'],
    ] as const) {
      const page = {data: samples.get(format)!.slice(0, 2)}
      const wrong = await diagnoseWrongFormat(page, 'liveperson', 'page.json:1')
      expect(wrong?.message).to.equal(
        `page.json:1: this is ${format === 'ada' ? 'an' : 'a'} ${format} API page ("data"), not liveperson`,
      )
      expect(wrong?.message).not.to.include(other)
    }
  })

  it('has a sample generator for every record shape', () => {
    expect(Object.keys(sampleGenerators).sort()).to.deep.equal(builtInFormats())
  })

  for (const a of FORMATS) {
    for (const b of FORMATS) {
      if (a === b) continue
      it(`${a} → ${b}: every record converts to a valid ${b} record${b === NEUTRAL || a === NEUTRAL ? '' : `, and back to ${a}`}`, () => {
        const from = sides.get(a)!
        const to = sides.get(b)!
        const input = samples.get(a)!
        const {converter, out} = convertAll(from, to, input)
        expect(out).to.have.length(input.length)
        for (const record of out) expect(to.check(record), `${b} record check`).to.equal(undefined)
        // Read again as the target shape: it must make a valid neutral conversation with the same id.
        const {out: reread} = convertAll(to, sides.get(NEUTRAL)!, out)
        for (const [i, neutral] of reread.entries()) {
          const parsed = NeutralConversation.safeParse(neutral)
          expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).to.equal(true)
          const original = a === NEUTRAL ? input[i]! : convertAll(from, sides.get(NEUTRAL)!, [input[i]!]).out[0]!
          expect(neutral.sourceId).to.equal(original.sourceId)
        }

        if (a === NEUTRAL || b === NEUTRAL) return
        const {out: back} = convertAll(to, from, out)
        if (to.mapping?.definition.carry) {
          // B has a free-form field: A → B → A is exact.
          for (const [i, record] of back.entries())
            expect(stableStringify(record), `record ${i}`).to.equal(stableStringify(input[i]))
          expect(converter.stats.noHome.size, 'nothing without a home').to.equal(0)
        } else {
          // B has none: what it could not hold is counted, never silently dropped.
          const lost = [...converter.stats.noHome.values()].reduce((sum, n) => sum + n, 0)
          const same = back.every((record, i) => stableStringify(record) === stableStringify(input[i]))
          expect(same || lost > 0, 'either exact or the loss is counted').to.equal(true)
        }
      })
    }
  }
})
