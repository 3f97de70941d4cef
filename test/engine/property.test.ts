import {expect} from 'chai'
import fc from 'fast-check'
import stringify from 'fast-json-stable-stringify'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {RecordError} from '../../src/engine/errors.js'
import {type JsonObject} from '../../src/engine/json.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {compileRecordCheck} from '../../src/engine/record-validator.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {roundTrip as mapBothWays} from '../helpers/liveperson.js'

/** Records the validator or the mapping rejects are out of scope here: they go to the rejected file. */
function roundTrip(mapping: CompiledMapping, input: JsonObject): ReturnType<typeof mapBothWays> {
  fc.pre(compileRecordCheck(mapping.definition)(input) === undefined)
  try {
    return mapBothWays(mapping, input)
  } catch (error) {
    if (error instanceof RecordError) fc.pre(false)
    throw error
  }
}

/**
 * Generated records, including hostile ones: keys that could pollute prototypes, dotted, empty and
 * numeric keys, wrong types where the mapping expects times or ids, and the vendor's placeholders.
 * Objects are built through JSON text, as real input is, so `__proto__` arrives as an own key.
 */
const adversarialKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'a.b',
  '',
  '0',
  '10',
  '~/x',
  'info',
)
const key = fc.oneof({arbitrary: adversarialKey, weight: 1}, {arbitrary: fc.string({maxLength: 8}), weight: 3})
const placeholder = fc.constantFrom('undefined', -1, 'null', '0', null, '', 0)
const scalar = fc.oneof(
  fc.string({maxLength: 12}),
  fc.integer(),
  fc.double({noDefaultInfinity: true, noNaN: true}),
  fc.boolean(),
  placeholder,
)

type Json = boolean | Json[] | null | number | string | {[key: string]: Json}
const json: fc.Arbitrary<Json> = fc.letrec<{value: Json}>((tie) => ({
  value: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    scalar as fc.Arbitrary<Json>,
    fc.array(tie('value'), {maxLength: 3}),
    objectOf(fc.tuple(key, tie('value')), 3),
  ),
})).value

/** An object from key/value pairs via JSON text, so odd keys become own properties. */
function objectOf(entry: fc.Arbitrary<[string, Json]>, maxLength: number): fc.Arbitrary<{[key: string]: Json}> {
  return fc.array(entry, {maxLength}).map(
    (entries) =>
      JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`) as {
        [key: string]: Json
      },
  )
}

/** A record with the given known fields (each optional) plus arbitrary extra keys. */
function record(
  fields: Record<string, fc.Arbitrary<Json>>,
  required: string[] = [],
): fc.Arbitrary<{[key: string]: Json}> {
  const known = Object.entries(fields).map(([name, arb]) =>
    required.includes(name)
      ? arb.map((v) => [[name, v]] as Array<[string, Json]>)
      : fc.option(
          arb.map((v) => [[name, v]] as Array<[string, Json]>),
          {nil: []},
        ),
  )
  return fc
    .tuple(fc.tuple(...known), fc.array(fc.tuple(key, json), {maxLength: 3}), fc.boolean())
    .map(([knownEntries, extra, extrasFirst]) => {
      const entries = [...knownEntries.flat(), ...extra]
      const ordered = extrasFirst ? entries.reverse() : entries
      return JSON.parse(`{${ordered.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`) as {
        [key: string]: Json
      }
    })
}

const lpTime = fc
  .integer({max: 4_102_444_800_000, min: 0})
  .map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+0000'))
const epoch = fc.oneof(fc.integer({max: 4_102_444_800_000, min: 0}), placeholder)
const time = fc.oneof(lpTime, placeholder, fc.string({maxLength: 6}))
const id = fc.oneof(fc.uuid(), fc.string({maxLength: 10}), fc.integer())
const jsonString = fc.oneof(
  json.map((v) => JSON.stringify(v)),
  fc.string({maxLength: 10}),
)

const message = record({
  contextData: record({rawMetadata: jsonString}),
  dialogId: id,
  messageData: fc.oneof(
    record({msg: record({text: fc.string()})}),
    record({
      file: record({fileType: fc.constantFrom('PDF', 'JPG'), relativePath: fc.string()}),
      link: record({externalFileLink: fc.webUrl()}),
    }),
    record({quickReplies: record({content: jsonString}), richContent: record({content: jsonString})}),
  ),
  messageId: id,
  participantId: id,
  sentBy: fc.constantFrom('Consumer', 'consumer', 'Agent', 'agent', 'System', 'Bot', 'x'),
  seq: fc.oneof(fc.integer(), scalar),
  time,
  timeL: epoch,
  type: fc.constantFrom('TEXT_PLAIN', 'RICH_CONTENT', 'HOSTED_FILE', 'LINK', 'IMG', 'SECURE_FORM_SUBMIT', 'NEW_TYPE'),
})

const agent = record({
  agentFullName: fc.string(),
  agentGroupId: fc.oneof(fc.integer(), fc.string({maxLength: 4})),
  agentId: id,
  time,
  timeL: epoch,
  userType: fc.constantFrom('0', '1', '2', '3', 2),
  userTypeName: fc.constantFrom('System', 'Human', 'Bot', 'Other'),
})

const consumer = record({
  email: fc.oneof(fc.emailAddress(), placeholder),
  firstName: fc.oneof(fc.string(), placeholder),
  joinTimeL: epoch,
  participantId: id,
  phone: fc.oneof(fc.string({maxLength: 12}), placeholder),
  time,
})

const livePersonRecord = record(
  {
    agentParticipants: fc.array(agent, {maxLength: 3}),
    consumerParticipant: fc.array(consumer, {maxLength: 2}),
    consumerParticipants: fc.oneof(fc.array(consumer, {maxLength: 2}), scalar),
    conversationSurveys: fc.array(
      record({
        surveyData: fc.array(record({answer: json, question: fc.string()}), {maxLength: 2}),
        surveyStatus: fc.constantFrom('FILLED', 'SKIPPED', '?'),
      }),
      {maxLength: 2},
    ),
    dialogs: fc.array(
      record({
        dialogId: id,
        dialogType: fc.constantFrom('MAIN', 'POST_SURVEY', 'OTHER'),
        endTimeL: epoch,
        skillId: fc.oneof(fc.integer(), scalar),
        status: fc.constantFrom('OPEN', 'CLOSE'),
      }),
      {maxLength: 2},
    ),
    info: record(
      {
        closeReason: fc.constantFrom('AGENT', 'CONSUMER', 'SYSTEM', 'TIMEOUT'),
        conversationId: fc.string({maxLength: 12}),
        csatRate: fc.oneof(fc.integer({max: 5, min: 1}), scalar),
        endTime: time,
        endTimeL: epoch,
        language: fc.oneof(fc.constantFrom('en-US', 'fr', 'pt_BR', 'EN-gb'), fc.string({maxLength: 5})),
        source: fc.constantFrom('APP', 'SHARK', 'SMS', 'NEW'),
        startTime: time,
        startTimeL: epoch,
        status: fc.constantFrom('OPEN', 'CLOSE', 'open'),
      },
      ['conversationId'],
    ),
    messageRecords: fc.array(message, {maxLength: 4}),
    sdes: json,
    summary: record({lastUpdatedTime: epoch, text: fc.string()}),
    transfers: fc.array(
      record({assignedAgentId: fc.oneof(id, placeholder), sourceSkillId: fc.oneof(fc.integer(), scalar), timeL: epoch}),
      {maxLength: 2},
    ),
  },
  ['info'],
)

describe('round trip properties (generated LivePerson records)', () => {
  let mapping: CompiledMapping

  before(async () => {
    mapping = await loadMapping('liveperson')
  })

  it('vendor → neutral → vendor returns the input, whatever keys and values it holds', () => {
    fc.assert(
      fc.property(livePersonRecord, (input) => {
        const {back} = roundTrip(mapping, input as JsonObject)
        expect(stringify(back)).to.equal(stringify(input))
      }),
      {numRuns: 400},
    )
  })

  it('never pollutes prototypes and keeps odd keys as own properties', () => {
    fc.assert(
      fc.property(livePersonRecord, (input) => {
        const {back, neutral} = roundTrip(mapping, input as JsonObject)
        expect(Object.getPrototypeOf(neutral)).to.equal(Object.prototype)
        expect(Object.getPrototypeOf(back)).to.equal(Object.prototype)
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
        expect(Object.keys(Object.prototype)).to.deep.equal([])
      }),
      {numRuns: 200},
    )
  })

  it('always produces a neutral record that satisfies the neutral schema', () => {
    fc.assert(
      fc.property(livePersonRecord, (input) => {
        const {neutral} = roundTrip(mapping, input as JsonObject)
        const result = NeutralConversation.safeParse(neutral)
        expect(result.success, JSON.stringify(result.error?.issues[0])).to.equal(true)
      }),
      {numRuns: 300},
    )
  })

  it('rejects a record only with a reason that names the vendor field', () => {
    let rejected = 0
    fc.assert(
      fc.property(livePersonRecord, (input) => {
        const problem = compileRecordCheck(mapping.definition)(input)
        if (problem) return
        try {
          mapBothWays(mapping, input as JsonObject)
        } catch (error) {
          expect(error).to.be.instanceOf(RecordError)
          expect((error as Error).message).to.match(
            /^(messageRecords|agentParticipants|consumerParticipants?|dialogs|transfers|conversationSurveys)\[\d+\]\./,
          )
          rejected++
        }
      }),
      {numRuns: 300},
    )
    expect(rejected).to.be.greaterThan(0)
  })

  it('accepts and rejects records exactly as the zod record schema does (the quick check never overrules it)', () => {
    const check = compileRecordCheck(mapping.definition)
    const zodOnly = compileRecordCheck(mapping.definition, {quick: false})
    let rejected = 0
    const mangled = fc.tuple(
      livePersonRecord,
      fc.constantFrom('info', 'messageRecords', 'dialogs', 'agentParticipants'),
      json,
    )
    fc.assert(
      fc.property(
        fc.oneof(
          livePersonRecord.map((r) => [r, undefined, undefined] as const),
          mangled,
        ),
        ([input, field, value]) => {
          const record = field === undefined ? input : {...input, [field]: value}
          const expected = zodOnly(record)
          if (expected) rejected++
          expect(check(record)).to.equal(expected)
        },
      ),
      {numRuns: 400},
    )
    expect(rejected).to.be.greaterThan(20)
  })

  it('keeps an own __proto__ key through the round trip', () => {
    const input = JSON.parse(
      '{"info":{"conversationId":"c1","__proto__":{"polluted":true}},"__proto__":{"x":1},"messageRecords":[{"messageId":"m","__proto__":[1]}]}',
    ) as JsonObject
    const {back, neutral} = roundTrip(mapping, input)
    expect(stringify(back)).to.equal(stringify(input))
    expect(Object.keys((neutral.extensions as JsonObject).liveperson as JsonObject)).to.include('unmapped')
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
  })
})
