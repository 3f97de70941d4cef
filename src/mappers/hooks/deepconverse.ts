import {cloneJson, hasOwn, isPlainObject, type JsonObject, setOwn} from '../json.js'
import {DECLINE, transforms} from '../transforms.js'
import {type Hook} from './types.js'

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
    const seconds = transforms['epoch-s']!.fromNeutral(earliest, {})
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

/** userActionType (documented values of __sys_userAction.type, plus the form input assumed by analogy). */
const USER_ACTION_CONTENT = new Map<unknown, string>([
  ['action_userFormInput', 'form'],
  ['action_userInput', 'text'],
  ['action_userQuickReply', 'quick-replies'],
])
/** outMsg.type: not documented; the values convoshift assumes (see the mapping's assumptions). */
const OUT_TYPE_CONTENT = new Map<unknown, string>([
  ['carousel', 'rich'],
  ['file', 'file'],
  ['form', 'form'],
  ['handoff', 'event'],
  ['image', 'image'],
  ['link', 'link'],
  ['quickReplies', 'quick-replies'],
  ['text', 'text'],
])
const CONTENT_USER_ACTION = invert(USER_ACTION_CONTENT)
const CONTENT_OUT_TYPE = invert(OUT_TYPE_CONTENT)

/**
 * A DeepConverse message holds the customer's input (`userInput`, `userActionType`) or the bot's output (`outMsg`),
 * depending on its author: no rule can say "this field only for that role". The role comes from the type rule,
 * which runs first. Unknown content types become `other`; the engine keeps the exact source value.
 */
export const messageContent: Hook = {
  description:
    'userInput/userActionType (customer) or outMsg (bot) ⇄ text, contentType, quickReplies, richContent, attachments.',
  fromNeutral(neutral, vendor) {
    const customer = neutral.role === 'customer'
    vendor.type ??= customer ? 'UserInput' : 'BotMessage'
    if (customer) {
      const action = CONTENT_USER_ACTION.get(neutral.contentType)
      if (action) vendor.userActionType = action
      if (typeof neutral.text === 'string') vendor.userInput = neutral.text
      else if (isPlainObject(neutral.richContent)) vendor.userInput = cloneJson(neutral.richContent)
      return
    }

    const outMsg: JsonObject = {}
    const type = CONTENT_OUT_TYPE.get(neutral.contentType)
    if (type) outMsg.type = type
    if (typeof neutral.text === 'string') outMsg.text = neutral.text
    if (Array.isArray(neutral.quickReplies)) outMsg.options = cloneJson(neutral.quickReplies)
    if (Array.isArray(neutral.richContent)) outMsg.cards = cloneJson(neutral.richContent)
    if (Array.isArray(neutral.attachments)) {
      const attachments = neutral.attachments.filter((a) => isPlainObject(a)).map((a) => vendorAttachment(a))
      if (attachments.length > 0) outMsg.attachments = attachments
    }

    vendor.outMsg = outMsg
  },
  toNeutral(vendor, neutral) {
    if (neutral.role === 'customer') {
      const {userActionType, userInput} = vendor
      if (userActionType !== undefined) neutral.contentType = USER_ACTION_CONTENT.get(userActionType) ?? 'other'
      if (typeof userInput === 'string') neutral.text = userInput
      else if (isPlainObject(userInput)) neutral.richContent = userInput
      return
    }

    const {outMsg} = vendor
    if (typeof outMsg === 'string') {
      neutral.text = outMsg
      return
    }

    if (!isPlainObject(outMsg)) return
    if (outMsg.type !== undefined) neutral.contentType = OUT_TYPE_CONTENT.get(outMsg.type) ?? 'other'
    if (typeof outMsg.text === 'string') neutral.text = outMsg.text
    if (Array.isArray(outMsg.options)) neutral.quickReplies = outMsg.options
    if (Array.isArray(outMsg.cards)) neutral.richContent = outMsg.cards
    if (Array.isArray(outMsg.attachments)) {
      const attachments = outMsg.attachments.filter((a) => isPlainObject(a)).map((a) => neutralAttachment(a))
      if (attachments.length > 0) neutral.attachments = attachments
    }
  },
}

/** `{url, name, mimeType}`; the neutral kind follows from the MIME type, so it is not stored. */
function neutralAttachment(attachment: JsonObject): JsonObject {
  const {mimeType, name, url} = attachment
  const out: JsonObject = {kind: attachmentKind(mimeType)}
  if (typeof url === 'string') out.url = url
  if (typeof name === 'string') out.name = name
  if (typeof mimeType === 'string') out.fileType = mimeType
  return out
}

function vendorAttachment(attachment: JsonObject): JsonObject {
  const {fileType, name, url} = attachment
  const out: JsonObject = {}
  if (typeof url === 'string') out.url = url
  if (typeof name === 'string') out.name = name
  if (typeof fileType === 'string') out.mimeType = fileType
  return out
}

function attachmentKind(mimeType: unknown): string {
  if (typeof mimeType !== 'string') return 'file'
  const top = mimeType.slice(0, mimeType.indexOf('/')).toLowerCase()
  return top === 'image' || top === 'video' || top === 'audio' ? top : 'file'
}

function invert(map: ReadonlyMap<unknown, string>): Map<unknown, string> {
  const out = new Map<unknown, string>()
  for (const [vendorValue, neutralValue] of map)
    if (!out.has(neutralValue)) out.set(neutralValue, vendorValue as string)
  return out
}

/** The object at `vendor[key]`, created when absent. */
function objectAt(vendor: JsonObject, key: string): JsonObject {
  const existing = vendor[key]
  if (isPlainObject(existing)) return existing
  const created: JsonObject = {}
  vendor[key] = created
  return created
}
