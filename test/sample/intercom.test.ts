import {expect} from 'chai'

import {sampleGenerators} from '../../src/sample/index.js'
import {intercomRecords} from '../../src/sample/intercom.js'

type Json = Record<string, any>

/** The mean number of parts in 200 records generated with this messages bias. */
function meanParts(messages: number): number {
  const sample = [...intercomRecords(200, {messages, seed: 'mean'})] as Json[]
  return sample.reduce((sum, r) => sum + r.conversation_parts.conversation_parts.length, 0) / sample.length
}

describe('sample/intercom', () => {
  // Given 300 records from one fixed seed, shared by the tests below
  const records = [...intercomRecords(300, {seed: 42})] as Json[]
  const parts = records.flatMap((record) => record.conversation_parts.conversation_parts as Json[])

  it('is the registered generator for the intercom format', () => {
    expect(sampleGenerators.intercom).to.equal(intercomRecords)
  })

  it('gives identical records for the same seed (7 and "7" alike), others for another, record i whatever the count', () => {
    expect(JSON.stringify([...intercomRecords(20, {seed: 7})])).to.equal(
      JSON.stringify([...intercomRecords(20, {seed: '7'})]),
    )
    expect(JSON.stringify([...intercomRecords(5, {seed: 1})])).to.not.equal(
      JSON.stringify([...intercomRecords(5, {seed: 2})]),
    )
    const endless = intercomRecords(Number.POSITIVE_INFINITY, {seed: 42})
    expect(JSON.stringify([endless.next().value, endless.next().value])).to.equal(JSON.stringify(records.slice(0, 2)))
  })

  it('gives unique conversation ids, in creation order, with parts in time order after created_at', () => {
    expect(new Set(records.map((record) => record.id)).size).to.equal(records.length)
    for (const [i, record] of records.entries()) {
      if (i > 0) expect(record.created_at).to.be.greaterThan(records[i - 1]!.created_at)
      let last = record.created_at as number
      for (const part of record.conversation_parts.conversation_parts as Json[]) {
        expect(part.created_at).to.be.at.least(last)
        last = part.created_at
      }
    }
  })

  it('covers the authors, part types, states and extras the mapping reads', () => {
    const authors = new Set(parts.map((part) => part.author.type))
    expect([...authors].sort()).to.deep.equal(['admin', 'bot', 'lead', 'user'])
    const types = new Set(parts.map((part) => part.part_type))
    for (const type of ['comment', 'note', 'assignment', 'close', 'snoozed']) expect(types).to.include(type)
    expect(new Set(records.map((record) => record.state))).to.deep.equal(new Set(['closed', 'open', 'snoozed']))
    expect(records.some((record) => record.conversation_rating !== null)).to.equal(true)
    expect(records.some((record) => Object.keys(record.custom_attributes).length > 0)).to.equal(true)
    expect(parts.some((part) => part.attachments.length > 0)).to.equal(true)
    expect(records.some((record) => record.source.delivered_as === 'admin_initiated')).to.equal(true)
  })

  it('biases the part count towards the messages option (the source is the first message)', () => {
    expect(meanParts(5)).to.be.within(3, 5)
    expect(meanParts(40)).to.be.within(33, 42)
    expect(() => intercomRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
  })
})
