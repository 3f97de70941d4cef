/* eslint-disable camelcase -- other vendors' own field names (Ada, Kore.ai) */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {transforms} from '../../src/engine/transforms.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {hookContext} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

/** A neutral conversation from elsewhere with everything DeepConverse must decide about, each in its neutral form. */
const elsewhere = (): Any => ({
  dialogs: [],
  format: 'iadvize',
  // One message per line: each is a case.
  // prettier-ignore
  messages: [
    {contentType: 'event', id: 'e1', metadata: {meta_message_type: 'variable_change'}, role: 'system'},
    {contentType: 'event', id: 'e2', role: 'customer', sentAt: '2024-05-06T07:00:01Z'},
    {contentType: 'event', id: 'e3', role: 'bot', text: 'Session timed out'},
    {contentType: 'quick-replies', id: 'b1', quickReplies: [{title: 'Oui', value: 'yes'}, {title: 'Aide', url: 'https://h.test'}], role: 'bot', text: 'Ça va ?'},
    {contentType: 'rich', id: 'b2', richContent: {elements: [{text: 'Trail shoe', type: 'text'}, {title: 'Buy', type: 'button'}], type: 'vertical'}, role: 'bot'},
    {contentType: 'rich', id: 'b3', richContent: [{imageUrl: 'https://cdn.test/1.jpg', title: 'Shoe'}], role: 'bot', text: 'Ici'},
    {attachments: [{kind: 'image', url: 'https://cdn.test/2.svg'}], contentType: 'image', id: 'b4', role: 'bot'},
    {attachments: [{fileType: 'PDF', kind: 'file', url: 'https://f.test/a.pdf'}], contentType: 'file', id: 'b5', role: 'bot', text: 'Voilà'},
    {contentType: 'quick-replies', id: 'b6', quickReplies: {payload: {quick_replies: [{title: 'Yes'}]}, type: 'template'}, role: 'bot'},
    {attachments: [{fileType: 'application/pdf', kind: 'file', name: 'r.pdf', url: 'https://f.test/r.pdf'}], contentType: 'file', id: 'c1', role: 'customer', text: ''},
    {attachments: [{kind: 'link', url: 'https://shop.test/x'}], contentType: 'link', id: 'c2', role: 'customer', text: 'see https://shop.test/x'},
    {contentType: 'text', id: 'a1', participantId: 'op-1', role: 'agent', text: 'Bonjour, je suis Léa.'},
    {contentType: 'event', id: 'h1', metadata: {event: 'handoff', handoff: {platform: 'zendesk_chat'}}, role: 'bot', text: 'Un conseiller arrive.'},
  ],
  participants: [{id: 'op-1', role: 'agent'}],
  schemaVersion: '1.0',
  sourceId: 'conv-9',
  startedAt: '2024-05-06T07:00:00.999Z',
  tags: ['automation:PARTIALLY_AUTOMATED', 'VIP ⭐', 'resolved'],
  topics: [{id: 't1', kind: 'topic', name: 'Réclamations'}],
  transfers: [],
  updatedAt: '2024-05-06T07:30:00.5Z',
  vendor: 'iadvize',
})

describe('deepconverse as a target: what DeepConverse itself would show', () => {
  let mapping: CompiledMapping
  let written: Any
  const message = (id: string): Any => written.messages.find((m: Any) => m._id === id)

  before(async () => {
    mapping = await loadMapping('deepconverse')
    written = mapping.fromNeutral(elsewhere(), hookContext(mapping)) as Any
  })

  it('cuts startTime and lastActionAt to whole epoch seconds (never rounds them up)', () => {
    expect(written.startTime).to.equal(1_714_978_800)
    expect(written.lastActionAt).to.equal(1_714_980_600)
    expect(transforms['epoch-s']!.fromNeutral('2024-05-06T07:00:00.999Z', {digits: 0})).to.equal(1_714_978_800)
    expect(transforms['epoch-s']!.fromNeutral('2024-05-06T07:00:00.123456Z', {digits: 3})).to.equal(1_714_978_800.123)
    expect(transforms['epoch-s']!.checkOptions!({digits: 12})).to.be.a('string')
  })

  it('writes only DeepConverse’s own tags, and liveChat when a human agent took part', () => {
    expect(written.tags).to.deep.equal(['resolved', 'liveChat'])
    const botOnly = {...elsewhere(), messages: [], participants: []}
    expect((mapping.fromNeutral(botOnly, hookContext(mapping)) as Any).tags).to.deep.equal(['resolved'])
  })

  it('writes no agent, system or non-handoff event message, and the handoff as the bot’s handoff', () => {
    expect(written.messages.map((m: Any) => m._id)).to.deep.equal([
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
      'c1',
      'c2',
      'h1',
    ])
    expect(message('h1')).to.include({type: 'BotMessage'})
    expect(message('h1').outMsg).to.deep.equal({
      handoff: {platform: 'zendesk_chat'},
      text: 'Un conseiller arrive.',
      type: 'handoff',
    })
  })

  it('writes quick replies as options from the neutral form', () => {
    expect(message('b1').outMsg).to.deep.equal({
      options: [
        {title: 'Oui', value: 'yes'},
        {title: 'Aide', url: 'https://h.test'},
      ],
      text: 'Ça va ?',
      type: 'quickReplies',
    })
  })

  it('writes a carousel only from DeepConverse cards, another layout as its text', () => {
    expect(message('b2').outMsg).to.deep.equal({text: 'Trail shoe\nBuy', type: 'text'})
    expect(message('b3').outMsg).to.deep.equal({
      cards: [{imageUrl: 'https://cdn.test/1.jpg', title: 'Shoe'}],
      text: 'Ici',
      type: 'carousel',
    })
    // Quick replies in another vendor's structure: their labels keep the message from being empty.
    expect(message('b6').outMsg).to.deep.equal({text: 'Yes', type: 'text'})
  })

  it('writes MIME types only, and reads an attachment’s kind back from the message type', async () => {
    expect(message('b4').outMsg).to.deep.equal({attachments: [{url: 'https://cdn.test/2.svg'}], type: 'image'})
    expect(message('b5').outMsg.attachments).to.deep.equal([{url: 'https://f.test/a.pdf'}])
    const again = mapping.toNeutral(structuredClone(written), {...hookContext(mapping), withoutExtensions: true}) as Any
    const image = again.messages.find((m: Any) => m.id === 'b4')
    expect(image.attachments).to.deep.equal([{kind: 'image', url: 'https://cdn.test/2.svg'}])
  })

  it('writes a customer’s file or link as typed text: its words, or else its address', () => {
    expect(message('c1')).to.include({userActionType: 'action_userInput', userInput: 'https://f.test/r.pdf'})
    expect(message('c2')).to.include({userActionType: 'action_userInput', userInput: 'see https://shop.test/x'})
    expect(message('c2')).not.to.have.property('attachments')
  })

  it('writes the active intent only from an intent', () => {
    expect(written.metadata).not.to.have.property('__sys_activeIntent')
    const intent = {...elsewhere(), topics: [{kind: 'intent', name: 'order_status'}]}
    const vendor = mapping.fromNeutral(intent, hookContext(mapping)) as Any
    expect(vendor.metadata.__sys_activeIntent).to.equal('order_status')
  })

  it('never writes an empty message for a source message that has content, from any sample shape', async () => {
    for (const [format, generate] of Object.entries(sampleGenerators)) {
      if (format === 'deepconverse') continue
      const source = await loadMapping(format)
      for (const record of generate!(15, {seed: 'native'})) {
        const neutral = source.toNeutral(record as JsonObject, hookContext(source)) as Any
        const vendor = mapping.fromNeutral(neutral, hookContext(mapping)) as Any
        for (const m of vendor.messages ?? []) {
          const from = neutral.messages.find((n: Any) => n.id === m._id)
          const hasContent = Boolean(from.text || from.attachments || from.richContent || from.quickReplies)
          const shown = m.type === 'UserInput' ? m.userInput : m.outMsg
          if (hasContent) expect(shown, `${format} ${m._id}`).to.satisfy(Boolean)
          if (shown && m.type !== 'UserInput')
            expect(Object.keys(shown), `${format} ${m._id}`).to.not.deep.equal(['type'])
        }
      }
    }
  })
})

describe('deepconverse as a target, through the CLI: convert, verify, and back', () => {
  const tmp = useTempDir('each')

  it('verifies as PASS WITH DECLARED LOSSES and converts back to the exact neutral record', async () => {
    const input = join(tmp.dir, 'neutral.jsonl')
    const output = join(tmp.dir, 'dc.jsonl')
    const back = join(tmp.dir, 'back.jsonl')
    // b6's quick replies are in a vendor's structure, not the neutral form: a source-side bug, not a declared loss.
    const conversation = elsewhere()
    conversation.messages = conversation.messages.filter((m: Any) => m.id !== 'b6')
    await writeFile(input, stringify(conversation) + '\n')
    const convert = await runCommand([
      'convert',
      '--from',
      'neutral',
      '--to',
      'deepconverse',
      '-i',
      input,
      '-o',
      output,
    ])
    expect(convert.error).to.equal(undefined)
    const verify = await runCommand<Any>([
      'verify',
      '--from',
      'neutral',
      '--to',
      'deepconverse',
      '-s',
      input,
      '-t',
      output,
      '--json',
    ])
    expect(verify.result?.verdict.status, verify.stdout).to.equal('PASS WITH DECLARED LOSSES')
    await runCommand(['convert', '--from', 'deepconverse', '--to', 'neutral', '-i', output, '-o', back])
    // Read back as a DeepConverse conversation (its own rendering in extensions.deepconverse), with everything else
    // of the source restored from the carry.
    const {extensions, format, vendor, ...again} = JSON.parse(await readFile(back, 'utf8')) as Any
    // Only DeepConverse's own remainder, if any: the messages it does not write are rebuilt as they were.
    expect([format, vendor]).to.deep.equal(['deepconverse', 'deepconverse'])
    expect(Object.keys(extensions ?? {})).to.satisfy((keys: string[]) => keys.every((key) => key === 'deepconverse'))
    expect(stringify({...again, format: 'iadvize', vendor: 'iadvize'})).to.equal(stringify(conversation))
    const again2 = join(tmp.dir, 'again.jsonl')
    await runCommand(['convert', '--from', 'neutral', '--to', 'deepconverse', '-i', back, '-o', again2])
    expect(await readFile(again2, 'utf8')).to.equal(await readFile(output, 'utf8'))
  })
})
