/**
 * Deterministic synthetic Intercom records, for tests and benchmarks.
 *
 * Modelled on Intercom's Conversations API reference (2.11) and the hand-written fixtures in test/fixtures/intercom:
 * a conversation object with its `source` (the opening message), `contacts`, `teammates`, `tags`, `statistics`,
 * `conversation_rating`, `custom_attributes` and `conversation_parts` (comments, notes, assignments, closes and
 * snoozes by users, leads, admins, bots and teams, some with uploads). Times are epoch seconds; bodies are HTML.
 *
 * Record `i` depends only on the seed, the options and `i`: generating 10 records gives the first 10 of a 1000-record
 * run.
 */
/* eslint-disable camelcase -- Intercom's own field names */
import {Random, sampleBasics} from './random.js'

type Json = Record<string, unknown>

/** Conversations start about this far apart, in order, from FIRST_START_S (epoch seconds). */
const FIRST_START_S = Date.UTC(2024, 5, 20, 8, 0, 0) / 1000
const START_SPACING_S = 5 * 60

const ADMINS = [
  {email: 'anna@example.test', id: '5017690', name: 'Anna Keller'},
  {email: 'rahul@example.test', id: '5017691', name: 'Rahul Mehta'},
  {email: 'chloe@example.test', id: '5017692', name: 'Chloé Martin'},
]
const BOT = {email: 'operator+abc123@intercom.example', id: '2093145', name: 'Fin'}
const TEAMS = [
  {id: '814', name: 'Billing'},
  {id: '815', name: 'Technical support'},
]
const CUSTOMERS = ['Lucía Gómez', 'Aiko Tanaka', 'Søren Ørsted', 'Ngọc Trần', 'Fatima Al-Sayed', 'Zoë Brontë']
const TAGS = ['billing', 'refund', 'bug', 'feature-request', 'vip', 'printer']
const CHANNELS: ReadonlyArray<readonly [string, number]> = [
  ['conversation', 70],
  ['email', 20],
  ['whatsapp', 5],
  ['facebook', 5],
]

/** Fields every part has; `at` is epoch seconds. */
function part(rng: Random, at: number, fields: {author: Json; body: null | string; part_type: string}): Json {
  return {
    type: 'conversation_part',
    id: rng.digits(8),
    part_type: fields.part_type,
    body: fields.body,
    created_at: at,
    updated_at: at,
    notified_at: at,
    assigned_to: null,
    author: fields.author,
    attachments: [],
    external_id: null,
    redacted: false,
  }
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** An HTML body of one or two escaped paragraphs, sometimes with a link (Intercom's editor escapes &, < and >). */
function body(rng: Random): string {
  const paragraphs = [`<p>${escape(rng.sentence(3, 14, 0.05))}</p>`]
  if (rng.chance(0.2)) paragraphs.push(`<p>${escape(rng.sentence(3, 10))}</p>`)
  if (rng.chance(0.05))
    paragraphs.push('<p><a href="https://help.example.test/a/42">See this article</a> &amp; reply.</p>')
  return paragraphs.join('')
}

function upload(rng: Random): Json {
  const image = rng.bool()
  const name = image ? `screenshot-${rng.digits(3)}.png` : `invoice-${rng.digits(4)}.pdf`
  return {
    type: 'upload',
    name,
    url: `https://downloads.intercomcdn.example/i/o/${rng.digits(6)}/${name}`,
    content_type: image ? 'image/png' : 'application/pdf',
    filesize: rng.int(2000, 900_000),
    width: image ? 1280 : null,
    height: image ? 720 : null,
  }
}

function partCount(rng: Random, mean: number): number {
  if (mean === 0 || rng.chance(0.05)) return 0
  // Triangular on [0, 2·mean]: mean `mean`, no long tail, never negative.
  return Math.max(1, Math.round(mean * (rng.next() + rng.next())))
}

/** The parts after the opening message: the customer, the bot, then an admin after an assignment; a close at the end. */
function buildParts(rng: Random, start: number, people: {admin: Json; customer: Json}, count: number): Json[] {
  const parts: Json[] = []
  let at = start
  let human = false
  for (let i = 0; i < count; i++) {
    at += rng.int(5, 300)
    const last = i === count - 1
    if (last && rng.chance(0.7)) {
      parts.push(part(rng, at, {author: people.admin, body: null, part_type: rng.chance(0.9) ? 'close' : 'snoozed'}))
      continue
    }

    if (!human && i > 0 && rng.chance(0.3)) {
      const team = rng.pick(TEAMS)
      const assignment = part(rng, at, {author: {type: 'bot', ...BOT}, body: null, part_type: 'assignment'})
      assignment.assigned_to = {type: 'team', id: team.id}
      parts.push(assignment)
      human = true
      continue
    }

    const who = rng.weighted<'admin' | 'bot' | 'customer' | 'note'>([
      ['customer', 45],
      [human ? 'admin' : 'bot', 45],
      ['note', human ? 10 : 0],
    ])
    const author = who === 'customer' ? people.customer : who === 'bot' ? {type: 'bot', ...BOT} : people.admin
    const comment = part(rng, at, {author, body: body(rng), part_type: who === 'note' ? 'note' : 'comment'})
    if (rng.chance(0.05)) (comment.attachments as Json[]).push(upload(rng))
    parts.push(comment)
  }

  return parts
}

function buildRecord(seed: string, index: number, meanMessages: number): Json {
  const rng = new Random(`${seed}/intercom/conversation/${index}`)
  const created = FIRST_START_S + index * START_SPACING_S + rng.int(0, START_SPACING_S - 1)
  const contactId = rng.hex(24)
  const lead = rng.chance(0.2)
  const customer = {type: lead ? 'lead' : 'user', id: contactId, name: lead ? '' : rng.pick(CUSTOMERS), email: ''}
  if (!lead) customer.email = `${rng.word().toLowerCase()}${rng.digits(3)}@example.test`
  const adminInfo = rng.pick(ADMINS)
  const admin = {type: 'admin', ...adminInfo}
  const outbound = rng.chance(0.05)
  const channel = rng.weighted(CHANNELS)
  const parts = buildParts(rng, created, {admin, customer}, partCount(rng, Math.max(0, meanMessages - 1)))
  const lastPart = parts.at(-1)
  const state = lastPart?.part_type === 'close' ? 'closed' : lastPart?.part_type === 'snoozed' ? 'snoozed' : 'open'
  const updated = (lastPart?.created_at as number | undefined) ?? created
  const admins = parts.some((p) => (p.author as Json).type === 'admin') || outbound
  const rated = state === 'closed' && admins && rng.chance(0.3)

  return {
    type: 'conversation',
    id: String(2_000_000 + index),
    title: channel === 'email' ? rng.sentence(2, 5) : null,
    created_at: created,
    updated_at: updated,
    waiting_since: state === 'open' ? updated : null,
    snoozed_until: state === 'snoozed' ? updated + 86_400 : null,
    source: {
      type: outbound ? 'email' : channel,
      id: rng.digits(9),
      delivered_as: outbound ? 'admin_initiated' : 'customer_initiated',
      subject: '',
      body: body(rng),
      author: outbound ? admin : customer,
      attachments: rng.chance(0.05) ? [upload(rng)] : [],
      url: channel === 'conversation' ? 'https://app.example.test/account' : null,
      redacted: false,
    },
    contacts: {
      type: 'contact.list',
      contacts: [{type: 'contact', id: contactId, external_id: lead ? null : `cust-${rng.digits(5)}`}],
    },
    admin_assignee_id: admins ? Number(adminInfo.id) : null,
    team_assignee_id: null,
    open: state !== 'closed',
    state,
    read: rng.chance(0.8),
    tags: {
      type: 'tag.list',
      tags: rng.sample(TAGS, rng.int(0, 2)).map((name) => ({
        type: 'tag',
        id: String(7100 + TAGS.indexOf(name)),
        name,
        applied_at: updated,
        applied_by: {type: 'admin', id: adminInfo.id},
      })),
    },
    priority: rng.chance(0.1) ? 'priority' : 'not_priority',
    conversation_rating: rated
      ? {
          rating: rng.int(1, 5),
          remark: rng.chance(0.5) ? rng.sentence(2, 8) : '',
          created_at: updated + 60,
          contact: {type: 'contact', id: contactId, external_id: null},
          teammate: {type: 'admin', id: adminInfo.id},
        }
      : null,
    teammates: {type: 'admin.list', teammates: admins ? [{type: 'admin', id: adminInfo.id}] : []},
    custom_attributes: rng.chance(0.3) ? {'Order number': `A-${rng.digits(4)}`, 'Refund approved': rng.bool()} : {},
    conversation_parts: {type: 'conversation_part.list', conversation_parts: parts, total_count: parts.length},
  }
}

/**
 * Intercom conversation objects as GET /conversations/{id} returns them (the `intercom` record shape).
 *
 * @yields One record per conversation, in creation order.
 */
export function* intercomRecords(count: number, options: {messages?: number; seed: number | string}): Generator<Json> {
  const {meanMessages, seed} = sampleBasics(options)
  for (let i = 0; i < count; i++) yield buildRecord(seed, i, meanMessages)
}
