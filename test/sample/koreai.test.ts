import {expect} from 'chai'

import {koreAiRecords} from '../../src/sample/koreai.js'

type Json = Record<string, any>

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

const hasHugeMessage = (record: Json): boolean =>
  (record.messages as Json[]).some((m) => JSON.stringify(m).length > 45_000)
const repeatsAnAgent = (record: Json): boolean =>
  new Set((record.participants as Json[]).map((p) => p.agentId)).size < record.participants.length
const isNewestFirst = (record: Json): boolean => {
  const times = (record.messages as Json[]).map((m) => m.createdOn)
  return times.length > 2 && times[0] > times.at(-1)
}

const hasLateSessionTag = (message: Json): boolean => message.tags.sessionTags.some((t: Json) => t.name === 'stage')

describe('sample/koreai', () => {
  // Given 200 records from one fixed seed, shared by the tests below
  const records = [...koreAiRecords(200, {seed: 42})] as Json[]
  const messages = records.flatMap((record) => record.messages as Json[])
  const components = messages.flatMap((message) => message.components as Json[])

  describe('determinism', () => {
    it('gives identical JSON for the same seed, whether given as a number or a string', () => {
      const a = JSON.stringify([...koreAiRecords(30, {seed: 7})])
      const b = JSON.stringify([...koreAiRecords(30, {seed: '7'})])
      expect(a).to.equal(b)
    })

    it('gives different records for a different seed', () => {
      expect(JSON.stringify([...koreAiRecords(5, {seed: 1})])).to.not.equal(
        JSON.stringify([...koreAiRecords(5, {seed: 2})]),
      )
    })

    it('makes record i independent of the count asked for, and streams without end', () => {
      expect(JSON.stringify([...koreAiRecords(5, {seed: 42})])).to.equal(JSON.stringify(records.slice(0, 5)))
      const endless = koreAiRecords(Number.POSITIVE_INFINITY, {seed: 42})
      for (let i = 0; i < 3; i++) expect(endless.next().value).to.deep.equal(records[i])
    })

    it('rejects a negative or non-finite message bias', () => {
      expect(() => koreAiRecords(1, {messages: -1, seed: 1}).next()).to.throw(RangeError)
      expect(() => koreAiRecords(1, {messages: Number.NaN, seed: 1}).next()).to.throw(RangeError)
    })
  })

  describe('size and shape', () => {
    it('averages about 20 messages and 15–25 KB of compact JSON per record with the default options', () => {
      const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(JSON.stringify(record)), 0)
      expect(bytes / records.length).to.be.within(15_000, 25_000)
      expect(messages.length / records.length).to.be.within(17, 23)
    })

    it('follows the messages option', () => {
      const few = [...koreAiRecords(200, {messages: 5, seed: 42})] as Json[]
      const average = few.reduce((sum, record) => sum + record.messages.length, 0) / few.length
      expect(average).to.be.within(3.5, 6.5)
      expect(
        [...koreAiRecords(20, {messages: 0, seed: 42})].every((record) => (record.messages as unknown[]).length === 0),
      ).to.equal(true)
    })

    it('produces only JSON-serialisable values', () => {
      // A JSON round trip is the point here: it drops undefined and turns NaN into null, so equality proves neither is present.
      // eslint-disable-next-line unicorn/prefer-structured-clone
      for (const record of records) expect(JSON.parse(JSON.stringify(record))).to.deep.equal(record)
    })

    it('has what the mapping requires and Kore.ai’s id shapes and times', () => {
      for (const record of records) {
        expect(record._id)
          .to.be.a('string')
          .and.match(/^c-[\da-f]{7}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/)
        expect(record.participants).to.be.an('array')
        expect(record.transferDetails).to.be.an('array')
        expect(record.userId).to.match(/^u-/)
        expect(record.botId).to.match(/^st-/)
        for (const message of record.messages as Json[]) {
          expect(message._id).to.match(/^ms-/)
          expect(message.type).to.be.oneOf(['incoming', 'outgoing'])
          expect(message.createdOn).to.match(TIMESTAMP)
          // createdBy is the end user on every message, the bot's own included
          expect(message.createdBy).to.equal(record.userId)
        }
      }
    })

    it('has about 2% records with a ~50 KB message', () => {
      const huge = records.filter((record) => hasHugeMessage(record))
      expect(huge.length).to.be.within(1, 12)
    })
  })

  describe('vendor quirks across 200 records', () => {
    it('uses the three endpoint layouts, voice conversations and every channel kind', () => {
      expect(records.some((r) => 'summary' in r && !('botSessionId' in r))).to.equal(true) // details
      expect(records.some((r) => 'conversationId' in r && 'startSessionTime' in r)).to.equal(true) // list
      const voice = records.filter((r) => r.source === 'audiocodes' || r.source === 'twiliovoice')
      expect(voice.length).to.be.within(15, 60)
      for (const record of voice) {
        expect(record).to.include.keys('phoneNumber', 'botSIPURI', 'CallIDData')
        expect(record).not.to.have.property('conversationType')
        expect(record.userInfo).to.include.keys('caller', 'callee')
      }

      expect(new Set(records.map((r) => r.source))).to.include.members(['rtm', 'audiocodes', 'whatsapp'])
    })

    it('writes surveyRequired as "YES"/"NO" mostly and as a boolean sometimes', () => {
      const values = new Set(records.map((r) => r.surveyRequired))
      expect([...values]).to.include.members(['YES', 'NO', true, false])
    })

    it('writes priority as a number, null or a string', () => {
      const kinds = new Set(records.map((r) => (r.priority === null ? 'null' : typeof r.priority)))
      expect([...kinds].sort()).to.deep.equal(['null', 'number', 'string'])
    })

    it('has ABANDONED offers without startTimeStamp, the same agent twice, drop-offs and open conversations', () => {
      const entries = records.flatMap((r) => r.participants as Json[])
      const abandoned = entries.filter((p) => p.status === 'ABANDONED')
      expect(abandoned.length).to.be.greaterThan(0)
      for (const entry of abandoned) expect(entry).not.to.have.property('startTimeStamp')
      expect(records.some((r) => repeatsAnAgent(r))).to.equal(true)
      const dropped = records.filter((r) => r.dispositions?.metaStatus === 'SYSTEM_DROP_OFF')
      expect(dropped.length).to.be.greaterThan(5)
      for (const record of dropped) expect(record.dispositions.dispositionSets).to.equal(null)
      const open = records.filter((r) => ['ACTIVE', 'IDLE', 'OPEN', 'OVERDUE'].includes(r.status))
      expect(open.length).to.be.within(5, 35)
      for (const record of open) expect(record).not.to.have.any.keys('endTime', 'dispositions')
    })

    it('has QUEUE, OTHERS and system transfers, with fromAgent null', () => {
      const transfers = records.flatMap((r) => r.transferDetails as Json[])
      expect(new Set(transfers.map((t) => t.transferredType))).to.deep.equal(new Set(['OTHERS', 'QUEUE']))
      expect(transfers.some((t) => t.fromAgent === null)).to.equal(true)
      expect(transfers.some((t) => t.systemTransfer === true && t.systemTransferReason === 'OVERDUE')).to.equal(true)
    })

    it('has incoming, bot, agent (author) and alert messages, templates in data.text and files with thumbnails', () => {
      expect(messages.some((m) => m.type === 'outgoing' && m.author?.userId)).to.equal(true)
      expect(messages.some((m) => m.author && !m.author.userId)).to.equal(true)
      const types = new Set(components.map((c) => c.cT))
      expect([...types]).to.include.members([
        'text',
        'image',
        'attachment',
        'filelink',
        'video',
        'audio',
        'alert',
        'action',
        'location',
      ])
      const templates = components.filter(
        (c) => typeof c.data?.text === 'string' && c.data.text.startsWith('{"type":"template"'),
      )
      expect(new Set(templates.map((c) => JSON.parse(c.data.text).payload.template_type))).to.deep.equal(
        new Set(['button', 'carousel', 'quick_replies']),
      )
      expect(components.some((c) => c.thumbnails.length > 0)).to.equal(true)
    })

    it('keeps getMessages quirks: newest-first records, the POST layout, timestampValue off createdOn', () => {
      const newestFirst = records.filter((r) => isNewestFirst(r))
      expect(newestFirst.length).to.be.within(20, 90)
      const post = messages.filter((m) => 'channel' in m)
      expect(post.length).to.be.greaterThan(0)
      for (const message of post) expect(message).not.to.have.any.keys('chnl', 'tags', 'lang')
      expect(messages.some((m) => m.timestampValue !== Date.parse(m.createdOn))).to.equal(true)
    })

    it('has session, user and message tags, and a session tag added mid-conversation', () => {
      const tagged = messages.filter((m) => m.tags)
      expect(tagged.some((m) => m.tags.sessionTags.length > 0)).to.equal(true)
      expect(tagged.some((m) => m.tags.userTags.length > 0)).to.equal(true)
      expect(tagged.some((m) => m.tags.messageTags.length > 0)).to.equal(true)
      expect(tagged.some((m) => hasLateSessionTag(m))).to.equal(true)
    })

    it('has empty texts, unicode, notes whose text is a timestamp, "NA" devices and unknown fields', () => {
      const texts = components.map((c) => c.data?.text).filter((t) => typeof t === 'string') as string[]
      expect(texts).to.include('')
      const all = texts.join(' ')
      for (const pattern of [/[\u00C0-\u017F]/, /[\u4E00-\u9FFF]/, /\p{Extended_Pictographic}/u, /[\u0590-\u06FF]/]) {
        expect(all).to.match(pattern)
      }

      const notes = records.flatMap((r) => (r.notes ?? []) as Json[])
      expect(notes.some((n) => TIMESTAMP.test(n.note))).to.equal(true)
      expect(records.some((r) => r.userInfo?.device === 'NA')).to.equal(true)
      expect(records.some((r) => 'newVendorField' in r)).to.equal(true)
    })
  })
})
