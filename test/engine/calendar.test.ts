import {expect} from 'chai'
import fc from 'fast-check'

import {daysFromCivil, isoFromEpochMs, wholeSecondsMs} from '../../src/engine/calendar.js'

const MIN_ISO_MS = -62_167_219_200_000 // 0000-01-01T00:00:00.000Z
const MAX_ISO_MS = 253_402_300_799_999 // 9999-12-31T23:59:59.999Z

describe('engine/calendar (integer date arithmetic behind the timestamp transforms)', () => {
  it('writes every instant of years 0000-9999 exactly as Date#toISOString does', () => {
    for (const ms of [
      MIN_ISO_MS,
      MAX_ISO_MS,
      0,
      -1,
      1,
      951_782_400_000,
      951_868_799_999,
      4_107_542_400_000,
      -2_203_891_200_001,
    ]) {
      expect(isoFromEpochMs(ms), String(ms)).to.equal(new Date(ms).toISOString())
    }

    fc.assert(
      fc.property(fc.integer({max: MAX_ISO_MS, min: MIN_ISO_MS}), (ms) => {
        expect(isoFromEpochMs(ms)).to.equal(new Date(ms).toISOString())
      }),
      {numRuns: 20_000},
    )
  })

  it('reads back what it writes, and agrees with Date.parse on every real date and time', () => {
    fc.assert(
      fc.property(fc.integer({max: MAX_ISO_MS, min: MIN_ISO_MS}), (ms) => {
        const iso = isoFromEpochMs(ms)
        const whole = ms - (((ms % 1000) + 1000) % 1000)
        expect(wholeSecondsMs(iso)).to.equal(whole)
        expect(wholeSecondsMs(iso)).to.equal(Date.parse(`${iso.slice(0, 19)}Z`))
      }),
      {numRuns: 20_000},
    )
    expect(daysFromCivil(1970, 1, 1)).to.equal(0)
    expect(daysFromCivil(2000, 3, 1)).to.equal(11_017)
  })

  it('refuses what is not a real date and time, where Date.parse would roll it over', () => {
    for (const text of [
      '2023-02-29T00:00:00', // not a leap year
      '2024-02-30T00:00:00',
      '1900-02-29T00:00:00', // century, not a leap year
      '2024-04-31T00:00:00',
      '2024-01-01T24:00:00',
      '2024-01-01T23:60:00',
      '2024-01-01T23:59:60',
      '2024-13-01T00:00:00',
      '2024-00-10T00:00:00',
      '2024-01-00T00:00:00',
      '2024-01-01Tx0:00:00',
      '2024/01/01T00:00:00',
      '2024-01-01',
    ]) {
      expect(wholeSecondsMs(text), text).to.be.NaN
    }

    expect(wholeSecondsMs('2000-02-29T12:00:00')).to.equal(Date.parse('2000-02-29T12:00:00Z'))
    expect(wholeSecondsMs('0004-02-29 00:00:00')).to.equal(Date.parse('0004-02-29T00:00:00Z'))
  })
})
