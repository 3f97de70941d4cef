/* eslint-disable camelcase -- DeepConverse form field names */
import {expect} from 'chai'

import {deepConverseConformanceIssue} from '../../src/conformance/deepconverse.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, recordsById, withValue} from './helpers.js'

const ENVELOPES = ['data']

/** A web conversation handed off to a person: greeting with quick replies, choices, an answer and a handoff. */
const conversation = () => conformanceFixture('deepconverse-conversation.json')

describe('deepconverse conformance schema', () => {
  it('accepts every record of the bundled examples and test fixtures', () => {
    const records = [
      ...recordsById(['examples/deepconverse', 'test/fixtures/deepconverse'], {envelopes: ENVELOPES}),
      ...recordsById(['test/fixtures/conformance'], {envelopes: ENVELOPES, names: /^deepconverse-/}),
    ]
    expect(records.length).to.be.greaterThan(10)
    for (const [name, record] of records) expect(deepConverseConformanceIssue(record), name).to.equal(undefined)
  })

  it('accepts 500 generated records', () => {
    for (const record of sampleGenerators.deepconverse!(500, {seed: 'conformance'})) {
      expect(deepConverseConformanceIssue(record), String(record._id)).to.equal(undefined)
    }
  })

  it('accepts a record with only the documented minimum fields, and messages with theirs', () => {
    const minimal = {_id: '7e1c94b03a5d4f2e8b6a0c9d1f3e5a7b', startTime: 1_745_303_712}
    expect(deepConverseConformanceIssue(minimal)).to.equal(undefined)
    const messages = [{_id: 'b2d4f6a8c0e24a6c8e0a2c4e6a8c0e2a'}]
    expect(deepConverseConformanceIssue({...minimal, messages})).to.equal(undefined)
  })

  it("accepts convoshift's carry object, the undocumented spellings and fields DeepConverse may add", () => {
    const record = conversation()
    record.metadata.convoshift = {convoshift: 1, set: {'/messages/4/role': 'agent'}}
    record.lastActionAt = '2025-04-22T06:39:11Z'
    record.messages[0].time = 1_745_303_712_418
    record.messages[0].type = 'BotResponse'
    record.messages[1].userActionType = 'action_userVoice'
    record.messages[2].outMsg = 'Rücksendungen sind 30 Tage lang kostenlos.'
    record.messages[3].userInput = {email: 'k@mail.example', order_number: '#551204'}
    record.botVersion = 12
    expect(deepConverseConformanceIssue(record)).to.equal(undefined)
  })

  describe('rejects a record that breaks a documented rule, naming the first problem on one line', () => {
    const cases: Array<[what: string, path: string, value: unknown, issue: string]> = [
      [
        'startTime in epoch milliseconds',
        'startTime',
        1_745_303_712_418,
        'startTime: expected epoch seconds, got 1745303712418',
      ],
      [
        'a fractional startTime',
        'startTime',
        1_745_303_712.418,
        'startTime: expected integer epoch seconds, got 1745303712.418',
      ],
      [
        'an ISO startTime',
        'startTime',
        '2025-04-22T06:35:12Z',
        'startTime: expected integer epoch seconds, got "2025-04-22T06:35:12Z"',
      ],
      ['a record without startTime', 'startTime', undefined, 'startTime: required'],
      ['a numeric _id', '_id', 4242, '_id: expected string, got 4242'],
      [
        'lastActionAt as words',
        'lastActionAt',
        'yesterday',
        'lastActionAt: expected an epoch or ISO 8601 time, got "yesterday"',
      ],
      [
        'a message time without a time zone',
        'messages[2].time',
        '2025-04-22 06:35:41',
        'messages[2].time: expected an epoch or ISO 8601 time, got "2025-04-22 06:35:41"',
      ],
      ['a language name as locale', 'locale', 'Deutsch', 'locale: expected a locale like en_us, got "Deutsch"'],
      ['tags as one string', 'tags', 'informed,liveChat', 'tags: expected array, got "informed,liveChat"'],
      [
        'a user action type outside the action_user family',
        'messages[1].userActionType',
        'quick_reply',
        'messages[1].userActionType: expected an action_user… type, got "quick_reply"',
      ],
      [
        'a user action on a bot message',
        'messages[2].userActionType',
        'action_userInput',
        'messages[2].type: expected "UserInput" beside userActionType, got "BotMessage"',
      ],
      [
        "the chatbot's outMsg on a customer message",
        'messages[3].outMsg',
        {text: 'mit einem Menschen sprechen'},
        'messages[3].type: expected a bot type beside outMsg (the chatbot\'s message), got "UserInput"',
      ],
      ['an empty message type', 'messages[0].type', '', 'messages[0].type: expected at least 1 characters, got ""'],
      [
        'userInput as a number',
        'messages[1].userInput',
        2,
        'messages[1].userInput: expected text or an object of form fields, got 2',
      ],
      [
        'a message of another conversation (the join on conversationId)',
        'messages[4].conversationId',
        '0f3a9c51d2e84b7c9a6e1d40b2c7f8e3',
        'messages[4].conversationId: expected the conversation\'s _id, got "0f3a9c51d2e84b7c9a6e1d40b2c7f8e3"',
      ],
      [
        'a country name',
        'metadata.__sys_userCountry',
        'Germany',
        'metadata.__sys_userCountry: expected a two-letter country code, got "Germany"',
      ],
      [
        'an undocumented last user action',
        'metadata.__sys_userAction.type',
        'click',
        'metadata.__sys_userAction.type: expected an action_user… type, got "click"',
      ],
      [
        'a parsed user agent with numbers',
        'metadata.__sys_userAgentParsed.os.major',
        10,
        'metadata.__sys_userAgentParsed.os.major: expected string, got 10',
      ],
      ['metadata as a JSON string', 'metadata', '{}', 'metadata: expected object, got "{}"'],
      ['a message without _id', 'messages[0]._id', undefined, 'messages[0]._id: required'],
    ]
    for (const [what, path, value, issue] of cases) {
      it(what, () => {
        const record = conversation()
        expect(deepConverseConformanceIssue(record), 'the record before it is broken').to.equal(undefined)
        expect(deepConverseConformanceIssue(withValue(record, path, value))).to.equal(issue)
      })
    }
  })
})
