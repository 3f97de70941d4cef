import {expect} from 'chai'

import {DECLINE, transforms} from '../../src/mappers/transforms.js'

describe('epoch transforms', () => {
  it('decline epochs whose year has no four-digit ISO form (milliseconds read as seconds), so the value is kept verbatim', () => {
    const epochS = transforms['epoch-s']!
    const epochMs = transforms['epoch-ms']!
    expect(epochS.toNeutral(1_744_617_635_123, {})).to.equal(DECLINE)
    expect(epochMs.toNeutral(1e17, {})).to.equal(DECLINE)
    expect(epochS.toNeutral(253_402_300_799, {})).to.equal('9999-12-31T23:59:59Z')
    expect(epochS.toNeutral(1_744_617_635.5, {})).to.equal('2025-04-14T08:00:35.5Z')
  })
})
