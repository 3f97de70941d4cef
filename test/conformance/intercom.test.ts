/* eslint-disable camelcase -- Intercom's own field names */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {intercomConformanceIssue} from '../../src/conformance/intercom.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {recordFiles, withValue} from './helpers.js'

/** The rated conversation of the fixtures (2003): parts, a rating, contacts and teammates. */
const rated = () =>
  readFileSync(join(FIXTURES, 'intercom', 'conversations.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>)
    .find((record) => record.id === '2003')!

describe('intercom conformance schema', () => {
  it('accepts every record of the test fixtures, the list page included', () => {
    const records = recordFiles(['test/fixtures/intercom'], {envelopes: ['conversations']}).flatMap((f) => f.records)
    expect(records).to.have.length(9)
    for (const record of records) expect(intercomConformanceIssue(record), String(record.id)).to.equal(undefined)
  })

  it('accepts 500 generated records', () => {
    for (const record of sampleGenerators.intercom!(500, {seed: 'conformance'})) {
      expect(intercomConformanceIssue(record), String(record.id)).to.equal(undefined)
    }
  })

  it('accepts the minimum a conversation must have, and the all-null rating older versions send', () => {
    expect(intercomConformanceIssue({created_at: 1_718_870_400, id: '1'})).to.equal(undefined)
    const nullRating = {contact: {id: null, type: null}, created_at: null, rating: null, remark: null}
    expect(intercomConformanceIssue(withValue(rated(), 'conversation_rating', nullRating))).to.equal(undefined)
  })

  describe('rejects a record that breaks a documented rule, naming the first problem on one line', () => {
    const cases: Array<[what: string, path: string, value: unknown, issue: RegExp]> = [
      ['created_at in milliseconds', 'created_at', 1_718_877_600_000, /^created_at: expected epoch seconds/],
      ['an ISO created_at', 'created_at', '2024-06-20T10:00:00Z', /^created_at: expected integer epoch seconds/],
      ['a state outside open, closed, snoozed', 'state', 'pending', /^state: /],
      ['a rating of 6', 'conversation_rating.rating', 6, /^conversation_rating\.rating: expected 1 to 5/],
      ['priority as a boolean', 'priority', true, /^priority: /],
      ['a source type Intercom does not list', 'source.type', 'chat', /^source\.type: /],
      ['admin_assignee_id as a string', 'admin_assignee_id', '5017691', /^admin_assignee_id: /],
      [
        'a part of another type',
        'conversation_parts.conversation_parts[0].type',
        'message',
        /conversation_parts\[0]\.type: /,
      ],
      ['a fractional part time', 'conversation_parts.conversation_parts[1].created_at', 1.5, /\[1]\.created_at: /],
      ['a contact list of another type', 'contacts.type', 'user.list', /^contacts\.type: /],
      ['tags as names only', 'tags.tags', ['billing'], /^tags\.tags\[0]: /],
    ]
    for (const [what, path, value, issue] of cases) {
      it(what, () => {
        expect(intercomConformanceIssue(withValue(rated(), path, value))).to.match(issue)
      })
    }
  })
})
