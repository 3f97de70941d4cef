/* eslint-disable camelcase -- Ada-like parallel arrays agent_id / agent_name */
import {expect} from 'chai'

import {compileMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {type MappingCollection, type MappingFile, type MappingRule} from '../../src/schemas/mapping.js'
import {hookContext, roundTrip} from '../helpers/liveperson.js'

/** A one-off mapping of a small vendor shape with the given collections. */
function mapping(collections: MappingCollection[], rules: MappingRule[] = []) {
  const definition: MappingFile = {
    collections,
    format: 'tiny',
    rules: [{neutral: 'sourceId', vendor: 'id'}, ...rules],
    vendor: 'tiny',
    version: 1,
  }
  return compileMapping(definition)
}

type Compiled = ReturnType<typeof mapping>
const forward = (m: Compiled, record: JsonObject) => m.toNeutral(structuredClone(record), hookContext(m))
/** The neutral record as another shape would hand it over: no extensions of this one. */
const bare = (m: Compiled, neutral: JsonObject) => {
  const copy = structuredClone(neutral)
  delete copy.extensions
  return copy
}

const back = (m: Compiled, neutral: JsonObject) => m.fromNeutral(neutral, hookContext(m))
const people: MappingCollection = {
  neutral: 'participants',
  route: {field: 'role', values: ['agent']},
  rules: [
    {neutral: 'id', vendor: 'id'},
    {const: 'agent', neutral: 'role'},
  ],
  vendor: 'agents',
}

/** Ada-like agents: parallel arrays of ids and names. */
const zipped: MappingCollection = {
  neutral: 'participants',
  rules: [
    {neutral: 'id', vendor: 'id'},
    {missing: [''], neutral: 'displayName', vendor: 'name'},
    {const: 'agent', neutral: 'role'},
  ],
  vendor: '$',
  zip: {id: 'agent_id', name: 'agent_name'},
}

/** Summaries of one kind from one vendor array, leaving out empty arrays. */
const summaries = (vendor: string, kind: string): MappingCollection => ({
  neutral: 'summaries',
  omitEmpty: true,
  route: {if: {'neutral:kind': kind}},
  rules: [
    {neutral: 'text', vendor: 'text'},
    {const: kind, neutral: 'kind'},
  ],
  vendor,
})

describe('mapping collections (§3.6, §3.7)', () => {
  it('one + position first: the record itself and one object become participants ahead of the others', () => {
    const m = mapping([
      people,
      {
        neutral: 'participants',
        one: true,
        position: 'first',
        route: {if: {'neutral:role': 'customer'}},
        rules: [
          {neutral: 'id', vendor: 'userId'},
          {const: 'customer', neutral: 'role'},
        ],
        vendor: '$',
      },
      {
        neutral: 'participants',
        one: true,
        position: 'first',
        route: {if: {'neutral:role': 'bot'}},
        rules: [
          {neutral: 'id', vendor: 'id'},
          {neutral: 'displayName', vendor: 'name'},
          {const: 'bot', neutral: 'role'},
        ],
        vendor: 'bot',
      },
    ])
    const record = {agents: [{id: 'a1'}], bot: {id: 'b1', name: 'Bo'}, id: 'c1', userId: 'u1'}
    const neutral = forward(m, record)
    expect(neutral.participants).to.deep.equal([
      {id: 'u1', role: 'customer'},
      {displayName: 'Bo', id: 'b1', role: 'bot'},
      {id: 'a1', role: 'agent'},
    ])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // No rule matched: no element (the constant role alone makes none); nor without the required id.
    expect(forward(m, {agents: [], id: 'c2'}).participants).to.deep.equal([])
    expect(forward(m, {agents: [], bot: {name: 'Bo'}, id: 'c2', userId: ''}).participants).to.deep.equal([])
  })

  it('zip: parallel arrays as elements, split back one slot per element', () => {
    const m = mapping([zipped])
    const record = {agent_id: ['a1', 'a2'], agent_name: ['', 'Al'], id: 'c1'}
    expect(forward(m, record).participants).to.deep.equal([
      {id: 'a1', role: 'agent'},
      {displayName: 'Al', id: 'a2', role: 'agent'},
    ])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // Arrays of unequal length: the diff keeps what the rebuild cannot say.
    const uneven = {agent_id: ['a1', 'a2'], agent_name: ['Ann'], id: 'c1'}
    expect(roundTrip(m, uneven).back).to.deep.equal(uneven)
  })

  it('distinct: one element per distinct projected value, read only', () => {
    const m = mapping([
      {
        distinct: 'id',
        neutral: 'participants',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {const: 'customer', neutral: 'role'},
        ],
        vendor: 'lines[].from',
      },
    ])
    const record = {id: 'c1', lines: [{from: 'p1'}, {from: 'p2'}, {from: 'p1'}, {}]}
    expect(forward(m, record).participants).to.deep.equal([
      {id: 'p1', role: 'customer'},
      {id: 'p2', role: 'customer'},
    ])
    expect(back(m, bare(m, forward(m, record)))).to.deep.equal({id: 'c1'})
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('route take and collection if: which elements go back, and which are read', () => {
    const m = mapping([
      {
        if: {'neutral:role': ['customer', 'bot'], 'vendor:kind': {not: 'note'}},
        neutral: 'messages',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {neutral: 'role', vendor: 'kind'},
        ],
        route: {take: 2},
        vendor: 'lines',
      },
    ])
    const record = {
      id: 'c1',
      lines: [
        {id: 'm1', kind: 'customer'},
        {id: 'm2', kind: 'note'},
        {id: 'm3', kind: 'bot'},
      ],
    }
    expect((forward(m, record).messages as JsonObject[]).map((message) => message.id)).to.deep.equal(['m1', 'm3'])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    const neutral = {
      format: 'neutral',
      messages: [
        {id: 'x1', role: 'agent'},
        {id: 'x2', role: 'bot'},
        {id: 'x3', role: 'customer'},
        {id: 'x4', role: 'bot'},
      ],
      sourceId: 'c9',
    }
    expect(back(m, neutral).lines).to.deep.equal([
      {id: 'x2', kind: 'bot'},
      {id: 'x3', kind: 'customer'},
    ])
  })

  it('$parent and omitEmpty: a nested list only some elements have, read by what holds it', () => {
    const m = mapping([
      {
        collections: [
          {
            // $parent: the line an option is in, on the side being read; omitEmpty: no empty list on either side.
            if: {
              'neutral:$parent.role': 'bot',
              'neutral:title': {type: 'string'},
              'vendor:$parent.who': 'bot',
              'vendor:title': {type: 'string'},
            },
            neutral: 'quickReplies',
            omitEmpty: true,
            rules: [
              {neutral: 'title', vendor: 'title'},
              {direction: 'toNeutral', neutral: 'value', vendor: '$parent.topic'},
              {direction: 'fromNeutral', from: '$parent.id', vendor: 'line'},
            ],
            vendor: 'body.options',
          },
        ],
        neutral: 'messages',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {map: {bot: 'bot', user: 'customer'}, neutral: 'role', vendor: 'who'},
          {neutral: 'text', vendor: 'body'},
        ],
        vendor: 'lines',
      },
    ])
    const record = {
      id: 'c1',
      lines: [
        {body: {options: [{title: 'Yes'}, 'skipped', {title: 'No'}]}, id: 'm1', topic: 'faq', who: 'bot'},
        {body: 'plain words', id: 'm2', who: 'user'},
        {body: {options: [{title: 'A customer has none'}]}, id: 'm3', who: 'user'},
      ],
    }
    const messages = forward(m, record).messages as JsonObject[]
    expect(messages.map((message) => message.quickReplies)).to.deep.equal([
      [
        {title: 'Yes', value: 'faq'},
        {title: 'No', value: 'faq'},
      ],
      undefined,
      undefined,
    ])
    // A plain string where the list would be, an element the `if` skips: read as they are, kept by the extension.
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // A free element (a quick reply) carries no extension of its own: the message's keeps the remainder.
    expect(JSON.stringify(messages[0]!.quickReplies)).not.to.include('extensions')
    const neutral = {
      format: 'neutral',
      messages: [
        {id: 'x1', quickReplies: [{title: 'Yes'}, {label: 'not the neutral form'}], role: 'bot'},
        {id: 'x2', quickReplies: [{title: 'Hi'}], role: 'customer', text: 'Hi'},
        {id: 'x3', quickReplies: [], role: 'bot', text: 'Bye'},
      ],
      sourceId: 'c9',
    }
    expect(back(m, neutral).lines).to.deep.equal([
      {body: {options: [{line: 'x1', title: 'Yes'}]}, id: 'x1', who: 'bot'},
      {body: 'Hi', id: 'x2', who: 'user'},
      {body: 'Bye', id: 'x3', who: 'bot'},
    ])
  })

  it('$parent in a filter: the element of a nested list that its enclosing element names', () => {
    const m = mapping([
      {
        collections: [
          {
            neutral: 'attachments',
            rules: [
              {neutral: 'url', vendor: 'url'},
              {direction: 'toNeutral', neutral: 'caption', vendor: '$parent.captions[for=$parent.cover].text'},
              {
                direction: 'toNeutral',
                if: {'vendor:$parent.files[url=@url]': {exists: true}},
                neutral: 'kind',
                vendor: '$parent.kind',
              },
            ],
            vendor: 'files',
          },
        ],
        neutral: 'messages',
        rules: [{neutral: 'id', vendor: 'id'}],
        vendor: 'lines',
      },
    ])
    const record = {
      id: 'c1',
      lines: [
        {
          captions: [
            {for: 'b', text: 'Second'},
            {for: 'a', text: 'First'},
          ],
          cover: 'a',
          files: [{url: 'https://x.test/1'}],
          id: 'm1',
          kind: 'image',
        },
      ],
    }
    expect((forward(m, record).messages as JsonObject[])[0]!.attachments).to.deep.equal([
      {caption: 'First', kind: 'image', url: 'https://x.test/1'},
    ])
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('parse + at: an array inside a JSON string', () => {
    const m = mapping([
      {
        at: 'replies',
        neutral: 'messages',
        parse: 'json-string',
        rules: [{neutral: 'id', vendor: 'title'}],
        vendor: 'content',
      },
    ])
    const record = {content: JSON.stringify({replies: [{title: 'Yes'}, {title: 'No'}], type: 'quick'}), id: 'c1'}
    expect(forward(m, record).messages).to.deep.equal([{id: 'Yes'}, {id: 'No'}])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    expect(back(m, bare(m, forward(m, record))).content).to.equal('{"replies":[{"title":"Yes"},{"title":"No"}]}')
    expect(forward(m, {content: 'not json', id: 'c1'}).messages).to.deep.equal([])
  })

  it('parse + document + optional: a list inside a JSON document written whole, constants first', () => {
    const m = mapping([
      {
        neutral: 'messages',
        rules: [{neutral: 'id', vendor: 'id'}],
        vendor: 'lines',
        collections: [
          {
            at: 'replies',
            document: {type: 'quickReplies', itemsPerRow: 8},
            neutral: 'quickReplies',
            optional: true,
            parse: 'json-string',
            rules: [
              {const: 'button', vendor: 'type'},
              {neutral: 'title', vendor: 'title'},
            ],
            vendor: 'data.content',
          },
        ],
      },
    ])
    const content = '{"type":"quickReplies","itemsPerRow":8,"replies":[{"type":"button","title":"Yes"}]}'
    const record = {id: 'c1', lines: [{data: {content}, id: 'm1'}, {id: 'm2'}]}
    const neutral = forward(m, record)
    // `quickReplies` is a free-form neutral field: a collection may fill it. No vendor list, no neutral one.
    expect(neutral.messages).to.deep.equal([{id: 'm1', quickReplies: [{title: 'Yes'}]}, {id: 'm2'}])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // The document's fields, then the list; each element's constant is its first key (the string is compared whole).
    const rebuilt = back(m, bare(m, neutral)) as {lines: JsonObject[]}
    expect(rebuilt.lines[0]!.data).to.deep.equal({content})
    expect(rebuilt.lines[1]).to.deep.equal({id: 'm2'})
    expect(() => mapping([{document: {a: 1}, neutral: 'participants', rules: [], vendor: 'people'}])).to.throw(
      /"document" needs "parse"/,
    )
  })

  it('optional: a plain array absent on one side stays absent on the other; an empty one stays empty', () => {
    const m = mapping([
      {
        neutral: 'participants',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {map: {AGENT: 'agent'}, neutral: 'role', vendor: 'role'},
        ],
        vendor: 'people',
      },
      {
        neutral: 'dialogs',
        rules: [{neutral: 'id', vendor: 'id'}],
        vendor: 'dialogs',
        collections: [
          {
            neutral: 'participantIds',
            optional: true,
            rules: [
              {neutral: '.', vendor: 'id'},
              {from: '$.people[id=@id].role', vendor: 'role'},
            ],
            vendor: 'details',
          },
        ],
      },
    ])
    const record = {
      dialogs: [{details: [{id: 'p1', role: 'AGENT'}], id: 'd1'}, {details: [], id: 'd2'}, {id: 'd3'}],
      id: 'c1',
      people: [{id: 'p1', role: 'AGENT'}],
    }
    const neutral = forward(m, record)
    expect(neutral.dialogs).to.deep.equal([
      {id: 'd1', participantIds: ['p1']},
      {id: 'd2', participantIds: []},
      {id: 'd3'},
    ])
    // `$.` inside a nested collection is the record's root: the role is looked up in the conversation's people.
    // A detail's role repeats its person's: written back from `$.people` (written first), so no extension keeps it.
    expect(neutral.extensions).to.equal(undefined)
    expect((neutral.dialogs as JsonObject[])[0]!.extensions).to.equal(undefined)
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('scalar elements: plain strings on either side, with a collection if', () => {
    const m = mapping([
      {
        if: {'.': {not: {prefix: 'auto:'}}},
        neutral: 'tags',
        rules: [{neutral: '.', vendor: 'name'}],
        vendor: 'labels',
      },
      {
        neutral: 'summaries',
        rules: [{neutral: 'text', vendor: '.'}],
        vendor: 'summary',
      },
    ])
    const record = {id: 'c1', labels: [{id: 7, name: 'vip'}, {name: 'new'}], summary: ['short', 'long']}
    const neutral = forward(m, record)
    expect(neutral.tags).to.deep.equal(['vip', 'new'])
    expect(neutral.summaries).to.deep.equal([{text: 'short'}, {text: 'long'}])
    // The tag id has no neutral home: the conversation's extension keeps it.
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // Hits (mapping check) are counted for the rule as written, though `"."` compiles to a renamed copy.
    const hits = new Map<object, number>()
    m.toNeutral(structuredClone(record), {...hookContext(m), hits})
    const [labels] = m.definition.collections!
    expect(hits.get(labels!.rules[0]!)).to.equal(2)
    const rebuilt = back(m, {...bare(m, neutral), tags: ['vip', 'auto:x']})
    expect(rebuilt.labels).to.deep.equal([{name: 'vip'}])
    expect(rebuilt.summary).to.deep.equal(['short', 'long'])
  })

  it('omitEmpty: no empty array on either side, and two such collections share one neutral array', () => {
    const m = mapping([summaries('notes', 'note'), summaries('recaps', 'recap')])
    // Given a record with neither array, then one with only recaps
    expect(forward(m, {id: 'c1'})).not.to.have.property('summaries')
    expect(back(m, bare(m, forward(m, {id: 'c1'})))).to.deep.equal({id: 'c1'})
    const record = {id: 'c2', recaps: [{text: 'short'}]}
    const neutral = forward(m, record)
    // Then the neutral array exists only with elements, and only the vendor array that has some is written back
    expect(neutral.summaries).to.deep.equal([{kind: 'recap', text: 'short'}])
    expect(back(m, bare(m, neutral))).to.deep.equal(record)
    expect(neutral).not.to.have.property('extensions')
  })

  it('entries: a key/value list ⇄ one object, sorted back', () => {
    const m = mapping([], [{entries: {key: 'key', sort: true, value: 'value'}, neutral: 'customData', vendor: 'data'}])
    const record = {
      data: [
        {key: 'plan', value: 'gold'},
        {key: 'age', value: 3},
        {key: 'plan', value: 'silver'},
      ],
      id: 'c1',
    }
    const neutral = forward(m, record)
    expect(neutral.customData).to.deep.equal({age: 3, plan: 'gold'})
    expect(back(m, bare(m, neutral)).data).to.deep.equal([
      {key: 'age', value: 3},
      {key: 'plan', value: 'gold'},
    ])
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('when + missing: a nested list read and written only for some elements, an empty list being no list', () => {
    const m = mapping([
      {
        collections: [
          {
            missing: [[], null],
            neutral: 'attachments',
            rules: [{neutral: 'url', vendor: 'href'}],
            vendor: 'files',
            when: {'vendor:type': 'chat'},
          },
        ],
        neutral: 'messages',
        rules: [
          {neutral: 'id', vendor: 'id'},
          {map: {chat: 'text', event: 'event'}, neutral: 'contentType', vendor: 'type'},
        ],
        vendor: 'lines',
      },
    ])
    const record = {
      id: 'c1',
      lines: [
        {files: [{href: 'u1'}], id: 'm1', type: 'chat'},
        {files: [], id: 'm2', type: 'chat'},
        {id: 'm3', type: 'event'},
      ],
    }
    const neutral = forward(m, record)
    // An empty (or absent) vendor list makes no neutral list; an event's is not read at all.
    expect((neutral.messages as JsonObject[]).map((message) => message.attachments)).to.deep.equal([
      [{url: 'u1'}],
      undefined,
      undefined,
    ])
    expect(roundTrip(m, record).back).to.deep.equal(record)
    // A listed placeholder passes the record check (GraphQL's null for an empty list); another non-list does not.
    const check = compileRecordCheck(m.definition)
    const withNull = {id: 'c2', lines: [{files: null, id: 'm4', type: 'chat'}]}
    expect(check(withNull)).to.equal(undefined)
    expect(forward(m, withNull).messages).to.deep.equal([
      {contentType: 'text', extensions: {tiny: {original: {'/files': null}}}, id: 'm4'},
    ])
    expect(check({id: 'c3', lines: [{files: 'none', id: 'm5'}]})).to.equal(
      'lines[0].files: got string "none" (expected array)',
    )
    // ←: a chat line without attachments gets `missing[0]`, an event none even when the neutral message has some.
    const written = back(m, {
      format: 'neutral',
      messages: [
        {contentType: 'text', id: 'm1'},
        {attachments: [{url: 'u2'}], contentType: 'event', id: 'm2'},
      ],
      sourceId: 'c1',
    })
    expect(written.lines).to.deep.equal([
      {files: [], id: 'm1', type: 'chat'},
      {id: 'm2', type: 'event'},
    ])
  })

  it('shapes that cannot go together fail to compile', () => {
    expect(() => mapping([{distinct: 'id', neutral: 'participants', one: true, rules: [], vendor: 'a'}])).to.throw(
      /choose one of one, distinct/,
    )
    expect(() => mapping([{neutral: 'participants', rules: [], vendor: '$'}])).to.throw(/needs "one" or "zip"/)
    expect(() => mapping([{missing: [null], neutral: 'participants', one: true, rules: [], vendor: 'a'}])).to.throw(
      /"missing" applies to a plain array/,
    )
    expect(() => mapping([{neutral: 'participants', rules: [], vendor: 'a', when: {'.': 'x'}}])).to.throw(
      /"when" tests the enclosing element/,
    )
  })

  it('zip + distinct: an id listed twice is one element (its first slot), and the round trip stays exact', () => {
    const m = mapping([{...zipped, distinct: 'id'}])
    const record = {agent_id: ['a1', 'a2', 'a1'], agent_name: ['Ann', 'Al', 'Annie'], id: 'c1'}
    expect(forward(m, record).participants).to.deep.equal([
      {displayName: 'Ann', id: 'a1', role: 'agent'},
      {displayName: 'Al', id: 'a2', role: 'agent'},
    ])
    expect(back(m, bare(m, forward(m, record)))).to.deep.include({agent_id: ['a1', 'a2'], agent_name: ['Ann', 'Al']})
    expect(roundTrip(m, record).back).to.deep.equal(record)
  })

  it('remainder enclosing + optional: element remainders kept by pointer in the enclosing element', () => {
    const m = mapping([
      {
        neutral: 'messages',
        rules: [{neutral: 'id', vendor: 'id'}],
        vendor: 'lines',
        collections: [
          {
            if: {'vendor:label': {type: 'string'}},
            neutral: 'quickReplies',
            optional: true,
            remainder: 'enclosing',
            rules: [
              {neutral: 'title', vendor: 'label'},
              {const: 'reply', vendor: 'kind'},
            ],
            vendor: 'data.buttons',
          },
        ],
      },
    ])
    const record = {
      id: 'c1',
      lines: [
        {
          data: {
            buttons: [
              {kind: 'reply', label: 'Yes'},
              {kind: 'answer', label: 'No', style: {bold: true}},
            ],
          },
          id: 'm1',
        },
        {id: 'm2'},
      ],
    }
    const {back: rebuilt, neutral} = roundTrip(m, record)
    expect(rebuilt).to.deep.equal(record)
    const [first, second] = neutral.messages as JsonObject[]
    // The replies stay plain neutral values; what they do not map is the message's, addressed by index.
    expect(first!.quickReplies).to.deep.equal([{title: 'Yes'}, {title: 'No'}])
    expect(first!.extensions).to.deep.equal({
      tiny: {original: {'/data/buttons/1/kind': 'answer', '/data/buttons/1/style': {bold: true}}},
    })
    // optional: no neutral list where the vendor has none, and none written back without elements.
    expect(second).to.deep.equal({id: 'm2'})
    delete first!.extensions
    expect(back(m, neutral).lines).to.deep.equal([
      {
        data: {
          buttons: [
            {kind: 'reply', label: 'Yes'},
            {kind: 'reply', label: 'No'},
          ],
        },
        id: 'm1',
      },
      {id: 'm2'},
    ])
    // Elements that do not pair one to one (one not read) are kept as the whole vendor list.
    const uneven = {id: 'c1', lines: [{data: {buttons: [{label: 'Yes'}, {kind: 'reply'}]}, id: 'm1'}]}
    const twice = roundTrip(m, uneven)
    expect(twice.back).to.deep.equal(uneven)
    expect((twice.neutral.messages as JsonObject[])[0]!.extensions).to.deep.equal({
      tiny: {original: {'/data/buttons': [{label: 'Yes'}, {kind: 'reply'}]}},
    })
  })
})
