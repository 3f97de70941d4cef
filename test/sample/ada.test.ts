import {expect} from 'chai'

import {loadMapping} from '../../src/engine/load-mapping.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {adaRecords, formatAdaTime} from '../../src/sample/ada.js'
import {sampleGenerators} from '../../src/sample/index.js'

type Json = Record<string, unknown>

const asRecords = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : [])
const asRecord = (value: unknown): Json => value as Json
const ADA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/

/** Fields that only some Data Export versions have, from the oldest to the newest. */
const V1_2 = ['agent_id', 'agent_name', 'browser', 'browser_version', 'device', 'is_test_user', 'language']
const V1_3 = ['end_user_id']
const V1_4 = [
  'automated_resolution_classification',
  'inquiry_summary',
  'generated_topic_v2_id',
  'bot_handle_time',
  'record_last_updated',
]
const V2 = ['classifications', 'used_articles', 'used_playbooks', 'used_coaching']

/** Messages sent by an id the conversation lists in agent_id. */
function agentMessageCount(record: Json): number {
  const agents = new Set(asRecords(record.agent_id) as unknown[])
  return asRecords(record.messages).filter((m) => agents.has(m.sender)).length
}

const hasAll = (record: Json, fields: string[]): boolean => fields.every((field) => field in record)
const hasNone = (record: Json, fields: string[]): boolean => fields.every((field) => !(field in record))

describe('sample/ada', () => {
  // Given 200 records from one fixed seed, shared by the tests below
  const records = [...adaRecords(200, {seed: 42})]
  const messages = records.flatMap((record) => asRecords(record.messages))
  const bodies = messages.map((m) => asRecord(m.message_data).body).filter((b): b is string => typeof b === 'string')

  describe('determinism', () => {
    it('gives identical JSON for the same seed, whether given as a number or a string', () => {
      expect(JSON.stringify([...adaRecords(30, {seed: 7})])).to.equal(JSON.stringify([...adaRecords(30, {seed: '7'})]))
    })

    it('gives different records for a different seed', () => {
      expect(JSON.stringify([...adaRecords(5, {seed: 1})])).to.not.equal(JSON.stringify([...adaRecords(5, {seed: 2})]))
    })

    it('makes record i independent of the count asked for, and streams endlessly', () => {
      expect(JSON.stringify([...adaRecords(5, {seed: 42})])).to.equal(JSON.stringify(records.slice(0, 5)))
      const endless = adaRecords(Number.POSITIVE_INFINITY, {seed: 42})
      for (let i = 0; i < 3; i++) endless.next()
      expect(JSON.stringify(endless.next().value)).to.equal(JSON.stringify(records[3]))
    })

    it('is registered for the sample command, and rejects a negative message bias', () => {
      expect(sampleGenerators.ada).to.equal(adaRecords)
      expect(() => adaRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
    })
  })

  describe('size and shape', () => {
    it('averages 10–20 KB and about 20 messages per record with the default options', () => {
      const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(JSON.stringify(record)), 0)
      expect(bytes / records.length).to.be.within(10_000, 20_000)
      expect(messages.length / records.length).to.be.within(17, 23)
    })

    it('follows the messages option', () => {
      const few = [...adaRecords(200, {messages: 5, seed: 42})]
      const average = few.reduce((sum, record) => sum + asRecords(record.messages).length, 0) / few.length
      expect(average).to.be.within(3.5, 6.5)
    })

    it('produces only JSON values, every record accepted by the ada mapping', async () => {
      const check = compileRecordCheck((await loadMapping('ada')).definition)
      for (const record of records) {
        // A JSON round trip drops undefined and turns NaN into null, so equality proves neither is present.
        const text = JSON.stringify(record)
        expect(JSON.parse(text)).to.deep.equal(record)
        expect(check(record)).to.equal(undefined)
      }
    })

    it('attaches each conversation’s messages in date_created order, with its ids and microsecond +00:00 times', () => {
      for (const record of records) {
        expect(record._id).to.match(/^[\da-f]{24}$/)
        expect(record.date_created).to.match(ADA_TIME)
        let previous = ''
        for (const m of asRecords(record.messages)) {
          expect(m.conversation_id).to.equal(record._id)
          expect(m.chatter_id).to.equal(record.chatter_id)
          expect(m.date_created).to.match(ADA_TIME)
          expect((m.date_created as string) > previous).to.equal(true)
          previous = m.date_created as string
        }
      }

      const fractions = messages.map((m) => (m.date_created as string).slice(23, 26))
      expect(fractions.filter((f) => f === '000').length).to.be.greaterThan(fractions.length / 2)
      expect(
        fractions.some((f) => f !== '000'),
        'real sub-millisecond digits',
      ).to.equal(true)
      expect(formatAdaTime(1_647_453_568_201_000)).to.equal('2022-03-16T17:59:28.201000+00:00')
    })

    it('covers every Data Export version’s field set', () => {
      for (const fields of [V1_2, V1_3, V1_4, V2]) {
        expect(records.filter((record) => hasAll(record, fields)).length, fields[0]).to.be.greaterThan(10)
        expect(records.filter((record) => hasNone(record, fields)).length, fields[0]).to.be.greaterThan(10)
      }
    })
  })

  describe('vendor quirks across 200 records', () => {
    it('encodes senders as ada, Ada, bot, agent and ids (chatter ObjectId, chatter UUID on greetings, agents)', () => {
      const senders = new Set(messages.map((m) => m.sender))
      for (const word of ['ada', 'Ada', 'bot', 'agent']) expect(senders.has(word), word).to.equal(true)
      const greetings = messages.filter((m) => asRecord(m.message_data)._type === 'greeting')
      expect(greetings.length).to.be.greaterThan(100)
      for (const m of greetings) expect(m.sender).to.match(/^[\da-f]{8}-[\da-f]{4}-4/)
      expect(records.reduce((sum, record) => sum + agentMessageCount(record), 0)).to.be.greaterThan(20)
    })

    it('writes answer_id as an id, "None" and null, and metas from `bot` to the chatter UUID', () => {
      const answerIds = messages.map((m) => m.answer_id)
      expect(answerIds).to.include('None')
      expect(answerIds).to.include(null)
      expect(answerIds.some((id) => typeof id === 'string' && /^[\da-f]{24}$/.test(id))).to.equal(true)
      const metas = messages.filter((m) => asRecord(m.message_data)._type === 'meta')
      expect(metas.length).to.be.greaterThan(100)
      for (const m of metas) {
        expect(m.sender).to.equal('bot')
        expect(m.answer_id === 'None' || m.answer_id === null).to.equal(true)
        expect(m.recipient).to.match(/^[\da-f]{8}-[\da-f]{4}-4/)
      }
    })

    it('has csat {} beside CSAT 2.0 blocks', () => {
      const blocks = records.map((record) => asRecord(record.csat))
      expect(blocks.filter((b) => Object.keys(b).length === 0).length).to.be.greaterThan(100)
      const filled = blocks.filter((b) => Object.keys(b).length > 0)
      expect(filled.length).to.be.greaterThan(10)
      for (const b of filled) {
        expect(b).to.have.keys('comment', 'feedback', 'is_positive', 'resolved', 'score', 'style', 'survey_type')
        expect(b.score).to.be.within(1, 5)
      }

      expect(filled.some((b) => b.comment === null) && filled.some((b) => typeof b.comment === 'string')).to.equal(true)
    })

    it('holds only strings in metavariables and variables, with chat transcripts cut at 1000 characters before v1.3', () => {
      for (const record of records) {
        for (const dictionary of [record.metavariables, record.variables]) {
          for (const value of Object.values(asRecord(dictionary))) expect(value).to.be.a('string')
        }
      }

      expect(records.some((record) => asRecord(record.metavariables).introshown === 'False')).to.equal(true)
      const transcripts = records.filter((record) => 'chat_transcript' in asRecord(record.variables))
      expect(transcripts.length).to.be.greaterThan(10)
      for (const record of transcripts) {
        const transcript = asRecord(record.variables).chat_transcript as string
        expect(transcript).to.contain('\r\n')
        if (!('end_user_id' in record)) expect(transcript.length).to.be.at.most(1000)
      }
    })

    it('has generated topics, v2 classifications with intents, inquiry summaries and null v2 fields', () => {
      expect(records.some((record) => typeof record.generated_topic_label === 'string')).to.equal(true)
      const classified = records.filter((record) => asRecords(record.classifications).length > 0)
      expect(classified.length).to.be.greaterThan(10)
      expect(asRecords(asRecords(classified[0]!.classifications)[0]!.intents)[0]).to.have.keys(
        'intent_id',
        'intent_name',
        'status',
      )
      expect(
        records.some((record) => typeof record.inquiry_summary === 'string' && record.inquiry_summary !== ''),
      ).to.equal(true)
      expect(
        records.some((record) => 'generated_topic_v2_id' in record && record.generated_topic_v2_id === null),
      ).to.equal(true)
      expect(records.some((record) => record.end_user_id === null)).to.equal(true)
    })

    it('has every message type, empty texts, a huge message, unicode, unknown fields and conversations without messages', () => {
      const types = new Set(messages.map((m) => asRecord(m.message_data)._type))
      expect([...types].sort()).to.deep.equal([
        'greeting',
        'list_selection',
        'meta',
        'picture',
        'quick_replies',
        'text',
      ])
      expect(bodies).to.include('')
      expect(bodies.some((body) => body.length >= 50_000)).to.equal(true)
      const text = bodies.join(' ')
      for (const pattern of [/[\u00C0-\u017F]/, /[\u4E00-\u9FFF]/, /\p{Extended_Pictographic}/u, /[\u0590-\u06FF]/]) {
        expect(text).to.match(pattern)
      }

      expect(records.some((record) => 'sentiment' in record)).to.equal(true)
      expect(messages.some((m) => 'is_generative' in m)).to.equal(true)
      expect(records.some((record) => !('messages' in record))).to.equal(true)
      expect(new Set(records.map((record) => record.platform)).size).to.be.greaterThan(6)
    })
  })
})
