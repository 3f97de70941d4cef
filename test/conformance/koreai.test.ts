import {expect} from 'chai'

import {koreAiConformanceIssue} from '../../src/conformance/koreai.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, recordsById, withValue} from './helpers.js'

const ENVELOPES = ['results']

/** A closed web conversation: one agent, a note, and customer, bot (template and alert) and agent messages. */
const conversation = () => conformanceFixture('koreai-conversation.json')

describe('koreai conformance schema', () => {
  it('accepts every record of the bundled examples and test fixtures', () => {
    const records = [
      ...recordsById(['examples/koreai', 'test/fixtures/koreai'], {envelopes: ENVELOPES}),
      ...recordsById(['test/fixtures/conformance'], {envelopes: ENVELOPES, names: /^koreai-/}),
    ]
    expect(records.length).to.be.greaterThan(10)
    for (const [name, record] of records) expect(koreAiConformanceIssue(record), name).to.equal(undefined)
  })

  it('accepts 500 generated records', () => {
    for (const record of sampleGenerators.koreai!(500, {seed: 'conformance'})) {
      expect(koreAiConformanceIssue(record), String(record._id)).to.equal(undefined)
    }
  })

  it('accepts a record with only the documented minimum fields, and messages with theirs', () => {
    expect(koreAiConformanceIssue({_id: 'c-9a8b7c6-5d4e-4f3a-b2c1-d0e9f8a7b6c5'})).to.equal(undefined)
    const messages = [{_id: 'ms-1d2e3f4a-5b6c-5d7e-8f9a-0b1c2d3e4f5a', type: 'incoming'}]
    expect(koreAiConformanceIssue({_id: 'c-9a8b7c6-5d4e-4f3a-b2c1-d0e9f8a7b6c5', messages})).to.equal(undefined)
  })

  it("accepts convoshift's carry note, the documented-integer id and fields Kore.ai may add", () => {
    const record = conversation()
    record.notes.push({_id: 'convoshift', note: JSON.stringify({convoshift: 1, set: {'/tags': ['vip']}})})
    record._id = 4_412_117
    record.surveyRequired = true
    record.priority = null
    record.newVendorField = {addedIn: '2026'}
    expect(koreAiConformanceIssue(record)).to.equal(undefined)
  })

  describe('rejects a record that breaks a documented rule, naming the first problem on one line', () => {
    const cases: Array<[what: string, path: string, value: unknown, issue: string]> = [
      [
        'an undocumented status',
        'status',
        'RESOLVED',
        'status: expected "ACTIVE" or "CLOSED" or "IDLE" or "OPEN" or "OVERDUE" or "TERMINATED", got "RESOLVED"',
      ],
      ['a neutral channel name as source', 'source', 'web', 'source: expected a documented Kore.ai channel, got "web"'],
      [
        'a message channel in upper case',
        'messages[0].chnl',
        'RTM',
        'messages[0].chnl: expected a documented Kore.ai channel, got "RTM"',
      ],
      [
        'an undocumented channels[].type',
        'messages[1].channels[0].type',
        'webchat',
        'messages[1].channels[0].type: expected a documented Kore.ai channel, got "webchat"',
      ],
      [
        'a message type naming the agent',
        'messages[3].type',
        'agent',
        'messages[3].type: expected "incoming" or "outgoing", got "agent"',
      ],
      ['a message without type', 'messages[0].type', undefined, 'messages[0].type: required'],
      [
        'an undocumented component type',
        'messages[1].components[0].cT',
        'carousel',
        'messages[1].components[0].cT: expected a documented component type (cT), got "carousel"',
      ],
      ['a message source of 4', 'messages[2].ms', 4, 'messages[2].ms: expected 0, 1, 2 or 3, got 4'],
      ['isBB as a boolean', 'messages[0].isBB', false, 'messages[0].isBB: expected 0 or 1, got false'],
      [
        'timestampValue in epoch seconds',
        'timestampValue',
        1_725_275_060,
        'timestampValue: expected epoch milliseconds, got 1725275060',
      ],
      [
        'a message timestampValue as an ISO string',
        'messages[0].timestampValue',
        '2024-09-02T11:02:48.311Z',
        'messages[0].timestampValue: expected number, got "2024-09-02T11:02:48.311Z"',
      ],
      [
        'a time with an offset',
        'startTime',
        '2024-09-02T13:04:20.119+02:00',
        'startTime: expected ISO 8601 UTC ending in Z, got "2024-09-02T13:04:20.119+02:00"',
      ],
      [
        'a message time without a time zone',
        'messages[2].createdOn',
        '2024-09-02 11:04:20',
        'messages[2].createdOn: expected ISO 8601 UTC ending in Z, got "2024-09-02 11:04:20"',
      ],
      [
        'an undocumented participant status',
        'participants[0].status',
        'BUSY',
        'participants[0].status: expected "ACTIVE" or "INACTIVE" or "ABANDONED", got "BUSY"',
      ],
      [
        'an undocumented transferredType',
        'transferDetails',
        [{transferredType: 'AGENT'}],
        'transferDetails[0].transferredType: expected "QUEUE" or "OTHERS", got "AGENT"',
      ],
      [
        'surveyRequired in lower case',
        'surveyRequired',
        'yes',
        'surveyRequired: expected a boolean or "YES"/"NO", got "yes"',
      ],
      ['a negative waitTime', 'waitTime', -1, 'waitTime: expected at least 0, got -1'],
      ['waitTime as text', 'waitTime', '11854', 'waitTime: expected number, got "11854"'],
      [
        'priority as an object',
        'priority',
        {level: 3},
        'priority: expected a string, a number or null, got {"level":3}',
      ],
      ['a numeric userInfo.city', 'userInfo.city', 69_001, 'userInfo.city: expected string, got 69001'],
      [
        'userInfo.identities as one object',
        'userInfo.identities',
        {type: 'mapped', val: 'x'},
        'userInfo.identities: expected array, got {"type":"mapped","val":"x"}',
      ],
      [
        'dispositionSets as text',
        'dispositions.dispositionSets',
        'Billing/Refund',
        'dispositions.dispositionSets: expected array, got "Billing/Refund"',
      ],
      [
        'a carry note that is not a JSON document',
        'notes[1]',
        {_id: 'convoshift', note: 'see the old system'},
        'notes[1].note: expected a JSON document, got "see the old system"',
      ],
      [
        'a message of another bot session (the documented join)',
        'messages[1].sessionId',
        '66d59a1bc2d3e4f5a6b7c8ff',
        'messages[1].sessionId: expected the conversation\'s botSessionId, got "66d59a1bc2d3e4f5a6b7c8ff"',
      ],
      [
        'a message created by someone other than the user (documented: the end user, even on bot messages)',
        'messages[1].createdBy',
        'u-3f1a2b4c-5d6e-5f70-8a9b-0c1d2e3f4a5b',
        'messages[1].createdBy: expected the conversation\'s userId, got "u-3f1a2b4c-5d6e-5f70-8a9b-0c1d2e3f4a5b"',
      ],
      ['an _id of the wrong type', '_id', true, '_id: expected a string or integer id, got true'],
      ['a record without _id', '_id', undefined, '_id: required'],
      ['participants as an object', 'participants', {}, 'participants: expected array, got {}'],
    ]
    for (const [what, path, value, issue] of cases) {
      it(what, () => {
        const record = conversation()
        expect(koreAiConformanceIssue(record), 'the record before it is broken').to.equal(undefined)
        expect(koreAiConformanceIssue(withValue(record, path, value))).to.equal(issue)
      })
    }
  })
})
