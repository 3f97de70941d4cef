import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {newStats} from '../../src/engine/hooks/types.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {transforms} from '../../src/engine/transforms.js'
import {iAdvizeRecords} from '../../src/sample/iadvize.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {FIXTURES, hookContext, roundTrip} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const PAGE = join(FIXTURES, 'iadvize', 'closed-conversations-page.json')
const GOLDEN = join(FIXTURES, 'iadvize', 'closed-conversations.neutral.json')

/** The records a user feeds convoshift: the nodes of a closedConversations page (`jq -c '.data.closedConversations.edges[].node'`). */
function pageNodes(): JsonObject[] {
  const page = JSON.parse(readFileSync(PAGE, 'utf8')) as Any
  return (page.data.closedConversations.edges as Any[]).map((edge) => edge.node as JsonObject)
}

function byId(nodes: JsonObject[], prefix: string): JsonObject {
  const node = nodes.find((n) => (n.id as string).startsWith(prefix))
  if (!node) throw new Error(`no fixture node ${prefix}`)
  return node
}

/** Pretty, key-sorted JSON: stable across runs and readable in a diff. */
function stableText(value: unknown): string {
  return JSON.stringify(JSON.parse(stringify(value)), null, 2) + '\n'
}

/** A neutral conversation from another vendor, with what iAdvize can and cannot hold. */
function foreign(): JsonObject {
  return {
    csat: {scale: {max: 5, min: 1}, score: 3},
    customData: {plan: 'gold', sdes: {events: [1, 2]}, visits: 4},
    dialogs: [{id: 'd1', type: 'main'}],
    format: 'liveperson',
    messages: [
      {id: 'm1', participantId: 'c1', role: 'customer', sentAt: '2024-01-02T03:04:05.678901Z', text: 'hi'},
      {
        id: 'm2',
        metadata: [{type: 'BotResponse'}],
        participantId: '42',
        role: 'bot',
        sentAt: '2024-01-02T03:04:06Z',
        text: 'hello',
      },
      {id: 'm3', participantId: 'sys', role: 'system', sentAt: '2024-01-02T03:04:07Z', text: 'transferred'},
      {
        contentType: 'image',
        id: 'm4',
        participantId: '7',
        role: 'agent',
        sentAt: '2024-01-02T03:04:08Z',
        attachments: [{kind: 'image', url: 'https://x.test/a.png'}],
      },
    ],
    participants: [
      {displayName: 'Helper', id: '42', role: 'bot'},
      {firstName: 'Ana', id: '7', permission: 'ASSIGNED_AGENT', role: 'agent'},
      {id: 'sys', role: 'system'},
      {email: 'lucia@mail.example', firstName: 'Lucía', id: 'c1', role: 'customer'},
    ],
    closeReason: {by: 'agent', code: 'AGENT'},
    schemaVersion: '1.0',
    sourceId: 'conv-1',
    startedAt: '2024-01-02T03:04:05.678901Z',
    status: 'closed',
    tags: ['vip', 'campaign:Black Friday'],
    transfers: [],
    vendor: 'liveperson',
  }
}

/** The one error line a user sees. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
  expect(lines, stderr).to.have.length(1)
  return lines[0]!.slice('Error: '.length)
}

describe('iadvize mapping (GraphQL closedConversations node)', () => {
  let mapping: CompiledMapping
  let nodes: JsonObject[]
  // Fixture nodes by the quirk they carry.
  let chat: JsonObject // bot then operator, mixed offsets, nested satisfaction survey, tags, custom data, cursors
  let whatsapp: JsonObject // bot only, flat satisfaction fields, numeric duration, repeated custom data key, nulls
  let app: JsonObject // three contacts (manager, expert, manager again), microseconds, unknown attachment and field
  let empty: JsonObject // no messages, no visitor, unknown channel, a tag that looks prefixed

  before(async () => {
    mapping = await loadMapping('iadvize')
    nodes = pageNodes()
    chat = byId(nodes, '5e0c')
    whatsapp = byId(nodes, 'c3a1')
    app = byId(nodes, '9a8b')
    empty = byId(nodes, 'f0e1')
  })

  const neutralOf = (node: JsonObject): Any => roundTrip(mapping, node).neutral as Any

  describe('round trip and golden output', () => {
    it('round-trips every fixture node exactly, unknown fields, nulls and offsets included', () => {
      for (const node of nodes) expect(stringify(roundTrip(mapping, node).back)).to.equal(stringify(node))
    })

    it('produces neutral records that satisfy the neutral schema', () => {
      for (const node of nodes) {
        const result = NeutralConversation.safeParse(neutralOf(node))
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('matches the golden neutral output (UPDATE_GOLDEN=1 rewrites it after a deliberate mapping change)', () => {
      const actual = stableText(nodes.map((node) => neutralOf(node)))
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, actual)
      expect(actual).to.equal(readFileSync(GOLDEN, 'utf8'))
    })

    it('round-trips 200 generated records exactly, each valid neutral and each satisfying require', () => {
      const check = compileRecordCheck(mapping.definition)
      for (const record of iAdvizeRecords(200, {seed: 'iadvize-mapping'})) {
        expect(check(record), String(record.id)).to.equal(undefined)
        const {back, neutral} = roundTrip(mapping, record)
        expect(stringify(back), String(record.id)).to.equal(stringify(record))
        const result = NeutralConversation.safeParse(neutral)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }
    })

    it('declines no value of the fixtures or of generated records', () => {
      const context = {format: 'iadvize', stats: newStats()}
      for (const node of [...nodes, ...iAdvizeRecords(100, {seed: 'declines'})])
        mapping.toNeutral(structuredClone(node), context)
      expect([...context.stats.declined]).to.deep.equal([])
    })
  })

  describe('conversation fields', () => {
    it('maps identity, project, status and the GraphQL nulls (null means absent)', () => {
      const neutral = neutralOf(chat)
      expect(neutral).to.include({
        accountId: '4821',
        sourceId: '5e0c9b1a-7d2f-4c3e-9a41-2b6f8d0e1c77',
        status: 'closed',
      })
      expect(neutral).not.to.have.property('externalId') // externalId: null
      expect(neutral.extensions.iadvize.unmapped.legacyId).to.equal(918_273_645)
      expect(neutralOf(app).externalId).to.equal('SF-CASE-00042')
      expect(neutralOf(whatsapp)).not.to.have.any.keys('language', 'updatedAt')
    })

    it('normalises every offset to UTC Z, keeping all fractional digits, and restores the source spelling', () => {
      expect(neutralOf(chat)).to.include({
        endedAt: '2024-05-14T08:31:40.118Z',
        startedAt: '2024-05-14T08:02:11Z', // "2024-05-14T10:02:11+02:00"
        updatedAt: '2024-05-14T08:31:40.208Z',
      })
      // -04:00 crosses midnight; .55 stays two digits.
      expect(neutralOf(whatsapp).startedAt).to.equal('2024-05-15T01:48:02.55Z')
      // +09:00 with microseconds.
      expect(neutralOf(app).startedAt).to.equal('2024-05-16T00:00:00.123456Z')
      expect(neutralOf(chat).extensions.iadvize.original['/createdAt']).to.equal('2024-05-14T10:02:11+02:00')
      const {back} = roundTrip(mapping, app) as {back: Any}
      expect(back.createdAt).to.equal('2024-05-16T09:00:00.123456+09:00')
    })

    it('reads duration as an ISO 8601 duration, or a plain number as seconds, and writes back the source spelling', () => {
      expect(neutralOf(chat).durationMs).to.equal(1_769_118) // PT29M29.118S
      expect(neutralOf(app).durationMs).to.equal(2_459_376.544) // PT40M59.376544S
      expect(neutralOf(whatsapp).durationMs).to.equal(247_000) // 247
      expect(neutralOf(empty).durationMs).to.equal(0) // P0D
      expect((roundTrip(mapping, whatsapp).back as Any).duration).to.equal(247)
      expect((roundTrip(mapping, empty).back as Any).duration).to.equal('P0D')
    })

    it('maps channels and language, and keeps a channel it does not know', () => {
      expect([chat, whatsapp, app, empty].map((n) => neutralOf(n).channel)).to.deep.equal([
        'web',
        'whatsapp',
        'app',
        'other',
      ])
      expect(neutralOf(empty).extensions.iadvize.unmapped.channel).to.equal('TIKTOK')
      expect(neutralOf(chat).language).to.equal('fr')
      expect(neutralOf(empty).language).to.equal('pt-BR')
    })

    it('maps closeReason to who closed it, and absent when null', () => {
      expect(neutralOf(whatsapp).closeReason).to.deep.equal({by: 'bot', code: 'END_OF_BOT_SCENARIO'})
      expect(neutralOf(empty).closeReason).to.deep.equal({by: 'customer', code: 'VISITOR_DROPPED_OFF_SCENARIO'})
      expect(neutralOf(chat)).not.to.have.property('closeReason')
    })
  })

  describe('satisfaction', () => {
    it('reads satisfactionSurvey: CSAT 1-5, NPS 0-10 and the comment', () => {
      const neutral = neutralOf(chat)
      expect(neutral.csat).to.deep.equal({comment: 'Très réactive, merci 🙏', scale: {max: 5, min: 1}, score: 4})
      expect(neutral.nps).to.deep.equal({scale: {max: 10, min: 0}, score: 9})
    })

    it('reads the flat spelling of the closedConversations article and writes that spelling back', () => {
      const {back, neutral} = roundTrip(mapping, whatsapp) as {back: Any; neutral: Any}
      expect(neutral.csat).to.deep.equal({scale: {max: 5, min: 1}, score: 5})
      expect(neutral).not.to.have.property('nps') // netPromoterScore: null
      expect(back).to.include({comment: null, customerSatisfaction: 5, netPromoterScore: null})
      expect(back).not.to.have.property('satisfactionSurvey')
    })

    it('keeps an NPS of 0 and an empty comment, and gives no CSAT scale without a score', () => {
      const neutral = neutralOf(empty)
      expect(neutral.nps).to.deep.equal({scale: {max: 10, min: 0}, score: 0})
      expect(neutral.csat).to.deep.equal({comment: ''})
      expect(neutralOf(app)).not.to.have.any.keys('csat', 'nps') // satisfactionSurvey: null
    })
  })

  describe('participants', () => {
    it('makes users agents or bots with their exact role as permission, and the visitor the customer, last', () => {
      const {participants} = neutralOf(chat)
      expect(participants.map((p: Any) => [p.id, p.role, p.permission])).to.deep.equal([
        ['700001', 'bot', 'BOT'],
        ['512334', 'agent', 'OPERATOR'],
        ['b05f1b45-c891-4a9c-b47e-91ee6c8ffb44', 'customer', undefined],
      ])
      expect(participants[1]).to.include({
        email: 'chloe.dubois@boutique.example',
        firstName: 'Chloé',
        lastName: 'Dubois',
        nickname: 'Chloé',
      })
      expect(participants[2]).to.deep.equal({
        email: 'jurgen.muller@mail.example',
        firstName: 'Jürgen',
        id: 'b05f1b45-c891-4a9c-b47e-91ee6c8ffb44',
        lastName: 'Müller',
        phone: '+33612345678',
        role: 'customer',
      })
    })

    it('accepts lower-case roles and writes the spelling back; managers and experts are agents', () => {
      expect(neutralOf(whatsapp).participants[0]).to.include({permission: 'bot', role: 'bot'})
      expect((roundTrip(mapping, whatsapp).back as Any).users[0].role).to.equal('bot')
      expect(neutralOf(app).participants.map((p: Any) => [p.role, p.permission])).to.deep.equal([
        ['agent', 'MANAGER'],
        ['agent', 'EXPERT'],
        ['agent', 'MANAGER'], // users lists the manager again: kept, not merged
        ['customer', undefined],
      ])
    })

    it('fills the neutral customer from the visitor; a third-party username is the nickname', () => {
      expect(neutralOf(chat).customer).to.deep.equal({
        city: 'Paris',
        country: 'FR',
        email: 'jurgen.muller@mail.example',
        externalId: 'crm-88123',
        id: 'b05f1b45-c891-4a9c-b47e-91ee6c8ffb44',
        phone: '+33612345678',
      })
      expect(neutralOf(whatsapp).participants[1]).to.deep.equal({
        id: 'e7d6c5b4-a392-4810-9f7e-6d5c4b3a2910',
        nickname: 'Nadia ✨',
        phone: '+15145550199',
        role: 'customer',
      })
      expect(neutralOf(chat).extensions.iadvize.unmapped.visitor).to.include({
        address: '12 rue de la Paix',
        zipCode: '75002',
      })
    })

    it('has no customer when the visitor is null', () => {
      const neutral = neutralOf(empty)
      expect(neutral.participants).to.deep.equal([])
      expect(neutral).not.to.have.property('customer')
    })
  })

  describe('messages and contacts', () => {
    it('reads the messages connection: ids, UTC times, authors as roles and participants, system messages', () => {
      const {messages} = neutralOf(chat)
      expect(messages).to.have.length(8)
      expect(messages.map((m: Any) => m.role)).to.deep.equal([
        'system',
        'bot',
        'customer',
        'bot',
        'system',
        'agent',
        'customer',
        'agent',
      ])
      expect(messages.map((m: Any) => m.contentType)).to.deep.equal([
        'event',
        'text',
        'text',
        'text',
        'event',
        'text',
        'image',
        'text',
      ])
      expect(messages[2]).to.include({
        participantId: 'b05f1b45-c891-4a9c-b47e-91ee6c8ffb44',
        sentAt: '2024-05-14T08:03:40Z', // "2024-05-14T10:03:40+02:00"
        text: 'Ma commande 4471 n’est pas arrivée 📦 — « livrée » d’après le suivi',
      })
      expect(messages[1].participantId).to.equal('700001')
      expect(messages[0]).not.to.have.property('participantId')
      expect(messages[0].metadata).to.deep.equal({
        __typename: 'ConversationPushedSystemAttachment',
        createdAt: '2024-05-14T10:02:11.3+02:00',
        toUser: {id: 700_001, userName: 'Léa 🤖'},
      })
    })

    it('keeps edge cursors in the message extension', () => {
      const {messages} = neutralOf(chat)
      expect(messages[0].extensions.iadvize.unmapped).to.deep.equal({cursor: 'bWVzc2FnZTow'})
      expect(neutralOf(app).messages[0]).not.to.have.property('extensions')
    })

    it('turns each ConversationPushedSystemAttachment into a contact: a dialog, its messages and a transfer', () => {
      const neutral = neutralOf(chat)
      expect(neutral.dialogs).to.deep.equal([
        {
          endedAt: '2024-05-14T08:04:02.5Z',
          id: '0b8e1f52-3c4d-4e5f-8a9b-0c1d2e3f4a01',
          participantIds: ['700001'],
          startedAt: '2024-05-14T08:02:11.3Z', // the attachment's own createdAt, "…10:02:11.3+02:00"
          state: 'closed',
          type: 'main',
        },
        {
          endedAt: '2024-05-14T08:31:40.118Z', // the conversation's closedAt
          id: '0b8e1f52-3c4d-4e5f-8a9b-0c1d2e3f4a05',
          participantIds: ['512334'],
          startedAt: '2024-05-14T08:04:02.5Z',
          state: 'closed',
          type: 'main',
        },
      ])
      expect(neutral.messages.map((m: Any) => m.dialogId.slice(-2))).to.deep.equal([
        '01',
        '01',
        '01',
        '01',
        '05',
        '05',
        '05',
        '05',
      ])
      expect(neutral.transfers).to.deep.equal([
        {
          at: '2024-05-14T08:04:02.5Z',
          dialogId: '0b8e1f52-3c4d-4e5f-8a9b-0c1d2e3f4a05',
          from: {agentId: '700001', agentName: 'Léa 🤖'},
          to: {agentId: '512334', agentName: 'Chloé'},
        },
      ])
    })

    it('counts a conversation pushed back to the same user as a new contact', () => {
      const neutral = neutralOf(app)
      expect(neutral.dialogs.map((d: Any) => d.participantIds)).to.deep.equal([['600010'], ['880021'], ['600010']])
      expect(neutral.transfers.map((t: Any) => [t.from.agentName, t.to.agentName])).to.deep.equal([
        ['田中', 'Sakura'],
        ['Sakura', '田中'],
      ])
      // Other system messages (the close event) belong to the contact they happen in.
      expect(neutralOf(whatsapp).messages.at(-1)).to.include({
        contentType: 'event',
        dialogId: '7f1e2d3c-4b5a-4697-8877-665544332201',
        role: 'system',
      })
    })

    it('maps an Expert author to an agent and keeps the exact union member for the way back', () => {
      const {back, neutral} = roundTrip(mapping, app) as {back: Any; neutral: Any}
      expect(neutral.messages[4]).to.include({participantId: '880021', role: 'agent'})
      expect(back.messages.edges[4].node.author).to.deep.equal({__typename: 'Expert', id: 880_021})
    })

    it('maps typed attachments; an attachment-only message is an image or file message', () => {
      const {messages} = neutralOf(chat)
      expect(messages[6]).to.include({contentType: 'image', text: ''})
      expect(messages[6].attachments).to.deep.equal([
        {
          fileType: 'image/jpeg',
          kind: 'image',
          name: 'bon de livraison.jpg',
          url: 'https://files.example.test/att/4471-bon.jpg',
        },
      ])
      expect(messages[7]).to.include({contentType: 'text'})
      expect(messages[7].attachments[0]).to.include({fileType: 'application/pdf', kind: 'file'})
      const appMessages = neutralOf(app).messages
      expect(appMessages[1].attachments[0]).to.include({kind: 'video'})
      // An attachment type the mapping does not know is kind "other"; its type name comes back from the extension.
      expect(appMessages[4].attachments).to.deep.equal([
        {fileType: 'image/webp', kind: 'other', url: 'https://files.example.test/att/ok.webp'},
      ])
      expect((roundTrip(mapping, app).back as Any).messages.edges[4].node.attachments[0].__typename).to.equal(
        'StickerAttachment',
      )
    })

    it('gives a conversation without messages no messages, dialogs or transfers', () => {
      const neutral = neutralOf(empty)
      expect([neutral.messages, neutral.dialogs, neutral.transfers]).to.deep.equal([[], [], []])
    })
  })

  describe('tags and custom data', () => {
    it('makes tag names neutral tags, followed by routing group, campaign and automation level as prefixed tags', () => {
      expect(neutralOf(chat).tags).to.deep.equal([
        'livraison',
        'colis perdu',
        'routing-group:Service client N1',
        'campaign:Soldes d’été',
        'automation:PARTIALLY_AUTOMATED',
      ])
      // Tag ids have no neutral home; the extension keeps them, tag by tag.
      expect(neutralOf(chat).extensions.iadvize.original).to.include({'/tags/0/id': 18, '/tags/1/id': 42})
    })

    it('restores a conversation tag that happens to look like a prefixed tag', () => {
      const {back, neutral} = roundTrip(mapping, empty) as {back: Any; neutral: Any}
      expect(neutral.tags).to.deep.equal(['campaign:legacy', 'automation:FULLY_AUTOMATED'])
      expect(back.tags).to.deep.equal([{id: 99, name: 'campaign:legacy'}])
      expect(back.engagementCampaign).to.equal(null)
    })

    it('makes typed key/value custom data an object, keeping value types', () => {
      expect(neutralOf(chat).customData).to.deep.equal({cartAmount: 129.9, isLoggedIn: true, orderId: '4471'})
    })

    it('keeps the first of a repeated custom data key, and the whole list in the extension', () => {
      const neutral = neutralOf(whatsapp)
      expect(neutral.customData).to.deep.equal({channelOptIn: false, store: 'Montréal'})
      expect(neutral.extensions.iadvize.original['/customData']).to.deep.equal(whatsapp.customData)
    })

    it('keeps fields it does not map (conversions, closing form, unknown fields) in extensions.iadvize.unmapped', () => {
      const {unmapped} = neutralOf(app).extensions.iadvize
      expect(unmapped.genAiPredictedTopic).to.deep.equal({id: 't-311', label: 'Appliance error'})
      expect(neutralOf(chat).extensions.iadvize.unmapped.conversions[0]).to.include({
        amount: 300.2,
        externalId: 'transaction-1',
      })
      expect(neutralOf(chat).extensions.iadvize.unmapped.closingFormValues).to.deep.equal([
        {fieldName: 'Motif', value: 'Colis perdu'},
      ])
    })
  })

  describe('from another vendor', () => {
    it('writes a node that iadvize accepts and reads back', () => {
      const context = hookContext(mapping)
      const node = mapping.fromNeutral(foreign(), context) as Any
      expect(compileRecordCheck(mapping.definition)(node)).to.equal(undefined)
      // iAdvize's own precision (milliseconds); the carry keeps the microseconds.
      expect(node).to.include({createdAt: '2024-01-02T03:04:05.678Z', id: 'conv-1'})
      expect(node).not.to.have.property('closeReason') // AGENT is no iAdvize close reason
      expect(node.users).to.deep.equal([
        {avatar: null, email: null, firstName: null, id: 42, role: 'BOT', userName: null},
        {avatar: null, email: null, firstName: 'Ana', id: 7, role: 'OPERATOR', userName: null},
      ])
      expect(node.visitor).to.include({email: 'lucia@mail.example', firstName: 'Lucía', visitorId: 'c1'})
      expect(node.messages.edges.map((e: Any) => e.node.author)).to.deep.equal([
        {__typename: 'Visitor', id: 'c1'},
        {__typename: 'Bot', id: 42},
        undefined,
        {__typename: 'Operator', id: 7},
      ])
      // Another vendor's message metadata is not an iAdvize system attachment.
      expect(node.messages.edges[1].node).not.to.have.property('attachment')
      expect(node.messages.edges[3].node.attachments).to.deep.equal([
        {__typename: 'ImageAttachment', fileName: null, mimeType: null, url: 'https://x.test/a.png'},
      ])
      expect(node.satisfactionSurvey).to.deep.equal({comment: null, customerSatisfaction: 3, netPromoterScore: null})
      expect(node.tags).to.deep.equal([{name: 'vip'}])
      expect(node.engagementCampaign).to.deep.equal({name: 'Black Friday'})
      expect(node.customData.slice(0, 2)).to.deep.equal([
        {key: 'plan', value: 'gold'},
        {key: 'visits', value: 4},
      ])
      expect(node.customData[2].key).to.equal('convoshift') // what iAdvize cannot hold natively (below)
      const back = mapping.toNeutral(node, hookContext(mapping)) as Any
      expect(NeutralConversation.safeParse(back).success).to.equal(true)
      expect(back.participants.map((p: Any) => p.role)).to.deep.equal(['bot', 'agent', 'system', 'customer']) // the system one carried
    })

    it('writes a node without createdAt for a conversation without a start time, and reads it back', () => {
      const neutral = foreign()
      delete neutral.startedAt
      const node = mapping.fromNeutral(neutral, hookContext(mapping))
      expect(node).not.to.have.property('createdAt')
      expect(compileRecordCheck(mapping.definition)(node)).to.equal(undefined)
      expect((mapping.toNeutral(node, hookContext(mapping)) as Any).sourceId).to.equal('conv-1')
    })

    it('carries what it cannot hold natively in the customData entry "convoshift", and restores it on the way back', () => {
      const context = hookContext(mapping)
      const node = mapping.fromNeutral(foreign(), context) as Any
      const carried = Object.fromEntries(context.stats.carried)
      // The system participant has no iAdvize form (it is carried whole, by its id), nor have the agent's display
      // name and permission, a structured custom data value, a foreign close code, another vendor's message metadata,
      // a system message that has text, or the microseconds of a time.
      expect(Object.keys(carried).sort()).to.deep.equal([
        'closeReason',
        'customData.sdes',
        'dialogs',
        'messages[].metadata',
        'messages[].participantId',
        'messages[].role',
        'messages[].sentAt',
        'participants[]',
        'participants[].displayName',
        'participants[].permission',
        'startedAt',
      ])
      expect(context.stats.noHome.size).to.equal(0)
      const entry = node.customData.find((e: Any) => e.key === 'convoshift')
      expect(JSON.parse(entry.value)).to.include({convoshift: 2})
      const back = mapping.toNeutral(structuredClone(node), hookContext(mapping)) as Any
      const original = foreign() as Any
      for (const key of ['closeReason', 'customData', 'dialogs', 'participants', 'messages']) {
        expect(back[key], key).to.deep.equal(original[key])
      }
    })
  })
})

describe('iso-duration transform', () => {
  const {fromNeutral, toNeutral} = transforms['iso-duration']!

  it('reads days, hours, minutes and fractional seconds, keeping every digit', () => {
    expect(toNeutral('PT14M32S', {})).to.equal(872_000)
    expect(toNeutral('P1DT2H', {})).to.equal(93_600_000)
    expect(toNeutral('PT0.5S', {})).to.equal(500)
    expect(toNeutral('PT1.2345S', {})).to.equal(1234.5)
    expect(toNeutral(90, {})).to.equal(90_000) // a plain number is seconds
  })

  it('declines years, months, empty designators and other shapes', () => {
    for (const value of ['P1Y', 'P2M', 'P', 'PT', 'PT-1S', '14:32', '', -5, null]) {
      expect(typeof toNeutral(value, {}), String(value)).to.equal('symbol')
    }
  })

  it('writes PT…H…M…S and inverts its own output', () => {
    expect(fromNeutral(872_000, {})).to.equal('PT14M32S')
    expect(fromNeutral(3_600_000, {})).to.equal('PT1H')
    expect(fromNeutral(0, {})).to.equal('PT0S')
    expect(fromNeutral(3_600_500, {})).to.equal('PT1H0.5S')
    expect(typeof fromNeutral(1.5, {})).to.equal('symbol')
    for (const ms of [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 86_400_001, 123_456_789]) {
      expect(toNeutral(fromNeutral(ms, {}), {})).to.equal(ms)
    }
  })
})

describe('convert with iadvize', () => {
  const tmp = useTempDir('each')

  it('converts JSON Lines of nodes to neutral and back to identical nodes', async () => {
    const input = join(tmp.dir, 'nodes.jsonl')
    await writeFile(
      input,
      pageNodes()
        .map((node) => JSON.stringify(node))
        .join('\n') + '\n',
    )
    const neutral = join(tmp.dir, 'neutral.jsonl')
    const back = join(tmp.dir, 'back.jsonl')
    const first = await runCommand([
      'convert',
      '--from',
      'iadvize',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      neutral,
    ])
    expect(first.error).to.equal(undefined)
    expect(first.stdout).to.contain('4 read = 4 converted + 0 rejected')
    await runCommand(['convert', '--from', 'neutral', '--to', 'iadvize', '--input', neutral, '--output', back])
    const lines = (await readFile(back, 'utf8')).split('\n').filter(Boolean)
    expect(lines.map((line) => stringify(JSON.parse(line)))).to.deep.equal(pageNodes().map((node) => stringify(node)))
  })

  it('rejects the whole GraphQL page as one record it cannot read (the nested envelope is not unwrapped)', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    const {stdout} = await runCommand([
      'convert',
      '--from',
      'iadvize',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      output,
    ])
    expect(stdout).to.contain('1 read = 0 converted + 1 rejected')
    const [rejected] = (await readFile(`${output}.rejected.jsonl`, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Any)
    expect(rejected!.reason).to.equal('id: missing (expected string)')
  })

  it('tells an iAdvize node from another shape, both ways', async () => {
    const input = join(tmp.dir, 'nodes.jsonl')
    await writeFile(
      input,
      pageNodes()
        .map((node) => JSON.stringify(node))
        .join('\n') + '\n',
    )
    const asLivePerson = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--dry-run',
    ])
    expect(errorLine(asLivePerson.stderr)).to.equal(`${input}:1: this is an iadvize record, not liveperson`)
    const livePersonPage = join(FIXTURES, 'liveperson', 'msgint-page.json')
    const asIAdvize = await runCommand([
      'convert',
      '--from',
      'iadvize',
      '--to',
      'neutral',
      '--input',
      livePersonPage,
      '--dry-run',
    ])
    expect(errorLine(asIAdvize.stderr)).to.match(
      /this is a liveperson API page \("conversationHistoryRecords"\), not iadvize$/,
    )
  })

  it('fails on the documented webhook payload with its // comment, with one line naming file, line and column', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    const input = join(FIXTURES, 'iadvize', 'webhook-conversation-closed-with-comment.json')
    const {error, stderr} = await runCommand([
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
    expect(error).not.to.equal(undefined)
    expect(errorLine(stderr)).to.match(
      /webhook-conversation-closed-with-comment\.json:11:36: malformed JSON: unexpected character '\/'$/,
    )
    expect(existsSync(output)).to.equal(false)
  })
})
