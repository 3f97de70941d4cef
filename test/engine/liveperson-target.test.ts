import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'

import {conformanceIssues} from '../../src/conformance/issues.js'
import {livePersonConsumerConformance} from '../../src/conformance/liveperson-consumer.js'
import {livePersonConformance} from '../../src/conformance/liveperson.js'
import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {hookContext, roundTrip} from '../helpers/liveperson.js'

type Any = Record<string, any>

/** A closed conversation from another vendor, as the neutral model holds it; `patch` adds the case's facts. */
function neutral(patch: Any = {}): JsonObject {
  return {
    dialogs: [],
    format: 'koreai',
    messages: [],
    participants: [{id: 'u1', role: 'customer'}],
    schemaVersion: '1.0',
    sourceId: 'c-1',
    startedAt: '2024-05-06T11:33:07.500550Z',
    status: 'closed',
    tags: [],
    transfers: [],
    vendor: 'koreai',
    ...patch,
  }
}

describe('liveperson as a target: what LivePerson itself would show', () => {
  let mapping: CompiledMapping
  /** The record written, after checking that LivePerson could have produced it. */
  const write = (patch: Any = {}): Any => {
    const record = mapping.fromNeutral(neutral(patch), hookContext(mapping)) as Any
    expect(conformanceIssues(livePersonConformance, record)).to.deep.equal([])
    return record
  }

  const read = (record: Any): Any => mapping.toNeutral(structuredClone(record), hookContext(mapping)) as Any

  before(async () => {
    mapping = await loadMapping('liveperson')
  })

  it('writes times with exactly three fraction digits, the instant cut', () => {
    const record = write({endedAt: '2024-05-06T11:56:58.9Z', messages: [{id: 'm', sentAt: '2024-05-06T11:40:00Z'}]})
    expect(record.info).to.include({endTime: '2024-05-06 11:56:58.900+0000', startTime: '2024-05-06 11:33:07.500+0000'})
    expect(record.info.startTimeL).to.equal(1_714_995_187_500)
    expect(record.messageRecords[0].time).to.equal('2024-05-06 11:40:00.000+0000')
  })

  it('writes no placeholder for an absent time, and takes the earliest time for an absent start', () => {
    const record = write({
      dialogs: [{id: 'd1', type: 'main'}],
      messages: [{id: 'm', sentAt: '2024-05-06T11:40:00.123Z'}],
      startedAt: undefined,
    })
    expect(record.dialogs[0]).not.to.have.any.keys('startTime', 'startTimeL', 'endTime', 'endTimeL', 'skillId')
    expect(record.info).to.include({startTime: '2024-05-06 11:40:00.123+0000', startTimeL: 1_714_995_600_123})
    expect(record.info).not.to.have.any.keys('endTime', 'endTimeL')
    // An open conversation has the sample's placeholders for its end.
    expect(write({status: 'open'}).info).to.include({endTime: 'undefined', endTimeL: -1})
  })

  const csat = (score: number, max: number) => write({csat: {scale: {max, min: max === 10 ? 0 : 1}, score}}).info
  const reason = (closeReason: Any) => write({closeReason}).info.closeReason
  const message = (attachments: Any[], contentType = 'file') =>
    write({messages: [{attachments, contentType, id: 'm', sentAt: '2024-05-06T11:40:00Z'}]}).messageRecords[0]

  it('writes a CSAT only as a whole score on its 1-5 scale', () => {
    expect(csat(8, 10)).not.to.have.property('csatRate')
    expect(csat(4.5, 5)).not.to.have.property('csatRate')
    expect(csat(4, 5)).to.include({csatRate: 4})
  })

  it("writes the closer as LivePerson's close reason, and another vendor's code not at all", () => {
    expect(reason({by: 'agent', code: 'Resolved'})).to.equal('AGENT')
    expect(reason({by: 'system', code: 'DROP-OFF'})).to.equal('SYSTEM')
    expect(reason({by: 'bot', code: 'END_OF_BOT_SCENARIO'})).to.equal('AGENT')
    expect(reason({by: 'customer', code: 'VISITOR_DROPPED_OFF_SCENARIO'})).to.equal('CONSUMER')
    expect(reason({code: 'Resolved'})).to.equal(undefined)
    expect(reason({code: 'SYSTEM'})).to.equal('SYSTEM')
  })

  it('writes numeric ids only into the fields LivePerson documents as numbers', () => {
    const record = write({
      dialogs: [{id: 'd1', skill: {id: 'sk-billing', name: 'billing'}}],
      participants: [
        {group: {id: 'qu-ec5771e-de0a', name: 'Tier 1'}, id: 'a1', role: 'agent'},
        {group: {id: '4760825', name: 'Tier 2'}, id: 'a2', role: 'agent'},
      ],
      transfers: [{at: '2024-05-06T11:35:00Z', from: {skillId: 'sk-1'}, reason: 'OVERDUE', to: {skillId: '42'}}],
    })
    expect(record.agentParticipants[0]).to.include({agentGroupName: 'Tier 1'}).and.not.have.property('agentGroupId')
    expect(record.agentParticipants[1]).to.include({agentGroupId: 4_760_825})
    expect(record.dialogs[0]).to.include({skillName: 'billing'}).and.not.have.property('skillId')
    expect(record.transfers[0]).to.include({targetSkillId: 42}).and.not.have.any.keys('sourceSkillId', 'reason')
    expect(write({transfers: [{reason: 'Skill'}]}).transfers[0].reason).to.equal('Skill')
  })

  it("writes the device's type and operating system in LivePerson's lists, each choice as documented", () => {
    const device = (value: Any) => {
      const {info, monitoring} = write({device: value})
      expect(monitoring?.device).to.equal(info.device)
      expect(monitoring?.operatingSystem).to.equal(info.operatingSystem)
      return [info.device, info.operatingSystem]
    }

    const types = ['desktop', 'Desktop', 'Mobile', 'tablet', 'iphone', 'ipad', 'windows', 'android']
    expect(types.map((type) => device({type})[0])).to.deep.equal([
      'DESKTOP',
      'DESKTOP',
      'MOBILE',
      'TABLET',
      'MOBILE',
      'TABLET',
      undefined, // an operating system, not a device type
      undefined, // a phone or a tablet
    ])
    const systems = ['Windows', 'Mac OS', 'Mac OS X', 'Ubuntu', 'Linux', 'iOS', 'Android', 'Chrome OS', 'undefined']
    expect(systems.map((os) => device({os})[1])).to.deep.equal([
      'WINDOWS',
      'MAC_OSX',
      'MAC_OSX',
      'LINUX', // operatingSystemVersion "Ubuntu 15.00": Ubuntu is LINUX
      'LINUX',
      'IOS',
      'ANDROID',
      undefined,
      undefined,
    ])
    expect(write().info).not.to.have.any.keys('device', 'operatingSystem', 'deviceModel', 'browser')
  })

  it("writes permissions and transfer reasons from LivePerson's lists only", () => {
    const permissions = ['ASSIGNED_AGENT', 'READER', 'MANAGER', 'OPERATOR', 'BOT']
    const record = write({participants: permissions.map((permission, i) => ({id: `a${i}`, permission, role: 'agent'}))})
    expect(record.agentParticipants.map((p: Any) => p.permission)).to.deep.equal([
      'ASSIGNED_AGENT',
      'READER',
      undefined,
      undefined,
      undefined,
    ])
  })

  it('writes media types as LivePerson file types, and an image as a hosted file', () => {
    const image = message([{fileType: 'image/jpeg', kind: 'image', url: 'https://x.test/a.jpg'}], 'image')
    expect(image.type).to.equal('HOSTED_FILE')
    expect(image.messageData.file).to.deep.equal({fileType: 'JPG', relativePath: 'https://x.test/a.jpg'})
    expect(message([{fileType: 'video/mp4', kind: 'video', url: 'v.mp4'}]).messageData.file).to.deep.equal({
      relativePath: 'v.mp4',
    })
    expect(message([{fileType: 'application/pdf', kind: 'link', url: 'https://x.test/t.pdf'}]).messageData.link)
      .to.have.property('fileType')
      .equal('PDF')
    // Read back: the same media type, kind and content type.
    expect(read({info: {conversationId: 'c'}, messageRecords: [image]}).messages[0]).to.deep.include({
      attachments: [{fileType: 'image/jpeg', kind: 'image', url: 'https://x.test/a.jpg'}],
      contentType: 'image',
    })
  })

  it("writes neutral quick replies in LivePerson's structure and reads them back the same", () => {
    const quickReplies = [{title: 'Yes'}, {title: 'No', value: 'no_thanks'}, {title: 'Site', url: 'https://x.test'}]
    const message = {contentType: 'quick-replies', id: 'm', quickReplies, sentAt: '2024-05-06T11:40:00Z', text: 'Pick'}
    const record = write({messages: [message]})
    const [written] = record.messageRecords
    expect(written.type).to.equal('TEXT_PLAIN')
    expect(written.messageData.msg).to.deep.equal({text: 'Pick'})
    expect(JSON.parse(written.messageData.quickReplies.content)).to.deep.equal({
      itemsPerRow: 8,
      replies: [
        {click: {actions: [{text: 'Yes', type: 'publishText'}]}, title: 'Yes', type: 'button'},
        {click: {actions: [{text: 'no_thanks', type: 'publishText'}]}, title: 'No', type: 'button'},
        {click: {actions: [{type: 'link', uri: 'https://x.test'}]}, title: 'Site', type: 'button'},
      ],
      type: 'quickReplies',
    })
    expect(read(record).messages[0].quickReplies).to.deep.equal(quickReplies)
    // Quick replies still in another vendor's structure have no LivePerson form.
    // eslint-disable-next-line camelcase -- Ada's own key
    const ada = [{button_type: 'suggestion', label: 'Refund', target: '6477'}]
    expect(write({messages: [{id: 'm', quickReplies: ada}]}).messageRecords[0]).not.to.have.property('messageData')
  })

  it("shows another vendor's card as its text, and keeps LivePerson structured content", () => {
    // eslint-disable-next-line camelcase -- Kore.ai's own key
    const card = {payload: {buttons: [{payload: 'track', title: 'Track'}], template_type: 'button'}, type: 'template'}
    const [foreign] = write({messages: [{contentType: 'rich', id: 'm', richContent: card}]}).messageRecords
    expect(foreign.type).to.equal('TEXT_PLAIN')
    expect(foreign.messageData).to.deep.equal({msg: {text: 'Track'}})
    const own = {elements: [{text: 'Now on sale!', type: 'text'}], type: 'vertical'}
    const [native] = write({messages: [{contentType: 'rich', id: 'm', richContent: own}]}).messageRecords
    expect(native.type).to.equal('RICH_CONTENT')
    expect(JSON.parse(native.messageData.richContent.content)).to.deep.equal(own)
  })
})

/** A Messaging Interactions record with a consumer, LivePerson's NA placeholders, and `patch`. */
function record(patch: Any = {}): JsonObject {
  return {
    consumerParticipants: [
      {consumerName: 'Guest', email: 'ana@mail.example', participantId: 'c-77', phone: '0', token: 'undefined'},
    ],
    info: {conversationId: 'c-1', device: 'NA', operatingSystem: 'NA', startTime: '2024-01-08 09:00:54.799+0000'},
    monitoring: {device: 'DESKTOP', operatingSystem: 'WINDOWS'},
    ...patch,
  }
}

/** A hosted file message without caption ("undefined"). */
function file(fileType: string): Any {
  return {
    messageData: {file: {caption: 'undefined', fileType, relativePath: '/f'}},
    messageId: fileType,
    type: 'HOSTED_FILE',
  }
}

describe('liveperson as a source: facts in their neutral homes', () => {
  let mapping: CompiledMapping

  before(async () => {
    mapping = await loadMapping('liveperson')
  })

  it("gives the consumer participant's id and email to the customer, and reads NA as no value", () => {
    const {back, neutral} = roundTrip(mapping, record()) as {back: Any; neutral: Any}
    expect(neutral.customer).to.deep.equal({email: 'ana@mail.example', id: 'c-77'}) // phone "0" is none
    expect(neutral.device).to.deep.equal({os: 'Windows', type: 'desktop'})
    expect(stringify(back)).to.equal(stringify(record()))
  })

  it('reads quick replies into the neutral form and writes the exact content back', () => {
    const content = JSON.stringify({
      type: 'quickReplies',
      itemsPerRow: 3,
      replies: [
        {type: 'button', tooltip: 'Yes', title: 'Yes', click: {actions: [{type: 'publishText', text: 'Yes'}]}},
        {type: 'button', title: 'Help', click: {actions: [{type: 'link', uri: 'https://x.test'}], metadata: []}},
      ],
    })
    const input = record({
      messageRecords: [{messageData: {quickReplies: {content}}, messageId: 'm', type: 'TEXT_PLAIN'}],
    })
    const {back, neutral} = roundTrip(mapping, input) as {back: Any; neutral: Any}
    expect(neutral.messages[0].quickReplies).to.deep.equal([{title: 'Yes'}, {title: 'Help', url: 'https://x.test'}])
    expect(stringify(back)).to.equal(stringify(input))
  })

  it('reads a hosted file without caption, and a hosted PDF as a file', () => {
    const input = record({messageRecords: [file('PNG'), file('PDF')]})
    const {back, neutral} = roundTrip(mapping, input) as {back: Any; neutral: Any}
    expect(neutral.messages.map((m: Any) => [m.contentType, m.attachments])).to.deep.equal([
      ['image', [{fileType: 'image/png', kind: 'image', url: '/f'}]],
      ['file', [{fileType: 'application/pdf', kind: 'file', url: '/f'}]],
    ])
    expect(stringify(back)).to.equal(stringify(input))
  })
})

describe('liveperson-consumer as a target and a source', () => {
  let mapping: CompiledMapping

  before(async () => {
    mapping = await loadMapping('liveperson-consumer')
  })

  const write = (patch: Any): Any => {
    const record = mapping.fromNeutral(neutral(patch), hookContext(mapping)) as Any
    expect(conformanceIssues(livePersonConsumerConformance, record)).to.deep.equal([])
    return record
  }

  it('writes only its four roles, for participants and for the dialogs that list them', () => {
    const record = write({
      dialogs: [{id: 'd1', participantIds: ['u1', 'a1', 'b1', 'm1']}],
      participants: [
        {id: 'u1', role: 'customer'},
        {id: 'a1', permission: 'OPERATOR', role: 'agent'},
        {id: 'b1', permission: 'BOT', role: 'bot'},
        {id: 'm1', permission: 'MANAGER', role: 'agent'},
      ],
    })
    const roles = ['CONSUMER', 'ASSIGNED_AGENT', 'ASSIGNED_AGENT', 'MANAGER']
    expect(record.participants.map((p: Any) => p.role)).to.deep.equal(roles)
    expect(record.dialogs[0].participantsDetails.map((p: Any) => p.role)).to.deep.equal(roles)
  })

  it('writes close reasons and CSAT as the Messaging Interactions shape does', () => {
    const record = write({closeReason: {by: 'agent', code: 'Resolved'}, csat: {scale: {max: 10, min: 0}, score: 8}})
    expect(record.closeReason).to.equal('AGENT')
    expect(record).not.to.have.property('csat')
    expect(write({csat: {scale: {max: 5, min: 1}, score: 4, status: 'filled'}}).csat).to.deep.equal({
      csatRate: 4,
      status: 'FILLED',
    })
  })

  it("reads a skipped survey's 0 as no score, and the consumer as the customer", () => {
    const input = {
      convId: 'c-1',
      csat: {csatRate: 0, csatResolutionConfirmation: false, status: 'SKIPPED'},
      participants: [{id: 'c-77', role: 'CONSUMER'}],
    }
    const {back, neutral: read} = roundTrip(mapping, input) as {back: Any; neutral: Any}
    expect(read.csat).to.deep.equal({resolved: false, status: 'skipped'})
    expect(read.customer).to.deep.equal({id: 'c-77'})
    expect(stringify(back)).to.equal(stringify(input))
  })
})

describe('the transform options LivePerson uses', () => {
  it('liveperson-datetime digits: the fraction padded or cut to exactly that many digits', async () => {
    const {DECLINE, transforms} = await import('../../src/engine/transforms.js')
    const time = transforms['liveperson-datetime']!
    const three = {digits: 3}
    expect(time.fromNeutral('2024-05-06T11:33:07.500550Z', three)).to.equal('2024-05-06 11:33:07.500+0000')
    expect(time.fromNeutral('2024-05-06T11:33:07.5Z', three)).to.equal('2024-05-06 11:33:07.500+0000')
    expect(time.fromNeutral('2024-05-06T11:33:07Z', three)).to.equal('2024-05-06 11:33:07.000+0000')
    expect(time.fromNeutral('2024-05-06T11:33:07.123456Z', {})).to.equal('2024-05-06 11:33:07.123456+0000')
    expect(time.checkOptions?.({digits: 12})).to.be.a('string')
    expect(time.fromNeutral('yesterday', three)).to.equal(DECLINE)
  })

  it('number-id numeric: only a whole number is written', async () => {
    const {DECLINE, transforms} = await import('../../src/engine/transforms.js')
    const id = transforms['number-id']!
    expect(id.fromNeutral('4760825', {numeric: true})).to.equal(4_760_825)
    expect(id.fromNeutral('-1', {numeric: true})).to.equal(-1)
    expect(id.fromNeutral('qu-ec5771e', {numeric: true})).to.equal(DECLINE)
    expect(id.fromNeutral('1.5', {numeric: true})).to.equal(DECLINE)
    expect(id.fromNeutral('qu-ec5771e', {})).to.equal('qu-ec5771e')
  })
})
