/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {expect} from 'chai'

import {adaConformanceIssue} from '../../src/conformance/ada.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, recordsById, withValue} from './helpers.js'

const ENVELOPES = ['data', 'items']

/** A v1.4/v2 conversation with a CSAT survey, two agents and every documented message type but trigger/presence. */
const conversation = () => conformanceFixture('ada-conversation.json')

/**
 * Fixture records that break a documented rule on purpose, to test how the mapping copes; each must keep failing
 * with exactly this issue.
 */
const DELIBERATE: Record<string, string> = {
  'test/fixtures/ada/v2-items-page.json#66341a009a8b7c6d5e4f3a2b':
    'platform: expected a documented Ada platform, got "discord"',
}

describe('ada conformance schema', () => {
  it('accepts every record of the bundled examples and test fixtures, but the deliberate departures', () => {
    const adaRecords = [
      ...recordsById(['examples/ada', 'test/fixtures/ada'], {envelopes: ENVELOPES}),
      ...recordsById(['test/fixtures/conformance'], {envelopes: ENVELOPES, names: /^ada-/}),
    ]
    expect(adaRecords.length).to.be.greaterThan(10)
    for (const [name, record] of adaRecords) expect(adaConformanceIssue(record), name).to.equal(DELIBERATE[name])
    for (const name of Object.keys(DELIBERATE)) expect(adaRecords.map(([n]) => n)).to.include(name)
  })

  it('accepts 500 generated records', () => {
    for (const record of sampleGenerators.ada!(500, {seed: 'conformance'})) {
      expect(adaConformanceIssue(record), String(record._id)).to.equal(undefined)
    }
  })

  it('accepts a record with only the documented minimum fields, and messages with theirs', () => {
    const minimal = {_id: '66a1f0c2e4b5a6978d0c1e2f', date_created: '2024-07-25T06:31:14.052310+00:00'}
    expect(adaConformanceIssue(minimal)).to.equal(undefined)
    const message = {_id: '66a1f0c2e4b5a6978d0c1e30', date_created: '2024-07-25T06:31:14.120000+00:00'}
    expect(adaConformanceIssue({...minimal, csat: {}, messages: [message]})).to.equal(undefined)
  })

  it("accepts convoshift's carry string and fields Ada may add", () => {
    const record = conversation()
    record.variables.convoshift = JSON.stringify({convoshift: 1, set: {'/tags': ['vip']}})
    record.sentiment = {label: 'neutral', score: 0.1}
    record.messages[0].is_generative = false
    expect(adaConformanceIssue(record)).to.equal(undefined)
  })

  describe('rejects a record that breaks a documented rule, naming the first problem on one line', () => {
    const cases: Array<[what: string, path: string, value: unknown, issue: string]> = [
      ['csat.score above 5', 'csat.score', 8, 'csat.score: expected 1 to 5, got 8'],
      ['csat.score of 0 (a 0–10 scale)', 'csat.score', 0, 'csat.score: expected 1 to 5, got 0'],
      ['a fractional csat.score', 'csat.score', 4.5, 'csat.score: expected int, got 4.5'],
      ['csat.feedback as one string', 'csat.feedback', '(fast)', 'csat.feedback: expected array, got "(fast)"'],
      [
        'an undocumented platform',
        'platform',
        'webchat',
        'platform: expected a documented Ada platform, got "webchat"',
      ],
      ['a platform in upper case', 'platform', 'SMS', 'platform: expected a documented Ada platform, got "SMS"'],
      [
        'an oauth_channel only platform has',
        'oauth_channel',
        'whatsapp',
        'oauth_channel: expected a documented oauth_channel, got "whatsapp"',
      ],
      [
        'an undocumented message_data._type',
        'messages[2].message_data._type',
        'carousel',
        'messages[2].message_data._type: expected a documented message_data._type, got "carousel"',
      ],
      [
        'message_data without _type',
        'messages[1].message_data._type',
        undefined,
        'messages[1].message_data._type: required',
      ],
      [
        'a millisecond Z timestamp',
        'date_created',
        '2024-07-25T06:31:14.052Z',
        'date_created: expected ISO 8601 with microseconds and +00:00, got "2024-07-25T06:31:14.052Z"',
      ],
      [
        'a message time with three fractional digits',
        'messages[3].date_created',
        '2024-07-25T06:31:40.617+00:00',
        'messages[3].date_created: expected ISO 8601 with microseconds and +00:00, got "2024-07-25T06:31:40.617+00:00"',
      ],
      [
        'record_last_updated without an offset (as next_page_uri spells times)',
        'record_last_updated',
        '2024-07-25T09:00:00.000000',
        'record_last_updated: expected ISO 8601 with microseconds and +00:00, got "2024-07-25T09:00:00.000000"',
      ],
      ['a numeric _id', '_id', 4242, '_id: expected string, got 4242'],
      ['a message without _id', 'messages[4]._id', undefined, 'messages[4]._id: required'],
      [
        'agent_id as one string',
        'agent_id',
        '64f0a1b2c3d4e5f60718293a',
        'agent_id: expected array, got "64f0a1b2c3d4e5f60718293a"',
      ],
      ['an empty agent id', 'agent_id[1]', '', 'agent_id[1]: expected an id, got ""'],
      [
        'agent_name not parallel to agent_id',
        'agent_name',
        ['Priya S'],
        'agent_name: expected 2 names, one per agent_id, got ["Priya S"]',
      ],
      ['a BCP 47 language tag', 'language', 'pl-PL', 'language: expected an ISO 639-1 code, got "pl-PL"'],
      [
        'a lower-case resolution classification',
        'automated_resolution_classification',
        'resolved',
        'automated_resolution_classification: expected "Resolved" or "Not Resolved", got "resolved"',
      ],
      [
        'a boolean metavariable',
        'metavariables.introshown',
        true,
        'metavariables.introshown: expected string, got true',
      ],
      ['is_escalated as a string', 'is_escalated', 'true', 'is_escalated: expected boolean, got "true"'],
      ['a numeric end_user_id', 'end_user_id', 4412, 'end_user_id: expected string, got 4412'],
      ['a thumbs review as a string', 'messages[1].review', '1', 'messages[1].review: expected number, got "1"'],
      [
        'link_was_clicked as "no"',
        'messages[1].link_was_clicked',
        'no',
        'messages[1].link_was_clicked: expected boolean, got "no"',
      ],
      [
        'a message of another conversation (the join on conversation_id)',
        'messages[5].conversation_id',
        '66a1f0c2e4b5a6978d0c1eff',
        'messages[5].conversation_id: expected the conversation\'s _id, got "66a1f0c2e4b5a6978d0c1eff"',
      ],
      [
        'the carry document as an object instead of a JSON string',
        'variables.convoshift',
        {convoshift: 1},
        'variables.convoshift: expected string, got {"convoshift":1}',
      ],
      ['a record without date_created', 'date_created', undefined, 'date_created: required'],
      ['handle times as text', 'bot_handle_time', '96.2', 'bot_handle_time: expected number, got "96.2"'],
      [
        'a quick reply target as a number',
        'messages[2].message_data.quick_replies[0].target',
        42,
        'messages[2].message_data.quick_replies[0].target: expected string, got 42',
      ],
    ]
    for (const [what, path, value, issue] of cases) {
      it(what, () => {
        const record = conversation()
        expect(adaConformanceIssue(record), 'the record before it is broken').to.equal(undefined)
        expect(adaConformanceIssue(withValue(record, path, value))).to.equal(issue)
      })
    }
  })
})
