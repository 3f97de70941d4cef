import {topics as adaTopics} from './ada.js'
import {messageContent as deepConverseMessageContent} from './deepconverse-messages.js'
import {contacts as iadvizeContacts, messageAttachments as iadvizeMessageAttachments} from './iadvize.js'
import {
  messageComponents as koreaiMessageComponents,
  sessionTags as koreaiSessionTags,
  summaryAndNotes as koreaiSummaryAndNotes,
} from './koreai.js'
import {messageContent as livePersonMessageContent} from './liveperson-content.js'
import {dialogParticipantRoles} from './liveperson.js'
import {type Hook} from './types.js'

/** Every code hook a mapping file may name. Names are `<vendor>.<what>`. */
export const hooks: Readonly<Record<string, Hook>> = {
  'ada.topics': adaTopics,
  'deepconverse.message-content': deepConverseMessageContent,
  'iadvize.contacts': iadvizeContacts,
  'iadvize.message-attachments': iadvizeMessageAttachments,
  'koreai.message-components': koreaiMessageComponents,
  'koreai.session-tags': koreaiSessionTags,
  'koreai.summary-and-notes': koreaiSummaryAndNotes,
  'liveperson.dialog-participant-roles': dialogParticipantRoles,
  'liveperson.message-content': livePersonMessageContent,
}
