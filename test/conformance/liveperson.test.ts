import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {conformanceIssues, firstIssue} from '../../src/conformance/issues.js'
import {livePersonConformance} from '../../src/conformance/liveperson.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {conformanceFixture, type Json, MALFORMED, recordFiles, withValue} from './helpers.js'

const DIRS = ['examples/liveperson', 'test/fixtures/liveperson']
const BASE = conformanceFixture('liveperson-record.json')

function unexpectedIssues(record: unknown): string[] {
  return conformanceIssues(livePersonConformance, record)
}

describe('liveperson conformance', () => {
  it('accepts the hand-written record that the rejection cases start from', () => {
    expect(conformanceIssues(livePersonConformance, BASE)).to.deep.equal([])
  })

  it('accepts every record of the bundled examples and fixtures', () => {
    const found = recordFiles(DIRS, {envelopes: ['conversationHistoryRecords'], onlyEnveloped: true})
    expect(found.map(({file}) => file)).to.include.members([
      'examples/liveperson/conversations-page.json',
      'test/fixtures/liveperson/msgint-page.json',
    ])
    for (const {file, records} of found) {
      expect(records).to.not.be.empty
      for (const [i, record] of records.entries()) expect(unexpectedIssues(record), `${file} #${i}`).to.deep.equal([])
    }
  })

  it('reads every file in those folders as some LivePerson page, or knows it is malformed on purpose', () => {
    for (const dir of DIRS) {
      for (const name of readdirSync(dir)) {
        if (MALFORMED.test(name)) {
          expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8')), name).to.throw(SyntaxError)
          continue
        }

        const page = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json
        expect(page, name).to.satisfy(
          (p: Json) =>
            Array.isArray(p.conversationHistoryRecords) || Array.isArray(p.conversationHistoryMetadataRecords),
        )
      }
    }
  })

  it('accepts 500 sample records', () => {
    let count = 0
    for (const record of sampleGenerators.liveperson!(500, {seed: 'conformance'})) {
      expect(unexpectedIssues(record), `sample #${count}`).to.deep.equal([])
      count++
    }

    expect(count).to.equal(500)
  })

  it('reports the first issue on one line, naming the path', () => {
    expect(firstIssue(livePersonConformance, withValue(BASE, 'info.csatRate', 8))).to.equal(
      'info.csatRate: expected 1 to 5, got 8',
    )
    expect(
      firstIssue(livePersonConformance, withValue(BASE, 'messageRecords[2].messageData.file.fileType', 'png')),
    ).to.equal(
      'messageRecords[2].messageData.file.fileType: expected "JPG" or "PNG" or "GIF" or "TXT" or "PDF", got "png"',
    )
    expect(firstIssue(livePersonConformance, BASE)).to.equal(undefined)
  })

  // [path, value that breaks the documented type, enum or range, what the message says]
  const rejections: Array<[string, unknown, string]> = [
    ['info.conversationId', undefined, 'required'],
    ['info.status', 'CLOSED', 'expected "OPEN" or "CLOSE"'],
    ['info.fullDialogStatus', 'closed', 'expected "OPEN" or "CLOSE"'],
    ['info.closeReason', 'TIMEOUT', 'expected "AGENT" or "CONSUMER" or "SYSTEM"'],
    ['info.csatRate', 0, 'expected 1 to 5'],
    ['info.csatRate', 4.5, 'expected an integer from 1 to 5'],
    ['info.csat', '5', 'expected an integer from 1 to 5'],
    ['info.mcs', 101, 'expected 0 to 100'],
    ['info.alertedMCS', 2, 'expected -1, 0 or 1'],
    ['info.source', 'WEB', 'expected "APP" or "SHARK"'],
    ['info.source', 'GOOGLE_RCS', 'expected "APP" or "SHARK"'],
    ['info.device', 'Desktop', 'expected DESKTOP, TABLET, MOBILE, NA or "undefined"'],
    ['info.operatingSystem', 'Mac OS', 'expected "WINDOWS" or "MAC_OSX"'],
    ['info.latestQueueState', 'QUEUED', 'expected "IN_QUEUE" or "ACTIVE"'],
    ['info.latestSkillId', 'returns', 'expected a numeric id'],
    ['info.latestAgentGroupId', 'Tier 1', 'expected a numeric id'],
    ['info.startTime', '2023-11-20T16:05:41.902Z', 'expected a LivePerson time'],
    ['info.startTime', '2023-11-20 16:05:41.902000+0000', 'expected a LivePerson time'],
    ['info.endTime', '2023-11-20 16:31:07+0000', 'expected a LivePerson time like'],
    ['info.startTimeL', '1700496341902', 'expected epoch milliseconds'],
    ['info.endTimeL', 1_700_497_867_015.5, 'expected epoch milliseconds'],
    ['info.duration', '25m', 'expected number, got'],
    ['info.firstConversation', 'true', 'expected boolean'],
    ['campaign.campaignId', 'Messaging', 'expected a numeric id'],
    ['campaign.lobId', 'Support', 'expected a numeric id'],
    ['monitoring.device', 'linux', 'expected "DESKTOP" or "TABLET" or "MOBILE" or "NA"'],
    ['messageRecords[0].type', 'TEXT', 'expected "TEXT_PLAIN"'],
    ['messageRecords[0].sentBy', 'Bot', 'expected "Consumer" or "Agent" or "consumer" or "agent"'],
    ['messageRecords[0].seq', 'first', 'expected a numeric id'],
    ['messageRecords[0].time', '2023-11-20 16:05:58.3+0000', 'expected a LivePerson time'],
    ['messageRecords[0].timeL', '1700496358311', 'expected epoch milliseconds'],
    ['messageRecords[2].messageData.file.fileType', 'image/png', 'expected "JPG" or "PNG" or "GIF" or "TXT" or "PDF"'],
    ['messageRecords[3].messageData.link.fileType', 7, 'expected string'],
    ['messageRecords[1].messageData.richContent.content', '{"type":"vertical"', 'expected a JSON document'],
    ['messageRecords[1].messageData.quickReplies.content', {type: 'quickReplies'}, 'expected string'],
    [
      'messageRecords[1].messageData.quickReplies.content',
      '[{"button_type":"suggestion","label":"Refund","target":"6477"}]',
      'expected LivePerson quick replies',
    ],
    [
      'messageRecords[1].messageData.quickReplies.content',
      '{"type":"quickReplies","itemsPerRow":8,"replies":[{"type":"button","title":"Yes"}]}',
      'expected LivePerson quick replies',
    ],
    ['messageRecords[1].contextData.rawMetadata', 'intent=refund', 'expected a JSON document'],
    ['agentParticipants[0].userType', 2, 'expected "0" or "1" or "2"'],
    ['agentParticipants[0].userTypeName', 'Robot', 'expected "System" or "Human" or "Bot"'],
    ['agentParticipants[1].permission', 'MANAGER', 'expected "reader" or "assigned" or "READER" or "ASSIGNED_AGENT"'],
    ['agentParticipants[1].agentGroupId', 'qu-eb6e677', 'expected a numeric id'],
    ['consumerParticipants[0].joinTimeL', '1700496341910', 'expected epoch milliseconds'],
    ['transfers[0].reason', 'OVERDUE', 'expected "back2Q" or "Agent" or "Skill" or "TakeOver"'],
    ['transfers[0].targetSkillId', 'returns', 'expected a numeric id'],
    ['interactions[0].interactiveSequence', '1', 'expected number, got'],
    ['dialogs[0].dialogType', 'SURVEY', 'expected "MAIN" or "POST_SURVEY"'],
    ['dialogs[0].status', 'CLOSED', 'expected "OPEN" or "CLOSE"'],
    ['dialogs[1].endTime', '2023-11-20T16:31:07Z', 'expected a LivePerson time like'],
    ['messageScore[0].mcs', 150, 'expected 0 to 100'],
    ['messageStatuses[0].messageDeliveryStatus', 'DELIVERED', 'expected "SENT" or "ACCEPT" or "READ"'],
    ['coBrowseSessions.coBrowseSessionsList[0].type', 'desktop', 'expected "inApp" or "web"'],
    ['sdes.events[0].serverTimeStamp', 'yesterday', 'expected a numeric id'],
    ['summary.lastUpdatedTime', '1700497770114', 'expected epoch milliseconds'],
  ]
  for (const [path, value, message] of rejections) {
    it(`rejects ${path} = ${JSON.stringify(value)}`, () => {
      const line = firstIssue(livePersonConformance, withValue(BASE, path, value))
      expect(line).to.be.a('string')
      expect(line).to.match(new RegExp(`^${path.replaceAll(/[.[\]]/g, String.raw`\$&`)}: `))
      expect(line).to.include(message)
      if (value !== undefined) expect(line).to.match(/, got .+$/)
      expect(line).to.not.include('\n')
    })
  }

  it('rejects a record without info', () => {
    expect(firstIssue(livePersonConformance, withValue(BASE, 'info'))).to.equal('info: required')
  })
})
