import {stableStringify} from '../../util/stable-json.js'
import {isPlainObject, type JsonObject} from '../json.js'
import {neutralQuickReplies, type QuickReply, quickReply, richText} from '../rich-content.js'
import {type Hook} from './types.js'

/**
 * Quick replies (`messageData.quickReplies.content`, a JSON string): LivePerson's chips `{type: "button", title,
 * click: {actions}}` ⇄ the neutral `[{title, value?, url?}]`: a publishText action's text is the value, a link
 * action's uri the url. Tooltips, styles and metadata stay in the extension (the content string is kept whole
 * when the rebuilt one differs).
 *
 * Rich content: LivePerson structured content (a template: `type` and an `elements` list, "Introduction to Structured
 * Content") is written back as it is. Another vendor's cards are not LivePerson structured content: the message shows
 * their text (`richText`) as plain text, and the structure is not written natively (declared in the mapping).
 */
export const messageContent: Hook = {
  description: 'quickReplies.content ⇄ neutral quick replies; rich content in LivePerson structure, else its text.',
  fromNeutral(neutral, vendor) {
    const replies = neutralQuickReplies(neutral.quickReplies)
    if (replies) data(vendor).quickReplies = {content: JSON.stringify(quickRepliesContent(replies))}
    const {richContent} = neutral
    if (richContent === undefined) return
    if (isStructuredContent(richContent)) {
      // Sorted keys, as the json-string transform writes them: neutral files do not keep key order.
      data(vendor).richContent = {content: stableStringify(richContent)}
      return
    }

    const text = richText(richContent)
    const message = data(vendor)
    if (text !== undefined && !isPlainObject(message.msg)) message.msg = {text}
    if (vendor.type === 'RICH_CONTENT') vendor.type = 'TEXT_PLAIN'
  },
  toNeutral(vendor, neutral) {
    const messageData = isPlainObject(vendor.messageData) ? vendor.messageData : undefined
    const quick = isPlainObject(messageData?.quickReplies) ? messageData.quickReplies.content : undefined
    const replies = typeof quick === 'string' ? readQuickReplies(quick) : undefined
    if (replies) neutral.quickReplies = replies
    const rich = isPlainObject(messageData?.richContent) ? messageData.richContent.content : undefined
    const parsed = typeof rich === 'string' ? parse(rich) : undefined
    if (parsed !== undefined) neutral.richContent = parsed
  },
}

function data(vendor: JsonObject): JsonObject {
  if (!isPlainObject(vendor.messageData)) vendor.messageData = {}
  return vendor.messageData as JsonObject
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A structured content template: "The object will always have a type" and holds the elements array. */
function isStructuredContent(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value.type === 'string' &&
    Array.isArray(value.elements) &&
    value.elements.every((element) => isPlainObject(element) && typeof element.type === 'string')
  )
}

/** LivePerson's chips in the neutral form; undefined when the content is not quick replies of titled chips. */
function readQuickReplies(content: string): QuickReply[] | undefined {
  const parsed = parse(content)
  if (!isPlainObject(parsed) || parsed.type !== 'quickReplies' || !Array.isArray(parsed.replies)) return undefined
  const replies: QuickReply[] = []
  for (const chip of parsed.replies) {
    if (!isPlainObject(chip) || typeof chip.title !== 'string') return undefined
    const actions = isPlainObject(chip.click) && Array.isArray(chip.click.actions) ? chip.click.actions : []
    const publish = actions.find((action) => isPlainObject(action) && action.type === 'publishText') as
      JsonObject | undefined
    const link = actions.find((action) => isPlainObject(action) && action.type === 'link') as JsonObject | undefined
    replies.push(quickReply(chip.title, publish?.text, link?.uri))
  }

  return replies.length > 0 ? replies : undefined
}

/**
 * The documented quick replies structure ("Quick Replies", rich-messaging-quick-replies-overview): type, itemsPerRow
 * and replies are required, and so are a chip's type, title and click. A chip publishes its value (or its title) as
 * text, unless it only opens a link.
 */
function quickRepliesContent(replies: QuickReply[]): JsonObject {
  return {
    type: 'quickReplies',
    itemsPerRow: ITEMS_PER_ROW,
    replies: replies.map((reply) => {
      const actions: JsonObject[] = []
      if (reply.value !== undefined || reply.url === undefined) {
        actions.push({type: 'publishText', text: reply.value ?? reply.title})
      }

      if (reply.url !== undefined) actions.push({type: 'link', uri: reply.url})
      return {type: 'button', title: reply.title, click: {actions}}
    }),
  }
}

/** Required, and no source says how many chips a row holds: 8, the documented maximum and the docs' own value. */
const ITEMS_PER_ROW = 8
