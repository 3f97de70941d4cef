import {expect} from 'chai'

import {conformanceIssues, firstIssue} from '../../src/conformance/issues.js'
import {livePersonConsumerConformance} from '../../src/conformance/liveperson-consumer.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, recordFiles, withValue} from './helpers.js'

const DIRS = ['examples/liveperson', 'test/fixtures/liveperson']
const BASE = conformanceFixture('liveperson-consumer-record.json')

describe('liveperson-consumer conformance', () => {
  it('accepts the hand-written record that the rejection cases start from', () => {
    expect(conformanceIssues(livePersonConsumerConformance, BASE)).to.deep.equal([])
  })

  it('accepts every record of the bundled examples and fixtures', () => {
    const found = recordFiles(DIRS, {envelopes: ['conversationHistoryMetadataRecords'], onlyEnveloped: true})
    expect(found.map(({file}) => file)).to.include.members([
      'examples/liveperson/consumer-history-page.json',
      'test/fixtures/liveperson/consumer-page.json',
    ])
    for (const {file, records} of found) {
      expect(records).to.not.be.empty
      for (const [i, record] of records.entries()) {
        expect(conformanceIssues(livePersonConsumerConformance, record), `${file} #${i}`).to.deep.equal([])
      }
    }
  })

  it('accepts 500 sample records', () => {
    let count = 0
    for (const record of sampleGenerators['liveperson-consumer']!(500, {seed: 'conformance'})) {
      expect(conformanceIssues(livePersonConsumerConformance, record), `sample #${count}`).to.deep.equal([])
      count++
    }

    expect(count).to.equal(500)
  })

  it('accepts the older shape: convId and participants only, and convId alone', () => {
    const older = {convId: BASE.convId, participants: BASE.participants, state: 'CLOSE', startTs: BASE.startTs}
    expect(firstIssue(livePersonConsumerConformance, older)).to.equal(undefined)
    expect(firstIssue(livePersonConsumerConformance, {convId: BASE.convId})).to.equal(undefined)
  })

  it('reports the first issue on one line, naming the path', () => {
    expect(firstIssue(livePersonConsumerConformance, withValue(BASE, 'participants[2].role', 'BOT'))).to.equal(
      'participants[2].role: expected "CONSUMER" or "ASSIGNED_AGENT" or "READER" or "MANAGER", got "BOT"',
    )
  })

  // [path, value that breaks the documented type or enum, what the message says]
  const rejections: Array<[string, unknown, string]> = [
    ['convId', undefined, 'required'],
    ['convId', 42, 'expected string'],
    ['participants[0].role', 'consumer', 'expected "CONSUMER"'],
    ['participants[1].id', 1234, 'expected string'],
    ['dialogs[0].participantsDetails[1].role', 'AGENT', 'expected "CONSUMER"'],
    ['dialogs[0].dialogType', 'SURVEY', 'expected "MAIN" or "POST_SURVEY"'],
    ['dialogs[0].state', 'CLOSED', 'expected "OPEN" or "CLOSE"'],
    ['dialogs[0].creationTs', '1700496341902', 'expected epoch milliseconds'],
    ['dialogs[0].endTs', 1_700_497_780_700.5, 'expected epoch milliseconds'],
    ['state', 'close', 'expected "OPEN" or "CLOSE"'],
    ['stage', 'ARCHIVE', 'expected "OPEN" or "CLOSE"'],
    ['startTs', '2023-11-20T16:05:41.902Z', 'expected epoch milliseconds'],
    ['csat.csatRate', '4', 'expected number'],
    ['csat.csatResolutionConfirmation', 'yes', 'expected boolean'],
    ['csat.status', 'DONE', 'expected "FILLED" or "PARTIALLY_FILLED" or "SKIPPED"'],
    ['closeReason', 'Resolved', 'expected "AGENT" or "CONSUMER" or "SYSTEM"'],
  ]
  for (const [path, value, message] of rejections) {
    it(`rejects ${path} = ${JSON.stringify(value)}`, () => {
      const line = firstIssue(livePersonConsumerConformance, withValue(BASE, path, value))
      expect(line).to.be.a('string')
      expect(line).to.match(new RegExp(`^${path.replaceAll(/[.[\]]/g, String.raw`\$&`)}: `))
      expect(line).to.include(message)
      if (value !== undefined) expect(line).to.match(/, got .+$/)
      expect(line).to.not.include('\n')
    })
  }
})
