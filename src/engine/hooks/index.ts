import {quickReplies as adaQuickReplies} from './ada-content.js'
import {participants as adaParticipants, topics as adaTopics} from './ada.js'
import {contacts as iadvizeContacts} from './iadvize.js'
import {messageComponents as koreaiMessageComponents, sessionTags as koreaiSessionTags} from './koreai.js'
import {type Hook} from './types.js'

/** Every code hook a mapping file may name. Names are `<vendor>.<what>`. */
export const hooks: Readonly<Record<string, Hook>> = {
  'ada.participants': adaParticipants,
  'ada.quick-replies': adaQuickReplies,
  'ada.topics': adaTopics,
  'iadvize.contacts': iadvizeContacts,
  'koreai.message-components': koreaiMessageComponents,
  'koreai.session-tags': koreaiSessionTags,
}
