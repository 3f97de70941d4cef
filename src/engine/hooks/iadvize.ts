import {isPlainObject, type JsonObject, stringOrUndefined, withoutUndefined} from '../json.js'
import {DECLINE, transforms} from '../transforms.js'
import {type Hook} from './types.js'

/**
 * iAdvize GraphQL closedConversations nodes (mappings/iadvize.json). A hook exists only where a rule cannot say it:
 * contacts found by scanning the system messages (the message unions and attachments are rules).
 * Whatever a hook cannot reproduce exactly is kept by the engine's extension, so the hook stays simple.
 */

/** Marks the start of every contact (the agent or bot the conversation was routed to). */
export const CONTACT_START = 'ConversationPushedSystemAttachment'

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
