import {isPlainObject, type JsonObject} from '../json.js'
import {type Hook} from './types.js'

/**
 * LivePerson files bots and system users as agents, and `sentBy` only says "Agent". The participant list
 * knows better (userType 2 = Bot, 0 = System), so a message's role is refined by joining its participantId.
 * The reverse direction needs nothing: the sentBy rule maps bot and system back to "Agent".
 */
export const messageRoles: Hook = {
  description: 'Refine message roles from the participant list (bots and system users are filed as agents).',
  toNeutral(_vendor, neutral) {
    const participants = neutral.participants as JsonObject[] | undefined
    const messages = neutral.messages as JsonObject[] | undefined
    if (!participants?.length || !messages?.length) return
    const roles = new Map<unknown, unknown>()
    for (const participant of participants) roles.set(participant.id, participant.role)
    for (const message of messages) {
      const role = roles.get(message.participantId)
      if (role === undefined) continue
      if (message.role === undefined || (message.role === 'agent' && (role === 'bot' || role === 'system'))) {
        message.role = role
      }
    }
  },
}

/**
 * Consumer History lists each dialog's participants as `participantsDetails: [{id, role}]`, repeating the role the
 * conversation's `participants[]` already gives. The neutral dialog keeps the ids (`participantIds`); on the way back
 * each id gets its conversation-level role again, so the details need no copy in the extension. A dialog whose
 * details say otherwise (an id with another role, or none) keeps its own list through the lossless diff.
 */
export const dialogParticipantRoles: Hook = {
  description: "dialogs[].participantsDetails[].role ⇐ the role the conversation's participants[] gives the same id.",
  fromNeutral(_neutral, vendor) {
    const {dialogs, participants} = vendor
    if (!Array.isArray(dialogs) || !Array.isArray(participants)) return
    const roles = new Map<unknown, unknown>()
    for (const participant of participants) {
      if (isPlainObject(participant) && participant.role !== undefined && !roles.has(participant.id)) {
        roles.set(participant.id, participant.role)
      }
    }

    for (const dialog of dialogs) {
      if (!isPlainObject(dialog) || !Array.isArray(dialog.participantsDetails)) continue
      for (const detail of dialog.participantsDetails) {
        if (isPlainObject(detail) && detail.role === undefined && roles.has(detail.id))
          detail.role = roles.get(detail.id)
      }
    }
  },
}

/**
 * LivePerson identifies the consumer by its participant id ("Get conversations by consumer ID" takes
 * `{"consumer": "<participantId>"}`, liveperson.md), and the consumer participant holds its email and phone: they are
 * the neutral customer's. Read only: written back through the participant.
 */
export const customerFacts: Hook = {
  description: "customer.id, email and phone ⇐ the consumer participant's (read only).",
  toNeutral(_vendor, neutral) {
    const participants = neutral.participants as JsonObject[] | undefined
    const consumer = participants?.find((participant) => participant.role === 'customer')
    if (!consumer) return
    const customer = (isPlainObject(neutral.customer) ? neutral.customer : {}) as JsonObject
    for (const [from, to] of [
      ['id', 'id'],
      ['email', 'email'],
      ['phone', 'phone'],
    ] as const) {
      if (customer[to] === undefined && typeof consumer[from] === 'string') customer[to] = consumer[from]
    }

    if (Object.keys(customer).length > 0) neutral.customer = customer
  },
}

/**
 * An open conversation has `endTime: "undefined"` and `endTimeL: -1` (the vendor sample, liveperson.md): LivePerson's
 * own placeholders for an end not reached yet, written for an open conversation only. Every other absent time is left
 * out rather than given a placeholder.
 */
export const openEnd: Hook = {
  description: 'info.endTime "undefined" and endTimeL -1 for an open conversation without an end.',
  fromNeutral(neutral, vendor) {
    if (neutral.status !== 'open' || neutral.endedAt !== undefined || !isPlainObject(vendor.info)) return
    vendor.info.endTime ??= 'undefined'
    vendor.info.endTimeL ??= -1
  },
}
