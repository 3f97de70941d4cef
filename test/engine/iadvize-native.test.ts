import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {iAdvizeConformance} from '../../src/conformance/iadvize.js'
import {firstIssue} from '../../src/conformance/issues.js'
import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {hookContext, roundTrip} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

/** A neutral conversation from another vendor: only what a case needs is added to it. */
function neutral(extra: Any = {}): JsonObject {
  return {
    format: 'liveperson',
    messages: [],
    participants: [],
    schemaVersion: '1.0',
    sourceId: 'conv-1',
    vendor: 'liveperson',
    ...extra,
  }
}

/** One neutral message, as another vendor's mapping reads it. */
function message(id: string, extra: Any): Any {
  return {id, sentAt: '2024-01-02T03:04:05.678Z', ...extra}
}

describe('iadvize as a target: the node iAdvize itself would show', () => {
  let mapping: CompiledMapping

  before(async () => {
    mapping = await loadMapping('iadvize')
  })

  /** Writes a node, checks iAdvize would accept it, and reads it back natively (without the carry). */
  const write = (record: JsonObject): {back: Any; node: Any} => {
    const node = mapping.fromNeutral(record, hookContext(mapping)) as Any
    expect(firstIssue(iAdvizeConformance, node)).to.equal(undefined)
    const native = structuredClone(node)
    native.customData = (native.customData ?? []).filter((entry: Any) => entry.key !== 'convoshift')
    return {back: mapping.toNeutral(native, hookContext(mapping)) as Any, node}
  }

  it('writes CSAT only on its 1–5 scale and NPS only on 0–10; the carry keeps the rest', () => {
    const score = (csat?: Any, nps?: Any): Any => write(neutral({csat, nps})).node.satisfactionSurvey
    expect(score({scale: {max: 5, min: 1}, score: 4}).customerSatisfaction).to.equal(4)
    expect(score({scale: {max: 10, min: 0}, score: 8})).not.to.have.property('customerSatisfaction')
    expect(score({scale: {max: 5, min: 1}, score: 0, status: 'skipped'})).not.to.have.property('customerSatisfaction')
    expect(score(undefined, {scale: {max: 10, min: 0}, score: 0}).netPromoterScore).to.equal(0)
    expect(score(undefined, {scale: {max: 5, min: 1}, score: 3})).not.to.have.property('netPromoterScore')
    const record = neutral({csat: {scale: {max: 10, min: 0}, score: 8}})
    const context = hookContext(mapping)
    const node = mapping.fromNeutral(record, context)
    expect(context.stats.carried.get('csat')).to.equal(1)
    expect(mapping.toNeutral(node, hookContext(mapping)).csat).to.deep.equal({scale: {max: 10, min: 0}, score: 8})
  })

  it("writes iAdvize's roles: another vendor's permission becomes the role of the participant's kind", () => {
    const participants = [
      {id: '7137665876', permission: 'ASSIGNED_AGENT', role: 'agent'},
      {id: 'a-2', permission: 'READER', role: 'agent'},
      {id: 'a-3', permission: 'MANAGER', role: 'agent'},
      {id: 'b-1', permission: 'ASSIGNED_AGENT', role: 'bot'},
      {id: 'a-4', role: 'agent'},
      {id: 'x-1', role: 'other'},
    ]
    const {back, node} = write(neutral({participants}))
    expect(node.users.map((u: Any) => [u.id, u.role])).to.deep.equal([
      [7_137_665_876, 'OPERATOR'],
      ['a-2', 'OPERATOR'],
      ['a-3', 'MANAGER'],
      ['b-1', 'BOT'],
      ['a-4', 'OPERATOR'],
      ['x-1', undefined],
    ])
    // Identity ids keep the source's values; the permission read back is the iAdvize role.
    expect(back.participants.map((p: Any) => [p.id, p.role, p.permission])).to.deep.equal([
      ['7137665876', 'agent', 'OPERATOR'],
      ['a-2', 'agent', 'OPERATOR'],
      ['a-3', 'agent', 'MANAGER'],
      ['b-1', 'bot', 'BOT'],
      ['a-4', 'agent', 'OPERATOR'],
      ['x-1', 'other', undefined],
    ])
  })

  it("gives the visitor the customer's id, or else the customer participant's, never a made-up one", () => {
    const customer = {email: 'ana@mail.example', id: 'c-9', role: 'customer'}
    expect(write(neutral({participants: [customer]})).node.visitor.visitorId).to.equal('c-9')
    const both = write(neutral({customer: {id: 'person-1'}, participants: [customer]}))
    expect(both.node.visitor.visitorId).to.equal('person-1')
    expect(both.back.customer).to.deep.equal({email: 'ana@mail.example', id: 'person-1'})
    expect(write(neutral({customer: {email: 'ana@mail.example'}})).node.visitor).not.to.have.property('visitorId')
  })

  it("writes only iAdvize's own close reasons; its codes read back with who closed", () => {
    for (const code of ['AGENT', 'CONSUMER', 'SYSTEM', 'Resolved', 'DROP-OFF', 'UnKnown']) {
      const {back, node} = write(neutral({closeReason: {by: 'agent', code, description: 'MANUAL_CLOSE'}}))
      expect(node, code).not.to.have.property('closeReason')
      expect(back, code).not.to.have.property('closeReason')
    }

    const {back, node} = write(neutral({closeReason: {by: 'bot', code: 'END_OF_BOT_SCENARIO'}}))
    expect(node.closeReason).to.equal('END_OF_BOT_SCENARIO')
    expect(back.closeReason).to.deep.equal({by: 'bot', code: 'END_OF_BOT_SCENARIO'})
  })

  it("writes iAdvize's channel names and language codes, nothing for a channel it does not have", () => {
    const channel = (value: string): unknown => write(neutral({channel: value})).node.channel
    expect(['web', 'app', 'android', 'ios', 'voice', 'whatsapp'].map((c) => channel(c))).to.deep.equal([
      'CHAT',
      'MOBILE_APP',
      'MOBILE_APP',
      'MOBILE_APP',
      'CALL',
      'WHATSAPP',
    ])
    for (const other of ['line', 'msteams', 'agent-initiated', 'zendesk_chat'])
      expect(channel(other)).to.equal(undefined)
    expect(write(neutral({language: 'pt-BR'})).node.language).to.equal('pt')
    expect(write(neutral({language: 'fr'})).node.language).to.equal('fr')
  })

  it('writes times in UTC with milliseconds', () => {
    for (const [startedAt, createdAt] of [
      ['2024-03-04T08:00:48.673912Z', '2024-03-04T08:00:48.673Z'],
      ['2025-04-14T08:01:30.22Z', '2025-04-14T08:01:30.220Z'],
      ['2025-04-14T08:17:52Z', '2025-04-14T08:17:52.000Z'],
    ]) {
      expect(write(neutral({startedAt})).node.createdAt).to.equal(createdAt)
    }
  })

  it('shows quick replies and cards as text lines, a link as a file attachment', () => {
    const messages = [
      message('q', {
        contentType: 'quick-replies',
        quickReplies: [{title: 'Yes', value: 'y'}, {title: 'No'}],
        role: 'bot',
        text: 'Solved?',
      }),
      message('a', {contentType: 'quick-replies', quickReplies: [{label: 'Track'}, {label: 'Cancel'}], role: 'bot'}),
      message('r', {contentType: 'rich', richContent: {elements: [{text: 'Our offer'}, {title: 'Buy'}]}, role: 'bot'}),
      message('l', {attachments: [{kind: 'link', url: 'https://x.test/p'}], contentType: 'link', role: 'agent'}),
    ]
    const {back, node} = write(neutral({messages}))
    const nodes = node.messages.edges.map((edge: Any) => edge.node)
    expect(nodes.map((n: Any) => [n.__typename, n.text])).to.deep.equal([
      ['ChatMessage', 'Solved?\nYes\nNo'],
      ['ChatMessage', 'Track\nCancel'],
      ['ChatMessage', 'Our offer\nBuy'],
      ['ChatMessage', undefined],
    ])
    expect(nodes[3].attachments).to.deep.equal([
      {__typename: 'FileAttachment', fileName: null, mimeType: null, url: 'https://x.test/p'},
    ])
    expect(back.messages.map((m: Any) => m.contentType)).to.deep.equal(['text', 'text', 'text', 'file'])
  })

  it("writes an event or system message with words as a chat message, and never another vendor's metadata as an attachment", () => {
    const pushed = {__typename: 'ConversationPushedSystemAttachment', toUser: {id: 3}}
    const messages = [
      message('s1', {contentType: 'text', participantId: 'sys', role: 'system', text: 'Transferred'}),
      message('s2', {contentType: 'event', metadata: {type: 'variable_change'}, role: 'system'}),
      message('e1', {contentType: 'event', metadata: {review: 0}, participantId: 'c1', role: 'customer'}),
      message('e2', {contentType: 'event', participantId: 'b1', role: 'bot', text: 'Session timed out'}),
      message('p1', {contentType: 'event', metadata: pushed, role: 'system'}),
    ]
    const nodes = write(neutral({messages})).node.messages.edges.map((edge: Any) => edge.node)
    expect(nodes.map((n: Any) => [n.__typename, n.author, n.attachment])).to.deep.equal([
      ['ChatMessage', undefined, undefined],
      ['SystemMessage', undefined, undefined],
      ['SystemMessage', undefined, undefined],
      ['ChatMessage', {__typename: 'Bot', id: 'b1'}, undefined],
      ['SystemMessage', undefined, pushed],
    ])
  })
})

describe('iadvize inputs: GraphQL returns only the fields a query selects', () => {
  const tmp = useTempDir('each')
  let mapping: CompiledMapping

  before(async () => {
    mapping = await loadMapping('iadvize')
  })

  it('converts a node with only its id, and one queried without messages', async () => {
    const sample = [...sampleGenerators.iadvize!(1, {seed: 'optional'})][0] as Any
    delete sample.messages
    const input = join(tmp.dir, 'nodes.jsonl')
    await writeFile(input, `${JSON.stringify({id: 'only-id'})}\n${JSON.stringify(sample)}\n`)
    const output = join(tmp.dir, 'neutral.jsonl')
    const {stdout} = await runCommand([
      'convert',
      '--from',
      'iadvize',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      output,
    ])
    expect(stdout).to.contain('2 read = 2 converted + 0 rejected')
  })

  it('reads and writes back exactly a node missing any one field, and a message node missing any but its id', () => {
    const nodes = [...sampleGenerators.iadvize!(40, {seed: 'optional'})] as Any[]
    const variants: Any[] = []
    for (const node of nodes.slice(0, 8)) {
      for (const key of Object.keys(node)) {
        if (key === 'id') continue
        const variant = structuredClone(node)
        delete variant[key]
        variants.push(variant)
      }
    }

    for (const node of nodes) {
      for (const [i, edge] of (node.messages.edges as Any[]).entries()) {
        for (const key of Object.keys(edge.node).filter((k) => k !== 'id')) {
          const variant = structuredClone(node)
          delete variant.messages.edges[i].node[key]
          variants.push(variant)
        }
      }
    }

    const user = structuredClone(nodes.find((node) => node.users.length > 0))!
    for (const key of Object.keys(user.users[0])) delete user.users[0][key === 'id' ? 'role' : key]
    variants.push(user, {id: 'u', users: [{id: 5}]}, {id: 'v', visitor: {visitorId: 'v-1'}}, {id: 't', tags: []})
    for (const variant of variants) {
      expect(firstIssue(iAdvizeConformance, variant)).to.equal(undefined)
      expect(roundTrip(mapping, variant).back).to.deep.equal(variant)
    }

    // A user queried without its role cannot be told agent from bot.
    const context = {...hookContext(mapping), withoutExtensions: true}
    expect(mapping.toNeutral({id: 'u', users: [{id: 5}]}, context).participants).to.deep.equal([
      {id: '5', role: 'other'},
    ])
  })
})

describe('verify from every other vendor to iadvize', () => {
  const tmp = useTempDir('each')

  for (const from of ['ada', 'deepconverse', 'koreai', 'liveperson', 'liveperson-consumer']) {
    it(`${from} → iadvize: no record rejected, every native difference declared`, async () => {
      const source = join(tmp.dir, `${from}.jsonl`)
      const records = [...sampleGenerators[from]!(12, {messages: 10, seed: 'iadvize-native'})]
      await writeFile(source, records.map((record) => JSON.stringify(record)).join('\n') + '\n')
      const target = join(tmp.dir, 'iadvize.jsonl')
      const converted = await runCommand([
        'convert',
        '--from',
        from,
        '--to',
        'iadvize',
        '--input',
        source,
        '--output',
        target,
      ])
      expect(converted.stdout).to.contain('12 read = 12 converted + 0 rejected')
      const {error, stdout} = await runCommand([
        'verify',
        '--from',
        from,
        '--to',
        'iadvize',
        '-s',
        source,
        '-t',
        target,
      ])
      expect(error?.message, stdout).to.equal(undefined)
      expect(stdout).to.contain('PASS WITH DECLARED LOSSES')
    })
  }
})
