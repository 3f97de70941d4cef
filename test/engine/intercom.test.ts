/* eslint-disable camelcase -- Intercom's own field names */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {CARRY_VERSION} from '../../src/engine/carry-document.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {ExitCode} from '../../src/errors.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const RETRIEVED = join(FIXTURES, 'intercom', 'conversations.jsonl')
const PAGE = join(FIXTURES, 'intercom', 'conversations-page.json')

async function jsonl(path: string): Promise<Any[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Any)
}

async function inputRecords(path: string): Promise<Any[]> {
  if (path.endsWith('.jsonl')) return jsonl(path)
  return (JSON.parse(await readFile(path, 'utf8')) as {conversations: Any[]}).conversations
}

describe('intercom mapping (a mapping file only: no hook)', () => {
  const tmp = useTempDir('each')

  /** intercom → neutral → intercom with two convert runs, as a user does it; returns the neutral records too. */
  async function throughNeutral(input: string): Promise<{back: Any[]; neutral: Any[]; stdout: string}> {
    const neutralPath = join(tmp.dir, 'neutral.jsonl')
    const backPath = join(tmp.dir, 'back.jsonl')
    const {stdout} = await runCommand([
      'convert',
      '--from',
      'intercom',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      neutralPath,
    ])
    await runCommand(['convert', '--from', 'neutral', '--to', 'intercom', '--input', neutralPath, '--output', backPath])
    return {back: await jsonl(backPath), neutral: await jsonl(neutralPath), stdout}
  }

  for (const [what, path, count] of [
    ['retrieved conversations (JSON Lines)', RETRIEVED, 6],
    ['a list page ({"type": "conversation.list", "conversations": […], "pages": …})', PAGE, 3],
  ] as const) {
    it(`round-trips ${what} exactly through convert`, async () => {
      const {back, stdout} = await throughNeutral(path)
      expect(stdout).to.contain(`${count} read = ${count} converted + 0 rejected`)
      const original = await inputRecords(path)
      expect(back.map((record) => stableStringify(record))).to.deep.equal(
        original.map((record) => stableStringify(record)),
      )
    })
  }

  it('tells a user who names another shape that the list page is an Intercom page', async () => {
    const {stderr} = await runCommand([
      'convert',
      '--from',
      'ada',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      join(tmp.dir, 'x.jsonl'),
    ])
    expect(stderr).to.contain('this is an intercom API page ("conversations"), not ada')
    expect(stderr).to.contain('use --from intercom')
    expect(process.exitCode).to.equal(ExitCode.InvalidInput)
  })

  it('names no hook anywhere', async () => {
    const {definition} = await loadMapping('intercom')
    expect(definition.hooks ?? []).to.deep.equal([])
    expect((definition.collections ?? []).flatMap((collection) => collection.hooks ?? [])).to.deep.equal([])
  })

  it('reads parts as messages: plain text from HTML, roles from the author type, epoch-second times, events', async () => {
    const {neutral} = await throughNeutral(RETRIEVED)
    const billing = neutral.find((record) => record.sourceId === '2001')!
    const [opening, ...messages] = billing.messages as [Any, Any, Any, Any, Any, Any, Any, Any]
    expect(opening).to.deep.include({
      id: '9001',
      participantId: '6657a1b2c3d4e5f601a2b3c4',
      role: 'customer',
      sentAt: '2024-06-20T08:00:00Z',
      text: 'I was charged twice for my June invoice.',
    })
    expect(messages.map((m) => [m.id, m.role, m.contentType, m.metadata?.partType])).to.deep.equal([
      ['30001', 'bot', 'text', undefined],
      ['30002', 'customer', 'text', undefined],
      ['30003', 'bot', 'event', 'assignment'],
      ['30004', 'system', 'event', 'assignment'],
      ['30005', 'agent', 'text', undefined],
      ['30006', 'customer', 'text', undefined],
      ['30007', 'agent', 'event', 'close'],
    ])
    expect(messages[4]!.text).to.equal(
      'Hi Lucía, I can see the duplicate charge. I have refunded it; it will show in 3–5 days.',
    )
    expect(messages[0]!.sentAt).to.equal('2024-06-20T08:00:05Z')
    expect(messages[3]!.metadata.assignedTo).to.deep.equal({id: '5017690', type: 'admin'})
    expect(billing).to.include({
      channel: 'web',
      endedAt: '2024-06-20T08:21:00Z',
      startedAt: '2024-06-20T08:00:00Z',
      status: 'closed',
      updatedAt: '2024-06-20T08:21:00Z',
    })
    expect(billing.tags).to.deep.equal(['billing', 'refund'])
    expect(billing.customer).to.deep.equal({
      email: 'lucia@example.test',
      externalId: 'cust-20931',
      id: '6657a1b2c3d4e5f601a2b3c4',
      name: 'Lucía Gómez',
    })
    expect(billing.participants.map((p: Any) => [p.id, p.role, p.displayName, p.email])).to.deep.equal([
      ['6657a1b2c3d4e5f601a2b3c4', 'customer', 'Lucía Gómez', 'lucia@example.test'],
      ['5017690', 'agent', 'Anna Keller', 'anna@example.test'],
      ['274', 'bot', 'Fin', 'operator+abcd1234@intercom.io'],
      ['814', 'system', 'Billing', undefined],
    ])
  })

  it('reads the rating as CSAT on 1–5, custom attributes as customData, snoozed as open, uploads as attachments', async () => {
    const {neutral} = await throughNeutral(RETRIEVED)
    const byId = new Map(neutral.map((record) => [record.sourceId, record]))
    expect(byId.get('2003')!.csat).to.deep.equal({
      comment: 'Quick and helpful',
      scale: {max: 5, min: 1},
      score: 4,
      status: 'filled',
    })
    const snoozed = byId.get('2005')!
    expect(snoozed).to.include({channel: 'email', status: 'open'})
    expect(snoozed.customData).to.deep.equal({
      'Copilot used': true,
      'Customer tier': 'gold',
      'Order number': 'A-1042',
      'Order value': 129.9,
      'Refund approved': false,
    })
    const upload = byId.get('2004')!.messages[2]
    expect(upload).to.deep.include({contentType: 'file', text: 'Please follow the attached guide, section 3.'})
    expect(upload.attachments.map(({extensions: _extensions, ...attachment}: Any) => attachment)).to.deep.equal([
      {
        fileType: 'application/pdf',
        kind: 'file',
        name: 'setup-guide.pdf',
        url: 'https://downloads.intercomcdn.example/i/o/102/setup-guide.pdf',
      },
    ])
  })

  it("writes another vendor's names into the authors, its rating, assignee and priority as Intercom has them", async () => {
    const neutralPath = join(tmp.dir, 'in.jsonl')
    const out = join(tmp.dir, 'out.jsonl')
    const conversation = {
      csat: {scale: {max: 5, min: 1}, score: 5},
      customer: {externalId: 'crm-7', id: 'u1'},
      dialogs: [],
      format: 'neutral',
      messages: [
        {id: 'm1', participantId: 'u1', role: 'customer', sentAt: '2024-01-02T03:04:05Z', text: 'hi'},
        {
          contentType: 'event',
          id: 'm2',
          metadata: {assignedTo: {id: '42', type: 'admin'}, partType: 'assignment'},
          participantId: 'b1',
          role: 'bot',
          sentAt: '2024-01-02T03:05:00Z',
        },
        {id: 'm3', participantId: '42', role: 'agent', sentAt: '2024-01-02T03:06:00Z', text: 'hello'},
      ],
      participants: [
        {displayName: 'Ana', email: 'ana@example.test', id: 'u1', role: 'customer'},
        {displayName: 'Raj', id: '42', role: 'agent'},
      ],
      schemaVersion: '1.0',
      sourceId: 'conv-2',
      startedAt: '2024-01-02T03:04:05Z',
      tags: ['vip', 'priority:priority'],
      transfers: [],
      vendor: 'koreai',
    }
    await writeFile(neutralPath, JSON.stringify(conversation) + '\n')
    await runCommand(['convert', '--from', 'neutral', '--to', 'intercom', '--input', neutralPath, '--output', out])
    const [record] = await jsonl(out)
    expect(record!.source.author).to.deep.equal({email: 'ana@example.test', id: 'u1', name: 'Ana', type: 'user'})
    const parts = record!.conversation_parts
    expect(parts.conversation_parts.map((part: Any) => part.author)).to.deep.equal([
      {id: 'b1', type: 'bot'},
      {id: '42', name: 'Raj', type: 'admin'},
    ])
    expect(parts.total_count).to.equal(2)
    expect(record!.first_contact_reply).to.deep.equal({created_at: 1_704_164_645, type: 'conversation', url: null})
    expect(record!.contacts.contacts).to.deep.equal([{external_id: 'crm-7', id: 'u1', type: 'contact'}])
    expect(record!.conversation_rating).to.deep.include({
      contact: {external_id: 'crm-7', id: 'u1', type: 'contact'},
      rating: 5,
      teammate: {id: '42', type: 'admin'},
    })
    expect(record).to.deep.include({
      admin_assignee_id: 42,
      ai_agent_participated: true,
      priority: 'priority',
      team_assignee_id: null,
    })
    expect(record!.tags.tags).to.deep.equal([{name: 'vip'}])
  })

  it("writes another vendor's text as escaped HTML paragraphs and carries the rest in custom_attributes.convoshift", async () => {
    const neutralPath = join(tmp.dir, 'in.jsonl')
    const out = join(tmp.dir, 'out.jsonl')
    const conversation = {
      customData: {tier: 'gold'},
      dialogs: [{id: 'd1', type: 'main'}],
      format: 'liveperson',
      language: 'fr-FR',
      messages: [
        {
          id: 'm1',
          participantId: 'u1',
          role: 'customer',
          sentAt: '2024-01-02T03:04:05.678Z',
          text: 'a < b & c\nline 2',
        },
      ],
      participants: [{id: 'u1', role: 'customer'}],
      schemaVersion: '1.0',
      sourceId: 'conv-1',
      startedAt: '2024-01-02T03:04:05Z',
      status: 'open',
      tags: ['vip'],
      transfers: [],
      vendor: 'liveperson',
    }
    await writeFile(neutralPath, JSON.stringify(conversation) + '\n')
    await runCommand(['convert', '--from', 'neutral', '--to', 'intercom', '--input', neutralPath, '--output', out])
    const [record] = await jsonl(out)
    // The first message opens the conversation: it is the source, and no part is left.
    expect(record!.source).to.deep.include({
      body: '<p>a &lt; b &amp; c</p><p>line 2</p>',
      delivered_as: 'customer_initiated',
      type: 'conversation',
    })
    expect(record!.source.author).to.deep.equal({id: 'u1', type: 'user'})
    expect(record!.conversation_parts).to.deep.include({conversation_parts: [], total_count: 0})
    expect(record).to.deep.include({created_at: 1_704_164_645, open: true, state: 'open'})
    expect(record!.tags.tags).to.deep.equal([{name: 'vip'}])
    expect(record!.custom_attributes.tier).to.equal('gold')
    const carried = JSON.parse(record!.custom_attributes.convoshift) as Any
    expect(carried.convoshift).to.equal(CARRY_VERSION)
    expect(JSON.stringify(carried)).to.contain('fr-FR')
  })
})
