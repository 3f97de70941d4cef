import {expect} from 'chai'

import {formatIAdvizeTime, formatIsoDuration, iAdvizeRecords} from '../../src/sample/iadvize.js'
import {sampleGenerators} from '../../src/sample/index.js'

type Json = Record<string, any>

const nodesOf = (record: Json): Json[] => (record.messages.edges as Json[]).map((edge) => edge.node as Json)
const sorted = (list: Json[]): boolean => list.every((e, k) => k === 0 || list[k - 1]!.key <= e.key)
const repeated = (list: Json[]): boolean => new Set(list.map((e) => e.key)).size < list.length
const rolesOf = (record: Json): string[] => record.users.map((user: Json) => user.role)
const timesOf = (record: Json): string[] => [
  record.createdAt,
  record.closedAt,
  ...nodesOf(record).map((n) => n.createdAt),
]
const hasCursors = (record: Json): boolean => record.messages.edges.some((edge: Json) => 'cursor' in edge)
const share = (records: Json[], test: (record: Json) => boolean): number =>
  records.filter((r) => test(r)).length / records.length
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/
const pushes = (record: Json): Json[] =>
  nodesOf(record).filter(
    (n) => n.__typename === 'SystemMessage' && n.attachment.__typename === 'ConversationPushedSystemAttachment',
  )

/** A snooze: the conversation is pushed again to the user who had it. */
function pushedBackToSameUser(record: Json): boolean {
  const users = pushes(record).map((n) => n.attachment.toUser.id)
  return users.some((id, k) => k > 0 && id === users[k - 1])
}

/** Message times in both spellings (Z and a local offset) within one record. */
function mixesSpellings(record: Json): boolean {
  return new Set(nodesOf(record).map((n) => n.createdAt.endsWith('Z'))).size === 2
}

describe('sample/iadvize', () => {
  // Given 300 records from one fixed seed, shared by the tests below
  const records = [...iAdvizeRecords(300, {seed: 42})] as Json[]
  const messages = records.flatMap((record) => nodesOf(record))

  describe('determinism', () => {
    it('gives identical JSON for the same seed, whether given as a number or a string', () => {
      expect(JSON.stringify([...iAdvizeRecords(30, {seed: 7})])).to.equal(
        JSON.stringify([...iAdvizeRecords(30, {seed: '7'})]),
      )
    })

    it('gives different records for a different seed', () => {
      expect(JSON.stringify([...iAdvizeRecords(5, {seed: 1})])).to.not.equal(
        JSON.stringify([...iAdvizeRecords(5, {seed: 2})]),
      )
    })

    it('makes record i independent of the count asked for, and streams without end', () => {
      expect(JSON.stringify([...iAdvizeRecords(5, {seed: 42})])).to.equal(JSON.stringify(records.slice(0, 5)))
      const endless = iAdvizeRecords(Number.POSITIVE_INFINITY, {seed: 42})
      for (let i = 0; i < 12; i++) expect(JSON.stringify(endless.next().value)).to.equal(JSON.stringify(records[i]))
    })

    it('is registered as the iadvize sample generator', () => {
      expect(sampleGenerators.iadvize).to.equal(iAdvizeRecords)
    })

    it('rejects a negative or infinite message bias', () => {
      expect(() => iAdvizeRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
      expect(() => iAdvizeRecords(1, {messages: Number.POSITIVE_INFINITY, seed: 1}).next()).to.throw(RangeError)
    })
  })

  describe('size and shape', () => {
    it('averages about 20 messages and 10-15 KB of compact JSON per record, with a rare ~50 KB message', () => {
      const sizes = records.map((record) => Buffer.byteLength(JSON.stringify(record)))
      const average = sizes.reduce((a, b) => a + b, 0) / sizes.length
      expect(average).to.be.within(9000, 15_000)
      expect(messages.length / records.length).to.be.within(18, 22)
      const huge = messages.filter((m) => typeof m.text === 'string' && m.text.length >= 50_000)
      expect(huge.length).to.be.within(1, 12)
    })

    it('follows the messages option, down to none', () => {
      const few = [...iAdvizeRecords(200, {messages: 6, seed: 42})] as Json[]
      expect(few.reduce((sum, r) => sum + nodesOf(r).length, 0) / few.length).to.be.within(4.5, 8)
      for (const record of iAdvizeRecords(20, {messages: 0, seed: 42}))
        expect(nodesOf(record as Json)).to.deep.equal([])
    })

    it('produces only JSON values, every node with the required id, createdAt and messages', () => {
      for (const record of records) {
        // A JSON round trip drops undefined and turns NaN into null, so equality proves neither is present.
        const text = JSON.stringify(record)
        expect(JSON.parse(text)).to.deep.equal(record)
        expect(record.id).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/)
        expect(record.createdAt).to.match(ISO)
        expect(record.messages.edges).to.be.an('array')
      }
    })

    it('orders messages in time and starts every contact with a pushed system message', () => {
      for (const record of records) {
        const times = nodesOf(record).map((n) => Date.parse(n.createdAt))
        expect(times).to.deep.equal([...times].sort((a, b) => a - b))
        const nodes = nodesOf(record)
        if (nodes.length > 0) expect(nodes[0]!.attachment?.__typename).to.equal('ConversationPushedSystemAttachment')
      }
    })
  })

  describe('variety and quirks', () => {
    it('has one to several contacts, bots, humans, experts, transfers and snoozes back to the same user', () => {
      const contacts = records.map((record) => pushes(record).length)
      expect(Math.max(...contacts)).to.be.at.least(3)
      expect(share(records, (r) => pushes(r).length > 1)).to.be.within(0.3, 0.8)
      expect(records.some((r) => pushedBackToSameUser(r))).to.equal(true)
      const roles = new Set(records.flatMap((r) => rolesOf(r)))
      expect([...roles]).to.include.members(['BOT', 'OPERATOR', 'MANAGER', 'EXPERT', 'bot'])
      const authors = new Set(messages.map((m) => m.author?.__typename))
      expect([...authors]).to.include.members(['Visitor', 'Operator', 'Expert', 'Bot', undefined])
    })

    it('mixes Z times with milliseconds and local offsets without them, sometimes within one record', () => {
      const times = records.flatMap((r) => timesOf(r))
      for (const time of times) expect(time).to.match(ISO)
      expect(times.some((t) => /\.\d{3}Z$/.test(t))).to.equal(true)
      expect(times.some((t) => /:\d\d[+-]\d\d:\d\d$/.test(t))).to.equal(true)
      expect(times.some((t) => /\.\d{6}Z$/.test(t))).to.equal(true)
      expect(share(records, (r) => mixesSpellings(r))).to.be.within(0.1, 0.45)
      // Every spelling names the instant the conversation started in order.
      expect(Date.parse(records[1]!.createdAt)).to.be.greaterThan(Date.parse(records[0]!.createdAt))
    })

    it('has surveys (NPS and comment on chat only), both satisfaction spellings and GraphQL nulls', () => {
      const surveyed = records.filter((r) => r.satisfactionSurvey)
      expect(surveyed.length / records.length).to.be.within(0.2, 0.5)
      for (const record of records.filter((r) => r.channel !== 'CHAT')) {
        const survey =
          'customerSatisfaction' in record
            ? record
            : (record.satisfactionSurvey ?? {comment: null, netPromoterScore: null})
        expect([survey.netPromoterScore, survey.comment]).to.deep.equal([null, null])
      }

      expect(share(records, (r) => 'customerSatisfaction' in r)).to.be.within(0.05, 0.3)
      expect(share(records, (r) => r.satisfactionSurvey === null)).to.be.greaterThan(0.3)
      expect(share(records, (r) => r.externalId === null)).to.be.greaterThan(0.6)
    })

    it('has close reasons, automation levels, channels and the quirky durations', () => {
      expect(new Set(records.map((r) => String(r.closeReason)))).to.have.keys(
        'null',
        'END_OF_BOT_SCENARIO',
        'VISITOR_DROPPED_OFF_SCENARIO',
        'BOT_TRANSFER_FAILED',
      )
      expect(new Set(records.map((r) => r.automationLevel))).to.have.keys(
        'FULLY_AUTOMATED',
        'PARTIALLY_AUTOMATED',
        'NOT_AUTOMATED',
      )
      expect(new Set(records.map((r) => r.channel)).size).to.be.at.least(8)
      expect(share(records, (r) => typeof r.duration === 'number')).to.be.within(0.01, 0.12)
      for (const record of records) {
        if (typeof record.duration === 'string') expect(record.duration).to.match(/^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$/)
      }
    })

    it('has attachments, attachment-only and empty messages, unicode and JSON-hostile text', () => {
      const attached = messages.filter((m) => m.attachments?.length > 0)
      expect(new Set(attached.map((m) => m.attachments[0].__typename))).to.have.keys(
        'ImageAttachment',
        'FileAttachment',
        'VideoAttachment',
        'AudioAttachment',
      )
      expect(messages.some((m) => m.text === '' && m.attachments.length > 0)).to.equal(true)
      expect(messages.some((m) => m.text === '' && m.attachments?.length === 0)).to.equal(true)
      const text = messages.map((m) => m.text ?? '').join(' ')
      expect(text).to.match(/\p{Extended_Pictographic}/u)
      expect(text).to.match(/[\u0590-\u06FF]/)
      expect(text).to.match(/"quoted"|\\/)
    })

    it('has typed custom data, mostly sorted by key, sometimes unsorted or repeated', () => {
      const lists = records.map((r) => r.customData as Json[])
      const types = new Set(lists.flat().map((entry) => typeof entry.value))
      expect(types).to.have.keys('string', 'number', 'boolean')
      expect(share(records, (r) => r.customData.length > 1 && !sorted(r.customData))).to.be.within(0.01, 0.15)
      expect(lists.some((list) => repeated(list))).to.equal(true)
    })

    it('sometimes keeps edge cursors, and sometimes has fields convoshift does not know', () => {
      expect(share(records, (r) => hasCursors(r))).to.be.within(0.15, 0.45)
      expect(share(records, (r) => 'genAiPredictedTopic' in r || 'distributionStatus' in r)).to.be.within(0.01, 0.12)
    })
  })

  describe('formatting helpers', () => {
    it('formats times in UTC or at an offset, with 0, 3 or 6 fraction digits', () => {
      const ms = Date.UTC(2024, 4, 14, 23, 30, 5, 120)
      expect(formatIAdvizeTime(ms)).to.equal('2024-05-14T23:30:05.120Z')
      expect(formatIAdvizeTime(ms, {digits: 0, offsetMinutes: 120, zulu: false})).to.equal('2024-05-15T01:30:05+02:00')
      expect(formatIAdvizeTime(ms, {digits: 3, offsetMinutes: -150, zulu: false})).to.equal(
        '2024-05-14T21:00:05.120-02:30',
      )
      expect(formatIAdvizeTime(ms, {digits: 6, extraMicros: 7})).to.equal('2024-05-14T23:30:05.120007Z')
    })

    it('formats ISO 8601 durations', () => {
      expect(formatIsoDuration(1_769_118)).to.equal('PT29M29.118S')
      expect(formatIsoDuration(3_600_000)).to.equal('PT1H')
      expect(formatIsoDuration(0)).to.equal('PT0S')
    })
  })
})
