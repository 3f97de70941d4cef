import {messageAttachments, messageRoles} from './liveperson.js'
import {type Hook} from './types.js'

/** Every code hook a mapping file may name. Names are `<vendor>.<what>`. */
export const hooks: Readonly<Record<string, Hook>> = {
  'liveperson.message-attachments': messageAttachments,
  'liveperson.message-roles': messageRoles,
}
