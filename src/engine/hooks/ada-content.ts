/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {isPlainObject, type JsonObject, plainObjects} from '../json.js'
import {neutralQuickReplies, quickReply} from '../rich-content.js'
import {type Hook} from './types.js'

/** An Ada answer id: a quick reply's `target` is one (seed001, the published sample). */
const ADA_ID = /^[\da-f]{24}$/

/**
 * Quick replies are `[{button_type, label, target}]` ⇄ the neutral `[{title, value}]` (the target, an Ada answer, as
 * the value; a `link` button's target is its address, the neutral `url`). Code, not a nested collection, because the
 * whole list is rebuilt or kept as one: a collection would give each reply an extension of its own (Ada's v2 `answer`
 * buttons, rebuilt as suggestions), and every such reply would then count as a field no target shows.
 */
export const quickReplies: Hook = {
  description:
    'quick_replies ⇄ neutral quick replies (a link button ⇄ url; a target only when it is an Ada answer id).',
  fromNeutral(neutral, vendor) {
    const replies = neutralQuickReplies(neutral.quickReplies)
    if (!replies) return
    const data = isPlainObject(vendor.message_data) ? vendor.message_data : (vendor.message_data = {})
    data.quick_replies = replies.map((reply) => {
      if (reply.url !== undefined) return {button_type: 'link', label: reply.title, target: reply.url}
      const out: JsonObject = {button_type: 'suggestion', label: reply.title}
      // Another vendor's reply value is not an Ada answer: only an answer id is a target.
      if (reply.value !== undefined && ADA_ID.test(reply.value)) out.target = reply.value
      return out
    })
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
