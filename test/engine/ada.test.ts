/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {ExitCode} from '../../src/errors.js'
import {adaRecords} from '../../src/sample/ada.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {fixtureRecords, FIXTURES, hookContext, roundTrip} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const GOLDEN = join(FIXTURES, 'ada', 'golden-neutral.json')

/** Freezes a JSON value all the way down, so that any write to it throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }

  return value
}

/** Through JSON text, as separate convert runs do it. */
const viaText = (value: unknown): JsonObject => JSON.parse(stableStringify(value)) as JsonObject

/** A neutral conversation from another vendor (LivePerson-like), with what Ada can and cannot hold. */
const foreign = (): Any => ({
  csat: {comment: 'ok', scale: {max: 5, min: 1}, score: 4},
  customData: {sdes: {events: [1]}},
  dialogs: [],
  format: 'liveperson',
  language: 'en-US',
  channel: 'app',
  messages: [
    {id: 'm1', participantId: 'u1', role: 'customer', sentAt: '2024-01-02T03:04:05.678Z', text: 'hi'},
    {id: 'm2', participantId: 'b1', role: 'bot', sentAt: '2024-01-02T03:04:06Z', text: 'hello'},
    {id: 'm3', participantId: 's1', role: 'system', sentAt: '2024-01-02T03:04:07.100Z', text: 'transferring'},
    {
      attachments: [{kind: 'file', url: 'https://files.example/invoice.pdf'}],
      contentType: 'file',
      id: 'm4',
      participantId: 'a1',
      role: 'agent',
      sentAt: '2024-01-02T03:05:00.000Z',
    },
  ],
  participants: [
    {id: 'u1', role: 'customer'},
    {displayName: 'Helper', id: 'b1', role: 'bot'},
    {id: 's1', role: 'system'},
    {displayName: 'Kim L', id: 'a1', role: 'agent'},
  ],
  schemaVersion: '1.0',
  sourceId: 'conv-1',
  startedAt: '2024-01-02T03:04:05.678901Z',
  status: 'closed',
  tags: ['vip'],
  transfers: [],
  vendor: 'liveperson',
})

describe('ada mapping (Data Export conversation with its messages)', () => {
  let mapping: CompiledMapping
  let v1: JsonObject[]
  let v2: JsonObject[]
  let all: JsonObject[]

  before(async () => {
    mapping = await loadMapping('ada')
    v1 = fixtureRecords('ada/conversations-page.json', 'data')
    v2 = fixtureRecords('ada/v2-items-page.json', 'items')
    all = [...v1, ...v2]
  })

  const neutralOf = (record: JsonObject): Any => roundTrip(mapping, record).neutral as Any

  describe('losslessness', () => {
    it('round-trips every fixture record exactly (v1.x data page and v2 items page)', () => {
      for (const record of all) {
        const {back} = roundTrip(mapping, record)
        expect(stableStringify(back), String(record._id)).to.equal(stableStringify(record))
      }
    })

    it('produces neutral records that satisfy the neutral schema', () => {
      for (const record of all) {
        const result = NeutralConversation.safeParse(neutralOf(record))
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('matches the golden neutral file (UPDATE_GOLDEN=1 rewrites it)', () => {
      const actual = {
        'conversations-page.json': v1.map((record) => neutralOf(record)),
        'v2-items-page.json': v2.map((record) => neutralOf(record)),
      }
      const text = JSON.stringify(JSON.parse(stableStringify(actual)), null, 2) + '\n'
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text)
      expect(text).to.equal(readFileSync(GOLDEN, 'utf8'))
    })

    it('round-trips 200 generated records exactly, each valid and accepted by the mapping', () => {
      const check = compileRecordCheck(mapping.definition)
      for (const record of adaRecords(200, {seed: 'ada-mapping-test'})) {
        expect(check(record), String(record._id)).to.equal(undefined)
        const {back, neutral} = roundTrip(mapping, record as JsonObject)
        expect(stableStringify(back), String(record._id)).to.equal(stableStringify(record))
        const result = NeutralConversation.safeParse(neutral)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('never writes to the record it converts, nor to the neutral record it writes from', () => {
      for (const record of all) {
        const neutral = mapping.toNeutral(deepFreeze(structuredClone(record)), hookContext(mapping))
        mapping.fromNeutral(deepFreeze(viaText(neutral)), hookContext(mapping))
      }
    })

    it('keeps fields the mapping does not know in extensions.ada, per conversation and per message', () => {
      const neutral = neutralOf(v2[0]!)
      expect(neutral.extensions.ada.unmapped.sentiment).to.deep.equal({label: 'positive', score: 0.82})
      expect(neutral.extensions.ada.unmapped.used_articles).to.have.length(1)
      expect(neutral.messages[1].extensions.ada.unmapped.is_generative).to.equal(true)
    })

    it('rejects a record without the required fields, naming the field', () => {
      const check = compileRecordCheck(mapping.definition)
      expect(check({_id: 'x', date_created: '2024-01-01T00:00:00.000000+00:00'})).to.match(/csat/)
      // An Ada *message* object (from the Messages endpoint alone) is not a conversation.
      expect(check((v1[0]!.messages as JsonObject[])[0]!)).to.match(/csat/)
      expect(check(v1[0]!)).to.equal(undefined)
    })
  })

  describe('vendor quirks', () => {
    it('keeps every microsecond digit of +00:00 timestamps, and writes +00:00 back', () => {
      const a = neutralOf(v1[0]!)
      expect(a.startedAt).to.equal('2024-03-13T13:02:11.415000Z')
      expect(a.updatedAt).to.equal('2024-03-13T13:19:40.002000Z')
      const b = neutralOf(v2[0]!)
      expect(b.startedAt).to.equal('2024-05-02T10:15:42.123456Z')
      expect(b.messages.map((m: Any) => m.sentAt).slice(0, 2)).to.deep.equal([
        '2024-05-02T10:15:42.260001Z',
        '2024-05-02T10:15:44.918310Z',
      ])
      const back = mapping.fromNeutral(viaText(b), hookContext(mapping)) as Any
      expect(back.date_created).to.equal('2024-05-02T10:15:42.123456+00:00')
    })

    it('reads sender roles from strings: ada/Ada the bot, bot its system events, ids the chatter or an agent', () => {
      const a = neutralOf(v1[0]!)
      expect(a.messages.map((m: Any) => m.role)).to.deep.equal([
        'customer', // greeting from the chatter's UUID: the chatter
        'bot',
        'bot',
        'bot',
        'system', // meta variable_change from "bot"
        'customer', // the chatter_id
        'bot',
        'agent', // an id listed in agent_id
        'customer',
        'agent',
      ])
      expect(a.messages[7].participantId).to.equal('64aa01bc23de45f6a7b8c9d0')
      // The greeting's UUID is the chatter: one customer sends both, and the UUID is kept in the message's extension.
      expect(a.messages[0].participantId).to.equal('65f1a2b1aa11bb22cc33dd44')
      expect(a.messages[0].extensions.ada.original['/sender']).to.equal('d2f1e0c9-8b7a-4f6e-9d5c-4b3a2f1e0d9c')
      expect(a.participants).to.deep.equal([
        {id: '65f1a2b1aa11bb22cc33dd44', role: 'customer'},
        {displayName: 'Marta K', id: '64aa01bc23de45f6a7b8c9d0', role: 'agent'},
        {displayName: 'Jonas Ø', id: '64bb12cd34ef56a7b8c9d0e1', role: 'agent'},
        {id: 'ada', role: 'bot'},
        {id: 'bot', role: 'system'},
      ])
      const b = neutralOf(v2[0]!)
      expect(b.messages[1]).to.include({participantId: 'Ada', role: 'bot'})
      expect(b.participants).to.deep.include({id: 'Ada', role: 'bot'})
    })

    it('treats the older `agent` sender as a human agent that is never written into agent_id', () => {
      const neutral = neutralOf(v1[1]!)
      expect(neutral.messages.map((m: Any) => [m.role, m.participantId])).to.deep.equal([
        ['customer', '5f6836dd9a8b7c6d5e4f3a21'],
        ['bot', 'ada'],
        ['agent', 'agent'],
        ['agent', 'agent'],
      ])
      delete neutral.extensions
      const back = mapping.fromNeutral(viaText(neutral), hookContext(mapping)) as Any
      expect(back.agent_id).to.deep.equal([])
      expect(back.messages.map((m: Any) => m.sender)).to.deep.equal([
        '5f6836dd9a8b7c6d5e4f3a21',
        'ada',
        'agent',
        'agent',
      ])
    })

    it('derives recipient, chatter_id and conversation_id of each message, so they need no extension', () => {
      const neutral = neutralOf(v1[0]!)
      const uuid = 'd2f1e0c9-8b7a-4f6e-9d5c-4b3a2f1e0d9c'
      for (const message of neutral.messages) {
        const extension = message.extensions?.ada ?? {}
        // Only the chatter's widget UUID (the greeting's sender, the meta events' recipient) is kept verbatim.
        const original = Object.entries(extension.original ?? {}).filter(([, value]) => value !== uuid)
        extension.original = Object.fromEntries(original)
        for (const key of ['recipient', 'chatter_id', 'conversation_id', 'sender']) {
          expect(extension.unmapped ?? {}, `${message.id} ${key}`).not.to.have.property(key)
          expect(extension.original ?? {}, `${message.id} ${key}`).not.to.have.property(`/${key}`)
        }
      }
    })

    it('keeps a message whose chatter_id, conversation_id or recipient disagree with its conversation, or that has none', () => {
      const record = structuredClone(v1[0]!) as Any
      record.messages[2].chatter_id = '62322579d812c2074257c201'
      record.messages[2].conversation_id = '6232257ab6b44fc68056b82a'
      record.messages[4].recipient = '4ab42775-e590-47be-91a4-5cc99e8ae1e0'
      delete record.messages[5].recipient
      delete record.messages[6].sender
      const {back, neutral} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(stableStringify(back)).to.equal(stableStringify(record))
      expect(neutral.messages[2].extensions.ada.original).to.include({
        '/chatter_id': '62322579d812c2074257c201',
        '/conversation_id': '6232257ab6b44fc68056b82a',
      })
      expect(neutral.messages[5].extensions.ada.absent).to.include('/recipient')
      expect(neutral.messages[6]).not.to.have.property('participantId')
    })

    it('reads answer_id "None" and null as no answer, and writes "None" back for an empty one', () => {
      const neutral = neutralOf(v1[0]!)
      expect(neutral.messages[0].metadata).not.to.have.property('answer_id') // "None"
      expect(neutral.messages[7].metadata).not.to.have.property('answer_id') // null
      expect(neutral.messages[7].extensions.ada.original['/answer_id']).to.equal(null)
      expect(neutral.messages[1].metadata).to.include({
        answer_id: '6501f0e1d2c3b4a596877869',
        answer_title: 'Nimbus > Welcome Message',
      })
      const v2neutral = neutralOf(v2[0]!)
      expect(v2neutral.messages[0].metadata).not.to.have.property('in_response_to') // "None"
      expect(v2neutral.messages[1].metadata.in_response_to).to.equal('66340f2e9f8e7d6c5b4a3921')
    })

    it('reads csat {} as no survey and writes {} back; CSAT 2.0 blocks give score, scale, resolved and comment', () => {
      const a = neutralOf(v1[0]!)
      expect(a).not.to.have.property('csat')
      expect(neutralOf(v1[1]!).csat).to.deep.equal({resolved: true, scale: {max: 5, min: 1}, score: 5}) // comment null
      expect(neutralOf(v2[0]!).csat).to.deep.equal({
        comment: 'Rapide et clair, merci ! 👍',
        resolved: true,
        scale: {max: 5, min: 1},
        score: 4,
      })
      delete a.extensions
      expect((mapping.fromNeutral(viaText(a), hookContext(mapping)) as Any).csat).to.deep.equal({})
    })

    it('keeps metavariables and variables as the strings Ada sends, chat_transcript byte for byte', () => {
      const a = neutralOf(v1[0]!)
      expect(a.customData.metavariables.introshown).to.equal('False')
      expect(neutralOf(v1[1]!).customData.metavariables.test_user).to.equal('1')
      const transcript = (v1[0]!.variables as Any).chat_transcript as string
      expect(transcript).to.contain('\r\n\r\nUSER: ')
      expect(a.customData.variables.chat_transcript).to.equal(transcript)
      expect(a.messages).to.have.length(10) // the transcript is never parsed into messages
    })

    it('reads language, device and browser from metavariables in v1.0/v1.1 records, without adding them back', () => {
      const neutral = neutralOf(v1[1]!)
      expect(neutral.language).to.equal('fr')
      expect(neutral.device).to.deep.equal({
        browser: 'firefox',
        type: 'windows',
        userAgent: (v1[1]!.metavariables as Any).user_agent,
      })
      expect(neutral.extensions.ada.absent).to.include.members(['/language', '/device', '/browser'])
      expect(roundTrip(mapping, v1[1]!).back).not.to.have.any.keys('language', 'device', 'browser')
    })

    it('prefers the top-level language, device and browser over their metavariables copies', () => {
      const record = structuredClone(v1[0]!) as Any
      Object.assign(record.metavariables, {browser: 'firefox', device: 'windows', language: 'de'})
      const {back, neutral} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(neutral).to.deep.include({language: 'en'})
      expect(neutral.device).to.include({browser: 'chrome', type: 'macos'})
      // The copies that disagree are kept verbatim (the extension), not as custom data: each fact is shown once.
      expect(neutral.customData.metavariables).not.to.have.property('browser')
      expect(neutral.extensions.ada.original['/metavariables/browser']).to.equal('firefox')
      expect(stableStringify(back)).to.equal(stableStringify(record))
    })

    it('reads end_user_id as the customer id, null as none', () => {
      expect(neutralOf(v2[0]!).customer).to.deep.equal({id: '66340f2d00aa11bb22cc33dd'})
      expect(neutralOf(v2[1]!)).not.to.have.property('customer')
    })

    it('maps generated topics, v2 classifications and intents to topics, and inquiry_summary to a summary', () => {
      const neutral = neutralOf(v2[0]!)
      expect(neutral.topics).to.deep.equal([
        {id: '654952d3e90767ff49713fbf', kind: 'topic', name: 'Auto-deposits'},
        {id: '6610bb00cc11dd22ee33ff44', kind: 'topic', name: 'Recurring deposits'},
        {id: '65e0aa11bb22cc33dd44ef10', kind: 'category', name: 'Dépôts automatiques'},
        {id: '65e0aa11bb22cc33dd44ee01', kind: 'intent', name: 'pause_auto_deposit'},
        {id: '65e0aa11bb22cc33dd44ee02', kind: 'intent', name: 'deposit_schedule'},
      ])
      expect(neutral.summaries).to.deep.equal([
        {kind: 'inquiry', text: 'The customer wanted to know how to temporarily disable auto deposits.'},
      ])
      // Intent status has no neutral field: the extension keeps each intent's.
      expect(neutral.extensions.ada.original['/classifications/0/intents/1/status']).to.equal('inactive')
      expect(neutralOf(v2[1]!)).not.to.have.property('topics') // classifications [] and null v2 topic
    })

    it('rebuilds generated topics and classifications from topics, in order and by kind', () => {
      const neutral = neutralOf(v2[0]!)
      delete neutral.extensions
      const back = mapping.fromNeutral(viaText(neutral), hookContext(mapping)) as Any
      expect(back).to.include({
        generated_topic_id: '654952d3e90767ff49713fbf',
        generated_topic_label: 'Auto-deposits',
        generated_topic_v2_id: '6610bb00cc11dd22ee33ff44',
        generated_topic_v2_title: 'Recurring deposits',
      })
      expect(back.classifications).to.deep.equal([
        {
          intents: [
            {intent_id: '65e0aa11bb22cc33dd44ee01', intent_name: 'pause_auto_deposit'},
            {intent_id: '65e0aa11bb22cc33dd44ee02', intent_name: 'deposit_schedule'},
          ],
          topic_id: '65e0aa11bb22cc33dd44ef10',
          topic_name: 'Dépôts automatiques',
        },
      ])
    })

    it('maps platform to channel, and keeps a platform the docs do not list verbatim', () => {
      expect(all.map((record) => neutralOf(record).channel)).to.deep.equal(['web', 'sms', 'whatsapp', undefined])
      const context = hookContext(mapping)
      const neutral = mapping.toNeutral(structuredClone(v2[1]!), context) as Any
      expect(neutral.extensions.ada.unmapped.platform).to.equal('discord')
      expect(Object.fromEntries(context.stats.declined)).to.deep.equal({platform: 1})
      expect(context.stats.noHome.size).to.equal(0)
    })

    it('maps pictures to image attachments and quick replies to quickReplies', () => {
      const neutral = neutralOf(v2[0]!)
      expect(neutral.messages[5]).to.deep.include({
        attachments: [
          {
            caption: 'Capture : écran « Dépôts automatiques »',
            kind: 'image',
            url: 'https://static.ada.support/images/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0.png',
          },
        ],
        contentType: 'image',
      })
      expect(neutral.messages[2].contentType).to.equal('quick-replies')
      expect(neutral.messages[2].quickReplies).to.deep.equal([
        {title: 'Pause 1 mois', value: '65f0e1d2c3b4a59687786a7c'},
        {title: 'Aide en ligne', url: 'https://help.example.com/fr/depots'},
      ])
      expect(neutral.messages[3].contentType).to.equal('other') // list_selection
      expect(neutral.messages[4].metadata.meta_message_type).to.equal('variable_change')
    })

    it('keeps an empty text and a conversation exported without messages', () => {
      expect(neutralOf(v1[1]!).messages[2].text).to.equal('')
      const noMessages = neutralOf(v2[1]!)
      expect(noMessages.messages).to.deep.equal([])
      expect(roundTrip(mapping, v2[1]!).back).not.to.have.property('messages')
    })
  })

  describe('writing Ada records from other shapes', () => {
    it('writes senders, recipients, agents, csat and +00:00 times as Ada does', () => {
      const context = hookContext(mapping)
      const record = mapping.fromNeutral(foreign(), context) as Any
      expect(record).to.include({
        _id: 'conv-1',
        chatter_id: 'u1',
        date_created: '2024-01-02T03:04:05.678901+00:00',
        language: 'en', // Ada holds the language alone (ISO 639-1); en-US is carried
        platform: 'chat',
      })
      expect(record.agent_id).to.deep.equal(['a1'])
      expect(record.agent_name).to.deep.equal(['Kim L'])
      expect(record.csat).to.deep.equal({comment: 'ok', score: 4})
      expect(record.messages.map((m: Any) => [m.sender, m.recipient])).to.deep.equal([
        ['u1', 'ada'],
        ['ada', 'u1'],
        ['bot', 'u1'],
        ['a1', 'u1'],
      ])
      expect(record.messages[0]).to.include({
        answer_id: 'None',
        answer_title: null,
        chatter_id: 'u1',
        conversation_id: 'conv-1',
        date_created: '2024-01-02T03:04:05.678000+00:00', // Ada's precision: microseconds
        in_response_to: 'None',
      })
      // A file is not a picture: Ada shows it as its address, in a text message.
      expect(record.messages[3].message_data).to.deep.equal({
        _type: 'text',
        body: 'https://files.example/invoice.pdf',
      })
      expect(compileRecordCheck(mapping.definition)(record)).to.equal(undefined)
    })

    it('carries what Ada cannot hold (tags, the bot’s id, status) in variables.convoshift as a JSON string', () => {
      const context = hookContext(mapping)
      const record = mapping.fromNeutral(foreign(), context) as Any
      expect(record.variables.convoshift).to.be.a('string')
      const carried = JSON.parse(record.variables.convoshift)
      expect(carried.convoshift).to.equal(2)
      expect(carried.set['/tags']).to.deep.equal(['vip'])
      expect(carried.set['/status']).to.equal('closed')
      const back = mapping.toNeutral(viaText(record), hookContext(mapping)) as Any
      for (const key of ['tags', 'status', 'participants', 'messages', 'csat', 'customData', 'language', 'channel']) {
        expect(back[key], key).to.deep.equal(foreign()[key])
      }

      expect(back.customData).not.to.have.property('variables') // the carry key is not Ada data
    })

    it('gives a conversation without a start its earliest time as date_created, and restores the absence', () => {
      const neutral = foreign()
      delete neutral.startedAt
      const record = mapping.fromNeutral(neutral, hookContext(mapping)) as Any
      expect(record.date_created).to.equal('2024-01-02T03:04:05.678000+00:00') // the first message, in Ada's precision
      expect(compileRecordCheck(mapping.definition)(record)).to.equal(undefined)
      const back = mapping.toNeutral(viaText(record), hookContext(mapping)) as Any
      expect(back).not.to.have.property('startedAt')
      expect(back.messages).to.deep.equal(neutral.messages)
    })

    it('does not copy a score from another scale as if it were 1-5, and carries it instead', () => {
      const neutral = foreign()
      neutral.csat = {scale: {max: 10, min: 0}, score: 9}
      const context = hookContext(mapping)
      const record = mapping.fromNeutral(neutral, context) as Any
      expect(record.csat).to.deep.equal({})
      expect(JSON.parse(record.variables.convoshift).set['/csat']).to.deep.equal({scale: {max: 10, min: 0}, score: 9})
      expect(context.stats.carried.get('csat')).to.equal(1)
    })

    it('LivePerson → Ada → LivePerson returns the LivePerson record exactly', async () => {
      const liveperson = await loadMapping('liveperson')
      for (const record of fixtureRecords('liveperson/msgint-page.json', 'conversationHistoryRecords')) {
        const neutral = viaText(liveperson.toNeutral(structuredClone(record), hookContext(liveperson)))
        const ada = viaText(mapping.fromNeutral(neutral, hookContext(mapping)))
        const again = viaText(mapping.toNeutral(ada, hookContext(mapping)))
        const back = liveperson.fromNeutral(again, hookContext(liveperson))
        expect(stableStringify(back)).to.equal(stableStringify(record))
      }
    })
  })

  describe('convert', () => {
    const tmp = useTempDir('each')

    it('fails on Ada’s documented sample that is invalid JSON as printed (trailing comma), in one line', async () => {
      const input = join(FIXTURES, 'ada', 'conversations-trailing-comma.json')
      const output = join(tmp.dir, 'out.jsonl')
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'ada',
        '--to',
        'neutral',
        '--input',
        input,
        '--output',
        output,
      ])
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
      const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
      expect(lines).to.have.length(1)
      expect(lines[0]).to.match(/conversations-trailing-comma\.json:8:13: malformed JSON: unexpected character '\]'$/)
      expect(existsSync(output)).to.equal(false)
    })

    it('unwraps both page envelopes (v1.x `data`, v2 `items`) and converts back to identical records', async () => {
      for (const [file, key] of [
        ['conversations-page.json', 'data'],
        ['v2-items-page.json', 'items'],
      ] as const) {
        const neutral = join(tmp.dir, `${key}.neutral.jsonl`)
        const back = join(tmp.dir, `${key}.ada.jsonl`)
        const first = await runCommand([
          'convert',
          '--from',
          'ada',
          '--to',
          'neutral',
          '--input',
          join(FIXTURES, 'ada', file),
          '--output',
          neutral,
        ])
        expect(first.error).to.equal(undefined)
        await runCommand(['convert', '--from', 'neutral', '--to', 'ada', '--input', neutral, '--output', back])
        const records = readFileSync(back, 'utf8').split('\n').filter(Boolean)
        expect(records.map((line) => stableStringify(JSON.parse(line)))).to.deep.equal(
          fixtureRecords(`ada/${file}`, key).map((record) => stableStringify(record)),
        )
      }
    })
  })
})
