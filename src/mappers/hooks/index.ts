import {
  contacts as iadvizeContacts,
  customData as iadvizeCustomData,
  messageAttachments as iadvizeMessageAttachments,
  messageAuthor as iadvizeMessageAuthor,
  tags as iadvizeTags,
  visitorParticipant as iadvizeVisitorParticipant,
} from './iadvize.js'
import {messageAttachments, messageRoles} from './liveperson.js'
import {type Hook} from './types.js'

/** Every code hook a mapping file may name. Names are `<vendor>.<what>`. */
export const hooks: Readonly<Record<string, Hook>> = {
  'iadvize.contacts': iadvizeContacts,
  'iadvize.custom-data': iadvizeCustomData,
  'iadvize.message-attachments': iadvizeMessageAttachments,
  'iadvize.message-author': iadvizeMessageAuthor,
  'iadvize.tags': iadvizeTags,
  'iadvize.visitor-participant': iadvizeVisitorParticipant,
  'liveperson.message-attachments': messageAttachments,
  'liveperson.message-roles': messageRoles,
}
