import {expect} from 'chai'

import {formatLivePersonTime, livePersonConsumerRecords, livePersonRecords} from '../../src/sample/liveperson.js'

type Json = Record<string, unknown>

const asRecords = (value: unknown): Json[] => value as Json[]
const asRecord = (value: unknown): Json => value as Json

/** Keys the vendor documents (shared/vendors/liveperson.md); anything else is an "unknown field". */
const KNOWN_TOP_LEVEL = new Set([
  'agentParticipants',
  'campaign',
  'coBrowseSessions',
  'consumerParticipant',
  'consumerParticipants',
  'conversationSurveys',
  'dialogs',
  'info',
  'interactions',
  'messageRecords',
  'messageScore',
  'messageStatuses',
  'monitoring',
  'responseTime',
  'sdes',
  'summary',
  'transfers',
])

function consumers(record: Json): Json[] {
  return asRecords(record.consumerParticipants ?? record.consumerParticipant)
}

function hasAnsweredQuestion(survey: Json): boolean {
  return asRecords(survey.surveyData).some((d) => typeof d.question === 'string' && typeof d.answer === 'string')
}

function hasUnknownTopLevelKey(record: Json): boolean {
  return Object.keys(record).some((key) => !KNOWN_TOP_LEVEL.has(key))
}

function dialogTypes(record: Json): unknown[] {
  return asRecords(record.dialogs).map((d) => d.dialogType)
}

describe('sample/liveperson', () => {
  // Given 200 records from one fixed seed, shared by the quirk tests below
  const records = [...livePersonRecords(200, {seed: 42})]
  const messages = records.flatMap((record) => asRecords(record.messageRecords))

  describe('determinism', () => {
    it('gives identical JSON for the same seed', () => {
      const a = JSON.stringify([...livePersonRecords(30, {seed: 'same'})])
      const b = JSON.stringify([...livePersonRecords(30, {seed: 'same'})])
      expect(a).to.equal(b)
    })

    it('gives different records for a different seed', () => {
      const a = JSON.stringify([...livePersonRecords(5, {seed: 1})])
      const b = JSON.stringify([...livePersonRecords(5, {seed: 2})])
      expect(a).to.not.equal(b)
    })

    it('makes record i independent of the count asked for', () => {
      const short = [...livePersonRecords(5, {seed: 42})]
      expect(JSON.stringify(short)).to.equal(JSON.stringify(records.slice(0, 5)))
    })

    it('gives identical consumer records for the same seed, describing the same conversations', () => {
      const a = [...livePersonConsumerRecords(30, {seed: 42})]
      const b = [...livePersonConsumerRecords(30, {seed: 42})]
      expect(JSON.stringify(a)).to.equal(JSON.stringify(b))
      expect(a.map((r) => r.convId)).to.deep.equal(records.slice(0, 30).map((r) => asRecord(r.info).conversationId))
    })

    it('rejects a negative message bias', () => {
      expect(() => livePersonRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
    })
  })

  describe('size and shape', () => {
    it('averages about 15 KB and 20 messages per record with the default options', () => {
      const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(JSON.stringify(record)), 0)
      expect(bytes / records.length).to.be.within(13_000, 19_000)
      expect(messages.length / records.length).to.be.within(17, 23)
    })

    it('follows the messages option', () => {
      const few = [...livePersonRecords(200, {messages: 5, seed: 42})]
      const average = few.reduce((sum, record) => sum + asRecords(record.messageRecords).length, 0) / few.length
      expect(average).to.be.within(3.5, 6.5)
    })

    it('produces only JSON-serialisable values', () => {
      for (const record of [...records, ...livePersonConsumerRecords(200, {seed: 42})]) {
        // A JSON round trip drops undefined and turns NaN into null, so equality proves neither is present.
        const text = JSON.stringify(record)
        expect(JSON.parse(text)).to.deep.equal(record)
      }
    })

    it('has the full info block with agreeing string and epoch-ms times', () => {
      for (const record of records) {
        const info = asRecord(record.info)
        expect(info).to.include.keys(
          'conversationId',
          'brandId',
          'startTime',
          'startTimeL',
          'endTime',
          'endTimeL',
          'duration',
          'mcs',
          'alertedMCS',
          'source',
          'device',
          'browser',
          'operatingSystem',
          'latestSkillId',
          'latestSkillName',
          'isPartial',
          'language',
        )
        expect(info.conversationId).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/)
        expect(info.startTime).to.equal(formatLivePersonTime(info.startTimeL as number))
        expect(info.startTime).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000$/)
        if (info.endTimeL === -1) expect(info.endTime).to.equal('undefined')
        else expect(info.endTime).to.equal(formatLivePersonTime(info.endTimeL as number))
        expect(info.isPartial).to.equal(false)
        expect(Object.keys(record)).to.include.members([
          'info',
          'campaign',
          'monitoring',
          'messageRecords',
          'agentParticipants',
          'transfers',
          'interactions',
          'dialogs',
          'messageScore',
          'messageStatuses',
          'conversationSurveys',
          'sdes',
          'responseTime',
          'summary',
        ])
      }
    })

    it('uses vendor message ids, non-contiguous seq and string times within a few ms of timeL', () => {
      let gaps = 0
      let skewed = 0
      for (const record of records) {
        const id = asRecord(record.info).conversationId as string
        let previous = -1
        for (const message of asRecords(record.messageRecords)) {
          expect(message.messageId).to.equal(`ms::conv:${id}::msg:${message.seq}`)
          const seq = message.seq as number
          expect(seq).to.be.greaterThan(previous)
          if (previous >= 0 && seq > previous + 1) gaps++
          previous = seq
          const drift =
            Date.parse((message.time as string).replace(' ', 'T').replace('+0000', 'Z')) - (message.timeL as number)
          expect(Math.abs(drift)).to.be.at.most(5)
          if (drift !== 0) skewed++
        }
      }

      expect(gaps, 'seq gaps').to.be.greaterThan(0)
      expect(skewed, 'time vs timeL disagreements').to.be.greaterThan(0)
    })
  })

  describe('vendor quirks across 200 records', () => {
    it('puts the consumer list under the singular key in roughly 30% of records', () => {
      const singular = records.filter((record) => 'consumerParticipant' in record).length
      expect(singular).to.be.within(30, 90)
      for (const record of records) {
        expect('consumerParticipant' in record !== 'consumerParticipants' in record).to.equal(true)
      }
    })

    it('uses "undefined" placeholders and phone "0"', () => {
      const all = records.flatMap((record) => consumers(record))
      expect(
        all.some((c) => c.email === 'undefined' && c.token === 'undefined' && c.avatarURL === 'undefined'),
      ).to.equal(true)
      expect(all.some((c) => c.phone === '0')).to.equal(true)
      expect(records.some((record) => asRecord(record.info).device === 'undefined')).to.equal(true)
    })

    it('writes sentBy both capitalised and lower-case', () => {
      const values = new Set(messages.map((message) => message.sentBy))
      expect([...values].sort()).to.deep.equal(['Agent', 'Consumer', 'agent', 'consumer'])
    })

    it('has human, bot and system agent participants', () => {
      const participants = records.flatMap((record) => asRecords(record.agentParticipants))
      const types = new Set(participants.map((p) => `${p.userType}/${p.userTypeName}`))
      expect([...types].sort()).to.deep.equal(['0/System', '1/Human', '2/Bot'])
      expect(participants.some((p) => p.agentGroupId === -1)).to.equal(true)
    })

    it('serialises rich content, quick replies and raw metadata as JSON strings', () => {
      const strings = messages.flatMap((message) => {
        const data = asRecord(message.messageData)
        return [
          asRecord(data.richContent ?? {}).content,
          asRecord(data.quickReplies ?? {}).content,
          asRecord(message.contextData ?? {}).rawMetadata,
        ]
      })
      const present = strings.filter((value) => value !== undefined)
      expect(present.length).to.be.greaterThan(50)
      for (const value of present) {
        expect(value).to.be.a('string')
        expect(() => JSON.parse(value as string)).to.not.throw()
      }

      expect(new Set(messages.map((message) => message.type))).to.include.members([
        'TEXT_PLAIN',
        'TEXT_HTML',
        'LINK',
        'HOSTED_FILE',
        'RICH_CONTENT',
      ])
    })

    it('includes open conversations with endTime "undefined" and endTimeL -1', () => {
      const open = records.filter((record) => asRecord(record.info).status === 'OPEN')
      expect(open.length).to.be.within(5, 40)
      for (const record of open) {
        expect(asRecord(record.info)).to.include({endTime: 'undefined', endTimeL: -1})
      }
    })

    it('has transfers to "null", post-survey dialogs, string SDE timestamps and summaries', () => {
      const transfers = records.flatMap((record) => asRecords(record.transfers))
      expect(transfers.some((t) => t.assignedAgentId === 'null')).to.equal(true)
      const types = new Set(records.flatMap((record) => dialogTypes(record)))
      expect([...types].sort()).to.deep.equal(['MAIN', 'POST_SURVEY'])
      const surveys = records.flatMap((record) => asRecords(record.conversationSurveys))
      expect(surveys.some((survey) => hasAnsweredQuestion(survey))).to.equal(true)
      const events = records.flatMap((record) => asRecords(asRecord(record.sdes).events))
      expect(events.length).to.be.greaterThan(0)
      for (const event of events)
        expect(event.serverTimeStamp)
          .to.be.a('string')
          .and.match(/^\d{13}$/)
      for (const record of records) expect(asRecord(record.summary)).to.have.keys('text', 'lastUpdatedTime')
    })

    it('has empty texts, a huge message, unicode and unknown fields', () => {
      const texts = messages
        .map((message) => asRecord(asRecord(message.messageData).msg ?? {}).text)
        .filter((t) => typeof t === 'string') as string[]
      expect(texts).to.include('')
      expect(texts.some((text) => text.length >= 50_000)).to.equal(true)
      const all = texts.join(' ')
      for (const pattern of [/[\u00C0-\u017F]/, /[\u4E00-\u9FFF]/, /\p{Extended_Pictographic}/u, /[\u0590-\u06FF]/]) {
        expect(all).to.match(pattern)
      }

      expect(records.some((record) => hasUnknownTopLevelKey(record))).to.equal(true)
    })
  })

  describe('consumer history records', () => {
    const consumerRecords = [...livePersonConsumerRecords(200, {seed: 42})]

    it('has the documented fields, with the older shape (no dialogs) in roughly 30%', () => {
      const older = consumerRecords.filter((record) => !('dialogs' in record))
      expect(older.length).to.be.within(30, 90)
      for (const record of consumerRecords) {
        expect(record).to.include.keys('convId', 'participants', 'state', 'startTs')
        const roles = new Set(asRecords(record.participants).map((p) => p.role))
        expect(roles.has('CONSUMER')).to.equal(true)
        for (const role of roles) expect(['CONSUMER', 'ASSIGNED_AGENT', 'READER', 'MANAGER']).to.include(role)
      }

      const dialogs = consumerRecords.flatMap((record) => asRecords(record.dialogs ?? []))
      expect(dialogs[0]).to.include.keys(
        'dialogId',
        'participantsDetails',
        'dialogType',
        'state',
        'creationTs',
        'channelType',
      )
    })

    it('has filled, partially filled and skipped CSAT blocks', () => {
      const statuses = new Set(consumerRecords.map((record) => asRecord(record.csat ?? {}).status).filter(Boolean))
      expect([...statuses].sort()).to.deep.equal(['FILLED', 'PARTIALLY_FILLED', 'SKIPPED'])
    })

    it('agrees with the Messaging Interactions record at the same index', () => {
      for (const [i, record] of consumerRecords.entries()) {
        const info = asRecord(records[i]?.info)
        expect(record.convId).to.equal(info.conversationId)
        expect(record.startTs).to.equal(info.startTimeL)
        if (info.endTimeL === -1) expect(record).to.not.have.key('endTs')
        else expect(record.endTs).to.equal(info.endTimeL)
      }
    })
  })
})
