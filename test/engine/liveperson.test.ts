import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {fixtureRecords, hookContext, roundTrip} from '../helpers/liveperson.js'

type Any = Record<string, any>

describe('liveperson mapping (Messaging Interactions)', () => {
  let mapping: CompiledMapping
  let records: JsonObject[]

  before(async () => {
    mapping = await loadMapping('liveperson')
    records = fixtureRecords('liveperson/msgint-page.json', 'conversationHistoryRecords')
  })

  it('round-trips every fixture record exactly, unknown fields and placeholders included', () => {
    for (const record of records) {
      const {back} = roundTrip(mapping, record)
      expect(stringify(back)).to.equal(stringify(record))
    }
  })

  it('produces neutral records that satisfy the neutral schema', () => {
    for (const record of records) {
      const {neutral} = roundTrip(mapping, record)
      const result = NeutralConversation.safeParse(neutral)
      expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
    }
  })

  it('maps identity, times and the open-conversation placeholders', () => {
    const {neutral} = roundTrip(mapping, records[0]!) as {neutral: Any}
    expect(neutral.sourceId).to.equal('7b1d2c3e-0f4a-4b5c-9d6e-7f8a9b0c1d2e')
    expect(neutral.accountId).to.equal('le12345678')
    expect(neutral.startedAt).to.equal('2021-03-14T09:26:53.589Z')
    expect(neutral).not.to.have.property('endedAt') // endTime "undefined", endTimeL -1
    expect(neutral.status).to.equal('open')
    expect(neutral.channel).to.equal('app')
    expect(neutral.csat).to.deep.equal({scale: {max: 5, min: 1}, score: 4})
    expect(neutral.customData.sdes.events).to.have.length(2)
    expect(neutral.summaries).to.deep.equal([
      {at: '2021-03-14T09:28:45.000Z', text: 'Customer asked about order 4471; out for delivery.'},
    ])
  })

  it('reads the singular consumerParticipant and writes that spelling back', () => {
    const {back, neutral} = roundTrip(mapping, records[0]!) as {back: Any; neutral: Any}
    const customer = neutral.participants.find((p: Any) => p.role === 'customer')
    expect(customer).to.include({firstName: 'Lucía', id: 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff'})
    expect(customer).not.to.have.any.keys('lastName', 'email', 'phone', 'avatarUrl') // "undefined", "0"
    expect(back).to.have.property('consumerParticipant')
    expect(back).not.to.have.property('consumerParticipants')
  })

  it('tells bots and system users from human agents, for participants and their messages', () => {
    const a = roundTrip(mapping, records[0]!).neutral as Any
    expect(a.participants.map((p: Any) => p.role)).to.deep.equal(['bot', 'agent', 'customer'])
    expect(a.messages.map((m: Any) => m.role)).to.deep.equal(['customer', 'bot', 'agent', 'customer'])
    const b = roundTrip(mapping, records[1]!).neutral as Any
    expect(b.messages.map((m: Any) => m.role)).to.deep.equal(['customer', 'customer', 'agent', 'agent', 'system'])
  })

  it('accepts lower-case sentBy and restores the exact spelling', () => {
    const {back} = roundTrip(mapping, records[1]!) as {back: Any}
    expect(back.messageRecords.map((m: Any) => m.sentBy)).to.deep.equal([
      'consumer',
      'consumer',
      'agent',
      'agent',
      'Agent',
    ])
  })

  it('parses JSON serialised in strings and keeps the exact string', () => {
    const {neutral} = roundTrip(mapping, records[0]!) as {neutral: Any}
    // Neutral files sort keys, so a string whose keys were not sorted is kept verbatim for the way back.
    expect(neutral.messages[1].extensions.liveperson.original['/messageData/quickReplies/content']).to.equal(
      (records[0]!.messageRecords as Any[])[1]!.messageData.quickReplies.content,
    )
    expect(neutral.messages[1].quickReplies[0]).to.deep.equal({title: 'Track'})
    expect(neutral.messages[1].metadata[0].intents[0].id).to.equal('order-status')
    expect(neutral.messages[2].richContent.elements[0].text).to.equal('Order 4471: out for delivery')
    expect(neutral.messages[2].contentType).to.equal('rich')
  })

  it('keeps a timeL that disagrees with its time string in the extension', () => {
    const {neutral} = roundTrip(mapping, records[0]!) as {neutral: Any}
    const message = neutral.messages[1]
    expect(message.sentAt).to.equal('2021-03-14T09:27:03.118Z')
    expect(message.extensions.liveperson.original['/timeL']).to.equal(1_615_714_021_118)
  })

  it('maps hosted files and links to attachments', () => {
    const {neutral} = roundTrip(mapping, records[1]!) as {neutral: Any}
    expect(neutral.messages[1].attachments).to.deep.equal([
      {caption: 'facture 8812', fileType: 'application/pdf', kind: 'file', url: '/uploads/le12345678/facture-8812.pdf'},
    ])
    expect(neutral.messages[2].attachments).to.deep.equal([
      {fileType: 'HTML', kind: 'link', url: 'https://help.example.test/billing'},
    ])
    expect(neutral.language).to.equal('fr-FR')
    expect(neutral.dialogs.map((d: Any) => d.type)).to.deep.equal(['main', 'survey'])
  })

  it('keeps fields the mapping does not know in extensions.liveperson.unmapped', () => {
    const {neutral} = roundTrip(mapping, records[1]!) as {neutral: Any}
    expect(neutral.extensions.liveperson.unmapped.info.newVendorField).to.deep.equal({
      addedIn: '2026',
      flags: [1, 2, 3],
    })
  })

  it('writes a LivePerson record from a neutral one that came from elsewhere', () => {
    const neutral = {
      dialogs: [],
      format: 'ada',
      messages: [
        {id: 'm1', participantId: 'u1', role: 'customer', sentAt: '2024-01-02T03:04:05.678901Z', text: 'hi'},
        {id: 'm2', participantId: 'b1', role: 'bot', sentAt: '2024-01-02T03:04:06Z', text: 'hello'},
      ],
      participants: [
        {id: 'u1', role: 'customer'},
        {displayName: 'Helper', id: 'b1', role: 'bot'},
      ],
      schemaVersion: '1.0',
      sourceId: 'conv-1',
      startedAt: '2024-01-02T03:04:05.678901Z',
      status: 'closed',
      tags: [],
      transfers: [],
      vendor: 'ada',
    }
    const vendor = mapping.fromNeutral(neutral, hookContext(mapping)) as Any
    // Milliseconds, as LivePerson writes them; a closed conversation without an end gets no placeholder.
    expect(vendor.info).to.include({
      conversationId: 'conv-1',
      startTime: '2024-01-02 03:04:05.678+0000',
      startTimeL: 1_704_164_645_678,
      status: 'CLOSE',
    })
    expect(vendor.info).not.to.have.any.keys('endTime', 'endTimeL', 'device', 'operatingSystem', 'browser')
    expect(vendor.messageRecords[0].time).to.equal('2024-01-02 03:04:05.678+0000')
    expect(vendor.agentParticipants).to.have.length(1)
    expect(vendor.agentParticipants[0]).to.include({
      agentFullName: 'Helper',
      agentId: 'b1',
      userType: '2',
      userTypeName: 'Bot',
    })
    expect(vendor.consumerParticipants[0]).to.include({email: 'undefined', participantId: 'u1', phone: '0'})
    expect(vendor.messageRecords.map((m: Any) => m.sentBy)).to.deep.equal(['Consumer', 'Agent'])
  })
})

describe('liveperson-consumer mapping (Consumer History metadata)', () => {
  let mapping: CompiledMapping
  let records: JsonObject[]

  before(async () => {
    mapping = await loadMapping('liveperson-consumer')
    records = fixtureRecords('liveperson/consumer-page.json', 'conversationHistoryMetadataRecords')
  })

  it('round-trips both the current and the older record variant', () => {
    for (const record of records) expect(stringify(roundTrip(mapping, record).back)).to.equal(stringify(record))
  })

  it('maps stage, csat, participants and dialogs', () => {
    const {neutral} = roundTrip(mapping, records[0]!) as {neutral: Any}
    expect(neutral.status).to.equal('open') // stage wins over the main dialog's state
    expect(neutral.csat).to.deep.equal({resolved: false, scale: {max: 5, min: 1}, score: 2, status: 'partial'})
    expect(neutral.participants.map((p: Any) => [p.role, p.permission])).to.deep.equal([
      ['customer', undefined], // CONSUMER is the role itself, no seat
      ['agent', 'ASSIGNED_AGENT'],
      ['agent', 'MANAGER'],
    ])
    expect(neutral.dialogs[0]).to.include({
      closedBy: 'agent',
      endedAt: '2021-07-01T12:10:00.456Z',
      state: 'closed',
      type: 'main',
    })
    expect(neutral.closeReason).to.deep.equal({by: 'agent', code: 'AGENT'})
    expect(NeutralConversation.safeParse(neutral).success).to.equal(true)
  })

  it('gives dialog participants their conversation role back, so only details that differ stay in the extension', () => {
    const participants = [
      {id: 'c1', role: 'CONSUMER'},
      {id: 'a1', role: 'ASSIGNED_AGENT'},
    ]
    const record = {
      convId: 'conv-roles',
      dialogs: [
        {
          dialogId: 'd1',
          participantsDetails: [
            {id: 'c1', role: 'CONSUMER'},
            {id: 'a1', role: 'ASSIGNED_AGENT'},
          ],
        },
        {
          dialogId: 'd2',
          participantsDetails: [
            {id: 'c1', role: 'CONSUMER'},
            {id: 'a1', role: 'READER'},
          ],
        },
        {dialogId: 'd3', participantsDetails: [{id: 'x9', role: 'MANAGER'}]},
      ],
      participants,
    }
    const {back, neutral} = roundTrip(mapping, record) as {back: Any; neutral: Any}
    expect(stringify(back)).to.equal(stringify(record))
    const kept = neutral.dialogs.map((d: Any) => Object.keys(d.extensions?.['liveperson-consumer']?.original ?? {}))
    expect(kept).to.deep.equal([[], ['/participantsDetails/1/role'], ['/participantsDetails/0/role']])
    expect(neutral.dialogs[0].participantIds).to.deep.equal(['c1', 'a1'])
  })
})

/** Freezes a JSON value all the way down, so that any write to it throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }

  return value
}

describe('mapping purity', () => {
  it('never writes to the record it converts, with a built-in or an extended mapping', async () => {
    const {compileMapping} = await import('../../src/engine/compile.js')
    const {extendMapping} = await import('../../src/engine/load-mapping.js')
    const base = (await loadMapping('liveperson')).definition
    const extended = compileMapping(
      extendMapping(base, {rules: [{tag: {prefix: 'campaign:'}, vendor: 'campaign.campaignName'}], version: 1}),
      base,
    )
    for (const mapping of [await loadMapping('liveperson'), extended]) {
      for (const record of fixtureRecords('liveperson/msgint-page.json', 'conversationHistoryRecords')) {
        const neutral = mapping.toNeutral(deepFreeze(record), hookContext(mapping))
        mapping.fromNeutral(neutral, hookContext(mapping))
      }
    }
  })
})
