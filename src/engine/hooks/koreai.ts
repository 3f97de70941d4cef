import {stableStringify} from '../../util/stable-json.js'
import {extensionOf} from '../extension.js'
import {
  cloneJson,
  hasOwn,
  isPlainObject,
  type JsonObject,
  plainObjects,
  stringOrUndefined,
  withoutUndefined,
} from '../json.js'
import {neutralQuickReplies, type QuickReply, quickReply, richText} from '../rich-content.js'
import {type Hook} from './types.js'

/**
 * Kore.ai SmartAssist conversation + Conversation History (getMessages) messages. See mappings/koreai.json.
 *
 * The conversation object lists only agent assignments in `participants[]`; the customer (`userId`, `userInfo`) and
 * the bot (`botId`) are plain fields, and each getMessages message repeats conversation-level values (createdBy,
 * botId, accountId, lang, chnl, session and user tags). These hooks turn that into neutral participants, tags and a
 * dialog, and write the repeated values back into every message so that the lossless extension stays small.
 */

/** A Kore tag `{name, value}` ⇄ a neutral tag `name:value` (just `name` when the value is empty). */
function tagText(tag: JsonObject): string | undefined {
  if (typeof tag.name !== 'string') return undefined
  const value = typeof tag.value === 'string' || typeof tag.value === 'number' ? String(tag.value) : ''
  return value === '' ? tag.name : `${tag.name}:${value}`
}

function tagObject(tag: string): JsonObject {
  const colon = tag.indexOf(':')
  return colon === -1 ? {name: tag, value: ''} : {name: tag.slice(0, colon), value: tag.slice(colon + 1)}
}

const USER_TAG_PREFIX = 'user:'

/** Pointers of fields a neutral element's extension says its vendor element did not have. */
function absentPointers(element: JsonObject | undefined, format: string): Set<string> {
  const absent = element ? extensionOf(element, format, false)?.absent : undefined
  return new Set(
    Array.isArray(absent) ? absent.filter((pointer): pointer is string => typeof pointer === 'string') : [],
  )
}

/**
 * Every getMessages message repeats the conversation's session tags (its labels) and user tags (the customer's profile
 * labels): they become the neutral tags, user tags prefixed `user:`; on the way back each message gets them again,
 * unless its own extension says it had none. Message tags label one message and stay with it. The other repeated values
 * (sender ids, account, language, channel, session) are `from` rules in the messages collection.
 */
export const sessionTags: Hook = {
  description: 'Session and user tags every message repeats ⇄ the neutral tags `name:value`, `user:name:value`.',
  fromNeutral(neutral, vendor, context) {
    const messages = Array.isArray(vendor.messages) ? vendor.messages : []
    if (messages.length === 0) return
    // The collection rebuilt vendor.messages[i] from the i-th object of neutral.messages.
    const neutralMessages = plainObjects(neutral.messages)
    const tags = Array.isArray(neutral.tags) ? neutral.tags.filter((tag): tag is string => typeof tag === 'string') : []
    const userTags = tags
      .filter((tag) => tag.startsWith(USER_TAG_PREFIX))
      .map((tag) => tagObject(tag.slice(USER_TAG_PREFIX.length)))
    const sessionTags = tags.filter((tag) => !tag.startsWith(USER_TAG_PREFIX)).map((tag) => tagObject(tag))
    const tagLists: JsonObject = {messageTags: [], sessionTags, userTags}
    for (const [i, message] of messages.entries()) {
      if (!isPlainObject(message)) continue
      // Each message's own extension was applied before this conversation-level hook runs: a tag list it says the
      // message did not have is not added.
      const absent = absentPointers(neutralMessages[i], context.format)
      if (absent.has('/tags')) continue
      if (message.tags === undefined) message.tags = {}
      if (!isPlainObject(message.tags)) continue
      for (const [key, value] of Object.entries(tagLists)) {
        if (message.tags[key] === undefined && !absent.has(`/tags/${key}`)) message.tags[key] = cloneJson(value)
      }
    }
  },
  toNeutral(vendor, neutral) {
    const seen = new Set<string>()
    const session: string[] = []
    const user: string[] = []
    for (const message of plainObjects(vendor.messages)) {
      if (!isPlainObject(message.tags)) continue
      for (const [list, out, prefix] of [
        [message.tags.sessionTags, session, ''],
        [message.tags.userTags, user, USER_TAG_PREFIX],
      ] as const) {
        for (const tag of plainObjects(list)) {
          const label = tagText(tag)
          if (label === undefined || seen.has(prefix + label)) continue
          seen.add(prefix + label)
          out.push(prefix + label)
        }
      }
    }

    if (session.length + user.length > 0) neutral.tags = [...session, ...user]
  },
}

// ---------------------------------------------------------------- message components

/** File components and the neutral attachment kind each is. */
const FILE_COMPONENTS: Readonly<Record<string, string>> = {
  attachment: 'file',
  audio: 'audio',
  filelink: 'link',
  image: 'image',
  video: 'video',
}
const KIND_COMPONENTS: Readonly<Record<string, string>> = {
  audio: 'audio',
  file: 'attachment',
  image: 'image',
  link: 'filelink',
  other: 'attachment',
  video: 'video',
}
const KIND_CONTENT: Readonly<Record<string, string>> = {
  audio: 'file',
  file: 'file',
  image: 'image',
  link: 'link',
  other: 'file',
  video: 'file',
}
/** Component types that report something happening rather than someone writing. */
const EVENT_COMPONENTS = new Set(['action', 'alert', 'contextUpdate', 'error', 'NLResponse', 'upgrade'])

function own(map: Readonly<Record<string, string>>, key: unknown): string | undefined {
  return typeof key === 'string' && hasOwn(map, key) ? map[key] : undefined
}

/** A bot template the way Kore stores one in history: `{"type": "template", "payload": {…}}` serialised in data.text. */
function isTemplate(value: unknown): value is JsonObject {
  return isPlainObject(value) && value.type === 'template' && isPlainObject(value.payload)
}

function parseTemplate(value: string): JsonObject | undefined {
  if (value.codePointAt(0) !== 123) return undefined // "{"
  try {
    const parsed = JSON.parse(value) as unknown
    return isTemplate(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/**
 * A quick_replies template as neutral quick replies and their prompt (payload.text); undefined when a reply has no
 * title, so that the template stays rich content.
 */
function readQuickReplies(template: JsonObject): undefined | {replies: QuickReply[]; text?: string} {
  const payload = template.payload as JsonObject
  if (payload.template_type !== 'quick_replies' || !Array.isArray(payload.quick_replies)) return undefined
  const replies = plainObjects(payload.quick_replies)
  if (replies.length === 0 || replies.length !== payload.quick_replies.length) return undefined
  if (!replies.every((reply) => typeof reply.title === 'string')) return undefined
  return withoutUndefined({
    replies: replies.map((reply) => quickReply(reply.title as string, reply.payload)),
    text: stringOrUndefined(payload.text),
  }) as {replies: QuickReply[]; text?: string}
}

/* eslint-disable camelcase -- Kore.ai's own template keys */
/** Kore.ai's quick_replies template, keys in the documented order; a reply without a value sends its title. */
function quickRepliesTemplate(text: string | undefined, replies: QuickReply[]): string {
  const payload: JsonObject = {template_type: 'quick_replies'}
  if (text !== undefined) payload.text = text
  payload.quick_replies = replies.map((reply) => ({
    content_type: 'text',
    title: reply.title,
    payload: reply.value ?? reply.title,
  }))
  return JSON.stringify({type: 'template', payload})
}
/* eslint-enable camelcase */

/**
 * The components a neutral message is written as: its quick replies template (holding the text), or its text and its
 * template; another vendor's rich content or quick replies as their readable text; then one component per attachment.
 */
function buildComponents(neutral: JsonObject): JsonObject[] {
  const components: JsonObject[] = []
  const textComponent = (value: string): JsonObject => ({
    cT: neutral.contentType === 'event' ? 'alert' : 'text',
    data: {text: value},
    thumbnails: [],
  })
  const text = typeof neutral.text === 'string' ? neutral.text : undefined
  const replies = neutralQuickReplies(neutral.quickReplies)
  if (replies) {
    components.push(textComponent(quickRepliesTemplate(text, replies)))
  } else if (text !== undefined) {
    components.push(textComponent(text))
  }

  for (const content of replies ? [neutral.richContent] : [neutral.richContent, neutral.quickReplies]) {
    if (content === undefined) continue
    if (isTemplate(content)) {
      components.push(textComponent(stableStringify(content)))
      continue
    }

    // Another vendor's structure: Kore.ai shows its readable text (declared lossy in the mapping).
    const fallback = richText(content)
    if (fallback !== undefined && fallback !== text) components.push(textComponent(fallback))
  }

  for (const attachment of plainObjects(neutral.attachments)) {
    components.push({
      cT: own(KIND_COMPONENTS, attachment.kind) ?? 'attachment',
      data: withoutUndefined({
        caption: stringOrUndefined(attachment.caption),
        fileName: stringOrUndefined(attachment.name),
        mimeType: stringOrUndefined(attachment.fileType),
        url: stringOrUndefined(attachment.url),
      }),
      thumbnails: [],
    })
  }

  return components
}

/**
 * `components[]` ⇄ text, contentType, attachments, richContent and quickReplies. Component ids, thumbnails and any
 * other per-component detail the neutral fields do not hold are kept by the lossless diff element by element
 * (`/components/0/_id`), so the extension holds no second copy of a text because one component id differs.
 */
export const messageComponents: Hook = {
  description:
    'components[] (cT text, image, attachment, filelink, audio, video, templates in data.text…) ⇄ text, contentType, attachments, richContent, quickReplies.',
  fromNeutral(neutral, vendor) {
    vendor.components = buildComponents(neutral)
  },
  toNeutral(vendor, neutral) {
    const {components} = vendor
    if (!Array.isArray(components)) return
    let firstTextType: unknown
    const attachments: JsonObject[] = []
    for (const component of plainObjects(components)) {
      const data = isPlainObject(component.data) ? component.data : undefined
      const kind = own(FILE_COMPONENTS, component.cT)
      if (kind !== undefined && data) {
        attachments.push(
          withoutUndefined({
            caption: stringOrUndefined(data.caption),
            fileType: stringOrUndefined(data.mimeType),
            kind,
            name: stringOrUndefined(data.fileName),
            url: stringOrUndefined(data.url),
          }),
        )
        continue
      }

      if (typeof data?.text !== 'string') continue
      const template = parseTemplate(data.text)
      const quick = template && readQuickReplies(template)
      if (quick && neutral.quickReplies === undefined) {
        neutral.quickReplies = quick.replies
        if (quick.text !== undefined && neutral.text === undefined) {
          neutral.text = quick.text
          firstTextType = component.cT
        }
      } else if (template) {
        if (neutral.richContent === undefined) neutral.richContent = template
      } else if (neutral.text === undefined) {
        neutral.text = data.text
        firstTextType = component.cT
      }
    }

    if (attachments.length > 0) neutral.attachments = attachments
    const contentType =
      neutral.richContent === undefined
        ? neutral.quickReplies === undefined
          ? neutral.text === undefined || (neutral.text === '' && attachments.length > 0)
            ? own(KIND_CONTENT, attachments[0]?.kind)
            : firstTextType === 'text'
              ? 'text'
              : EVENT_COMPONENTS.has(firstTextType as string)
                ? 'event'
                : 'other'
          : 'quick-replies'
        : 'rich'
    if (contentType !== undefined) neutral.contentType = contentType
  },
}
