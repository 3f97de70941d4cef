import {isPlainObject} from '../json.js'
import {type Hook} from './types.js'

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
