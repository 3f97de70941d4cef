import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {
  applyCarry,
  CARRY_VERSION,
  type CarryDocument,
  neutralResidual,
  residualPath,
} from '../../src/engine/carry-document.js'
import {type CompiledMapping, compileMapping} from '../../src/engine/compile.js'
import {newStats} from '../../src/engine/hooks/types.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadSide, makeConverter} from '../../src/engine/pipeline.js'
import {type MappingFile} from '../../src/schemas/mapping.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {FIXTURES} from '../helpers/liveperson.js'

type Any = Record<string, any>

/** Two small shapes: alpha holds tags and messages but has no free-form field; beta holds neither, but has one. */
const alphaDefinition: MappingFile = {
  collections: [
    {
      neutral: 'messages',
      rules: [
        {neutral: 'id', vendor: 'mid'},
        {neutral: 'text', vendor: 'body'},
      ],
      vendor: 'lines',
    },
  ],
  format: 'alpha',
  rules: [
    {neutral: 'sourceId', vendor: 'id'},
    {neutral: 'startedAt', transform: 'epoch-ms', vendor: 'started'},
    {neutral: 'tags', vendor: 'labels'},
  ],
  vendor: 'liveperson',
  version: 1,
}

const betaDefinition: MappingFile = {
  carry: {transform: 'json-string', vendor: 'meta.convoshift'},
  format: 'beta',
  rules: [
    {neutral: 'sourceId', vendor: 'key'},
    {neutral: 'startedAt', transform: 'epoch-s', vendor: 'since'},
    {neutral: 'customData.plan', vendor: 'meta.plan'},
  ],
  vendor: 'ada',
  version: 1,
}

/** A shape whose free-form field is a list of {name, text} pairs, like iAdvize's customData. */
const gammaDefinition: MappingFile = {
  carry: {entry: {key: 'name', name: 'convoshift', value: 'text'}, transform: 'json-string', vendor: 'extra.fields'},
  format: 'gamma',
  rules: [{neutral: 'sourceId', vendor: 'ref'}],
  vendor: 'iadvize',
  version: 1,
}

const alphaRecord = {
  id: 'c-1',
  labels: ['vip', 'refund'],
  lines: [
    {body: 'hello', mid: 'm1', seen: true},
    {body: 'bye', mid: 'm2'},
  ],
  odd: {__proto__: 1, 'dotted.key': 'x'},
  started: 1_700_000_000_123,
}

function run(mapping: CompiledMapping, direction: 'from' | 'to', value: JsonObject): {stats: Any; value: JsonObject} {
  const context = {format: mapping.format, stats: newStats()}
  // Each step goes through JSON text, as separate convert runs do.
  const input = JSON.parse(stableStringify(value)) as JsonObject
  const out = direction === 'to' ? mapping.toNeutral(input, context) : mapping.fromNeutral(input, context)
  return {stats: context.stats, value: JSON.parse(stableStringify(out)) as JsonObject}
}

describe('carry: the free-form field of a target shape', () => {
  const alpha = compileMapping(alphaDefinition)
  const beta = compileMapping(betaDefinition)

  it('A → B → A returns the A record exactly, through B’s free-form field', () => {
    const neutral = run(alpha, 'to', alphaRecord).value
    const {stats, value: betaRecord} = run(beta, 'from', neutral)
    const carried = JSON.parse((betaRecord as Any).meta.convoshift)
    expect(carried.convoshift).to.equal(2)
    expect(carried.set).to.have.property('/tags')
    expect(carried.set).to.have.property('/messages')
    // beta keeps seconds: the milliseconds are carried too
    expect(carried.set).not.to.have.property('/startedAt') // epoch-s keeps the milliseconds as a fraction
    expect([...stats.carried.keys()].sort()).to.deep.equal(['extensions.alpha', 'messages', 'tags'])
    expect(stats.noHome.size).to.equal(0)

    const back = run(alpha, 'from', run(beta, 'to', betaRecord).value).value
    expect(stableStringify(back)).to.equal(stableStringify(alphaRecord))
  })

  it('B → neutral restores the conversation A described, and B → neutral → B returns B’s bytes', () => {
    const fromAlpha = run(alpha, 'to', alphaRecord).value
    const betaRecord = run(beta, 'from', fromAlpha).value
    const fromBeta = run(beta, 'to', betaRecord).value as Any
    expect(NeutralConversation.safeParse(fromBeta).success).to.equal(true)
    for (const key of ['sourceId', 'startedAt', 'tags', 'messages']) {
      expect(fromBeta[key], key).to.deep.equal((fromAlpha as Any)[key])
    }

    expect(fromBeta.extensions.alpha).to.deep.equal((fromAlpha as Any).extensions.alpha)
    expect(fromBeta.format).to.equal('beta')
    const again = run(beta, 'from', fromBeta).value
    expect(stableStringify(again)).to.equal(stableStringify(betaRecord))
  })

  it('a target without a free-form field counts what it lost, by neutral path', () => {
    const betaNative = {key: 'k-9', meta: {plan: 'gold', region: 'eu'}, since: 1_700_000_000}
    const neutral = run(beta, 'to', betaNative).value
    const {stats, value} = run(alpha, 'from', neutral)
    expect(value).to.deep.equal({id: 'k-9', labels: [], lines: [], started: 1_700_000_000_000})
    expect(Object.fromEntries(stats.noHome)).to.deep.equal({customData: 1, 'extensions.beta': 1}) // startedAt is only respelled
    expect(stats.carried.size).to.equal(0)
  })

  it('a native B record gets no carry and converts back exactly', () => {
    const betaNative = {key: 'k-9', meta: {plan: 'gold', region: 'eu'}, since: 1_700_000_000}
    const neutral = run(beta, 'to', betaNative).value
    const {stats, value} = run(beta, 'from', neutral)
    expect(stableStringify(value)).to.equal(stableStringify(betaNative))
    expect(stats.carried.size).to.equal(0)
  })

  it('leaves the user’s own data under the carry key alone when it is not a carry document', () => {
    const betaNative = {key: 'k-9', meta: {convoshift: 'not json {'}, since: 1_700_000_000}
    const neutral = run(beta, 'to', betaNative).value
    expect(stableStringify(run(beta, 'from', neutral).value)).to.equal(stableStringify(betaNative))
    // and converted elsewhere, it is still there to carry
    const betaAgain = run(beta, 'from', run(alpha, 'to', run(alpha, 'from', neutral).value).value).value as Any
    expect(betaAgain.meta).to.have.property('convoshift')
  })

  it('rejects a conversation the target cannot be written as, naming the field', () => {
    const neutral = {...run(alpha, 'to', alphaRecord).value}
    delete neutral.sourceId
    expect(() => run(beta, 'from', neutral)).to.throw(/cannot be written as beta: key/)
  })

  describe('in a key/value list', () => {
    const gamma = compileMapping(gammaDefinition)

    it('A → B → A is exact, and the carried entry is the only one added', () => {
      const {value: gammaRecord} = run(gamma, 'from', run(alpha, 'to', alphaRecord).value)
      const {fields} = (gammaRecord as Any).extra
      expect(fields).to.have.length(1)
      expect(fields[0].name).to.equal('convoshift')
      const back = run(alpha, 'from', run(gamma, 'to', gammaRecord).value).value
      expect(stableStringify(back)).to.equal(stableStringify(alphaRecord))
    })

    it('keeps the list’s own entries, before and after, and B → neutral → B returns B’s bytes', () => {
      const own = {extra: {fields: [{name: 'plan', text: 'gold'}]}, ref: 'g-1'}
      // a conversation from elsewhere that gamma's own list (kept in its gamma extension) came with
      const neutral = {...run(gamma, 'to', own).value, format: 'alpha', tags: ['vip', 'refund']}
      const {value: written} = run(gamma, 'from', neutral)
      expect((written as Any).extra.fields.map((f: Any) => f.name)).to.deep.equal(['plan', 'convoshift'])
      const again = run(gamma, 'from', run(gamma, 'to', written).value).value
      expect(stableStringify(again)).to.equal(stableStringify(written))
      expect(run(gamma, 'to', written).value.tags).to.deep.equal(['vip', 'refund'])
    })

    it('never overwrites an entry of that name that is not a carry document', () => {
      const own = {extra: {fields: [{name: 'convoshift', text: 'mine'}]}, ref: 'g-2'}
      const neutral = {...run(gamma, 'to', own).value, format: 'alpha', tags: ['x']}
      const {stats, value} = run(gamma, 'from', neutral)
      expect((value as Any).extra.fields).to.deep.equal([{name: 'convoshift', text: 'mine'}])
      expect(Object.fromEntries(stats.noHome)).to.have.property('tags', 1)
    })
  })
})

/** A conversation from a shape with dialogs, user agents and microseconds. */
const wanted = (): Any => ({
  device: {userAgent: 'UA'},
  messages: [
    {dialogId: 'd1', id: 'm1', text: 'hi'},
    {dialogId: 'd1', id: 'm2', text: 'help'},
    {dialogId: 'd2', id: 'm3', text: 'bye'},
  ],
  participants: [
    {id: 'p1', role: 'customer'},
    {id: 'p2', role: 'agent'},
  ],
  startedAt: '2024-01-01T10:00:00.123456Z',
})
/** What a target without dialogs, user agents or microseconds shows natively, listing its people the other way round. */
const mapped = (): Any => ({
  messages: [
    {id: 'm1', text: 'hi'},
    {id: 'm2', text: 'help'},
    {id: 'm3', text: 'bye'},
  ],
  participants: [
    {id: 'p2', role: 'agent'},
    {id: 'p1', role: 'customer'},
  ],
  startedAt: '2024-01-01T10:00:00.123Z',
})

/** The carry document a target showing `mapped()` gets for `wanted()`. */
const documentFor = (): CarryDocument => {
  const {native, order, remove, set} = neutralResidual(wanted(), mapped(), 'beta')
  return {convoshift: CARRY_VERSION, native, order, remove, set}
}

describe('carry document: native values win, elements by id', () => {
  it('addresses array elements by id and restores the input exactly when the target is untouched', () => {
    const document = documentFor()
    expect(Object.keys(document.set!).sort()).to.deep.equal([
      '/device',
      '/messages/~=m1/dialogId',
      '/messages/~=m2/dialogId',
      '/messages/~=m3/dialogId',
      '/startedAt',
    ])
    expect(document.order).to.deep.equal({'/participants': ['p1', 'p2']})
    const restored = mapped()
    expect(applyCarry(restored, document)).to.deep.equal([])
    expect(restored).to.deep.equal(wanted())
  })

  it('one message dropped from the target stays dropped: nothing is recreated from the carry', () => {
    const target = mapped()
    target.messages.splice(1, 1)
    expect(applyCarry(target, documentFor())).to.deep.equal([])
    expect(target.messages.map((m: Any) => m.id)).to.deep.equal(['m1', 'm3'])
    expect(target.messages[1]).to.deep.equal({dialogId: 'd2', id: 'm3', text: 'bye'})
  })

  it('a native value edited in the target wins over the carried one, and is reported', () => {
    const target = mapped()
    target.startedAt = '2024-01-01T11:00:00.000Z'
    target.messages[2].dialogId = 'd9' // the target gained a value where the carry expected none
    const conflicts = applyCarry(target, documentFor())
    expect(conflicts.sort()).to.deep.equal(['/messages/~=m3/dialogId', '/startedAt'])
    expect(target.startedAt).to.equal('2024-01-01T11:00:00.000Z')
    expect(target.messages[2].dialogId).to.equal('d9')
    expect(target.messages[0].dialogId).to.equal('d1')
  })

  it('inserts elements the target cannot hold where the input had them, and removes the ones it adds', () => {
    const input = {messages: [{id: 'a'}, {id: 'sys', text: 'joined'}, {id: 'b'}]}
    const shown = {messages: [{id: 'a'}, {id: 'b'}, {id: 'greeting', text: 'Hi!'}]}
    const {native, order, remove, set} = neutralResidual(input, shown, 'beta')
    expect(remove).to.deep.equal(['/messages/~=greeting'])
    const restored = structuredClone(shown) as Any
    applyCarry(restored, {convoshift: CARRY_VERSION, native, order, remove, set})
    expect(restored).to.deep.equal(input)
  })

  it('restores the input order of inserted elements after the document went through stable JSON', () => {
    const input = {messages: [{id: 'm'}, {id: 'z', text: 'late'}, {id: 'b', text: 'later'}]}
    const shown = {messages: [{id: 'm'}]}
    const {native, order, remove, set} = neutralResidual(input, shown, 'beta')
    // Written to a record, the document's keys are sorted: /messages/~=b comes before /messages/~=z.
    const document = JSON.parse(
      stableStringify({convoshift: CARRY_VERSION, native, order, remove, set}),
    ) as CarryDocument
    const restored = structuredClone(shown) as Any
    applyCarry(restored, document)
    expect(restored).to.deep.equal(input)
  })

  it('ids with / and ~ and keys that look like id tokens stay unambiguous', () => {
    const input = {messages: [{id: 'a/b~c', text: 'x'}], odd: {'~=k': 1}}
    const shown = {messages: [{id: 'a/b~c'}], odd: {}}
    const {native, order, remove, set} = neutralResidual(input, shown, 'beta')
    expect(Object.keys(set).sort()).to.deep.equal(['/messages/~=a~1b~0c/text', '/odd/~0=k'])
    const restored = structuredClone(shown) as Any
    applyCarry(restored, {convoshift: CARRY_VERSION, native, order, remove, set})
    expect(restored).to.deep.equal(input)
    expect(residualPath('/messages/~=a~1b~0c/text')).to.equal('messages[].text')
  })
})

describe('carry: what counts as lost', () => {
  it('Ada → LivePerson counts the fields LivePerson cannot hold, not the participants it lists agents-first', async () => {
    const converter = makeConverter(await loadSide('ada'), await loadSide('liveperson'))
    const page = JSON.parse(
      readFileSync(join(FIXTURES, '..', '..', 'examples', 'ada', 'conversations-page.json'), 'utf8'),
    ) as {data: unknown[]}
    for (const record of page.data) expect(converter.convert(record).reason).to.equal(undefined)
    const lost = Object.fromEntries(converter.stats.noHome)
    expect(lost).to.include.keys('device.userAgent', 'extensions.ada')
    expect(lost).not.to.have.any.keys('participants[].id', 'participants[].role', 'participants[].displayName')
  })
})

describe('carry: a conversation going home', () => {
  it('LivePerson → Ada → LivePerson reports nothing lost on the way back (the output is exact)', async () => {
    const [liveperson, ada] = [await loadSide('liveperson'), await loadSide('ada')]
    const there = makeConverter(liveperson, ada)
    const back = makeConverter(ada, liveperson)
    const page = JSON.parse(
      readFileSync(join(FIXTURES, '..', '..', 'examples', 'liveperson', 'conversations-page.json'), 'utf8'),
    ) as {
      conversationHistoryRecords: unknown[]
    }
    for (const record of page.conversationHistoryRecords) {
      const ada = there.convert(structuredClone(record)).value!
      expect(stableStringify(back.convert(ada).value)).to.equal(stableStringify(record))
    }

    // Before, Ada's lossless check (a rebuild) counted the channel it cannot write, although the carry restored it.
    expect(Object.fromEntries(back.stats.noHome)).to.deep.equal({})
  })
})
