/* eslint-disable camelcase -- DeepConverse's own field names */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {DECLINE, transforms} from '../../src/engine/transforms.js'
import {ExitCode} from '../../src/errors.js'
import {deepConverseRecords} from '../../src/sample/deepconverse.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {fixtureRecords, FIXTURES, hookContext, roundTrip} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const PAGE = join(FIXTURES, 'deepconverse', 'conversations-page.json')
const GOLDEN = join(FIXTURES, 'deepconverse', 'conversations-page.neutral.json')
const TRUNCATED = join(FIXTURES, 'deepconverse', 'conversations-truncated.json')

/** Stable, reviewable text of the neutral records (keys sorted, two-space indent). */
function goldenText(records: JsonObject[]): string {
  return JSON.stringify(JSON.parse(stableStringify(records)), null, 2) + '\n'
}

/** A neutral conversation from LivePerson: agents, dialogs, a link attachment, status. */
const fromElsewhere = (): Any => ({
  customData: {sdes: {events: [{sdeType: 'CUSTOMER_INFO'}]}},
  device: {os: 'WINDOWS'},
  dialogs: [{id: 'd1', type: 'main'}],
  format: 'liveperson',
  language: 'pt-BR',
  messages: [
    {id: 'm1', participantId: 'u1', role: 'customer', sentAt: '2024-01-02T03:04:05.678Z', text: 'oi'},
    {
      attachments: [{kind: 'link', url: 'https://help.example.test/x'}],
      id: 'm2',
      participantId: 'a1',
      role: 'agent',
      sentAt: '2024-01-02T03:04:09Z',
      text: 'Olá! 😀',
    },
    {contentType: 'quick-replies', id: 'm3', quickReplies: [{title: 'Sim'}], role: 'bot', text: 'Ajudou?'},
  ],
  participants: [
    {id: 'u1', role: 'customer'},
    {displayName: 'Ana', id: 'a1', role: 'agent'},
  ],
  schemaVersion: '1.0',
  sourceId: 'conv-1',
  startedAt: '2024-01-02T03:04:05.678Z',
  status: 'closed',
  tags: ['vip'],
  transfers: [],
  vendor: 'liveperson',
})

/** The one error line a user sees (the base command prints it unwrapped on stderr). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
  expect(lines, stderr).to.have.length(1)
  return lines[0]!.slice('Error: '.length)
}

describe('epoch-auto transform (times of undocumented unit)', () => {
  const epoch = transforms['epoch-auto']!

  it('reads epoch seconds, keeping every fractional digit', () => {
    expect(epoch.toNeutral(1_744_750_665, {})).to.equal('2025-04-15T20:57:45Z')
    expect(epoch.toNeutral(1_744_750_665.412, {})).to.equal('2025-04-15T20:57:45.412Z')
    expect(epoch.toNeutral(1_744_750_665.123_456, {})).to.equal('2025-04-15T20:57:45.123456Z')
  })

  it('reads 1e11 and above as epoch milliseconds, sub-millisecond digits included', () => {
    expect(epoch.toNeutral(1_744_750_665_123, {})).to.equal('2025-04-15T20:57:45.123Z')
    expect(epoch.toNeutral(1_744_750_665_123.5, {})).to.equal('2025-04-15T20:57:45.1235Z')
    expect(epoch.toNeutral(99_999_999_999, {})).to.equal('5138-11-16T09:46:39Z')
  })

  it('declines what has no neutral form instead of producing an invalid timestamp', () => {
    for (const value of [1e20, -1.5, Number.NaN, '1744750665', null])
      expect(epoch.toNeutral(value, {}), String(value)).to.equal(DECLINE)
  })

  it('writes epoch seconds back, the fraction as the neutral form spells it', () => {
    expect(epoch.fromNeutral('2025-04-15T20:57:45.412Z', {})).to.equal(1_744_750_665.412)
    expect(epoch.fromNeutral('2025-04-15T20:57:45Z', {})).to.equal(1_744_750_665)
  })
})

describe('deepconverse mapping (Export API conversation with its messages)', () => {
  let mapping: CompiledMapping
  let records: JsonObject[]
  let neutral: Any[]

  /** The neutral form of the i-th fixture record. */
  const conversation = (i: number): Any => neutral[i]!

  before(async () => {
    mapping = await loadMapping('deepconverse')
    records = fixtureRecords('deepconverse/conversations-page.json', 'data')
    neutral = records.map((record) => roundTrip(mapping, record).neutral as Any)
  })

  describe('round trip', () => {
    it('round-trips every fixture record exactly, quirks and unknown fields included', () => {
      for (const record of records) {
        expect(stringify(roundTrip(mapping, record).back), record._id as string).to.equal(stringify(record))
      }
    })

    it('round-trips 200 generated records exactly, each satisfying require and the neutral schema', () => {
      for (const record of deepConverseRecords(200, {seed: 'mapping-test'})) {
        expect(record._id).to.be.a('string')
        expect(record.startTime).to.be.a('number')
        const {back, neutral} = roundTrip(mapping, record)
        const result = NeutralConversation.safeParse(neutral)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
        expect(stringify(back), record._id as string).to.equal(stringify(record))
      }
    })

    it('produces neutral records that satisfy the neutral schema', () => {
      for (const record of neutral) {
        const result = NeutralConversation.safeParse(record)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('matches the golden neutral file (UPDATE_GOLDEN=1 rewrites it)', () => {
      const text = goldenText(neutral)
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
      expect(text).to.equal(readFileSync(GOLDEN, 'utf8'))
    })
  })

  describe('conversation fields', () => {
    it('maps the documented fields: _id, epoch-second startTime, lastActionAt, locale, tags', () => {
      const web = conversation(0)
      expect(web).to.include({
        format: 'deepconverse',
        language: 'en-US',
        sourceId: '0f3a9c51d2e84b7c9a6e1d40b2c7f8e3',
        startedAt: '2025-04-15T20:57:45Z',
        updatedAt: '2025-04-15T21:03:32Z',
        vendor: 'deepconverse',
      })
      expect(web.tags).to.deep.equal(['resolved', 'informed'])
    })

    it('maps channel, device, country and the active intent from the predefined parameters', () => {
      const web = conversation(0)
      expect(web.channel).to.equal('web')
      expect(web.customer).to.deep.equal({countryCode: 'CA'})
      expect(web.device).to.deep.equal({
        browser: 'Chrome',
        ipAddress: '203.0.113.42',
        model: 'Mac',
        os: 'Mac OS X',
        userAgent: (records[0]!.metadata as Any).__sys_userAgent,
      })
      expect(web.topics).to.deep.equal([{kind: 'intent', name: 'order_status'}])
      expect(conversation(3).topics).to.deep.equal([{kind: 'intent', name: '配送状況'}])
    })

    it('keeps every other metadata parameter as customData, the widget’s own tags list included', () => {
      const web = conversation(0)
      expect(Object.keys(web.customData).sort()).to.deep.equal([
        '__sys_userAction',
        'browser_hostname',
        'browser_isMobile',
        'browser_path',
        'browser_referrer',
        'email',
        'isLoggedIn',
        'order',
        'order_number',
        'origin',
        'tags',
      ])
      expect(web.customData.tags).to.deep.equal(['ios', 'vip'])
      expect(web.customData.__sys_userAction).to.deep.equal({text: 'Yes, thanks!', type: 'action_userQuickReply'})
      // Nothing that customData or a native field holds is duplicated in the extension.
      expect(Object.keys(web.extensions.deepconverse.unmapped)).to.deep.equal(['metadata'])
      expect(Object.keys(web.extensions.deepconverse.unmapped.metadata)).to.deep.equal(['__sys_userAgentParsed'])
    })

    it('drops __sys_conversationId when it repeats _id, keeps it when it differs, restores its absence', () => {
      expect(conversation(0).customData).not.to.have.property('__sys_conversationId')
      expect(conversation(3).customData.__sys_conversationId).to.equal('d0000000000000000000000000000000')
      expect(conversation(1).extensions.deepconverse.absent).to.include('/metadata/__sys_conversationId')
      const back = roundTrip(mapping, records[1]!).back as Any
      expect(back.metadata).not.to.have.property('__sys_conversationId')
    })

    it('accepts an ISO lastActionAt and an oddly cased locale, keeping both spellings', () => {
      const second = conversation(1)
      expect(second.updatedAt).to.equal('2025-04-16T21:06:41Z')
      expect(second.language).to.equal('fr-FR')
      expect(second.extensions.deepconverse.original).to.include({
        '/lastActionAt': '2025-04-16T21:06:41Z',
        '/locale': 'FR_fr',
      })
    })

    it('keeps null ua-parser fields and unknown top-level fields verbatim', () => {
      const second = conversation(1)
      expect(second.device).not.to.have.property('model')
      expect(second.extensions.deepconverse.unmapped.botVersion).to.equal(17)
      expect(second.extensions.deepconverse.unmapped.metadata.__sys_userAgentParsed.device).to.deep.equal({
        brand: null,
        family: 'Other',
        model: null,
      })
    })

    it('treats a user parameter named convoshift that is not a carry document as ordinary data', () => {
      expect(conversation(1).customData.convoshift).to.equal('campagne-printemps')
      expect(conversation(1).customData['order.id']).to.equal('FR-20931')
    })

    it('reads a record without messages, and writes it back without the key', () => {
      expect(conversation(2).messages).to.deep.equal([])
      expect(conversation(2).extensions.deepconverse.absent).to.include('/messages')
      expect(roundTrip(mapping, records[2]!).back).not.to.have.property('messages')
      expect(roundTrip(mapping, records[3]!).back).to.have.property('messages').that.deep.equals([])
    })

    it('has no agents, participants, dialogs, status or end time', () => {
      for (const record of neutral) {
        expect(record.participants).to.deep.equal([])
        expect(record.dialogs).to.deep.equal([])
        expect(record.transfers).to.deep.equal([])
        expect(record).not.to.have.any.keys('status', 'endedAt', 'csat', 'nps', 'closeReason')
        for (const message of record.messages) expect(message.role).to.be.oneOf(['customer', 'bot'])
      }
    })
  })

  describe('messages', () => {
    it('tells the customer (UserInput) from the bot (outMsg), whatever the bot’s type is spelled', () => {
      expect(conversation(0).messages.map((m: Any) => m.role)).to.deep.equal([
        'bot',
        'customer',
        'bot',
        'customer',
        'bot',
        'bot',
        'customer',
        'bot',
        'customer',
      ])
      expect(conversation(1).messages.map((m: Any) => m.role)).to.deep.equal(['bot', 'customer', 'customer', 'bot'])
      const back = roundTrip(mapping, records[1]!).back as Any
      expect(back.messages.map((m: Any) => m.type)).to.deep.equal([
        'BotResponse',
        'UserInput',
        'UserInput',
        'BotResponse',
      ])
    })

    it('keeps every digit of epoch-second times, and reads epoch milliseconds by magnitude', () => {
      expect(
        conversation(0)
          .messages.map((m: Any) => m.sentAt)
          .slice(0, 4),
      ).to.deep.equal([
        '2025-04-15T20:57:45.412Z',
        '2025-04-15T20:57:51.09Z',
        '2025-04-15T20:57:52Z',
        '2025-04-15T20:58:22.123456Z',
      ])
      expect(conversation(1).messages[0].sentAt).to.equal('2025-04-16T21:00:01.337Z')
      expect(conversation(1).messages[0].extensions.deepconverse.original).to.include({'/time': 1_744_837_201_337})
    })

    it('accepts an ISO 8601 message time, and writes the exact string back', () => {
      const record = structuredClone(records[0]!) as Any
      record.messages[0].time = '2025-04-15T22:57:45.4123+02:00'
      const {back, neutral} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(neutral.messages[0].sentAt).to.equal('2025-04-15T20:57:45.4123Z')
      expect(neutral.messages[0].extensions.deepconverse.original).to.deep.equal({
        '/time': '2025-04-15T22:57:45.4123+02:00',
      })
      expect(stringify(back)).to.equal(stringify(record))
    })

    it('maps quick replies, carousels, forms and attachments of the bot', () => {
      const [greeting, , form, , carousel, image] = conversation(0).messages
      expect(greeting).to.include({
        contentType: 'quick-replies',
        text: 'Hi 👋 I’m the virtual assistant. How can I help?',
      })
      expect(greeting.quickReplies).to.have.length(3)
      expect(greeting.quickReplies[0]).to.deep.equal({title: 'Where is my order?', value: 'order_status'})
      expect(form.contentType).to.equal('form')
      expect(form.extensions.deepconverse.unmapped.outMsg).to.have.key('form')
      expect(carousel.contentType).to.equal('rich')
      expect(carousel.richContent).to.have.length(2)
      expect(image.contentType).to.equal('image')
      expect(image.attachments).to.deep.equal([
        {
          fileType: 'image/png',
          kind: 'image',
          name: 'label-448812.png',
          url: 'https://files.example.com/labels/448812.png',
        },
        {fileType: 'application/pdf', kind: 'file', url: 'https://files.example.com/guides/returns.pdf'},
      ])
    })

    it('maps the customer’s quick reply, typed text and form input', () => {
      const {messages} = conversation(0)
      expect(messages[1]).to.include({contentType: 'quick-replies', text: 'Where is my order?'})
      expect(messages[3].contentType).to.equal('form')
      expect(messages[3].richContent).to.deep.equal({email: 'zoe.m@mail.example', order_number: '#448812'})
      expect(messages[3]).not.to.have.property('text')
      expect(messages[6]).to.include({contentType: 'text'})
      expect(messages[6].text).to.contain('配送').and.contain('\n')
    })

    it('reads a plain-string outMsg, an empty input, an unknown action type and a handoff', () => {
      const [hello, empty, voice, handoff] = conversation(1).messages
      expect(hello.text).to.equal('Bonjour ! Comment puis-je vous aider ?')
      expect(hello.extensions.deepconverse.original['/outMsg']).to.equal('Bonjour ! Comment puis-je vous aider ?')
      expect(empty).to.include({contentType: 'text', text: ''})
      expect(voice).to.include({contentType: 'other', text: "je veux parler à quelqu'un"})
      expect(voice.extensions.deepconverse.unmapped).to.deep.equal({userActionType: 'action_userVoice'})
      expect(handoff).to.include({contentType: 'event', text: 'Je vous mets en relation avec un conseiller.'})
      expect(handoff.metadata).to.deep.equal({
        event: 'handoff',
        handoff: {department: 'Kundendienst', platform: 'zendesk_chat'},
      })
      // The handoff's details live in metadata, not in the extension (which keeps only spellings: ms time, BotResponse).
      expect(handoff.extensions.deepconverse).to.have.all.keys('original')
    })

    it('reads options spelled with label as neutral quick replies, and keeps the spelling for the way back', () => {
      const record = structuredClone(records[0]!) as Any
      record.messages[7].outMsg.options = [
        {label: 'Oui', value: 'solved'},
        {label: 'Non', url: 'https://x.test/n'},
      ]
      const {back, neutral} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(neutral.messages[7].quickReplies).to.deep.equal([
        {title: 'Oui', value: 'solved'},
        {title: 'Non', url: 'https://x.test/n'},
      ])
      expect(stringify(back)).to.equal(stringify(record))
    })

    it('rebuilds conversationId from _id, and keeps a message without one as it was', () => {
      // Only the form message keeps something (its field list): conversationId is never stored.
      const extended = (conversation(0).messages as Any[]).filter((message) => message.extensions)
      expect(extended.map((message) => Object.keys(message.extensions.deepconverse.unmapped.outMsg))).to.deep.equal([
        ['form'],
      ])
      expect(conversation(1).messages[2].extensions.deepconverse.absent).to.deep.equal(['/conversationId'])
      const back = roundTrip(mapping, records[1]!).back as Any
      expect(back.messages[2]).not.to.have.property('conversationId')
      expect(back.messages[3].conversationId).to.equal('7d41b0e9c3a2458f8e1f6a9b0c5d2e47')
    })
  })

  describe('from other vendors', () => {
    it('writes what DeepConverse shows: customer and bot messages, its own tags, whole-second startTime', () => {
      const context = hookContext(mapping)
      const vendor = mapping.fromNeutral(fromElsewhere(), context) as Any
      expect(vendor).to.include({_id: 'conv-1', locale: 'pt_br', startTime: 1_704_164_645})
      // vip is the other vendor's label; an agent took part, so the customer was handed to a human.
      expect(vendor.tags).to.deep.equal(['liveChat'])
      expect(vendor.metadata).to.include({__sys_conversationId: 'conv-1'})
      expect(vendor.metadata.sdes).to.deep.equal({events: [{sdeType: 'CUSTOMER_INFO'}]})
      expect(vendor.metadata.__sys_userAgentParsed).to.deep.equal({os: {family: 'WINDOWS'}})
      // The agent's message is not presented as the bot's: it is not written, and carried whole.
      expect(vendor.messages.map((m: Any) => [m._id, m.type, m.conversationId])).to.deep.equal([
        ['m1', 'UserInput', 'conv-1'],
        ['m3', 'BotMessage', 'conv-1'],
      ])
      expect(vendor.messages[0]).to.include({time: 1_704_164_645.678, userInput: 'oi'})
      expect(vendor.messages[1].outMsg).to.deep.equal({
        options: [{title: 'Sim'}],
        text: 'Ajudou?',
        type: 'quickReplies',
      })
      const carried = vendor.metadata.convoshift
      expect(carried.convoshift).to.equal(2)
      expect(carried.set).to.include.keys('/participants', '/dialogs', '/status', '/messages/~=m2', '/startedAt')
      expect(carried.set['/messages/~=m2']).to.include({role: 'agent', text: 'Olá! 😀'})
      expect([...context.stats.carried.keys()]).to.include.members(['participants', 'messages[]', 'status', 'tags[]'])
    })

    it('gives a conversation without a start time its earliest time, and restores the absence', () => {
      const original = fromElsewhere()
      delete original.startedAt
      original.updatedAt = '2024-01-02T03:09:00Z'
      const vendor = JSON.parse(stableStringify(mapping.fromNeutral(original, hookContext(mapping)))) as Any
      expect(vendor.startTime).to.equal(1_704_164_645) // the first message, in whole seconds
      expect(vendor.metadata.convoshift.remove).to.include('/startedAt')
      const again = mapping.toNeutral(vendor, hookContext(mapping)) as Any
      expect(again).not.to.have.property('startedAt')
      expect(again.updatedAt).to.equal('2024-01-02T03:09:00Z')
    })

    it('restores the other vendor’s conversation when converted back to neutral', () => {
      const original = fromElsewhere()
      const vendor = JSON.parse(stableStringify(mapping.fromNeutral(original, hookContext(mapping)))) as JsonObject
      const again = mapping.toNeutral(vendor, hookContext(mapping)) as Any
      for (const key of [
        'sourceId',
        'startedAt',
        'language',
        'messages',
        'participants',
        'dialogs',
        'tags',
        'status',
        'customData',
        'device',
      ]) {
        expect(again[key], key).to.deep.equal(original[key])
      }

      expect(NeutralConversation.safeParse(again).success).to.equal(true)
    })
  })

  it('never writes to the record it converts', () => {
    const freeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        for (const child of Object.values(value)) freeze(child)
        Object.freeze(value)
      }

      return value
    }

    for (const record of [...records, ...deepConverseRecords(20, {seed: 'frozen'})]) {
      const frozen = freeze(structuredClone(record))
      const neutral = mapping.toNeutral(frozen, hookContext(mapping))
      mapping.fromNeutral(freeze(JSON.parse(stableStringify(neutral)) as JsonObject), hookContext(mapping))
    }
  })

  describe('require: telling DeepConverse records from other vendors’', () => {
    const tmp = useTempDir('each')

    it('is not satisfied by Ada or Kore.ai records, which also have an _id', async () => {
      const {compileRecordCheck} = await import('../../src/engine/record-validator.js')
      const check = compileRecordCheck(mapping.definition)
      expect(check(records[0])).to.equal(undefined)
      const adaLike = {_id: '62322580b151ff975f1eb495', csat: {}, date_created: '2022-03-16T17:59:28.201000+00:00'}
      const koreLike = {_id: 'c-2a1b', participants: [], startTime: '2023-05-22T04:55:05.350Z'}
      expect(check(adaLike)).to.equal('startTime: missing (expected number)')
      expect(check(koreLike)).to.equal('startTime: got string "2023-05-22T04:55:05.350Z" (expected number)')
    })

    it('reads a record with only _id and startTime, but not a message without its _id', () => {
      const bare = {_id: 'c-1', messages: [{_id: 'm-1'}], startTime: 1_744_750_665}
      expect(stringify(roundTrip(mapping, bare).back)).to.equal(stringify(bare))
      const idless = {_id: 'c-1', messages: [{type: 'UserInput', userInput: 'hi'}], startTime: 1_744_750_665}
      expect(() => mapping.toNeutral(idless, hookContext(mapping))).to.throw(/messages\[0\]\._id/)
    })

    it('names deepconverse when its records are given as another format', async () => {
      const input = join(tmp.dir, 'dc.jsonl')
      await writeFile(input, records.map((record) => JSON.stringify(record)).join('\n') + '\n')
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'liveperson',
        '--to',
        'neutral',
        '--input',
        input,
        '--dry-run',
      ])
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
      expect(errorLine(stderr)).to.equal(`${input}:1: this is a deepconverse record, not liveperson`)
    })

    it('converts the API page with the convert command, cursor and all', async () => {
      const output = join(tmp.dir, 'neutral.jsonl')
      const {result} = await runCommand<{records: Any}>([
        'convert',
        '--from',
        'deepconverse',
        '--to',
        'neutral',
        '--input',
        PAGE,
        '--output',
        output,
      ])
      expect(result?.records).to.deep.equal({converted: 4, read: 4, rejected: 0})
      const lines = readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Any)
      expect(goldenText(lines)).to.equal(readFileSync(GOLDEN, 'utf8'))
    })

    it('gives one clear line for a page cut off the way the documented example is', async () => {
      const output = join(tmp.dir, 'out.jsonl')
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'deepconverse',
        '--to',
        'neutral',
        '--input',
        TRUNCATED,
        '--output',
        output,
      ])
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
      expect(errorLine(stderr)).to.match(/conversations-truncated\.json:\d+(:\d+)?: .*(malformed JSON|unexpected end)/)
      expect(existsSync(output)).to.equal(false)
    })
  })
})
