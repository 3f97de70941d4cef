import {isPlainObject, type JsonObject, stringOrUndefined, withoutUndefined} from '../json.js'
import {neutralQuickReplies, richText} from '../rich-content.js'
import {DECLINE, transforms} from '../transforms.js'
import {type Hook} from './types.js'

/**
 * iAdvize GraphQL closedConversations nodes (mappings/iadvize.json). Hooks exist only where a rule cannot say it:
 * contacts found by scanning the system messages, and the author and attachment unions of a message.
 * Whatever a hook cannot reproduce exactly is kept by the engine's extension, so the hooks stay simple.
 */

/** Marks the start of every contact (the agent or bot the conversation was routed to). */
export const CONTACT_START = 'ConversationPushedSystemAttachment'

const ATTACHMENT_KINDS: Readonly<Record<string, string>> = {
  AudioAttachment: 'audio',
  FileAttachment: 'file',
  ImageAttachment: 'image',
  VideoAttachment: 'video',
}
const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  audio: 'AudioAttachment',
  file: 'FileAttachment',
  image: 'ImageAttachment',
  video: 'VideoAttachment',
}

/**
 * A conversation holds several contacts (after a transfer or a snooze); GraphQL has no contact object, but each
 * contact starts with a system message carrying a ConversationPushedSystemAttachment (its createdAt and toUser).
 * Each contact becomes a dialog named by that message's id, the messages from it on belong to it, and each later
 * contact is a transfer from the previous one's user. Derived only: the system messages themselves go back.
 */
export const contacts: Hook = {
  description:
    'Contacts (ConversationPushedSystemAttachment system messages) → dialogs, message dialogIds and transfers.',
  toNeutral(_vendor, neutral) {
    const messages = Array.isArray(neutral.messages) ? neutral.messages : []
    const dialogs: JsonObject[] = []
    const users: Array<{agentId?: string; agentName?: string}> = []
    let current: string | undefined
    for (const message of messages) {
      if (!isPlainObject(message)) continue
      const {metadata} = message
      if (isPlainObject(metadata) && metadata.__typename === CONTACT_START && typeof message.id === 'string') {
        current = message.id
        const toUser = isPlainObject(metadata.toUser) ? metadata.toUser : {}
        const agentId = isId(toUser.id) ? String(toUser.id) : undefined
        users.push(withoutUndefined({agentId, agentName: userName(toUser)}))
        dialogs.push(
          withoutUndefined({
            id: current,
            participantIds: agentId === undefined ? undefined : [agentId],
            startedAt: utc(metadata.createdAt) ?? message.sentAt,
            state: 'closed',
            type: 'main',
          }),
        )
      }

      if (current !== undefined) message.dialogId = current
    }

    if (dialogs.length === 0) return
    for (const [k, dialog] of dialogs.entries()) {
      const endedAt = k + 1 < dialogs.length ? dialogs[k + 1]!.startedAt : neutral.endedAt
      if (endedAt !== undefined) dialog.endedAt = endedAt
    }

    neutral.dialogs = dialogs
    neutral.transfers = dialogs.slice(1).map((dialog, k) =>
      withoutUndefined({
        at: dialog.startedAt,
        dialogId: dialog.id,
        from: nonEmpty(users[k]!),
        to: nonEmpty(users[k + 1]!),
      }),
    )
  },
}

/**
 * A chat message's attachments are typed (ImageAttachment, FileAttachment…) with url, fileName and mimeType. A system
 * message has one typed `attachment` instead (the neutral metadata, by rule). Written from another vendor, this hook
 * also picks the union member: iAdvize shows a ChatMessage (text and typed attachments) or a SystemMessage (a typed
 * system attachment), so an event or system message with words is a chat message, and what iAdvize has no structure
 * for (quick replies, cards) is shown as text lines after the message's own text (mappings/iadvize.json, lossy).
 */
export const messageAttachments: Hook = {
  description:
    "node.attachments[{__typename, url, fileName, mimeType}] ⇄ attachments[]; a SystemMessage's attachment ⇄ metadata; the union member and text fallback from another vendor.",
  fromNeutral(neutral, vendor) {
    const {node} = vendor
    if (!isPlainObject(node)) return
    const attachments = (Array.isArray(neutral.attachments) ? neutral.attachments : []).filter((a) => isPlainObject(a))
    const text = typeof neutral.text === 'string' ? neutral.text : ''
    if (node.__typename === 'SystemMessage' || neutral.role === 'system') {
      // Only iAdvize's own typed system attachments are written as one: another vendor's metadata is not.
      if (isSystemAttachment(neutral.metadata)) {
        node.__typename = 'SystemMessage'
        node.attachment = neutral.metadata
        return
      }

      node.__typename = text || attachments.length > 0 ? 'ChatMessage' : 'SystemMessage'
      if (node.__typename === 'SystemMessage') return
    }

    if (node.__typename !== 'ChatMessage') return
    // A link is a file by its URL: iAdvize has no link attachment, and dropping it would shift the others.
    node.attachments = attachments.map((attachment) => ({
      __typename: ATTACHMENT_TYPES[attachment.kind as string] ?? 'FileAttachment',
      fileName: stringOrUndefined(attachment.name) ?? null,
      mimeType: stringOrUndefined(attachment.fileType) ?? null,
      url: stringOrUndefined(attachment.url) ?? null,
    }))
    const lines = fallbackLines(neutral, text)
    if (lines.length > 0) node.text = [text, ...lines].filter(Boolean).join('\n')
  },
  toNeutral(vendor, neutral) {
    const {node} = vendor
    if (!isPlainObject(node) || !Array.isArray(node.attachments)) return
    const attachments: JsonObject[] = []
    for (const attachment of node.attachments) {
      if (!isPlainObject(attachment)) continue
      attachments.push(
        withoutUndefined({
          fileType: stringOrUndefined(attachment.mimeType),
          kind: ATTACHMENT_KINDS[attachment.__typename as string] ?? 'other',
          name: stringOrUndefined(attachment.fileName),
          url: stringOrUndefined(attachment.url),
        }),
      )
    }

    if (attachments.length === 0) return
    neutral.attachments = attachments
    // A file sent without words is a file (or image) message rather than a text one.
    if (neutral.contentType === 'text' && !neutral.text)
      neutral.contentType = attachments[0]!.kind === 'image' ? 'image' : 'file'
  },
}

/** Text lines for what iAdvize has no structure for: what a person reads in cards, and quick reply titles. */
function fallbackLines(neutral: JsonObject, text: string): string[] {
  const lines: string[] = []
  const replies = neutralQuickReplies(neutral.quickReplies)
  // Quick replies not yet in the neutral form (an older record) are read like rich content.
  const quick = replies ? replies.map((reply) => reply.title).join('\n') : richText(neutral.quickReplies)
  for (const block of [richText(neutral.richContent), quick]) if (block && !text.includes(block)) lines.push(block)
  return lines
}

/** iAdvize's typed system attachments (ConversationPushedSystemAttachment…), as a system message's metadata holds them. */
function isSystemAttachment(value: unknown): value is JsonObject {
  return isPlainObject(value) && typeof value.__typename === 'string' && value.__typename.endsWith('SystemAttachment')
}

function utc(value: unknown): string | undefined {
  const converted = transforms['iso-datetime']!.toNeutral(value, {})
  return converted === DECLINE || typeof converted !== 'string' ? undefined : converted
}

function userName(user: JsonObject): string | undefined {
  const name = stringOrUndefined(user.userName)
  if (name) return name
  const full = [stringOrUndefined(user.firstName), stringOrUndefined(user.lastName)].filter(Boolean).join(' ')
  return full || undefined
}

function isId(value: unknown): value is number | string {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))
}

function nonEmpty(object: JsonObject): JsonObject | undefined {
  return Object.keys(object).length > 0 ? object : undefined
}
