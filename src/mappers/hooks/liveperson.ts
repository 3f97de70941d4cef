import {isPlainObject, type JsonObject, stringOrUndefined, withoutUndefined} from '../json.js'
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

const FILE_KINDS = new Set(['audio', 'file', 'image', 'other', 'video'])

/**
 * A message carries at most one hosted file (`messageData.file`) and one link (`messageData.link`); both
 * become neutral attachments, told apart by `kind` on the way back.
 */
export const messageAttachments: Hook = {
  description: 'messageData.file / messageData.link ⇄ attachments[] (kind file or link).',
  fromNeutral(neutral, vendor) {
    const {attachments} = neutral
    if (!Array.isArray(attachments)) return
    for (const attachment of attachments) {
      if (!isPlainObject(attachment)) continue
      const data = (isPlainObject(vendor.messageData) ? vendor.messageData : (vendor.messageData = {})) as JsonObject
      if (attachment.kind === 'link' && !data.link) {
        data.link = withoutUndefined({externalFileLink: attachment.url, fileType: attachment.fileType})
      } else if (FILE_KINDS.has(attachment.kind as string) && !data.file) {
        data.file = withoutUndefined({
          caption: attachment.caption,
          fileType: attachment.fileType,
          relativePath: attachment.url,
        })
      }
    }
  },
  toNeutral(vendor, neutral) {
    const data = vendor.messageData
    if (!isPlainObject(data)) return
    const attachments: JsonObject[] = []
    if (isPlainObject(data.file)) {
      const {caption, fileType, relativePath} = data.file
      attachments.push(
        withoutUndefined({
          caption: stringOrUndefined(caption),
          fileType: stringOrUndefined(fileType),
          kind: 'file',
          url: stringOrUndefined(relativePath),
        }),
      )
    }

    if (isPlainObject(data.link)) {
      const {externalFileLink, fileType} = data.link
      attachments.push(
        withoutUndefined({
          fileType: stringOrUndefined(fileType),
          kind: 'link',
          url: stringOrUndefined(externalFileLink),
        }),
      )
    }

    if (attachments.length > 0) neutral.attachments = attachments
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
