import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {RecordError} from '../../src/engine/errors.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {ExitCode} from '../../src/errors.js'
import {koreAiRecords} from '../../src/sample/koreai.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {fixtureRecords, FIXTURES, hookContext, roundTrip} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const PAGE = join(FIXTURES, 'koreai', 'conversations-page.json')
const GOLDEN = join(FIXTURES, 'koreai', 'conversations-page.neutral.json')
const TRUNCATED = join(FIXTURES, 'koreai', 'conversations-truncated.json')
const UNQUOTED = join(FIXTURES, 'koreai', 'conversations-unquoted.jsonl')

/** Stable, reviewable text of the neutral records (keys sorted, two-space indent). */
function goldenText(records: JsonObject[]): string {
  return JSON.stringify(JSON.parse(stableStringify(records)), null, 2) + '\n'
}

/** The one error line a user sees (the base command prints it unwrapped on stderr). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
  expect(lines, stderr).to.have.length(1)
  return lines[0]!.slice('Error: '.length)
}

/** A neutral conversation as LivePerson would produce it. */
const fromElsewhere = (): Any => ({
  channel: 'app',
  customer: {id: 'c1'},
  dialogs: [{channel: 'messaging', id: 'd-main', startedAt: '2024-01-02T03:04:05.678Z', type: 'main'}],
  format: 'liveperson',
  language: 'fr-FR',
  messages: [
    {
      contentType: 'text',
      dialogId: 'd-main',
      id: 'm1',
      participantId: 'c1',
      role: 'customer',
      sentAt: '2024-01-02T03:04:05.678Z',
      text: 'bonjour',
    },
    {
      attachments: [{caption: 'facture', fileType: 'PDF', kind: 'file', url: '/uploads/f.pdf'}],
      contentType: 'file',
      id: 'm2',
      participantId: 'a1',
      role: 'agent',
      sentAt: '2024-01-02T03:04:09.000Z',
      text: 'Voici la facture',
    },
    {id: 'm3', participantId: 'b1', role: 'bot', sentAt: '2024-01-02T03:04:10.000Z', text: 'Autre chose ?'},
  ],
  participants: [
    {firstName: 'Lucía', id: 'c1', role: 'customer'},
    {displayName: 'Helper', id: 'b1', role: 'bot'},
    {displayName: 'Ana Silva', id: 'a1', joinedAt: '2024-01-02T03:04:07.000Z', role: 'agent'},
  ],
  schemaVersion: '1.0',
  sourceId: 'conv-1',
  startedAt: '2024-01-02T03:04:05.678Z',
  status: 'closed',
  tags: ['vip', 'plan:gold', 'user:tier:silver'],
  transfers: [
    {at: '2024-01-02T03:04:07.000Z', to: {agentId: 'a1', agentName: 'Ana Silva', skillId: '77', skillName: 'billing'}},
  ],
  vendor: 'liveperson',
})

/** A copy of a fixture record with some fields replaced. */
const variant = (record: JsonObject, changes: Any): JsonObject => ({...structuredClone(record), ...changes})

describe('koreai mapping (SmartAssist conversation + Conversation History messages)', () => {
  let mapping: CompiledMapping
  let records: JsonObject[]
  let neutral: any[] // indexed freely below: any, not Any | undefined

  before(async () => {
    mapping = await loadMapping('koreai')
    records = fixtureRecords('koreai/conversations-page.json', 'results')
    neutral = records.map((record) => roundTrip(mapping, record).neutral as Any)
  })

  describe('the fixture page', () => {
    it('round-trips every record exactly, unknown fields, placeholders and odd spellings included', () => {
      for (const record of records) {
        const {back} = roundTrip(mapping, record)
        expect(stringify(back), record._id as string).to.equal(stringify(record))
      }
    })

    it('produces neutral records that satisfy the neutral schema', () => {
      for (const conversation of neutral) {
        const result = NeutralConversation.safeParse(conversation)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('matches the golden neutral file (UPDATE_GOLDEN=1 rewrites it)', () => {
      const text = goldenText(neutral)
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
      expect(existsSync(GOLDEN), 'golden file missing: run with UPDATE_GOLDEN=1 once and review it').to.equal(true)
      expect(text).to.equal(readFileSync(GOLDEN, 'utf8'))
    })

    it('accepts every fixture record with the mapping’s record check', () => {
      const check = compileRecordCheck(mapping.definition)
      for (const record of records) expect(check(record)).to.equal(undefined)
    })
  })

  describe('the conversation', () => {
    it('maps identity, account, times (sub-ms digits kept), status, close reason, channel and language', () => {
      const [web] = neutral
      expect(web).to.include({
        accountId: '65a1f3c2b7e4d90012ab34cd',
        channel: 'web',
        endedAt: '2024-03-04T09:12:04.002Z',
        language: 'en',
        sourceId: 'c-7a1e3c5-9b2d-4f60-8e1a-3c5b7d9f1a2b',
        startedAt: '2024-03-04T09:01:02.501Z',
        status: 'closed',
        updatedAt: '2024-03-04T09:12:14.220Z',
      })
      expect(web.closeReason).to.deep.equal({by: 'agent', code: 'Resolved', description: 'Duplicate charge refunded.'})
      expect(neutral[2].messages[0].sentAt).to.equal('2024-03-06T10:01:58.300123Z')
    })

    it('reads every documented status: OPEN is open (no end), TERMINATED-style closes and drop-offs by the system', () => {
      const [, voice, , waiting, dropped] = neutral
      expect(waiting.status).to.equal('open')
      expect(waiting).not.to.have.any.keys('endedAt', 'closeReason')
      expect(waiting.language).to.equal('pt-BR')
      expect(voice.closeReason).to.deep.equal({by: 'agent', code: 'UnKnown', description: '2024-03-05T14:20:05.901Z'})
      expect(dropped.closeReason).to.deep.equal({
        by: 'system',
        code: 'DROP-OFF',
        description: 'Sorry, no agent can help you right now. Please try again later.',
      })
    })

    it('accepts surveyRequired as "YES"/"NO" (samples) and as a boolean (docs), and restores the spelling', () => {
      expect(neutral[0].customData.surveyRequired).to.equal(true) // "YES"
      expect(neutral[1].customData.surveyRequired).to.equal(false) // "NO"
      expect(neutral[2].customData.surveyRequired).to.equal(true) // true
      expect(neutral[2].extensions.koreai.original['/surveyRequired']).to.equal(true)
      const {back} = roundTrip(mapping, records[2]!) as {back: Any}
      expect(back.surveyRequired).to.equal(true)
    })

    it('accepts priority as a number or null (samples) and as a string (docs), kept as given', () => {
      expect(neutral[0].customData.priority).to.equal(5)
      expect(neutral[1].customData).not.to.have.property('priority') // null
      expect(neutral[2].customData.priority).to.equal('HIGH')
      expect((roundTrip(mapping, records[1]!).back as Any).priority).to.equal(null)
      // null is the source's own spelling, kept by its extension; nothing is invented for a conversation without one
      expect(neutral[1].extensions.koreai.unmapped.priority).to.equal(null)
      expect(mapping.fromNeutral(fromElsewhere(), hookContext(mapping))).not.to.have.property('priority')
    })

    it('maps the customer’s location and device, with "NA" and "" meaning unknown', () => {
      expect(neutral[0].customer).to.deep.equal({
        city: 'Kraków',
        country: 'Poland',
        id: 'u-2d4f6a8c-0e1b-5c3d-9f5a-7b9c1d3e5f70',
        isp: 'Orange Polska S.A.',
      })
      expect(neutral[0].device).to.deep.equal({ipAddress: '203.0.113.45', os: 'Windows'}) // device "NA"
      expect(neutral[3].device).to.deep.equal({os: 'Android', type: 'Mobile'}) // ipAddress ""
      expect(neutral[1].customer.phone).to.equal('+14155550142') // a voice caller
    })

    it('writes no device, address or voice number for a conversation that has none', () => {
      const record = mapping.fromNeutral(fromElsewhere(), hookContext(mapping)) as Any
      expect(record.userInfo).to.deep.equal({firstName: 'Lucía'})
      expect(record).not.to.have.property('phoneNumber')
      const withDevice = {
        ...fromElsewhere(),
        customer: {id: 'c1', phone: '+33 1 23 45 67 89'},
        device: {type: 'Mobile'},
      }
      const written = mapping.fromNeutral(withDevice, hookContext(mapping)) as Any
      expect(written.userInfo).to.deep.include({device: 'Mobile', phoneNumber: '+33 1 23 45 67 89'})
      expect(written).not.to.have.property('phoneNumber') // a web chat: not a voice caller
      const voice = mapping.fromNeutral({...withDevice, channel: 'voice'}, hookContext(mapping)) as Any
      expect(voice.phoneNumber).to.equal('+33 1 23 45 67 89')
    })

    it('turns the key intent into a topic, the generated summary into a summary without kind and formData into custom data', () => {
      expect(neutral[0].topics).to.deep.equal([{kind: 'intent', name: 'TalkToAgent'}])
      expect(neutral[2].summaries).to.have.length(1)
      expect(neutral[2].summaries[0]).to.have.keys('text')
      expect(neutral[2].summaries[0].text).to.match(/^The customer asked to change the delivery address/)
      expect(neutral[3].customData.formData).to.deep.equal([{name: 'orderNumber', value: '5188'}])
    })

    it('reads the agents’ notes as summaries of kind note, keeping only note ids and authors in the extension', () => {
      expect(neutral[0].summaries).to.deep.equal([
        {at: '2024-03-04T09:12:04.001Z', kind: 'note', text: 'Refund for the duplicate charge raised as case 88-1203.'},
      ])
      expect(Object.keys(neutral[0].extensions.koreai.original).filter((p) => p.startsWith('/notes/'))).to.deep.equal([
        '/notes/0/_id',
        '/notes/0/author',
      ])
      // A note whose text is a time stays text (as in the vendor's list sample).
      expect(neutral[1].summaries).to.deep.equal([
        {at: '2024-03-05T14:25:52.012Z', kind: 'note', text: '2024-03-05T14:20:05.901Z'},
      ])
    })

    it('makes the bot session the main dialog, with conversationType as its channel', () => {
      expect(neutral[0].dialogs).to.deep.equal([
        {channel: 'messaging', id: '6650a1b2c3d4e5f60718293a', startedAt: '2024-03-04T08:59:41.118Z', type: 'main'},
      ])
      expect(neutral[1].dialogs).to.deep.equal([
        {id: '6650b7c8d9e0f1a2b3c4d5e6', startedAt: '2024-03-05T14:20:05.777Z', type: 'main'},
      ])
      // The details endpoint has conversationType but no bot session: no dialog, and the type is kept verbatim.
      expect(neutral[2].dialogs).to.deep.equal([])
      expect(neutral[2].extensions.koreai.unmapped.conversationType).to.equal('livechat')
    })

    it('keeps fields the mapping does not know in extensions.koreai.unmapped', () => {
      expect(neutral[2].messages[3].extensions.koreai.unmapped.newVendorField).to.deep.equal({
        addedIn: '2026',
        flags: [1, 2],
      })
      expect(neutral[1].extensions.koreai.unmapped).to.include.keys(
        'botSIPURI',
        'CallIDData',
        'sentimentTone',
        'reconnectedAt',
      )
    })
  })

  describe('values the samples do not show', () => {
    it('reads TERMINATED as closed and writes it back exactly', () => {
      const record = variant(records[0]!, {status: 'TERMINATED'})
      const {back, neutral: conversation} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(conversation.status).to.equal('closed')
      expect(back.status).to.equal('TERMINATED')
    })

    it('keeps a metaStatus it does not know verbatim, without guessing who closed the conversation', () => {
      const record = variant(records[0]!, {
        dispositions: {...(records[0]!.dispositions as Any), metaStatus: 'USER_CLOSED'},
      })
      const {back, neutral: conversation} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(conversation.closeReason).to.deep.equal({code: 'Resolved', description: 'Duplicate charge refunded.'})
      expect(stringify(back)).to.equal(stringify(record))
    })

    it('lets startTime win over a timestampValue that disagrees, keeping the epoch', () => {
      const record = variant(records[0]!, {timestampValue: 1_709_542_862_499})
      const {back, neutral: conversation} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(conversation.startedAt).to.equal('2024-03-04T09:01:02.501Z')
      expect(conversation.extensions.koreai.original['/timestampValue']).to.equal(1_709_542_862_499)
      expect(stringify(back)).to.equal(stringify(record))
    })

    it('rejects an agent assignment without agentId, naming the field; accepts a record without participants', () => {
      const withoutAgent = variant(records[0]!, {participants: [{name: 'Zoë Müller', status: 'ACTIVE'}]})
      expect(() => mapping.toNeutral(withoutAgent, hookContext(mapping))).to.throw(
        RecordError,
        'participants[0].agentId: missing or not usable (needed for the neutral id)',
      )
      const check = compileRecordCheck(mapping.definition)
      const {participants, ...withoutParticipants} = records[0]!
      expect(participants).to.be.an('array')
      // The list endpoint's `fields` parameter selects fields: participants may be absent.
      expect(check(withoutParticipants)).to.equal(undefined)
      const conversation = mapping.toNeutral(withoutParticipants, hookContext(mapping)) as Any
      expect(conversation.participants.map((p: Any) => p.role)).to.deep.equal(['customer', 'bot'])
      expect(check({_id: 'c-1'})).to.equal(undefined)
      expect(mapping.toNeutral({_id: 'c-1'}, hookContext(mapping))).to.include({sourceId: 'c-1'})
    })
  })

  describe('participants and transfers', () => {
    it('puts the customer and the bot ahead of the agent assignments, one per hand-off', () => {
      const [web] = neutral
      expect(web.participants.map((p: Any) => [p.role, p.id])).to.deep.equal([
        ['customer', 'u-2d4f6a8c-0e1b-5c3d-9f5a-7b9c1d3e5f70'],
        ['bot', 'st-9e4b1d72-3a5c-5e08-b6f1-0c2d8e7a9f31'],
        ['agent', 'u-3f8a2c1d-9b7e-5a40-8c6d-1e2f3a4b5c6d'], // the offer that timed out (ABANDONED)
        ['agent', 'u-3f8a2c1d-9b7e-5a40-8c6d-1e2f3a4b5c6d'], // the same agent again
        ['agent', 'u-8c7b6a59-4d3e-5f21-a0b9-c8d7e6f5a4b3'],
      ])
      expect(web.participants[2]).not.to.have.property('joinedAt') // ABANDONED: never started
      expect(web.participants[2].extensions.koreai.unmapped.status).to.equal('ABANDONED')
      expect(web.participants[4]).to.include({
        displayName: 'Kwame Okafor',
        joinedAt: '2024-03-04T09:06:15.450Z',
        leftAt: '2024-03-04T09:12:03.917Z',
      })
      expect(web.participants[4].group).to.deep.equal({id: 'qu-0a9b8c7-d6e5-4f32-a1b0-c9d8e7f6a5b4', name: 'Billing'})
    })

    it('reads customer names, email and phone from userInfo, skipping the empty names Kore.ai writes', () => {
      expect(neutral[0].participants[0]).to.deep.equal({id: 'u-2d4f6a8c-0e1b-5c3d-9f5a-7b9c1d3e5f70', role: 'customer'})
      expect(neutral[2].participants[0]).to.deep.equal({
        email: 'ngoc.nguyen@example.test',
        firstName: 'Ngọc',
        id: 'u-4e5f6071-8293-5a4b-bc5d-6e7f8091a2b3',
        lastName: 'Nguyễn',
        phone: '+84 90 555 0143',
        role: 'customer',
      })
      expect(neutral[3].participants[0]).to.include({firstName: 'José'}).and.not.to.have.property('lastName')
    })

    it('gives the customer’s names a neutral home: customer.name joined, the caller’s number as the participant’s phone', () => {
      expect(neutral[2].customer.name).to.equal('Ngọc Nguyễn')
      expect(neutral[3].customer.name).to.equal('José') // lastName ""
      expect(neutral[0].customer).not.to.have.property('name') // both ""
      expect(neutral[1].participants[0]).to.deep.equal({
        id: 'u-9a8b7c6d-5e4f-5302-a1b0-9c8d7e6f5a40',
        phone: '+14155550142', // phoneNumber, the voice caller
        role: 'customer',
      })
    })

    it('maps queue, agent and system transfers, with transferredTo by type and fromAgent null as no agent', () => {
      expect(neutral[0].transfers[0]).to.deep.include({
        at: '2024-03-04T09:06:10.300Z',
        by: 'u-3f8a2c1d-9b7e-5a40-8c6d-1e2f3a4b5c6d',
        from: {agentId: 'u-3f8a2c1d-9b7e-5a40-8c6d-1e2f3a4b5c6d', queueId: 'qu-5b2e8f1-7c3d-4a9e-b6f0-1d2c3b4a5e6f'},
        to: {queueId: 'qu-0a9b8c7-d6e5-4f32-a1b0-c9d8e7f6a5b4', queueName: 'Billing'},
      })
      const voiceTransfer = neutral[1].transfers[0]
      expect(voiceTransfer.to).to.deep.equal({
        agentId: 'u-8c7b6a59-4d3e-5f21-a0b9-c8d7e6f5a4b3',
        agentName: 'Kwame Okafor',
      })
      expect(voiceTransfer).not.to.have.property('from') // fromAgent null
      expect(voiceTransfer.extensions.koreai.original['/transferredTo/0/emailId']).to.equal('') // a key the neutral endpoint has no field for
      expect(neutral[2].transfers[0]).to.deep.include({
        reason: 'OVERDUE',
        to: {queueId: 'qu-5b2e8f1-7c3d-4a9e-b6f0-1d2c3b4a5e6f', queueName: 'Orders – EMEA'},
      })
      expect(neutral[2].transfers[0].extensions.koreai.absent).to.deep.equal(['/fromAgent'])
    })
  })

  describe('messages', () => {
    it('tells customer, bot and agent apart: incoming, outgoing, and outgoing with an author', () => {
      const messages = neutral[0].messages as any[]
      expect(messages.map((m) => m.role)).to.deep.equal([
        'customer',
        'bot',
        'customer',
        'bot',
        'agent',
        'customer',
        'agent',
        'bot',
      ])
      expect(messages[4].participantId).to.equal('u-3f8a2c1d-9b7e-5a40-8c6d-1e2f3a4b5c6d') // author.userId
      expect(messages[6].participantId).to.equal('u-8c7b6a59-4d3e-5f21-a0b9-c8d7e6f5a4b3')
      // createdBy is the end user even on a bot message: the bot message's participant is its botId.
      expect((records[0]!.messages as any[])[1].createdBy).to.equal('u-2d4f6a8c-0e1b-5c3d-9f5a-7b9c1d3e5f70')
      expect(messages[1].participantId).to.equal('st-9e4b1d72-3a5c-5e08-b6f1-0c2d8e7a9f31')
      expect(messages[0].participantId).to.equal('u-2d4f6a8c-0e1b-5c3d-9f5a-7b9c1d3e5f70')
    })

    it('uses author._id for an agent message whose author has no userId', () => {
      const message = neutral[2].messages[2]
      expect(message).to.include({participantId: 'u-8c7b6a59-4d3e-5f21-a0b9-c8d7e6f5a4b3', role: 'agent'})
    })

    it('parses bot templates serialised in data.text into rich content and quick replies, keeping the exact string', () => {
      const messages = neutral[0].messages as any[]
      expect(messages[1]).to.include({contentType: 'rich'}).and.not.to.have.property('text')
      expect(messages[1].richContent.payload.buttons[0].title).to.equal('Track order')
      expect(messages[1].extensions.koreai.original['/components/0/data/text']).to.equal(
        (records[0]!.messages as any[])[1].components[0].data.text,
      )
      // quick_replies: the neutral form, payload.text as the message text, the template string rebuilt exactly
      expect(messages[7]).to.include({contentType: 'quick-replies', text: 'Anything else?'})
      expect(messages[7].quickReplies).to.deep.equal([
        {title: 'Yes', value: 'yes'},
        {title: 'No', value: 'no'},
      ])
      // The fixture spells the JSON with spaces; the SDK's JSON.stringify does not (kept exactly either way).
      expect(messages[7].extensions.koreai.original['/components/0/data/text']).to.equal(
        (records[0]!.messages as any[])[7].components[0].data.text,
      )
      // JSON-looking text that is not a template stays text.
      expect(neutral[2].messages[3].text).to.equal('{"json":true} is not a template')
    })

    it('maps component types: alert is an event, files become attachments by kind, extra components stay verbatim', () => {
      const messages = neutral[0].messages as any[]
      expect(messages[3]).to.include({contentType: 'event', text: 'Connecting you to an agent…'})
      expect(messages[5].attachments).to.deep.equal([
        {
          fileType: 'image/jpeg',
          kind: 'image',
          name: 'doorstep.jpg',
          url: 'https://files.example.test/u/4471-doorstep.jpg',
        },
      ])
      expect(messages[5].contentType).to.equal('image')
      expect(messages[5].extensions.koreai.original['/components/0/thumbnails'][0].width).to.equal(160)
      expect(messages[6]).to.include({
        contentType: 'text',
        text: 'Kwame from billing here. I see two charges; refunding one now.',
      })
      expect(messages[6].attachments[0]).to.include({kind: 'link', url: 'https://help.example.test/refunds.pdf'})
      const details = neutral[2].messages as any[]
      expect(details[1].attachments[0]).to.include({caption: 'proof of address', kind: 'file'})
      expect(details[2].attachments.map((a: Any) => a.kind)).to.deep.equal(['video', 'audio'])
      expect(details[2].contentType).to.equal('file')
      expect(details[0]).to.include({contentType: 'text', text: ''}) // an empty message
      // A location component has no neutral home: the components are kept whole for the way back.
      expect(details[3].extensions.koreai.original['/components']).to.have.length(2)
    })

    it('keeps only component ids and other per-component detail in the extension, not a second copy of the text', () => {
      const ext = neutral[0].messages[0].extensions.koreai
      expect(ext.original).to.deep.equal({'/components/0/_id': 'cp-1a2b3c4d-5e6f-5071-8293-a4b5c6d7e8f0'})
      expect(JSON.stringify(ext)).not.to.contain('where is my order')
    })

    it('keeps a timestampValue that disagrees with createdOn in the extension', () => {
      const message = neutral[0].messages[1]
      expect(message.sentAt).to.equal('2024-03-04T08:59:41.902Z')
      expect(message.extensions.koreai.original['/timestampValue']).to.equal(1_709_542_781_916)
    })

    it('keeps messages in the order the API returned them (newest first here) and the POST layout (`channel`, no tags)', () => {
      const voice = neutral[1].messages as any[]
      expect(voice.map((m) => m.sentAt)).to.deep.equal([
        '2024-03-05T14:20:31.620Z',
        '2024-03-05T14:20:29.118Z',
        '2024-03-05T14:20:06.005Z',
      ])
      expect(voice[0].extensions.koreai.unmapped.channel).to.equal('audiocodes')
      expect(voice[0].extensions.koreai.absent).to.include.members(['/chnl', '/lang', '/tags'])
      expect(voice.map((m) => m.dialogId)).to.deep.equal(Array.from({length: 3}, () => '6650b7c8d9e0f1a2b3c4d5e6'))
    })
  })

  describe('tags', () => {
    it('makes session tags `name:value` and user tags `user:name:value`; message tags stay with their message', () => {
      expect(neutral[0].tags).to.deep.equal(['intent:order-status', 'campaign:Soldes d’été', 'user:tier:gold'])
      expect(neutral[0].messages[2].extensions.koreai.original['/tags/messageTags']).to.deep.equal([
        {name: 'sentiment', value: 'negative'},
      ])
    })

    it('writes a tag with an empty value as its name, and keeps the messages sent before it was set exact', () => {
      expect(neutral[2].tags).to.deep.equal(['vip'])
      expect(neutral[2].messages[0].extensions.koreai.original['/tags/sessionTags']).to.deep.equal([])
      const {back} = roundTrip(mapping, records[2]!) as {back: Any}
      expect(back.messages[1].tags.sessionTags).to.deep.equal([{name: 'vip', value: ''}])
    })
  })

  describe('from another vendor', () => {
    it('writes a Kore.ai record: sender ids on every message, components, tags, dialog, people and transfers', () => {
      const record = mapping.fromNeutral(fromElsewhere(), hookContext(mapping)) as Any
      expect(record).not.to.have.property('botId') // b1 is not a Kore.ai bot id (st-…)
      expect(record).to.include({
        _id: 'conv-1',
        botSessionId: 'd-main',
        conversationType: 'messaging',
        language: 'fr-FR',
        source: 'rtm', // app
        startSessionTime: '2024-01-02T03:04:05.678Z',
        startTime: '2024-01-02T03:04:05.678Z',
        status: 'CLOSED',
        timestampValue: 1_704_164_645_678,
        userId: 'c1',
      })
      expect(record.userInfo).to.include({firstName: 'Lucía'})
      expect(record.participants).to.deep.equal([
        {agentId: 'a1', name: 'Ana Silva', startTimeStamp: '2024-01-02T03:04:07.000Z'},
      ])
      expect(record.transferDetails[0].transferredTo).to.deep.equal([
        {id: 'a1', name: 'Ana Silva', type: 'AGENT'},
        {id: '77', name: 'billing', type: 'SKILL'},
      ])
      const [customer, agent, bot] = record.messages as any[]
      expect(customer).to.include({createdBy: 'c1', lmodifiedBy: 'c1', sessionId: 'd-main', type: 'incoming'})
      expect(customer.components).to.deep.equal([{cT: 'text', data: {text: 'bonjour'}, thumbnails: []}])
      expect(agent).to.deep.include({author: {userId: 'a1'}, createdBy: 'c1', type: 'outgoing'})
      expect(agent.components[1]).to.deep.equal({
        cT: 'attachment',
        data: {caption: 'facture', mimeType: 'PDF', url: '/uploads/f.pdf'},
        thumbnails: [],
      })
      expect(bot).to.include({createdBy: 'c1', sessionId: 'd-main', type: 'outgoing'})
      expect(bot).not.to.have.any.keys('botId', 'lmodifiedBy')
      expect(bot.tags).to.deep.equal({
        messageTags: [],
        sessionTags: [
          {name: 'vip', value: ''},
          {name: 'plan', value: 'gold'},
        ],
        userTags: [{name: 'tier', value: 'silver'}],
      })
      expect(compileRecordCheck(mapping.definition)(record)).to.equal(undefined)
    })

    it('reads the record it wrote back to the same people, messages and tags', () => {
      const record = mapping.fromNeutral(fromElsewhere(), hookContext(mapping))
      const again = mapping.toNeutral(JSON.parse(stableStringify(record)) as JsonObject, hookContext(mapping)) as Any
      const wanted = fromElsewhere()
      expect(again.tags).to.deep.equal(wanted.tags)
      expect(again.messages.map((m: Any) => [m.role, m.participantId, m.text])).to.deep.equal(
        wanted.messages.map((m: Any) => [m.role, m.participantId, m.text]),
      )
      expect(again.messages[1].attachments).to.deep.equal(wanted.messages[1].attachments)
      expect(NeutralConversation.safeParse(again).success).to.equal(true)
    })

    it('carries what Kore.ai cannot hold in one note and restores it: LivePerson → koreai → LivePerson is exact', async () => {
      const liveperson = await loadMapping('liveperson')
      for (const lpRecord of fixtureRecords('liveperson/msgint-page.json', 'conversationHistoryRecords')) {
        const lpNeutral = JSON.parse(
          stableStringify(liveperson.toNeutral(structuredClone(lpRecord), hookContext(liveperson))),
        )
        const context = hookContext(mapping)
        const kore = JSON.parse(stableStringify(mapping.fromNeutral(lpNeutral, context))) as Any
        expect(kore.notes).to.have.length(1)
        expect(kore.notes[0]._id).to.equal('convoshift')
        expect(JSON.parse(kore.notes[0].note)).to.include({convoshift: 2})
        expect(context.stats.carried.size).to.be.greaterThan(0)
        expect(context.stats.noHome.size).to.equal(0)
        const koreNeutral = JSON.parse(stableStringify(mapping.toNeutral(kore, hookContext(mapping))))
        expect(NeutralConversation.safeParse(koreNeutral).success).to.equal(true)
        expect(JSON.stringify(koreNeutral)).not.to.contain('"convoshift":1') // the note is consumed, not kept
        const back = liveperson.fromNeutral(koreNeutral, hookContext(liveperson))
        expect(stringify(back)).to.equal(stringify(lpRecord))
      }
    })

    it('appends the carry note next to the agents’ own notes, and takes only it out again', () => {
      const wanted = {
        ...fromElsewhere(),
        csat: {scale: {max: 5, min: 1}, score: 4},
        summaries: [
          {text: 'Customer wanted a refund.'},
          {at: '2024-01-02T03:05:00.000Z', kind: 'note', text: 'Refund issued.'},
        ],
      }
      const kore = JSON.parse(stableStringify(mapping.fromNeutral(wanted, hookContext(mapping)))) as Any
      expect(kore.summary).to.deep.equal(['Customer wanted a refund.'])
      expect(kore.notes).to.have.length(2)
      expect(kore.notes[0]).to.deep.equal({
        conversationId: 'conv-1',
        note: 'Refund issued.',
        timestamp: '2024-01-02T03:05:00.000Z',
      })
      expect(kore.notes[1]._id).to.equal('convoshift')
      expect(JSON.parse(kore.notes[1].note).set).to.have.property('/csat')
      const again = JSON.parse(stableStringify(mapping.toNeutral(kore, hookContext(mapping)))) as Any
      expect(again.summaries).to.deep.equal(wanted.summaries)
      expect(again.csat).to.deep.equal(wanted.csat)
      expect(again.extensions?.koreai?.unmapped?.notes).to.equal(undefined)
    })

    it('keeps a note that merely looks like the carry note (not a carry document) as the agent’s own', () => {
      const record = {...structuredClone(records[4]!), notes: [{_id: 'convoshift', note: 'not a document {'}]}
      const {back, neutral: conversation} = roundTrip(mapping, record) as {back: Any; neutral: Any}
      expect(conversation.summaries).to.deep.equal([{kind: 'note', text: 'not a document {'}])
      expect(stringify(back)).to.equal(stringify(record))
    })
  })

  describe('generated records', () => {
    it('round-trip exactly and give valid neutral records (200 records)', () => {
      const check = compileRecordCheck(mapping.definition)
      for (const record of koreAiRecords(200, {seed: 'koreai-mapping'})) {
        expect(check(record)).to.equal(undefined)
        const {back, neutral: conversation} = roundTrip(mapping, record)
        const result = NeutralConversation.safeParse(conversation)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
        expect(stringify(back), record._id as string).to.equal(stringify(record))
      }
    })
  })

  describe('convert command', () => {
    const tmp = useTempDir('each')

    it('fails on a page cut off like the vendor’s getMessages sample, with one line naming file and line', async () => {
      const output = join(tmp.dir, 'out.jsonl')
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'koreai',
        '--to',
        'neutral',
        '--input',
        TRUNCATED,
        '--output',
        output,
      ])
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
      expect(errorLine(stderr)).to.equal(`${TRUNCATED}:191: malformed JSON: unexpected end of input (truncated file?)`)
      expect(existsSync(output)).to.equal(false)
    })

    it('rejects the POST sample’s line with an unquoted lmodifiedBy, naming its line and column', async () => {
      const output = join(tmp.dir, 'out.jsonl')
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'koreai',
        '--to',
        'neutral',
        '--input',
        UNQUOTED,
        '--output',
        output,
      ])
      // JSON Lines: the line is rejected with its text, the others are converted
      expect(error, stderr).to.equal(undefined)
      expect(process.exitCode).to.equal(ExitCode.Rejected)
      const line = readFileSync(UNQUOTED, 'utf8').split('\n')[1]!
      const column = line.indexOf('"lmodifiedBy": u-') + '"lmodifiedBy": '.length + 1
      const rejected = readFileSync(`${output}.rejected.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text))
      expect(rejected).to.deep.equal([
        {index: 1, line: 2, reason: `malformed JSON at column ${column}: unexpected character 'u'`, text: line},
      ])
    })

    it('converts the fixture page to neutral and back to identical records', async () => {
      const neutralFile = join(tmp.dir, 'neutral.jsonl')
      const backFile = join(tmp.dir, 'back.jsonl')
      const first = await runCommand([
        'convert',
        '--from',
        'koreai',
        '--to',
        'neutral',
        '--input',
        PAGE,
        '--output',
        neutralFile,
      ])
      expect(first.error).to.equal(undefined)
      const second = await runCommand([
        'convert',
        '--from',
        'neutral',
        '--to',
        'koreai',
        '--input',
        neutralFile,
        '--output',
        backFile,
      ])
      expect(second.error).to.equal(undefined)
      const back = readFileSync(backFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => stringify(JSON.parse(line)))
      expect(back).to.deep.equal(records.map((record) => stringify(record)))
    })

    it('names koreai when a Kore.ai page is given as another format', async () => {
      const {error, stderr} = await runCommand([
        'convert',
        '--from',
        'liveperson',
        '--to',
        'neutral',
        '--input',
        PAGE,
        '--dry-run',
      ])
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
      expect(errorLine(stderr)).to.equal(`${PAGE}:1: this is a koreai API page ("results"), not liveperson`)
    })
  })
})
