/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {isPlainObject, type JsonObject, plainObjects} from '../json.js'
import {neutralQuickReplies, quickReply, richText} from '../rich-content.js'
import {type Hook} from './types.js'

/** An Ada answer id: a quick reply's `target` is one (seed001, the published sample). */
const ADA_ID = /^[\da-f]{24}$/

/**
 * What a message shows. Quick replies are `[{button_type, label, target}]` ⇄ the neutral `[{title, value}]` (the
 * target, an Ada answer, as the value; a `link` button's target is its address, the neutral `url`). Ada has text, pictures, quick replies and events only: a message of another
 * kind is written as text, with its text, or else the text of its rich content (richText), or else the address of its
 * file or link, so that no message is written empty. Every message has a `_type` (text when nothing says otherwise).
 */
export const messageContent: Hook = {
  description:
    'quick_replies ⇄ neutral quick replies; rich content, files and links shown as text; a message_data._type always.',
  fromNeutral(neutral, vendor) {
    const data = isPlainObject(vendor.message_data) ? vendor.message_data : {}
    const replies = neutralQuickReplies(neutral.quickReplies)
    if (replies) {
      data.quick_replies = replies.map((reply) => {
        if (reply.url !== undefined) return {button_type: 'link', label: reply.title, target: reply.url}
        const out: JsonObject = {button_type: 'suggestion', label: reply.title}
        // Another vendor's reply value is not an Ada answer: only an answer id is a target.
        if (reply.value !== undefined && ADA_ID.test(reply.value)) out.target = reply.value
        return out
      })
    }

    if (data.body === undefined && data.pic_url === undefined && !replies) {
      const shown = richText(neutral.richContent) ?? plainObjects(neutral.attachments).find((a) => a.url)?.url
      if (typeof shown === 'string') data.body = shown
    }

    if (data._type === undefined) data._type = replies ? 'quick_replies' : 'text'
    vendor.message_data = data
  },
  toNeutral(vendor, neutral) {
    const data = isPlainObject(vendor.message_data) ? vendor.message_data : undefined
    if (!data || !Array.isArray(data.quick_replies)) return
    const replies = plainObjects(data.quick_replies)
    if (replies.length !== data.quick_replies.length || replies.some((r) => typeof r.label !== 'string')) return
    neutral.quickReplies = replies.map((reply) =>
      reply.button_type === 'link'
        ? quickReply(reply.label as string, undefined, reply.target)
        : quickReply(reply.label as string, reply.target),
    )
  },
}
