import {expect} from 'chai'

import {IdLedger} from '../../src/engine/id-ledger.js'
import {loadSide, type Side} from '../../src/engine/pipeline.js'
import {type Classifier, compareConversations, type FieldDiff, LENSES, newFieldTree} from '../../src/verify/compare.js'
import {classifierFor} from '../../src/verify/expectations.js'

type Any = Record<string, any>

const base = (): Any => ({
  customData: {sdes: {a: 1}, tier: 'gold'},
  format: 'liveperson',
  messages: [
    {id: 'm1', role: 'customer', sentAt: '2024-01-01T10:00:00.123456Z', text: 'hello'},
    {id: 'm2', role: 'bot', sentAt: '2024-01-01T10:00:01.000Z', text: 'hi'},
  ],
  participants: [
    {id: 'p1', role: 'customer'},
    {id: 'p2', role: 'bot'},
  ],
  sourceId: 'c1',
  tags: ['a', 'b'],
  vendor: 'liveperson',
})

function compare(a: Any, b: Any, target?: Side): FieldDiff[] {
  // eslint-disable-next-line unicorn/no-useless-undefined -- a classifier that declares nothing
  const classify: Classifier = target ? classifierFor(target) : () => undefined
  return compareConversations(a, b, newFieldTree().root, 0, {classify, ignoredExtensions: new Set(), lenses: LENSES})
}

describe('verify: comparing two conversations', () => {
  let liveperson: Side

  before(async () => {
    liveperson = await loadSide('liveperson')
  })

  it('finds nothing between equal conversations, whatever the key order or empty containers', () => {
    const b = base()
    b.surveys = []
    b.customData = {tier: 'gold', sdes: {a: 1}}
    b.format = 'ada'
    b.vendor = 'ada'
    expect(compare(base(), b)).to.deep.equal([])
  })

  it('calls sub-millisecond digits dropped a transform, and a shifted instant unexpected', () => {
    const b = base()
    b.messages[0].sentAt = '2024-01-01T10:00:00.123Z'
    b.messages[1].sentAt = '2024-01-01T10:00:02.000Z'
    const diffs = compare(base(), b)
    expect(diffs.map((d) => [d.path, d.class])).to.deep.equal([
      ['messages[id=m1].sentAt', 'transformed'],
      ['messages[id=m2].sentAt', 'unexpected'],
    ])
  })

  it('sees no difference in reordered participants and tags, and calls reordered messages unexpected', () => {
    const b = base()
    b.participants.reverse()
    b.tags.reverse()
    b.messages.reverse()
    expect(compare(base(), b).map((d) => [d.field, d.kind, d.class])).to.deep.equal([
      ['messages', 'reordered', 'unexpected'],
    ])
  })

  it('tells an id listed twice apart by its occurrence, and sees an instant spelled with more zeros as equal', () => {
    const a = base()
    a.participants.push({id: 'p1', role: 'customer', joinedAt: '2024-01-01T10:05:00Z'})
    const b = structuredClone(a)
    b.participants.splice(1, 1) // the bot, listed elsewhere by the target
    b.participants.push(a.participants[1])
    b.messages[1].sentAt = '2024-01-01T10:00:01.000000Z'
    b.participants[1].joinedAt = '2024-01-01T10:06:00Z'
    expect(compare(a, b).map((d) => [d.path, d.kind])).to.deep.equal([['participants[id=p1#2].joinedAt', 'changed']])
  })

  it('classifies by the target mapping: unsupported is expected, lossy is transformed, exceptions hold', () => {
    const b = base()
    delete b.customData.tier
    delete b.tags
    b.messages[1].role = 'agent'
    b.customData.sdes = {a: 2}
    const diffs = compare(base(), b, liveperson)
    expect(diffs.map((d) => [d.path, d.kind, d.class])).to.deep.equal([
      ['customData.sdes', 'changed', 'unexpected'],
      ['customData.tier', 'lost', 'expected'],
      ['messages[id=m2].role', 'changed', 'transformed'],
      ['tags', 'lost', 'expected'],
    ])
    expect(diffs[1]!.reason).to.equal('liveperson cannot hold customData.* (mapping: unsupported)')
    expect(diffs[2]!.reason).to.contain('bot and system senders become agent')
  })

  it('gives long strings a word diff', () => {
    const b = base()
    const long = 'The parcel left the depot this morning and should arrive before noon tomorrow.'
    const a = base()
    a.messages[0].text = long
    b.messages[0].text = long.replace('noon', 'six')
    expect(compare(a, b)[0]!.textDiff).to.contain('[-noon-]{+six+}')
  })
})

describe('verify: the id ledger', () => {
  for (const memoryLimit of [1_000_000, 3]) {
    it(`finds missing and duplicated ids ${memoryLimit === 3 ? 'through disk partitions' : 'in memory'}`, () => {
      const ledger = new IdLedger(10, memoryLimit)
      try {
        for (const id of ['a', 'b', 'b', 'c', 'd\ne']) ledger.add('source', id)
        for (const id of ['a', 'b', 'c', 'c', 'x', 'd\ne']) ledger.add('target', id)
        expect(ledger.findings()).to.deep.equal({
          duplicated: {
            count: 2,
            ids: [
              {id: 'b', source: 2, target: 1},
              {id: 'c', source: 1, target: 2},
            ],
          },
          missingInSource: {count: 1, ids: ['x']},
          missingInTarget: {count: 0, ids: []},
        })
      } finally {
        ledger.dispose()
      }
    })
  }
})
