import {isPlainObject, type JsonObject, plainObjects} from '../json.js'
import {DECLINE, transforms} from '../transforms.js'
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
 * Every LivePerson conversation has a start (the search API filters on it, and requires that filter): one from another
 * shape without startedAt gets the earliest time it has (a message, dialog, join, transfer, update or end), a declared
 * difference. An open conversation has `endTime: "undefined"` and `endTimeL: -1` (the vendor sample, liveperson.md):
 * LivePerson's own placeholders for an end not reached yet. Every other absent time is left out.
 */
export const conversationTimes: Hook = {
  description: 'info.startTime from the earliest time when absent; endTime "undefined"/-1 while open.',
  fromNeutral(neutral, vendor) {
    if (!isPlainObject(vendor.info)) return
    const {info} = vendor
    if (info.startTime === undefined && neutral.startedAt === undefined) {
      const earliest = earliestTime(neutral)
      if (earliest !== undefined) {
        const time = transforms['liveperson-datetime']!.fromNeutral(earliest, {digits: 3})
        const ms = transforms['epoch-ms']!.fromNeutral(earliest, {})
        if (time !== DECLINE && ms !== DECLINE) Object.assign(info, {startTime: time, startTimeL: ms})
      }
    }

    if (neutral.status === 'open' && neutral.endedAt === undefined) {
      info.endTime ??= 'undefined'
      info.endTimeL ??= -1
    }
  },
}

function earliestTime(neutral: JsonObject): string | undefined {
  const candidates: unknown[] = [neutral.updatedAt, neutral.endedAt]
  for (const [key, field] of [
    ['messages', 'sentAt'],
    ['dialogs', 'startedAt'],
    ['participants', 'joinedAt'],
    ['transfers', 'at'],
  ] as const) {
    for (const element of plainObjects(neutral[key])) candidates.push(element[field])
  }

  let earliest: string | undefined
  let earliestMs = Number.POSITIVE_INFINITY
  for (const time of candidates) {
    const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN
    if (ms < earliestMs) {
      earliest = time as string
      earliestMs = ms
    }
  }

  return earliest
}
