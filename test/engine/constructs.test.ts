import {expect} from 'chai'

import {compileMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {type MappingFile, type MappingRule} from '../../src/schemas/mapping.js'
import {hookContext, roundTrip} from '../helpers/liveperson.js'

/** A one-off mapping of a small vendor shape: conversation rules, and a messages collection. */
function mapping(rules: MappingRule[], messageRules: MappingRule[] = []) {
  const definition: MappingFile = {
    collections: [
      {
        neutral: 'participants',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {neutral: 'role', vendor: 'kind'},
        ],
        vendor: 'people',
      },
      {neutral: 'messages', rules: [{neutral: 'id', vendor: 'id'}, ...messageRules], vendor: 'lines'},
    ],
    format: 'tiny',
    rules: [{neutral: 'sourceId', vendor: 'id'}, ...rules],
    vendor: 'tiny',
    version: 1,
  }
  return compileMapping(definition)
}

const forward = (m: ReturnType<typeof compileMapping>, record: JsonObject) =>
  m.toNeutral(structuredClone(record), hookContext(m))
/** The neutral record as another shape would hand it over: no extensions of this one. */
const bare = (m: ReturnType<typeof mapping>, record: JsonObject) =>
  ({
    ...m.toNeutral(structuredClone(record), {...hookContext(m), withoutExtensions: true}),
    format: 'neutral',
  }) as JsonObject
const back = (m: ReturnType<typeof compileMapping>, neutral: JsonObject) => m.fromNeutral(neutral, hookContext(m))

type Any = Record<string, any>
/** A record of one message with `parts`. */
const lineWith = (parts: unknown): JsonObject => ({id: 'c1', lines: [{body: 'Hi', id: 'm1', parts}]}) as JsonObject

const record: JsonObject = {
  id: 'c1',
  lines: [
    {from: 'p2', id: 'm1', at: '2026-01-02T10:00:00Z'},
    {from: 'p1', id: 'm2', at: '2026-01-02T09:00:00Z'},
  ],
  people: [
    {id: 'p1', kind: 'customer', mail: 'c@x.test'},
    {id: 'p2', kind: 'bot'},
  ],
}

describe('mapping constructs', () => {
  it('from: a message role joined from its participant; a customer id from the customer participant', () => {
    const m = mapping(
      [{direction: 'toNeutral', from: '$.participants[role=customer].id', neutral: 'customer.id'}],
      [
        {neutral: 'participantId', vendor: 'from'},
        {from: '$.participants[id=@participantId].role', neutral: 'role'},
      ],
    )
    const neutral = forward(m, record)
    expect((neutral.messages as JsonObject[]).map((message) => message.role)).to.deep.equal(['bot', 'customer'])
    expect(neutral.customer).to.deep.equal({id: 'p1'})
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('from on ←: a vendor field repeated in every element, read from the record being written', () => {
    const m = mapping([], [{from: '$vendor.id', vendor: 'conversation'}])
    const neutral = forward(m, {...record, lines: [{conversation: 'c1', id: 'm1'}, {id: 'm2'}]})
    // The element that had it needs nothing in its extension; the one that lacked it records the absence.
    const [first, second] = neutral.messages as JsonObject[]
    expect(first!.extensions).to.equal(undefined)
    expect(second!.extensions).to.deep.equal({tiny: {absent: ['/conversation']}})
    expect(back(m, bare(m, {...record, lines: [{conversation: 'c1', id: 'm1'}, {id: 'm2'}]})).lines).to.deep.equal([
      {conversation: 'c1', id: 'm1'},
      {conversation: 'c1', id: 'm2'},
    ])
  })

  it('from with an expression: a count of the vendor array being written', () => {
    const m = mapping([{from: {count: '$vendor.lines'}, vendor: 'lineCount'}])
    const neutral = bare(m, record)
    expect(back(m, neutral).lineCount).to.equal(2)
    expect(roundTrip(m, {...record, lineCount: 2}).back).to.deep.equal({...record, lineCount: 2})
  })

  it('expressions: earliest time when absent (if), join, first, count', () => {
    const m = mapping(
      [
        {
          direction: 'fromNeutral',
          if: {'neutral:startedAt': null},
          neutral: {earliest: ['messages[].sentAt', 'endedAt']},
          vendor: 'start',
        },
        {direction: 'toNeutral', neutral: 'customer.name', vendor: {join: ['first', 'last'], with: ' '}},
        {neutral: 'customer.email', vendor: {first: ['mail', 'people[kind=customer].mail']}},
        {direction: 'toNeutral', neutral: 'customData.lines', vendor: {count: 'lines'}},
      ],
      [{neutral: 'sentAt', vendor: 'at'}],
    )
    const neutral = forward(m, {...record, first: 'Ann', people: [{id: 'p1', kind: 'customer', mail: 'a@x.test'}]})
    expect(neutral.customer).to.deep.equal({email: 'a@x.test', name: 'Ann'})
    expect(neutral.customData).to.deep.equal({lines: 2})
    const out = back(m, {...neutral, extensions: undefined, format: 'neutral'} as JsonObject)
    expect(out.start).to.equal('2026-01-02T09:00:00Z')
    expect(out.mail).to.equal('a@x.test')
    expect(
      back(m, {...neutral, extensions: undefined, format: 'neutral', startedAt: '2026-01-01T00:00:00Z'}).start,
    ).to.equal(undefined)
  })

  it('an expression is read only unless it is first', () => {
    expect(() => mapping([{neutral: 'customer.name', vendor: {join: ['a', 'b']}}])).to.throw(/read only/)
  })

  it('if: a rule applies only where its condition holds, on either side', () => {
    const m = mapping([
      {if: {'.': {integer: true, max: 5, min: 1}}, neutral: 'csat.score', vendor: 'rate'},
      {if: {'neutral:status': 'open'}, vendor: 'endTime', const: 'undefined'},
      {neutral: 'status', vendor: 'state'},
    ])
    expect(forward(m, {id: 'c1', rate: 4}).csat).to.deep.equal({score: 4})
    expect(forward(m, {id: 'c1', rate: 7}).csat).to.equal(undefined)
    const open = back(m, {...forward(m, {id: 'c1', state: 'open'}), extensions: undefined, format: 'neutral'})
    expect(open.endTime).to.equal('undefined')
    const closed = back(m, {...forward(m, {id: 'c1', state: 'closed'}), extensions: undefined, format: 'neutral'})
    expect(closed.endTime).to.equal(undefined)
  })

  it('if with every: a test that each element of a list (or projection) passes', () => {
    const m = mapping([], [{if: {'vendor:parts[].type': {every: {type: 'string'}}}, neutral: 'text', vendor: 'body'}])
    const text = (parts: unknown) => (forward(m, lineWith(parts)).messages as Any[])[0]!.text
    expect(text([{type: 'a'}, {type: 'b'}])).to.equal('Hi')
    expect(text([])).to.equal('Hi')
    expect(text([{type: 'a'}, {}])).to.equal(undefined)
    expect(text('parts')).to.equal(undefined)
  })

  it('maps with prefix keys (→) and reverseOtherwise (←)', () => {
    const m = mapping([
      {
        map: {'image/*': 'image', 'text/plain': 'text'},
        neutral: 'channel',
        reverseOtherwise: 'text/plain',
        vendor: 'mime',
      },
    ])
    expect(forward(m, {id: 'c1', mime: 'image/png'}).channel).to.equal('image')
    expect(back(m, {channel: 'image', format: 'neutral', sourceId: 'c1'}).mime).to.equal('text/plain')
  })

  it('a tag rule with missing: the placeholder is no tag, and is written back when no tag has the prefix', () => {
    const m = mapping([{missing: ['not_priority'], tag: {prefix: 'priority:'}, vendor: 'priority'}])
    expect(forward(m, {id: 'c1', priority: 'priority'}).tags).to.deep.equal(['priority:priority'])
    expect(forward(m, {id: 'c1', priority: 'not_priority'}).tags).to.deep.equal([])
    expect(back(m, {format: 'neutral', sourceId: 'c1', tags: ['priority:priority']}).priority).to.equal('priority')
    expect(back(m, {format: 'neutral', sourceId: 'c1', tags: ['vip']}).priority).to.equal('not_priority')
  })

  it('except: an object without the keys other rules map, merged back under them', () => {
    const m = mapping([
      {neutral: 'channel', vendor: 'meta.channel'},
      {except: 'mapped', neutral: 'customData', vendor: 'meta'},
    ])
    const input = {id: 'c1', meta: {channel: 'web', plan: 'gold', seats: 3}}
    expect(forward(m, input).customData).to.deep.equal({plan: 'gold', seats: 3})
    expect(roundTrip(m, input).back).to.deep.equal(input)
    const listed = mapping([{except: ['seats'], neutral: 'customData', vendor: 'meta'}])
    expect(forward(listed, input).customData).to.deep.equal({channel: 'web', plan: 'gold'})
  })

  it('except: later rules write into the vendor object, never into the neutral object it came from', () => {
    const m = mapping([
      {except: 'mapped', neutral: 'customData', vendor: 'meta'},
      {direction: 'fromNeutral', from: '$vendor.id', vendor: 'meta.conversation'},
    ])
    const neutral = bare(m, {id: 'c1', meta: {plan: 'gold'}})
    expect(back(m, neutral).meta).to.deep.equal({conversation: 'c1', plan: 'gold'})
    expect(neutral.customData).to.deep.equal({plan: 'gold'})
  })
})

describe('route skip', () => {
  const opening: MappingFile = {
    collections: [
      {
        neutral: 'messages',
        one: true,
        position: 'first',
        route: {take: 1},
        rules: [{neutral: 'id', vendor: 'id'}],
        vendor: 'opening',
      },
      {neutral: 'messages', route: {skip: 1}, rules: [{neutral: 'id', vendor: 'id'}], vendor: 'parts'},
    ],
    format: 'tiny',
    rules: [{neutral: 'sourceId', vendor: 'id'}],
    vendor: 'tiny',
    version: 1,
  }
  const record = {id: 'c1', opening: {id: 'm0'}, parts: [{id: 'm1'}, {id: 'm2'}]}

  it('an opening object takes the first message back, the parts list skips it', () => {
    const m = compileMapping(opening)
    const neutral = forward(m, record)
    expect((neutral.messages as JsonObject[]).map((message) => message.id)).to.deep.equal(['m0', 'm1', 'm2'])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    const other = {format: 'neutral', messages: [{id: 'x1'}, {id: 'x2'}], sourceId: 'c2'}
    expect(back(m, other)).to.deep.equal({
      id: 'c2',
      opening: {id: 'x1'},
      parts: [{id: 'x2'}],
    })
  })

  it('a record check takes the one object as an object, and its parts as an array', () => {
    const check = compileRecordCheck(opening)
    expect(check(record)).to.equal(undefined)
    expect(check({...record, parts: {id: 'm1'}})).to.equal('parts: got an object (expected array)')
  })
})
