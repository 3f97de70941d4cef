/* eslint-disable camelcase -- Intercom's own field names */
/**
 * Conformance schema for the `intercom` record shape: one conversation object of Intercom's Conversations API (2.11),
 * as GET /conversations/{id} returns it, or a conversations[] item of a list page (no parts), with convoshift's carry
 * document in custom_attributes.convoshift (mappings/intercom.json).
 *
 * Sources, read with the search tool: developers.intercom.com …/rest-api/api.intercom.io/Conversations/conversation
 * (the object: state and priority enums, integer times, admin_assignee_id integer or null, team_assignee_id string or
 * null), …/2.10/…/models/conversation_parts (the part list, rating 1 to 5), and the generated intercom-client types
 * (ConversationSource: the source types and delivered_as values; ConversationPart; ConversationPartAuthor).
 *
 * Strict where the reference speaks (enums, integer epoch seconds, the `type` of each object), lenient about presence
 * (a list page leaves parts out; older versions leave fields out) and about values it leaves open (part_type and author
 * type are documented as strings). Unknown keys are allowed.
 */
import {z} from 'zod'

import {firstIssue} from './issues.js'

/** Times are "integer <date-time>": epoch seconds. */
const epochSeconds = z
  .int({error: 'expected integer epoch seconds'})
  .min(0)
  .max(99_999_999_999, 'expected epoch seconds')
const orNull = <T extends z.ZodType>(schema: T) => schema.nullable()

/** ConversationSource: "This includes conversation, email, facebook, instagram, phone_call, phone_switch, push, sms, twitter and whatsapp." */
const sourceType = z.enum([
  'conversation',
  'email',
  'facebook',
  'instagram',
  'phone_call',
  'phone_switch',
  'push',
  'sms',
  'twitter',
  'whatsapp',
])
/** "Possible values are customer_initiated, campaigns_initiated, operator_initiated, automated and admin_initiated." */
const deliveredAs = z.enum([
  'customer_initiated',
  'campaigns_initiated',
  'operator_initiated',
  'automated',
  'admin_initiated',
])

const author = z.looseObject({email: z.string(), id: z.string(), name: z.string(), type: z.string()}).partial()

/** PartAttachment: {type: upload, name, url, content_type, filesize, width, height}. */
const attachment = z
  .looseObject({
    content_type: z.string(),
    filesize: orNull(z.int()),
    height: orNull(z.int()),
    name: z.string(),
    type: z.string(),
    url: z.string(),
    width: orNull(z.int()),
  })
  .partial()

const source = z
  .looseObject({
    attachments: z.array(attachment),
    author,
    body: orNull(z.string()),
    delivered_as: deliveredAs,
    id: z.string(),
    redacted: z.boolean(),
    subject: z.string(),
    type: sourceType,
    url: orNull(z.string()),
  })
  .partial()

const part = z
  .looseObject({
    assigned_to: orNull(z.looseObject({id: z.string(), type: z.string()}).partial()),
    attachments: z.array(attachment),
    author,
    body: orNull(z.string()),
    created_at: epochSeconds,
    external_id: orNull(z.string()),
    id: z.string(),
    notified_at: epochSeconds,
    part_type: z.string(),
    redacted: z.boolean(),
    type: z.literal('conversation_part'),
    updated_at: epochSeconds,
  })
  .partial()

const list = <T extends z.ZodType>(type: string, key: string, item: T) =>
  z.looseObject({[key]: z.array(item), total_count: z.int().min(0), type: z.literal(type)}).partial()

const reference = (type: string) =>
  z.looseObject({external_id: orNull(z.string()), id: z.string(), type: z.literal(type)})

const tag = z
  .looseObject({
    applied_at: epochSeconds,
    applied_by: z.looseObject({id: z.string(), type: z.string()}).partial(),
    id: z.string(),
    name: z.string(),
    type: z.literal('tag'),
  })
  .partial()

/** "rating: The rating, between 1 and 5, for the conversation." Older versions send an all-null rating object. */
const rating = z
  .looseObject({
    contact: z.looseObject({id: orNull(z.string()), type: orNull(z.string())}).partial(),
    created_at: orNull(epochSeconds),
    rating: orNull(z.int().min(1, 'expected 1 to 5').max(5, 'expected 1 to 5')),
    remark: orNull(z.string()),
    teammate: z.looseObject({id: orNull(z.string()), type: orNull(z.string())}).partial(),
  })
  .partial()

export const intercomConformance = z.looseObject({
  admin_assignee_id: orNull(z.int()).optional(),
  contacts: list('contact.list', 'contacts', reference('contact').partial()).optional(),
  conversation_parts: list('conversation_part.list', 'conversation_parts', part).optional(),
  conversation_rating: orNull(rating).optional(),
  created_at: epochSeconds,
  // Conversation data attributes: strings, numbers, booleans, dates (integers) and lists; convoshift's carry is a string.
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
  id: z.string(),
  open: z.boolean().optional(),
  priority: z.enum(['priority', 'not_priority']).optional(),
  read: z.boolean().optional(),
  snoozed_until: orNull(epochSeconds).optional(),
  source: source.optional(),
  state: z.enum(['open', 'closed', 'snoozed']).optional(),
  statistics: orNull(z.looseObject({})).optional(),
  tags: list('tag.list', 'tags', tag).optional(),
  team_assignee_id: orNull(z.string()).optional(),
  teammates: list('admin.list', 'teammates', reference('admin').omit({external_id: true}).partial()).optional(),
  title: orNull(z.string()).optional(),
  type: z.literal('conversation').optional(),
  updated_at: epochSeconds.optional(),
  waiting_since: orNull(epochSeconds).optional(),
})

/** The first way `record` departs from Intercom's documented conversation object; undefined when it conforms. */
export function intercomConformanceIssue(record: unknown): string | undefined {
  return firstIssue(intercomConformance, record)
}
