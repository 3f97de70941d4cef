import {expect} from 'chai'
import {assert as fcAssert, integer, property, string} from 'fast-check'

import {formatUtc, Random, WORDS} from '../../src/sample/random.js'

describe('sample/random', () => {
  it('repeats the same sequence for the same seed, and a number seed equals its string', () => {
    const draw = (rng: Random): number[] => Array.from({length: 20}, () => rng.int(0, 1_000_000))
    expect(draw(new Random('abc'))).to.deep.equal(draw(new Random('abc')))
    expect(draw(new Random(7))).to.deep.equal(draw(new Random('7')))
    expect(draw(new Random(1))).to.not.deep.equal(draw(new Random(2)))
  })

  it('forks streams that depend only on the seed and the label', () => {
    const used = new Random('s')
    used.next()
    used.next()
    expect(used.fork('x').uuid()).to.equal(new Random('s').fork('x').uuid())
    expect(new Random('s').fork('x').uuid()).to.not.equal(new Random('s').fork('y').uuid())
  })

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    fcAssert(
      property(string(), integer({max: 1000, min: -1000}), integer({max: 50, min: 0}), (seed, min, span) => {
        const rng = new Random(seed)
        for (let i = 0; i < 50; i++) {
          const value = rng.int(min, min + span)
          expect(Number.isInteger(value) && value >= min && value <= min + span).to.equal(true)
        }
      }),
    )
    const rng = new Random('ends')
    const seen = new Set(Array.from({length: 200}, () => rng.int(1, 3)))
    expect([...seen].sort()).to.deep.equal([1, 2, 3])
  })

  it('draws floats in [0, 1) with a plausible mean', () => {
    const rng = new Random('mean')
    let sum = 0
    for (let i = 0; i < 10_000; i++) {
      const value = rng.next()
      expect(value >= 0 && value < 1).to.equal(true)
      sum += value
    }

    expect(sum / 10_000).to.be.within(0.48, 0.52)
  })

  it('makes ids in the expected formats', () => {
    const rng = new Random('ids')
    expect(rng.uuid()).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/)
    expect(rng.hex(64)).to.match(/^[\da-f]{64}$/)
    expect(rng.digits(10)).to.match(/^[1-9]\d{9}$/)
  })

  it('picks, samples and weights from the given items only', () => {
    const rng = new Random('pick')
    expect(WORDS).to.include(rng.word())
    const sample = rng.sample([1, 2, 3, 4, 5], 3)
    expect(new Set(sample).size).to.equal(3)
    expect(
      rng.weighted([
        ['only', 1],
        ['never', 0],
      ]),
    ).to.equal('only')
    expect(() => rng.pick([])).to.throw(RangeError)
  })

  it('formats UTC times with milliseconds and a suffix', () => {
    expect(formatUtc(Date.UTC(2016, 7, 29, 14, 30, 24, 565), '+0000')).to.equal('2016-08-29 14:30:24.565+0000')
    expect(formatUtc(0)).to.equal('1970-01-01 00:00:00.000')
  })
})
