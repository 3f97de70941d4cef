import {cloneJson, isPlainObject, type JsonObject} from '../json.js'
import {neutralQuickReplies, quickReply, type QuickReply, richText} from '../rich-content.js'
import {type Hook} from './types.js'

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
const CONTENT_OUT_TYPE = invert(OUT_TYPE_CONTENT)

/** The neutral marker of a handoff: DeepConverse's only bot event, and the only event it shows. */
const HANDOFF = 'handoff'

/**
 * A DeepConverse message holds the customer's input (`userInput`, `userActionType`: rules with `if` on the role) or
 * the bot's output (`outMsg`, here): its options, cards and attachments are lists inside outMsg that only a bot
 * message has, which needs a collection with `if` and an attachment kind read from the enclosing outMsg.type.
 * Unknown content types become `other`; the engine keeps the exact source value.
 */
export const messageContent: Hook = {
  description:
    'outMsg (bot) ⇄ text, contentType, quickReplies, richContent, attachments, handoff metadata; the customer fields are rules.',
  fromNeutral(neutral, vendor) {
    if (neutral.role === 'customer') return
    vendor.type ??= 'BotMessage'
    const outMsg = botOutput(neutral)
    if (Object.keys(outMsg).length > 0) vendor.outMsg = outMsg
  },
  toNeutral(vendor, neutral) {
    if (neutral.role === 'customer') return
    const {outMsg} = vendor
    if (typeof outMsg === 'string') {
      neutral.text = outMsg
      return
    }

    if (!isPlainObject(outMsg)) return
    if (outMsg.type !== undefined) neutral.contentType = OUT_TYPE_CONTENT.get(outMsg.type) ?? 'other'
    if (typeof outMsg.text === 'string') neutral.text = outMsg.text
    const replies = Array.isArray(outMsg.options) ? neutralOptions(outMsg.options) : []
    if (replies.length > 0) neutral.quickReplies = replies
    if (Array.isArray(outMsg.cards)) neutral.richContent = outMsg.cards
    if (Array.isArray(outMsg.attachments)) {
      const attachments = outMsg.attachments
        .filter((a) => isPlainObject(a))
        .map((a) => neutralAttachment(a, outMsg.type))
      if (attachments.length > 0) neutral.attachments = attachments
    }

    if (outMsg.type === HANDOFF) {
      neutral.metadata = isPlainObject(outMsg.handoff) ? {event: HANDOFF, handoff: outMsg.handoff} : {event: HANDOFF}
    }
  },
}

function botOutput(neutral: JsonObject): JsonObject {
  const out: JsonObject = {}
  const {contentType, richContent, text} = neutral
  let type = CONTENT_OUT_TYPE.get(contentType)
  if (typeof text === 'string') out.text = text
  const replies = neutralQuickReplies(neutral.quickReplies)
  if (replies) out.options = replies.map((reply) => ({...reply}))
  else if (type === 'quickReplies') type = 'text'
  if (isCards(richContent)) out.cards = cloneJson(richContent)
  else if (richContent !== undefined) {
    // Another vendor's layout has no DeepConverse form: its text is shown (declared), the structure carried.
    const fallback = richText(richContent)
    if (fallback !== undefined)
      out.text = typeof out.text === 'string' && out.text ? `${out.text}\n${fallback}` : fallback
    if (type === 'carousel') type = 'text'
  }

  if (Array.isArray(neutral.attachments)) {
    const attachments = neutral.attachments.filter((a) => isPlainObject(a)).map((a) => vendorAttachment(a))
    if (attachments.length > 0) out.attachments = attachments
  }

  if (type === HANDOFF && isPlainObject(neutral.metadata) && isPlainObject(neutral.metadata.handoff)) {
    out.handoff = cloneJson(neutral.metadata.handoff)
  }

  // Quick replies in another vendor's structure are carried; their labels keep the message from being empty.
  if (out.text === undefined && out.options === undefined && out.cards === undefined && out.attachments === undefined) {
    const fallback = richText(neutral.quickReplies)
    if (fallback !== undefined) out.text = fallback
  }

  if (type !== undefined) out.type = type
  return out
}

/** outMsg.options `[{title, value?, url?}]`; `label` is accepted for the title (the engine keeps the spelling). */
function neutralOptions(options: unknown[]): QuickReply[] {
  const replies: QuickReply[] = []
  for (const option of options) {
    if (!isPlainObject(option)) continue
    const title = typeof option.title === 'string' ? option.title : option.label
    if (typeof title === 'string') replies.push(quickReply(title, option.value, option.url))
  }

  return replies
}

/** DeepConverse's carousel: a list of cards (title, subtitle, imageUrl, buttons). */
function isCards(value: unknown): value is JsonObject[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((card) => isPlainObject(card) && ['buttons', 'imageUrl', 'subtitle', 'title'].some((k) => k in card))
  )
}

/** `{url, name, mimeType}`; the neutral kind follows from the MIME type or the message's type, so it is not stored. */
function neutralAttachment(attachment: JsonObject, type: unknown): JsonObject {
  const {mimeType, name, url} = attachment
  const out: JsonObject = {kind: attachmentKind(mimeType, type)}
  if (typeof url === 'string') out.url = url
  if (typeof name === 'string') out.name = name
  if (typeof mimeType === 'string') out.fileType = mimeType
  return out
}

/** mimeType holds a MIME type: another vendor's file type spelling (PDF, JPG) is not one, and is carried. */
function vendorAttachment(attachment: JsonObject): JsonObject {
  const {fileType, name, url} = attachment
  const out: JsonObject = {}
  if (typeof url === 'string') out.url = url
  if (typeof name === 'string') out.name = name
  if (typeof fileType === 'string' && fileType.includes('/')) out.mimeType = fileType
  return out
}

function attachmentKind(mimeType: unknown, type: unknown): string {
  if (typeof mimeType === 'string' && mimeType.includes('/')) {
    const top = mimeType.slice(0, mimeType.indexOf('/')).toLowerCase()
    return top === 'image' || top === 'video' || top === 'audio' ? top : 'file'
  }

  return type === 'image' || type === 'link' ? type : 'file'
}

function invert(map: ReadonlyMap<unknown, string>): Map<unknown, string> {
  const out = new Map<unknown, string>()
  for (const [vendorValue, neutralValue] of map)
    if (!out.has(neutralValue)) out.set(neutralValue, vendorValue as string)
  return out
}
