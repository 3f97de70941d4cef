/* eslint-disable camelcase -- Kore.ai's and Ada's own field names (quick_replies, button_type…) */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {join} from 'node:path'

import {koreAiConformanceIssue} from '../../src/conformance/koreai.js'
import {type ConvertResult} from '../../src/convert/index.js'
import {type CompiledMapping} from '../../src/engine/compile.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {hookContext} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const ADA_BOT = 'ada'
const KORE_BOT = 'st-3bf09bef-f979-5489-b337-f465bd5d1234'

/** A neutral conversation from another vendor, with what the tests below change. */
function conversation(changes: Any = {}): Any {
  return {
    format: 'ada',
    messages: [
      {id: 'm1', participantId: 'chatter', role: 'customer', sentAt: '2024-03-04T08:00:48.881000Z', text: 'hi'},
      {id: 'm2', participantId: ADA_BOT, role: 'bot', sentAt: '2024-03-04T08:00:49.625123Z', text: 'Hello!'},
      {contentType: 'event', id: 'm3', participantId: 'greeter', role: 'customer', sentAt: '2024-03-04T08:00:50Z'},
    ],
    participants: [
      {id: 'chatter', role: 'customer'},
      {id: 'greeter', role: 'customer'},
      {id: ADA_BOT, role: 'bot'},
      {id: 'bot', role: 'system'},
    ],
    schemaVersion: '1.0',
    sourceId: 'conv-1',
    startedAt: '2024-03-04T08:00:48.673000Z',
    vendor: 'ada',
    ...changes,
  }
}

describe('koreai as a target: what Kore.ai itself would write', () => {
  let mapping: CompiledMapping
  const write = (neutral: Any): Any => mapping.fromNeutral(neutral, hookContext(mapping)) as Any
  const closed = (closeReason: Any): Any => write(conversation({closeReason, status: 'closed'})).dispositions
  /** Written, then read back the way verify reads the target natively (the carry note left out). */
  const readBack = (record: Any): Any =>
    mapping.toNeutral(
      JSON.parse(stableStringify({...record, notes: record.notes?.filter((n: Any) => n._id !== 'convoshift')})),
      hookContext(mapping),
    ) as Any

  before(async () => {
    mapping = await loadMapping('koreai')
  })

  it('writes botId only from a Kore.ai bot id (st-…), never another vendor’s bot', () => {
    const ada = write(conversation())
    expect(ada).not.to.have.property('botId')
    expect(ada.messages.map((m: Any) => m.botId)).to.deep.equal([undefined, undefined, undefined])
    const kore = write(
      conversation({
        participants: [
          {id: 'chatter', role: 'customer'},
          {id: KORE_BOT, role: 'bot'},
        ],
      }),
    )
    expect(kore.botId).to.equal(KORE_BOT)
    expect(kore.messages.map((m: Any) => m.botId)).to.deep.equal([KORE_BOT, KORE_BOT, KORE_BOT])
    expect(readBack(kore).messages[1]).to.include({participantId: KORE_BOT, role: 'bot'})
  })

  it('writes the conversation’s user as createdBy on every message (docs: the end user even on bot messages)', () => {
    const record = write(conversation({customer: {id: 'profile-1'}}))
    expect(record.userId).to.equal('chatter') // the first customer participant, not the profile id
    expect(record.messages.map((m: Any) => [m.type, m.createdBy, m.lmodifiedBy])).to.deep.equal([
      ['incoming', 'chatter', 'chatter'],
      ['outgoing', 'chatter', undefined],
      ['incoming', 'chatter', 'chatter'], // sent by another customer participant: Kore.ai has one user
    ])
    expect(koreAiConformanceIssue(record)).to.equal(undefined)
    // Without a customer participant: customer.id, else the first customer message's sender.
    expect(write(conversation({customer: {id: 'profile-1'}, participants: []})).userId).to.equal('profile-1')
    expect(write(conversation({participants: []})).userId).to.equal('chatter')
  })

  it('names every message’s session by the conversation’s botSessionId, whatever dialog it was in', () => {
    const dialogs = [
      {id: 'd1', startedAt: '2024-03-04T08:00:48.673000Z', type: 'main'},
      {id: 'd2', type: 'main'},
    ]
    const messages = conversation().messages.map((m: Any, i: number) => ({...m, dialogId: i === 2 ? 'd2' : 'd1'}))
    const record = write(conversation({dialogs, messages}))
    expect(record).to.include({botSessionId: 'd1', startSessionTime: '2024-03-04T08:00:48.673Z'})
    expect(record.messages.map((m: Any) => m.sessionId)).to.deep.equal(['d1', 'd1', 'd1'])
    expect(koreAiConformanceIssue(record)).to.equal(undefined)
    // No bot session (the details endpoint): each message keeps its own.
    expect(write(conversation({messages})).messages.map((m: Any) => m.sessionId)).to.deep.equal(['d1', 'd1', 'd2'])
  })

  it('writes times with Kore.ai’s millisecond precision', () => {
    const record = write(
      conversation({
        participants: [{id: 'a1', joinedAt: '2024-03-04T08:01:00.123456Z', role: 'agent'}],
        summaries: [{at: '2024-03-04T08:09:00.999999Z', kind: 'note', text: 'called back'}],
        transfers: [{at: '2024-03-04T08:00:59.5Z', to: {agentId: 'a1'}}],
        updatedAt: '2024-03-04T08:10:00.000001Z',
      }),
    )
    expect(record).to.include({startTime: '2024-03-04T08:00:48.673Z', updatedAt: '2024-03-04T08:10:00.000Z'})
    expect(record.messages.map((m: Any) => m.createdOn)).to.deep.equal([
      '2024-03-04T08:00:48.881Z',
      '2024-03-04T08:00:49.625Z',
      '2024-03-04T08:00:50.000Z',
    ])
    expect(record.messages[1].lmodifiedOn).to.equal('2024-03-04T08:00:49.625Z')
    expect(record.participants[0].startTimeStamp).to.equal('2024-03-04T08:01:00.123Z')
    expect(record.transferDetails[0].transferredAt).to.equal('2024-03-04T08:00:59.500Z')
    expect(record.notes[0].timestamp).to.equal('2024-03-04T08:09:00.999Z')
  })

  it('writes close reasons only in Kore.ai’s vocabulary: its disposition statuses, and agent or system closers', () => {
    expect(closed({by: 'agent', code: 'AGENT', description: 'MANUAL_CLOSE'})).to.deep.equal({
      metaStatus: 'AGENT_CLOSED',
      remarks: 'MANUAL_CLOSE',
    })
    expect(closed({by: 'system', code: 'DROP-OFF'})).to.deep.equal({metaStatus: 'SYSTEM_DROP_OFF', status: 'DROP-OFF'})
    expect(closed({by: 'customer', code: 'Resolved'})).to.deep.equal({status: 'Resolved'})
    expect(closed({by: 'bot', code: 'END_OF_BOT_SCENARIO'})).to.equal(undefined)
    expect(closed({code: 'UnKnown'})).to.deep.equal({status: 'UnKnown'})
  })

  it('writes the first intent as the key intent, and no other kind of topic', () => {
    const topic = {id: 't1', kind: 'topic', name: 'Réclamations'}
    const topics = [
      topic,
      {kind: 'category', name: 'Orders'},
      {confidence: 0.9, kind: 'intent', name: 'reset_password'},
    ]
    expect(write(conversation({topics})).keyIntentName).to.equal('reset_password')
    expect(write(conversation({topics: [topic]}))).not.to.have.property('keyIntentName')
    expect(readBack(write(conversation({topics}))).topics).to.deep.equal([{kind: 'intent', name: 'reset_password'}])
  })

  it('lists only agents in participants[], by full name, and writes system messages as outgoing alerts', () => {
    const record = write(
      conversation({
        messages: [
          {contentType: 'event', id: 'm1', role: 'system', sentAt: '2024-03-04T08:00:49Z', text: 'Chat transferred'},
          {contentType: 'event', id: 'm2', participantId: 'bot', role: 'system', sentAt: '2024-03-04T08:00:50Z'},
        ],
        participants: [
          {id: 'chatter', role: 'customer'},
          {firstName: 'Mateo', id: 'a1', lastName: 'Silva', role: 'agent'},
          {displayName: 'Ana S.', firstName: 'Ana', id: 'a2', role: 'agent'},
          {id: 'bot', role: 'system'},
          {id: 'x', role: 'other'},
        ],
      }),
    )
    expect(record.participants).to.deep.equal([
      {agentId: 'a1', name: 'Mateo Silva'},
      {agentId: 'a2', name: 'Ana S.'},
    ])
    expect(record.messages[0]).to.deep.include({
      components: [{cT: 'alert', data: {text: 'Chat transferred'}, thumbnails: []}],
      type: 'outgoing',
    })
    expect(record.messages[1]).to.deep.include({components: [], type: 'outgoing'}) // an event without text
    expect(readBack(record).messages[0]).to.include({contentType: 'event', role: 'bot', text: 'Chat transferred'})
  })

  it('writes neutral quick replies as the quick_replies template, and reads them back the same', () => {
    const quickReplies = [{title: 'Yes', value: 'yes'}, {title: 'No'}, {title: 'Help', url: 'https://help.test'}]
    const messages = [
      {
        contentType: 'quick-replies',
        id: 'm1',
        quickReplies,
        role: 'bot',
        sentAt: '2024-03-04T08:00:49Z',
        text: 'More?',
      },
    ]
    const record = write(conversation({messages}))
    const template = JSON.parse(record.messages[0].components[0].data.text)
    expect(record.messages[0].components).to.have.length(1) // the text is the template's
    expect(template).to.deep.equal({
      payload: {
        quick_replies: [
          {content_type: 'text', payload: 'yes', title: 'Yes'},
          {content_type: 'text', payload: 'No', title: 'No'}, // no value: choosing it sends its title
          {content_type: 'text', payload: 'Help', title: 'Help'}, // quick replies have no link
        ],
        template_type: 'quick_replies',
        text: 'More?',
      },
      type: 'template',
    })
    expect(Object.keys(template.payload)).to.deep.equal(['template_type', 'text', 'quick_replies']) // as documented
    expect(readBack(record).messages[0]).to.deep.include({
      contentType: 'quick-replies',
      quickReplies: [...quickReplies.slice(0, 2), {title: 'Help'}],
      text: 'More?',
    })
  })

  it('writes another vendor’s rich content and quick replies as their readable text, after the message’s own', () => {
    const card = {
      elements: [
        {text: 'Order #12', type: 'text'},
        {title: 'Track', type: 'button'},
      ],
      type: 'vertical',
    }
    const adaReplies = [{button_type: 'suggestion', label: 'Cancel an order', target: '6478d5d2'}]
    const messages = [
      {contentType: 'rich', id: 'm1', richContent: card, role: 'bot', sentAt: '2024-03-04T08:00:49Z'},
      {id: 'm2', quickReplies: adaReplies, role: 'bot', sentAt: '2024-03-04T08:00:50Z', text: 'Pick one'},
    ]
    const [rich, replies] = write(conversation({messages})).messages
    expect(rich.components.map((c: Any) => c.data.text)).to.deep.equal(['Order #12\nTrack'])
    expect(replies.components.map((c: Any) => c.data.text)).to.deep.equal(['Pick one', 'Cancel an order'])
    // A Kore.ai template stays a template.
    const template = {payload: {buttons: [], template_type: 'button', text: 'Go'}, type: 'template'}
    const kore = write(conversation({messages: [{...messages[0], richContent: template}]}))
    expect(JSON.parse(kore.messages[0].components[0].data.text)).to.deep.equal(template)
  })
})

describe('koreai as a target of every other shape (convert and verify through the CLI)', () => {
  const tmp = useTempDir('all')

  for (const from of ['ada', 'deepconverse', 'iadvize', 'liveperson', 'liveperson-consumer']) {
    it(`${from} → koreai: nothing rejected, every native loss declared`, async () => {
      const source = join(tmp.dir, `${from}.jsonl`)
      const target = join(tmp.dir, `${from}-koreai.jsonl`)
      await runCommand(['sample', from, '--count', '30', '--seed', 'koreai-native', '--output', source])
      const converted = await runCommand<ConvertResult>(
        ['convert', '--from', from, '--to', 'koreai', '--input', source, '--output', target, '--json'].join(' '),
      )
      expect(converted.result?.records).to.deep.include({converted: 30, rejected: 0})
      const {result} = await runCommand<Any>([
        'verify',
        '--from',
        from,
        '--source',
        source,
        '--to',
        'koreai',
        '--target',
        target,
        '--json',
      ])
      expect(result?.verdict.reasons, JSON.stringify(result?.verdict)).to.deep.equal([])
      expect(result?.verdict.status).to.equal('PASS WITH DECLARED LOSSES')
    })
  }
})
