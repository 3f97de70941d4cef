import {expect} from 'chai'

import {deepConverseRecords} from '../../src/sample/deepconverse.js'
import {sampleGenerators} from '../../src/sample/index.js'

type Json = Record<string, unknown>

const asRecords = (value: unknown): Json[] => (value ?? []) as Json[]
const asRecord = (value: unknown): Json => (value ?? {}) as Json

const isUnnamedPdf = (attachment: Json): boolean => attachment.mimeType === 'application/pdf' && !('name' in attachment)
const firstMessageTime = (record: Json): number => asRecords(record.messages)[0]?.time as number

/** Epoch milliseconds of a message time, whichever unit the record uses. */
const timeMs = (time: number): number => (time >= 1e11 ? time : time * 1000)

describe('sample/deepconverse', () => {
  // Given 300 records from one fixed seed, shared by the tests below
  const records = [...deepConverseRecords(300, {seed: 42})]
  const messages = records.flatMap((record) => asRecords(record.messages))
  const customerMessages = messages.filter((message) => message.type === 'UserInput')
  const botMessages = messages.filter((message) => message.type !== 'UserInput')

  describe('determinism', () => {
    it('gives identical JSON for the same seed, 7 and "7" alike', () => {
      expect(JSON.stringify([...deepConverseRecords(30, {seed: 7})])).to.equal(
        JSON.stringify([...deepConverseRecords(30, {seed: '7'})]),
      )
    })

    it('gives different records for a different seed', () => {
      expect(JSON.stringify([...deepConverseRecords(5, {seed: 1})])).to.not.equal(
        JSON.stringify([...deepConverseRecords(5, {seed: 2})]),
      )
    })

    it('makes record i independent of the count asked for, Infinity included', () => {
      expect(JSON.stringify([...deepConverseRecords(5, {seed: 42})])).to.equal(JSON.stringify(records.slice(0, 5)))
      const endless = deepConverseRecords(Number.POSITIVE_INFINITY, {seed: 42})
      const first = Array.from({length: 3}, () => endless.next().value)
      expect(JSON.stringify(first)).to.equal(JSON.stringify(records.slice(0, 3)))
    })

    it('is the registered generator for the deepconverse format', () => {
      expect(sampleGenerators.deepconverse).to.equal(deepConverseRecords)
    })

    it('rejects a negative message bias', () => {
      expect(() => deepConverseRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
    })
  })

  describe('size and shape', () => {
    it('averages about 10 KB and 20 messages per record, with a few ~50 KB messages', () => {
      const bytes = records.map((record) => Buffer.byteLength(JSON.stringify(record)))
      const average = bytes.reduce((sum, b) => sum + b, 0) / records.length
      expect(average).to.be.within(9000, 14_000)
      expect(messages.length / records.length).to.be.within(17, 23)
      const huge = customerMessages.filter((m) => typeof m.userInput === 'string' && m.userInput.length >= 50_000)
      expect(huge.length).to.be.within(1, 15)
    })

    it('follows the messages option', () => {
      const few = [...deepConverseRecords(200, {messages: 5, seed: 42})]
      const average = few.reduce((sum, record) => sum + asRecords(record.messages).length, 0) / few.length
      expect(average).to.be.within(3.5, 6.5)
      expect(
        [...deepConverseRecords(20, {messages: 0, seed: 42})].every((r) => asRecords(r.messages).length === 0),
      ).to.equal(true)
    })

    it('produces only JSON-serialisable values', () => {
      for (const record of records) {
        // A JSON round trip drops undefined and turns NaN into null, so equality proves neither is present.
        const text = JSON.stringify(record)
        expect(JSON.parse(text)).to.deep.equal(record)
      }
    })

    it('has the documented conversation fields, with 32-hex ids and epoch-second start times', () => {
      let previousStart = 0
      for (const record of records) {
        expect(record).to.include.keys('_id', 'startTime', 'lastActionAt', 'locale', 'tags', 'metadata')
        expect(record._id).to.match(/^[\da-f]{32}$/)
        expect(Number.isInteger(record.startTime)).to.equal(true)
        expect(record.startTime as number)
          .to.be.within(1_744_000_000, 1_800_000_000)
          .and.greaterThan(previousStart)
        previousStart = record.startTime as number
        expect(record.locale).to.match(/^[a-z]{2}(_[a-z]{2})?$/)
        expect(record.tags).to.be.an('array')
        expect(asRecord(record.metadata)).to.include.keys(
          '__sys_userIp',
          '__sys_userAgent',
          '__sys_userAgentParsed',
          '__sys_channel',
        )
      }
    })

    it('writes messages in time order, each with a 32-hex id and (nearly always) the conversation id', () => {
      let withId = 0
      for (const record of records) {
        let previous = 0
        for (const message of asRecords(record.messages)) {
          expect(message._id).to.match(/^[\da-f]{32}$/)
          const ms = timeMs(message.time as number)
          expect(ms)
            .to.be.at.least(previous)
            .and.at.least((record.startTime as number) * 1000)
          previous = ms
          if (message.conversationId === record._id) withId++
          else expect(message).not.to.have.property('conversationId')
        }
      }

      expect(withId / messages.length).to.be.greaterThan(0.98)
    })
  })

  describe('content and quirks across 300 records', () => {
    it('has the customer’s typed text, quick replies and form input', () => {
      const actions = new Set(customerMessages.map((m) => m.userActionType))
      expect([...actions].sort()).to.deep.equal(['action_userFormInput', 'action_userInput', 'action_userQuickReply'])
      for (const message of customerMessages) {
        if (message.userActionType === 'action_userFormInput') expect(message.userInput).to.be.an('object')
        else expect(message.userInput).to.be.a('string')
        expect(message).not.to.have.property('outMsg')
      }

      expect(customerMessages.some((m) => m.userInput === '')).to.equal(true)
    })

    it('has every bot output kind, quick-reply options, cards and attachments', () => {
      const kinds = new Set(botMessages.map((m) => asRecord(m.outMsg).type))
      for (const kind of ['quickReplies', 'text', 'carousel', 'image', 'file', 'form', 'link', 'handoff'])
        expect(kinds).to.include(kind)
      const outs = botMessages.map((m) => asRecord(m.outMsg))
      expect(outs.some((o) => Array.isArray(o.options) && o.options.length >= 2)).to.equal(true)
      expect(outs.some((o) => Array.isArray(o.cards) && o.cards.length >= 2)).to.equal(true)
      const attachments = outs.flatMap((o) => asRecords(o.attachments))
      expect(attachments.some((a) => isUnnamedPdf(a))).to.equal(true)
      for (const message of botMessages) expect(message).not.to.have.any.keys('userInput', 'userActionType')
    })

    it('tags handed-off conversations liveChat, and uses the documented tags', () => {
      for (const record of records) {
        const handoff = asRecords(record.messages).some((m) => asRecord(m.outMsg).type === 'handoff')
        expect((record.tags as string[]).includes('liveChat')).to.equal(handoff)
      }

      const tags = new Set(records.flatMap((record) => record.tags as string[]))
      for (const tag of ['resolved', 'informed', 'liveChat']) expect(tags).to.include(tag)
    })

    it('uses the plausible variants the mapping accepts, in a few records each', () => {
      const count = (predicate: (record: Json) => boolean): number => records.filter((r) => predicate(r)).length // eslint-disable-line unicorn/consistent-function-scoping -- reads this suite's records
      expect(
        count((r) => typeof r.lastActionAt === 'string'),
        'ISO lastActionAt',
      ).to.be.within(1, 30)
      expect(
        count((r) => firstMessageTime(r) >= 1e11),
        'millisecond times',
      ).to.be.within(1, 30)
      expect(
        count((r) => asRecords(r.messages).some((m) => ['BotResponse', 'OutMessage'].includes(m.type as string))),
        'bot type',
      ).to.be.within(1, 40)
      expect(
        count((r) => asRecords(r.messages).some((m) => typeof m.outMsg === 'string')),
        'string outMsg',
      ).to.be.within(1, 30)
      expect(
        count((r) => !('messages' in r)),
        'no messages key',
      ).to.be.within(0, 10)
      expect(
        count((r) => !('__sys_conversationId' in asRecord(r.metadata))),
        'no __sys_conversationId',
      ).to.be.within(3, 40)
      expect(
        count((r) => Array.isArray(asRecord(r.metadata).tags)),
        'widget tags in metadata',
      ).to.be.within(20, 110)
      const times = messages.map((m) => m.time as number).filter((t) => t < 1e11)
      expect(times.some((t) => Number.isInteger(t))).to.equal(true)
      expect(times.some((t) => /\.\d{4,6}$/.test(String(t)))).to.equal(true)
    })

    it('has ua-parser nulls, predefined parameters and user-set parameters in metadata', () => {
      const metadata = records.map((record) => asRecord(record.metadata))
      expect(metadata.some((m) => asRecord(asRecord(m.__sys_userAgentParsed).device).model === null)).to.equal(true)
      expect(metadata.some((m) => typeof m.__sys_activeIntent === 'string')).to.equal(true)
      expect(metadata.some((m) => asRecord(m.__sys_userAction).type === 'action_userQuickReply')).to.equal(true)
      expect(metadata.some((m) => typeof m.order === 'object' && typeof m.email === 'string')).to.equal(true)
    })

    it('has unicode in many scripts and JSON-hostile characters', () => {
      const all = customerMessages.map((m) => (typeof m.userInput === 'string' ? m.userInput : '')).join(' ')
      for (const pattern of [
        /[\u00C0-\u017F]/,
        /[\u4E00-\u9FFF]/,
        /\p{Extended_Pictographic}/u,
        /[\u0590-\u06FF]/,
        /["\\\n]/,
      ]) {
        expect(all).to.match(pattern)
      }
    })
  })
})
