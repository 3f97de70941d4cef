import {cloneJson, hasOwn, isPlainObject, type JsonObject, setOwn} from '../json.js'
import {DECLINE, transforms} from '../transforms.js'
import {type Hook} from './types.js'

export {messageContent} from './deepconverse-messages.js'

/**
 * metadata keys that mappings/deepconverse.json maps to native neutral fields (channel, device, customer country,
 * topic). A test checks this list against the mapping file, so the two cannot drift apart.
 */
export const METADATA_RULE_KEYS: ReadonlySet<string> = new Set([
  '__sys_activeIntent',
  '__sys_channel',
  '__sys_userAgent',
  '__sys_userAgentParsed',
  '__sys_userCountry',
  '__sys_userIp',
])

/** The predefined parameter that repeats the record's `_id`. */
const CONVERSATION_ID_PARAMETER = '__sys_conversationId'

/**
 * DeepConverse keeps "all system and user set parameters" in one free-form `metadata` object, which is what neutral
 * customData is. The keys rules map natively stay out of it, so a value lives in one place only. On the way back a key
 * already written by a rule wins (an extending mapping may add rules on metadata keys).
 */
export const customData: Hook = {
  description: 'metadata parameters no rule maps ⇄ customData.',
  fromNeutral(neutral, vendor) {
    const data = neutral.customData
    if (!isPlainObject(data)) return
    const metadata = objectAt(vendor, 'metadata')
    for (const key of Object.keys(data)) {
      if (!hasOwn(metadata, key)) setOwn(metadata, key, cloneJson(data[key]))
    }
  },
  toNeutral(vendor, neutral) {
    const {metadata} = vendor
    if (!isPlainObject(metadata)) return
    const data: JsonObject = {}
    let any = false
    for (const key of Object.keys(metadata)) {
      if (METADATA_RULE_KEYS.has(key)) continue
      // Rebuilt from _id by deepconverse.conversation-id; a value that differs is ordinary data.
      if (key === CONVERSATION_ID_PARAMETER && metadata[key] === vendor._id) continue
      setOwn(data, key, metadata[key])
      any = true
    }

    if (any) neutral.customData = data
  },
}

/**
 * `metadata.__sys_conversationId` and every message's `conversationId` repeat the conversation's `_id`, so they are
 * written from it instead of being stored for each record and message. A source value that differs, or is missing,
 * is kept by the engine's lossless diff like any other.
 */
export const conversationId: Hook = {
  description: 'metadata.__sys_conversationId and messages[].conversationId are rebuilt from _id.',
  fromNeutral(neutral, vendor, context) {
    const id = vendor._id
    if (typeof id !== 'string') return
    const metadata = objectAt(vendor, 'metadata')
    if (!hasOwn(metadata, CONVERSATION_ID_PARAMETER)) metadata[CONVERSATION_ID_PARAMETER] = id
    if (!Array.isArray(vendor.messages)) return
    // vendor.messages[i] was rebuilt from the i-th neutral message (the collection has no route).
    const elements = Array.isArray(neutral.messages) ? neutral.messages.filter((m) => isPlainObject(m)) : []
    for (const [i, message] of vendor.messages.entries()) {
      if (!isPlainObject(message) || hasOwn(message, 'conversationId')) continue
      // A message's extension was applied before this root hook runs: one that had no conversationId says so.
      if (recordedAbsent(elements[i], context.format, '/conversationId')) continue
      message.conversationId = id
    }
  },
}

function recordedAbsent(element: JsonObject | undefined, format: string, pointer: string): boolean {
  const extensions = element?.extensions
  const extension = isPlainObject(extensions) ? extensions[format] : undefined
  return isPlainObject(extension) && Array.isArray(extension.absent) && extension.absent.includes(pointer)
}

/**
 * DeepConverse documents a startTime on every conversation, and convoshift requires it to tell its records from other
 * vendors'. A conversation from elsewhere that has no start time gets the earliest time it does have (a message, a
 * dialog, a join, a transfer, the last update or the end); the engine carries the true absence, so converting back
 * restores it.
 */
export const startTime: Hook = {
  description:
    'A conversation without startedAt is written with the earliest time it has, since startTime is always present.',
  fromNeutral(neutral, vendor) {
    if (vendor.startTime !== undefined || neutral.startedAt !== undefined) return
    let earliest: string | undefined
    let earliestMs = Number.POSITIVE_INFINITY
    for (const time of neutralTimes(neutral)) {
      const ms = Date.parse(time)
      if (ms < earliestMs) {
        earliest = time
        earliestMs = ms
      }
    }

    if (earliest === undefined) return
    const seconds = transforms['epoch-s']!.fromNeutral(earliest, {digits: 0})
    if (seconds !== DECLINE) vendor.startTime = seconds
  },
}

function* neutralTimes(neutral: JsonObject): Generator<string> {
  const elements = (key: string): JsonObject[] =>
    Array.isArray(neutral[key]) ? neutral[key].filter((e) => isPlainObject(e)) : []
  const candidates: unknown[] = [neutral.updatedAt, neutral.endedAt]
  for (const message of elements('messages')) candidates.push(message.sentAt)
  for (const dialog of elements('dialogs')) candidates.push(dialog.startedAt)
  for (const participant of elements('participants')) candidates.push(participant.joinedAt)
  for (const transfer of elements('transfers')) candidates.push(transfer.at)
  for (const time of candidates) if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) yield time
}

/**
 * The tags DeepConverse documents ("resolved, informed, liveChat etc."): outcomes its platform sets on a conversation.
 * Another vendor's labels (iAdvize's tag names, Kore.ai's session tags, prefixed tags such as `automation:`) are not
 * among them, so they are not written (the engine carries them). The documented list is open: a DeepConverse
 * conversation's other tags come back from its own extension.
 */
export const DEEPCONVERSE_TAGS: ReadonlySet<string> = new Set(['informed', 'liveChat', 'resolved'])
/** "The customer was handed off to a human": set when an agent took part (mappings/deepconverse.json). */
const LIVE_CHAT = 'liveChat'

export const tags: Hook = {
  description: "Only DeepConverse's own tags are written to tags; liveChat also when a human agent took part.",
  fromNeutral(neutral, vendor) {
    const list = Array.isArray(neutral.tags)
      ? neutral.tags.filter((tag): tag is string => typeof tag === 'string' && DEEPCONVERSE_TAGS.has(tag))
      : []
    if (!list.includes(LIVE_CHAT) && agentTookPart(neutral)) list.push(LIVE_CHAT)
    vendor.tags = list
  },
}

function agentTookPart(neutral: JsonObject): boolean {
  return hasAgent(neutral.participants) || hasAgent(neutral.messages)
}

function hasAgent(list: unknown): boolean {
  return Array.isArray(list) && list.some((element) => isPlainObject(element) && element.role === 'agent')
}

/** The object at `vendor[key]`, created when absent. */
function objectAt(vendor: JsonObject, key: string): JsonObject {
  const existing = vendor[key]
  if (isPlainObject(existing)) return existing
  const created: JsonObject = {}
  vendor[key] = created
  return created
}
