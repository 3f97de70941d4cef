/* eslint-disable camelcase -- Ada's own field names are snake_case */
/**
 * Conformance schema for the `ada` record shape: one Ada Data Export conversation object (the v1.0–v1.4 and v2 field
 * sets) with its Messages endpoint objects attached as `messages`, and convoshift's carry string in
 * `variables.convoshift` (mappings/ada.json).
 *
 * Sources, under /work/shared: seeds/ada-conversation-object.txt ("seed001": field table, platform and oauth_channel
 * values, response examples), vendors/ada.md (message object, CSAT 2.0, time format, and the v2 OpenAPI's types and
 * nullability from api-evangelist/ada), vendors/samples/ada-messages-v1.2-github-reproduction-of-vendor-doc.json.
 *
 * Strict about documented types and values; lenient about presence, since fields differ per export version: only
 * `_id` and `date_created`, in every version's field table, are required. Unknown keys are allowed.
 */
import {z} from 'zod'

import {firstIssue} from './issues.js'

/** A schema's own message, except for a missing field, which is just `required`. */
const unlessMissing = (message: string) => (issue: z.core.$ZodRawIssue) =>
  issue.input === undefined ? 'required' : message

const ADA_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/
/** seed001: every response timestamp looks like "2022-03-16T17:59:28.201000+00:00" (microseconds, +00:00). */
const adaTime = z.string().regex(ADA_TIME, 'expected ISO 8601 with microseconds and +00:00')
/**
 * Ada's own ids are MongoDB ObjectIds (seed001 writes `<mongodb_12_byte_object_id>`). A conversation convoshift
 * writes from another vendor keeps that vendor's ids, as every target does (Ada assigns its own on import, and verify
 * pairs conversations by them), so only the type is checked.
 */
const objectId = z.string().min(1, 'expected an id')
const text = z.string().optional()
const nullableText = z.string().nullable().optional()

// seed001, platform "Values"
// prettier-ignore
const PLATFORMS = [
  'apple', 'chat', 'http', 'instagram', 'kik', 'line', 'messagingapi', 'messenger', 'smooch', 'sms', 'sunshine_android',
  'sunshine_api', 'sunshine_apple', 'sunshine_instagram', 'sunshine_ios', 'sunshine_line', 'sunshine_messagebird',
  'sunshine_messenger', 'sunshine_slack', 'sunshine_slackconnect', 'sunshine_switchboard', 'sunshine_telegram',
  'sunshine_twilio', 'sunshine_twitter', 'sunshine_viber', 'sunshine_web', 'sunshine_whatsapp', 'twilio', 'twitter',
  'voice', 'web', 'whatsapp',
] as const
// seed001, oauth_channel "Values"
// prettier-ignore
const OAUTH_CHANNELS = [
  'chat', 'http', 'messagingapi', 'messenger', 'sms', 'sunshine', 'sunshine_android', 'sunshine_api', 'sunshine_apple',
  'sunshine_instagram', 'sunshine_ios', 'sunshine_line', 'sunshine_messagebird', 'sunshine_messenger', 'sunshine_slack',
  'sunshine_slackconnect', 'sunshine_switchboard', 'sunshine_telegram', 'sunshine_twilio', 'sunshine_twitter',
  'sunshine_viber', 'sunshine_web', 'sunshine_whatsapp', 'test', 'voice',
] as const
// vendors/ada.md ("message_data._type values seen"), plus csat_shown and sms_consent_asked from Ada's changelog
// https://docs.ada.cx/2026-05-06-sms-csat-data-export (found with the search tool). The docs call their list examples.
// prettier-ignore
const MESSAGE_TYPES = [
  'greeting', 'text', 'picture', 'quick_replies', 'meta', 'trigger', 'presence', 'list_selection',
  'surfaceable_list_selection', 'csat_shown', 'sms_consent_asked',
] as const

const csat = z.looseObject({
  comment: z.string().nullable().optional(),
  feedback: z.array(z.string()).nullable().optional(),
  is_positive: z.boolean().optional(),
  resolved: z.boolean().optional(),
  // 1–5: vendors/ada.md (seed001 score 5, v2 docs score 3) and mappings/ada.json; the scale is not stated per style
  score: z.int().min(1, 'expected 1 to 5').max(5, 'expected 1 to 5').optional(),
  // Only EMOJI and end_chat appear in the docs (vendors/ada.md): other spellings are not ruled out.
  style: text,
  survey_type: text,
})

const messageData = z.looseObject({
  // Required: it says what the rest of message_data holds (every documented example has it).
  _type: z.enum(MESSAGE_TYPES, {error: unlessMissing('expected a documented message_data._type')}),
  alt_text: text,
  body: text,
  has_variables: z.boolean().optional(),
  is_forced: z.boolean().optional(),
  meta_message_data: z.record(z.string(), z.unknown()).optional(),
  meta_message_type: text,
  pic_url: text,
  quick_replies: z.array(z.looseObject({button_type: text, label: text, target: text})).optional(),
  reviewable_message: z.boolean().optional(),
})

/** A Messages endpoint object. Nullability as the v2 OpenAPI has it (vendors/ada.md). */
const message = z.looseObject({
  _id: objectId,
  // null, an answer id, or the string "None" for a generative answer (vendors/ada.md)
  answer_id: z.string().nullable().optional(),
  answer_title: z.string().nullable().optional(),
  chatter_id: objectId.nullable().optional(),
  conversation_id: objectId.optional(),
  date_created: adaTime,
  in_response_to: text,
  link_was_clicked: z.boolean().nullable().optional(),
  message_data: messageData.optional(),
  // "ada"/"Ada", "bot", "agent" or an id whose format is not documented
  recipient: z.string().min(1).optional(),
  record_last_updated: adaTime.optional(),
  review: z.int().optional(),
  sender: z.string().min(1).optional(),
})

export const adaConformance = z
  .looseObject({
    _id: objectId,
    agent_handle_time: z.number().min(0).optional(),
    agent_id: z.array(objectId).optional(),
    agent_name: z.array(z.string()).optional(),
    // seed001: "Classification of either Resolved or Not Resolved"
    automated_resolution_classification: z.enum(['Resolved', 'Not Resolved']).optional(),
    automated_resolution_classification_reason: text,
    bot_handle_time: z.number().min(0).optional(),
    browser: text,
    browser_version: text,
    chatter_id: objectId.optional(),
    classifications: z
      .array(
        z.looseObject({
          intents: z.array(z.looseObject({intent_id: text, intent_name: text, status: text})).optional(),
          topic_id: text,
          topic_name: text,
        }),
      )
      .optional(),
    // The CSAT 2.0 block, or {} when no survey was given (seed001)
    csat: csat.optional(),
    date_created: adaTime,
    date_updated: adaTime.optional(),
    device: text,
    end_user_id: nullableText,
    generated_topic_id: text,
    generated_topic_label: nullableText,
    generated_topic_v2_desc: nullableText,
    generated_topic_v2_id: nullableText,
    generated_topic_v2_parent_id: nullableText,
    generated_topic_v2_title: nullableText,
    inquiry_summary: text,
    is_engaged: z.boolean().optional(),
    is_escalated: z.boolean().optional(),
    is_test_user: z.boolean().optional(),
    // seed001: "a language code in ISO 639-1 format (for example, fr)"
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'expected an ISO 639-1 code')
      .optional(),
    // The OpenAPI types them string yet says "Null when no agent was assigned": both accepted.
    last_agent_id: nullableText,
    last_agent_name: nullableText,
    messages: z.array(message).optional(),
    // vendors/ada.md: a free dictionary whose values are strings ("introshown": "False")
    metavariables: z.record(z.string(), z.string()).optional(),
    oauth_channel: z.enum(OAUTH_CHANNELS, {error: unlessMissing('expected a documented oauth_channel')}).optional(),
    platform: z.enum(PLATFORMS, {error: unlessMissing('expected a documented Ada platform')}).optional(),
    record_last_updated: adaTime.nullable().optional(),
    used_articles: z
      .array(z.looseObject({id: z.string(), name: z.string(), source: nullableText, url: nullableText}))
      .optional(),
    used_coaching: z.array(z.record(z.string(), z.string().nullable())).optional(),
    used_playbooks: z
      .array(
        z.looseObject({
          id: z.string(),
          name: z.string(),
          outcome_status: nullableText,
          playbook_execution_id: nullableText,
        }),
      )
      .optional(),
    // A free dictionary (seed001); its value types are not documented. convoshift's carry is a JSON string, and a
    // chatter variable of that name would be a string too (mappings/ada.json).
    variables: z.looseObject({chat_transcript: text, convoshift: text}).optional(),
  })
  .superRefine((record, context) => {
    // seed001: agent_name lists "the names of the agents …, corresponding to the agent IDs"
    if (record.agent_id && record.agent_name && record.agent_id.length !== record.agent_name.length) {
      context.addIssue({
        code: 'custom',
        input: record.agent_name.length,
        message: `expected ${record.agent_id.length} names, one per agent_id`,
        path: ['agent_name'],
      })
    }

    // The documented join (mappings/ada.json): a conversation's messages have conversation_id equal to its _id.
    for (const [index, each] of (record.messages ?? []).entries()) {
      if (each.conversation_id !== undefined && each.conversation_id !== record._id) {
        context.addIssue({
          code: 'custom',
          input: each.conversation_id,
          message: "expected the conversation's _id",
          path: ['messages', index, 'conversation_id'],
        })
      }
    }
  })

/** The first way `record` departs from the shape, on one line (`csat.score: expected 1 to 5, got 8`). */
export function adaConformanceIssue(record: unknown): string | undefined {
  return firstIssue(adaConformance, record)
}
