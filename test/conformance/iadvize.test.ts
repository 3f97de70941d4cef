import {expect} from 'chai'

import {iAdvizeConformance} from '../../src/conformance/iadvize.js'
import {conformanceIssues, firstIssue} from '../../src/conformance/issues.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, recordFiles, withValue} from './helpers.js'

const DIRS = ['examples/iadvize', 'test/fixtures/iadvize']
const BASE = conformanceFixture('iadvize-node.json')

describe('iadvize conformance', () => {
  it('accepts the hand-written node that the rejection cases start from', () => {
    expect(conformanceIssues(iAdvizeConformance, BASE)).to.deep.equal([])
  })

  it('accepts every node of the bundled examples and fixtures', () => {
    const found = recordFiles(DIRS, {envelopes: ['data.closedConversations.edges[].node']})
    expect(found.map(({file}) => file)).to.include.members([
      'examples/iadvize/closed-conversations-page.json',
      'examples/iadvize/closed-conversations.jsonl',
      'test/fixtures/iadvize/closed-conversations-page.json',
    ])
    for (const {file, records: nodes} of found) {
      expect(nodes, file).to.not.be.empty
      for (const [i, node] of nodes.entries()) {
        expect(conformanceIssues(iAdvizeConformance, node), `${file} #${i}`).to.deep.equal([])
      }
    }
  })

  it('accepts 500 sample records', () => {
    let count = 0
    for (const record of sampleGenerators.iadvize!(500, {seed: 'conformance'})) {
      expect(conformanceIssues(iAdvizeConformance, record), `sample #${count}`).to.deep.equal([])
      count++
    }

    expect(count).to.equal(500)
  })

  it('accepts a node with only its id, and a node without messages (GraphQL returns only selected fields)', () => {
    expect(firstIssue(iAdvizeConformance, {id: BASE.id})).to.equal(undefined)
    expect(firstIssue(iAdvizeConformance, withValue(BASE, 'messages'))).to.equal(undefined)
    expect(firstIssue(iAdvizeConformance, withValue(BASE, 'messages', null))).to.equal(undefined)
  })

  it('accepts the flat satisfaction spelling and the convoshift carry entry in customData', () => {
    const flat = withValue(BASE, 'satisfactionSurvey')
    Object.assign(flat, {comment: null, customerSatisfaction: 2, netPromoterScore: 0})
    expect(firstIssue(iAdvizeConformance, flat)).to.equal(undefined)
    const carried = withValue(BASE, 'customData[3]', {key: 'convoshift', value: '{"convoshift":1,"set":{}}'})
    expect(firstIssue(iAdvizeConformance, carried)).to.equal(undefined)
  })

  it('reports the first issue on one line, naming the path', () => {
    expect(firstIssue(iAdvizeConformance, withValue(BASE, 'satisfactionSurvey.customerSatisfaction', 8))).to.equal(
      'satisfactionSurvey.customerSatisfaction: expected 1 to 5, got 8',
    )
  })

  // [path, value that breaks the documented type, enum, range or nullability, what the message says]
  const rejections: Array<[string, unknown, string]> = [
    ['id', undefined, 'required'],
    ['id', 918_230_044, 'expected string'],
    ['legacyId', 'conv-918230044', 'expected a LegacyId'],
    ['createdAt', '2024-06-03 14:12:09', 'expected an ISO 8601 date-time'],
    ['createdAt', null, 'expected an ISO 8601 date-time'],
    ['closedAt', '2024-06-03T12:38:51', 'expected an ISO 8601 date-time'],
    ['updatedAt', 1_717_418_402_008, 'expected an ISO 8601 date-time'],
    ['duration', '26 minutes', 'expected an ISO 8601 duration'],
    ['duration', -5, 'expected seconds (0 or more)'],
    ['channel', 'web', 'expected an upper-case iAdvize channel name'],
    ['channel', null, 'expected string'],
    ['automationLevel', 'AUTOMATED', 'expected "FULLY_AUTOMATED" or "NOT_AUTOMATED" or "PARTIALLY_AUTOMATED"'],
    [
      'closeReason',
      'AGENT',
      'expected "BOT_TRANSFER_FAILED" or "END_OF_BOT_SCENARIO" or "VISITOR_DROPPED_OFF_SCENARIO"',
    ],
    ['satisfactionSurvey.customerSatisfaction', 0, 'expected 1 to 5'],
    ['satisfactionSurvey.customerSatisfaction', 4.5, 'expected an integer from 1 to 5'],
    ['satisfactionSurvey.netPromoterScore', 11, 'expected 0 to 10'],
    ['satisfactionSurvey.comment', 5, 'expected string'],
    ['users[1].role', 'AGENT', 'expected "OPERATOR"'],
    ['users[1].id', true, 'expected an id'],
    ['users', [null], 'expected object'],
    ['visitor.visitorId', '', 'expected an id'],
    ['visitor.source', 'WEB', 'expected "ONSITE" or "MOBILE_APP"'],
    ['visitor.createdAt', null, 'expected an ISO 8601 date-time'],
    ['messages.edges[1].node.createdAt', '03/06/2024 14:12', 'expected an ISO 8601 date-time'],
    ['messages.edges[1].node.text', 42, 'expected string'],
    ['tags', null, 'expected array'],
    ['tags[0].name', 211, 'expected string'],
    ['customData[0].value', {amount: 89.9}, 'expected a string, boolean or number'],
    ['customData[1].key', null, 'expected string'],
  ]
  for (const [path, value, message] of rejections) {
    it(`rejects ${path} = ${JSON.stringify(value)}`, () => {
      const line = firstIssue(iAdvizeConformance, withValue(BASE, path, value))
      expect(line).to.be.a('string')
      expect(line).to.match(new RegExp(`^${path.replaceAll(/[.[\]]/g, String.raw`\$&`)}(\\[\\d+])?: `))
      expect(line).to.include(message)
      if (value !== undefined) expect(line).to.match(/, got .+$/)
      expect(line).to.not.include('\n')
    })
  }

  it('rejects the flat satisfaction spelling out of range too', () => {
    expect(firstIssue(iAdvizeConformance, {id: BASE.id, netPromoterScore: 12})).to.equal(
      'netPromoterScore: expected 0 to 10, got 12',
    )
  })
})
