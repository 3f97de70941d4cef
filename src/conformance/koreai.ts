/**
 * Conformance schema for the `koreai` record shape: one Kore.ai SmartAssist conversation object (Get a specific
 * Conversation, a List of Conversations `results[]` item, or the session-details shape) with the bot's Conversation
 * History (getMessages) messages attached as `messages`, and convoshift's carry note `{_id: "convoshift", note}` in
 * `notes` (mappings/koreai.json).
 *
 * Sources, under /work/shared: seeds/koreai-get-conversation.txt ("seed004": sample and field table),
 * vendors/koreai.md (fields, list endpoint's status values, getMessages fields, time formats), and the vendor samples
 * in vendors/samples/koreai-*. Read with the search tool: Koredotcom/docs docs/xo/apis/automation/conversation-history.md
 * at 3880361 (channelType, status, cT, ms, isBB/isD) and docs/xo/apis/contact-center/queue-size.md at 8ab2739 (the
 * Contact Center AI channel list).
 *
 * Strict about documented types and values; lenient about presence (the list endpoint's `fields` parameter selects
 * fields), so only `_id` is required, and `_id` and `type` on messages. Unknown keys are allowed.
 */
import {z} from 'zod'

import {firstIssue} from './issues.js'

/** A schema's own message, except for a missing field, which is just `required`. */
const unlessMissing = (message: string) => (issue: z.core.$ZodRawIssue) =>
  issue.input === undefined ? 'required' : message

/**
 * vendors/koreai.md: "ISO 8601 UTC with ms and Z" ("2023-05-22T04:55:05.350Z"). The field tables say only "string", so
 * the number of fractional digits is not held to three; UTC with a Z is.
 */
const koreTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/, 'expected ISO 8601 UTC ending in Z')
/** vendors/koreai.md: timestampValue is epoch milliseconds (a value below 1e11 would be seconds). */
const epochMs = z.int().min(100_000_000_000, 'expected epoch milliseconds')
const text = z.string().optional()
const flag = z.boolean().optional()

// Channel names: getMessages channelType (conversation-history.md) ∪ Contact Center AI channels (queue-size.md)
// prettier-ignore
const CHANNELS = [
  'alexa', 'audiocodes', 'email', 'emailConnect', 'facebook', 'googleactions', 'hangoutchat', 'ivr', 'ivrVoice',
  'jabber', 'kore', 'korevg', 'line', 'liveperson', 'mattermost', 'msteams', 'rcs', 'ringcentral', 'rtm', 'skype',
  'skypeforbusiness', 'skypeonprem', 'slack', 'smartassist', 'sms', 'spark', 'telegram', 'twiliovoice', 'twitter',
  'unblu', 'web-sdk', 'wechat', 'wfacebook', 'whatsapp', 'yammer',
] as const
const channel = z.enum(CHANNELS, {error: unlessMissing('expected a documented Kore.ai channel')})
// conversation-history.md: components.cT
// prettier-ignore
const COMPONENT_TYPES = [
  'text', 'audio', 'video', 'image', 'attachment', 'contact', 'task', 'filelink', 'location', 'email', 'alert',
  'action', 'timeline', 'meeting', 'error', 'upgrade', 'NLResponse', 'contextUpdate',
] as const
// conversation-history.md: isBB and isD are "1 for Yes, 0 for No"
const zeroOrOne = z.union([z.literal(0), z.literal(1)], {error: unlessMissing('expected 0 or 1')}).optional()
const tagList = z.array(z.looseObject({name: z.string(), value: z.string()})).optional()

const message = z.looseObject({
  _id: z.string().min(1),
  // Agent messages exported with getAgentsInfo=true: an author object (conversation-history.md)
  author: z.looseObject({_id: text, firstName: text, lastName: text, userId: text}).optional(),
  botId: text,
  // POST-sample spelling of chnl (vendors/samples/koreai-getmessages-post-sample-koredotcom-docs.json)
  channel: channel.optional(),
  channels: z.array(z.looseObject({channelUId: text, type: channel})).optional(),
  chnl: channel.optional(),
  components: z
    .array(
      z.looseObject({
        _id: text,
        cT: z.enum(COMPONENT_TYPES, {error: unlessMissing('expected a documented component type (cT)')}),
        data: z.looseObject({text}).optional(),
        thumbnails: z.array(z.looseObject({url: text})).optional(),
      }),
    )
    .optional(),
  createdBy: text,
  createdOn: koreTime.optional(),
  isBB: zeroOrOne,
  isD: zeroOrOne,
  lang: text,
  lmodifiedOn: koreTime.optional(),
  // conversation-history.md: "Message source; enum[0,1,2,3]"
  ms: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {error: unlessMissing('expected 0, 1, 2 or 3')})
    .optional(),
  sessionId: text,
  // The docs list received, queued, in progress, delivered, pending; the POST sample says "sent to cs": any text.
  status: text,
  tags: z.looseObject({messageTags: tagList, sessionTags: tagList, userTags: tagList}).optional(),
  timestampValue: epochMs.optional(),
  // conversation-history.md: "incoming (user input) or outgoing (bot response)"
  type: z.enum(['incoming', 'outgoing']),
})

const participant = z.looseObject({
  agentId: text,
  assignedAt: koreTime.optional(),
  conversationTransferred: flag,
  endedChat: flag,
  endTimeStamp: koreTime.optional(),
  isTransferred: flag,
  name: text,
  onInterrupt: flag,
  queueId: text,
  queueName: text,
  queueStartTime: koreTime.optional(),
  reason: text,
  startTimeStamp: koreTime.optional(),
  // vendors/koreai.md: participants[].status (ACTIVE/INACTIVE/ABANDONED)
  status: z.enum(['ACTIVE', 'INACTIVE', 'ABANDONED']).optional(),
})

const transfer = z.looseObject({
  fromAgent: z.string().nullable().optional(),
  fromQueue: text,
  isManager: flag,
  priority: text,
  systemTransfer: flag,
  systemTransferReason: text,
  transferredAt: koreTime.optional(),
  transferredBy: text,
  // Target types QUEUE and AGENT appear in the samples; the docs list none, so any text.
  transferredTo: z.array(z.looseObject({id: text, name: text, type: text})).optional(),
  // vendors/koreai.md: transferredType (QUEUE/OTHERS)
  transferredType: z.enum(['QUEUE', 'OTHERS']).optional(),
})

/** userInfo: the customer's profile; every documented field is text (seed004, vendors/koreai.md). */
const userInfo = z.looseObject({
  _id: text,
  activationStatus: text,
  agentTransferConfig: z.looseObject({}).optional(),
  city: text,
  country: text,
  device: text,
  email: text,
  firstName: text,
  hostDomain: text,
  identities: z.array(z.looseObject({type: text, val: text})).optional(),
  ipAddress: text,
  isp: text,
  lastName: text,
  orgId: text,
  os: text,
  phoneNumber: text,
  workinghours: z.looseObject({}).optional(),
})

const note = z
  .looseObject({
    _id: text,
    author: z.looseObject({}).optional(),
    conversationId: text,
    note: text,
    timestamp: koreTime.optional(),
  })
  .superRefine((each, context) => {
    // convoshift's carry note (mappings/koreai.json) holds a JSON document in its text
    if (each._id === 'convoshift' && !isJson(each.note ?? '')) {
      context.addIssue({code: 'custom', input: each.note, message: 'expected a JSON document', path: ['note']})
    }
  })

export const koreAiConformance = z
  .looseObject({
    // Documented as "id … integer", a "c-…" string in every sample: both accepted (vendors/koreai.md).
    _id: z.union([z.string().min(1), z.int()], {error: unlessMissing('expected a string or integer id')}),
    acceptedAt: koreTime.optional(),
    accountId: text,
    agentDesktopMeta: z
      .looseObject({
        pagesVisited: z
          .array(z.looseObject({page: text, timespent: z.number().optional(), timestamp: koreTime.optional()}))
          .optional(),
      })
      .optional(),
    botId: text,
    botSessionId: text,
    callbackOpted: flag,
    contactFlow: z.array(z.unknown()).optional(),
    conversationId: text,
    // "for example, messaging" (seed004); livechat in the details sample: any text
    conversationType: text,
    createdAt: koreTime.optional(),
    dispositions: z
      .looseObject({
        dispositionSets: z
          .array(z.looseObject({dispositionCodes: text, dispositionsSet: text}))
          .nullable()
          .optional(),
        // AGENT_CLOSED and SYSTEM_DROP_OFF in the samples; no documented list
        metaStatus: text,
        remarks: text,
        status: text,
      })
      .optional(),
    endTime: koreTime.optional(),
    formData: z.array(z.unknown()).optional(),
    isDeveloper: flag,
    isProactiveAgentAssistEnabled: flag,
    keyIntentName: text,
    keyIntentUserInput: text,
    language: text,
    messages: z.array(message).optional(),
    notes: z.array(note).optional(),
    orgId: text,
    participants: z.array(participant).optional(),
    // Documented as a string, a number or null in the samples (vendors/koreai.md): all accepted.
    priority: z
      .union([z.string(), z.number()], {error: unlessMissing('expected a string, a number or null')})
      .nullable()
      .optional(),
    queues: z.array(z.looseObject({id: text, name: text, startTime: koreTime.optional()})).optional(),
    skills: z.array(z.unknown()).optional(),
    source: channel.optional(),
    startSessionTime: koreTime.optional(),
    startTime: koreTime.optional(),
    // vendors/koreai.md (list endpoint): ACTIVE, CLOSED, IDLE, OPEN, OVERDUE, TERMINATED
    status: z.enum(['ACTIVE', 'CLOSED', 'IDLE', 'OPEN', 'OVERDUE', 'TERMINATED']).optional(),
    summary: z.array(z.string()).optional(),
    // Documented as a boolean, "YES"/"NO" in the samples (vendors/koreai.md): both accepted.
    surveyRequired: z
      .union([z.boolean(), z.enum(['YES', 'NO'])], {error: unlessMissing('expected a boolean or "YES"/"NO"')})
      .optional(),
    timestampValue: epochMs.optional(),
    transferDetails: z.array(transfer).optional(),
    updatedAt: koreTime.optional(),
    userId: text,
    userInfo: userInfo.optional(),
    // seed004: "The wait time for the conversation in milliseconds. integer"
    waitTime: z.int().min(0).optional(),
  })
  .superRefine((record, context) => {
    for (const [index, each] of (record.messages ?? []).entries()) {
      // The documented join (mappings/koreai.json): the messages are those of the conversation's bot session.
      if (record.botSessionId !== undefined && each.sessionId !== undefined && each.sessionId !== record.botSessionId) {
        context.addIssue({
          code: 'custom',
          input: each.sessionId,
          message: "expected the conversation's botSessionId",
          path: ['messages', index, 'sessionId'],
        })
      }

      // vendors/koreai.md (conversation-history.md): createdBy is the end user's id, even on outgoing bot messages.
      if (record.userId !== undefined && each.createdBy !== undefined && each.createdBy !== record.userId) {
        context.addIssue({
          code: 'custom',
          input: each.createdBy,
          message: "expected the conversation's userId",
          path: ['messages', index, 'createdBy'],
        })
      }
    }
  })

/** The first way `record` departs from the shape, on one line (`csat.score: expected 1 to 5, got 8`). */
export function koreAiConformanceIssue(record: unknown): string | undefined {
  return firstIssue(koreAiConformance, record)
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value)
    return true
  } catch {
    return false
  }
}
