import {messageContent as adaMessageContent, metavariables as adaMetavariables} from './ada-content.js'
import {
  csat as adaCsat,
  dateCreated as adaDateCreated,
  messageSenders as adaMessageSenders,
  participants as adaParticipants,
  topics as adaTopics,
} from './ada.js'
import {messageContent, nativeMessages} from './deepconverse-messages.js'
import {
  contacts as iadvizeContacts,
  customData as iadvizeCustomData,
  messageAttachments as iadvizeMessageAttachments,
  messageAuthor as iadvizeMessageAuthor,
  tags as iadvizeTags,
  visitorParticipant as iadvizeVisitorParticipant,
} from './iadvize.js'
import {
  agentName as koreaiAgentName,
  botSession as koreaiBotSession,
  conversationPeople as koreaiConversationPeople,
  keyIntent as koreaiKeyIntent,
  messageComponents as koreaiMessageComponents,
  messageContext as koreaiMessageContext,
  messageSender as koreaiMessageSender,
  summaryAndNotes as koreaiSummaryAndNotes,
  transferTargets as koreaiTransferTargets,
} from './koreai.js'
import {messageContent as livePersonMessageContent} from './liveperson-content.js'
import {dialogParticipantRoles} from './liveperson.js'
import {type Hook} from './types.js'

/** Every code hook a mapping file may name. Names are `<vendor>.<what>`. */
export const hooks: Readonly<Record<string, Hook>> = {
  'ada.csat': adaCsat,
  'ada.date-created': adaDateCreated,
  'ada.message-content': adaMessageContent,
  'ada.message-senders': adaMessageSenders,
  'ada.metavariables': adaMetavariables,
  'ada.participants': adaParticipants,
  'ada.topics': adaTopics,
  'deepconverse.message-content': messageContent,
  'deepconverse.native-messages': nativeMessages,
  'iadvize.contacts': iadvizeContacts,
  'iadvize.custom-data': iadvizeCustomData,
  'iadvize.message-attachments': iadvizeMessageAttachments,
  'iadvize.message-author': iadvizeMessageAuthor,
  'iadvize.tags': iadvizeTags,
  'iadvize.visitor-participant': iadvizeVisitorParticipant,
  'koreai.agent-name': koreaiAgentName,
  'koreai.bot-session': koreaiBotSession,
  'koreai.conversation-people': koreaiConversationPeople,
  'koreai.key-intent': koreaiKeyIntent,
  'koreai.message-components': koreaiMessageComponents,
  'koreai.message-context': koreaiMessageContext,
  'koreai.message-sender': koreaiMessageSender,
  'koreai.summary-and-notes': koreaiSummaryAndNotes,
  'koreai.transfer-targets': koreaiTransferTargets,
  'liveperson.dialog-participant-roles': dialogParticipantRoles,
  'liveperson.message-content': livePersonMessageContent,
}
