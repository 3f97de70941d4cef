/**
 * Conformance schema for the `liveperson` shape: one `conversationHistoryRecords[]` item of LivePerson's Messaging
 * Interactions API (POST …/messaging_history/api/account/{accountId}/conversations/search).
 *
 * Sources: shared/vendors/liveperson.md (notes), shared/vendors/samples/liveperson-msgint-conversations-search-
 * developer-center.json (the vendor's sample), and the field tables of LivePersonInc/developer-center
 * pages/documents/HistoricalData/MessagingInteractionsAPI/methods/conversations.md ("MI docs" below; the same text as
 * developers.liveperson.com/messaging-interactions-api-methods-conversations.html).
 *
 * Strict about documented types, enums and ranges; lenient about presence, since `contentToRetrieve` drops whole
 * sections and the API omits empty fields. Unknown keys pass: LivePerson adds fields without notice. Where the docs
 * and the vendor sample disagree, both spellings pass and a comment says so.
 */
import {z} from 'zod'

import {epochMs, intRange, jsonString, numericId} from './fields.js'

/** LivePerson's readable time, `2016-08-29 14:30:24.565+0000`: a space, exactly 3 fraction digits, `±hhmm` (liveperson.md). */
export const livePersonTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/, {
  error: 'expected a LivePerson time like 2016-08-29 14:30:24.565+0000',
})

/** An end time not reached yet: the sample's open conversation has `endTime: "undefined"` (liveperson.md). */
const endTime = z.union([livePersonTime, z.literal('undefined')], {
  error: 'expected a LivePerson time or "undefined"',
})

/** Close reasons. MI docs: "by agent / consumer"; sample AGENT. SYSTEM (auto-close) is assumed, not documented. */
export const livePersonCloseReason = z.enum(['AGENT', 'CONSUMER', 'SYSTEM'])

/** OPEN/CLOSE: MI docs `status` filter "Valid values"; the consumer API's dialog `state` (seed003) uses the same two. */
export const livePersonState = z.enum(['OPEN', 'CLOSE'])

/** POST_SURVEY, MAIN: MI docs dialog table and seed003 `dialogType` "Valid values". */
export const livePersonDialogType = z.enum(['MAIN', 'POST_SURVEY'])

const contextData = z.looseObject({rawMetadata: jsonString, structuredMetadata: z.array(z.unknown())}).partial()

// ---------------------------------------------------------------------------------------------------------------
// Record sections

/** DESKTOP, TABLET, MOBILE, NA: MI docs `device` filter and monitoring `device` "Valid values". */
const device = z.enum(['DESKTOP', 'TABLET', 'MOBILE', 'NA'])

const info = z.looseObject({
  conversationId: z.string(),
  brandId: z.string().optional(),
  status: livePersonState.optional(),
  // Not in the MI table; the sample has OPEN. Same states as status (assumption).
  fullDialogStatus: livePersonState.optional(),
  // MI docs say long; the sample and notes have the readable string, with its epoch twin in *L.
  startTime: livePersonTime.optional(),
  startTimeL: epochMs.optional(),
  endTime: endTime.optional(),
  endTimeL: epochMs.optional(), // -1 while open (sample)
  duration: z.int().optional(), // ms, MI docs "long"
  closeReason: livePersonCloseReason.optional(),
  closeReasonDescription: z.string().optional(), // e.g. MANUAL_CLOSE; no documented list
  firstConversation: z.boolean().optional(),
  csatRate: intRange(1, 5).optional(), // MI docs `csat`: int, "Range: 1 to 5"; the sample names it csatRate
  csat: intRange(1, 5).optional(), // the MI docs table's spelling of the same field
  // MI docs: int, "Range: 0-100". Assumed: -1 when no message was scored yet, like alertedMCS's -1 (not documented).
  mcs: z.union([z.literal(-1), intRange(0, 100)]).optional(),
  alertedMCS: z.union([z.literal(-1), z.literal(0), z.literal(1)], {error: 'expected -1, 0 or 1'}).optional(), // MI docs "Values: -1, 0, 1"
  // MI docs `source` filter: APP, SHARK (WEB), AGENT, SMS, FACEBOOK, "Apple Business Chat", "WhatsApp Business"; the
  // last two are named in prose only, so the upper-case spellings are assumed (as in mappings/liveperson.json).
  source: z.enum(['APP', 'SHARK', 'AGENT', 'SMS', 'FACEBOOK', 'APPLE_BUSINESS_CHAT', 'WHATSAPP']).optional(),
  device: z
    .union([device, z.literal('undefined')], {error: 'expected DESKTOP, TABLET, MOBILE, NA or "undefined"'})
    .optional(), // MI docs; "undefined" in the sample
  deviceModel: z.string().optional(),
  browser: z.string().optional(),
  browserVersion: z.string().optional(),
  // MI docs "Possible values: WINDOWS, MAC_OSX, LINUX, IOS, ANDROID"; NA is in the vendor sample.
  operatingSystem: z.enum(['WINDOWS', 'MAC_OSX', 'LINUX', 'IOS', 'ANDROID', 'NA']).optional(),
  operatingSystemVersion: z.string().optional(),
  latestSkillId: numericId.optional(), // MI docs long; -1 = unassigned (sample)
  latestSkillName: z.string().optional(),
  latestAgentId: z.union([z.string(), z.int()]).optional(), // MI docs long, sample a string; bots have UUIDs
  latestAgentLoginName: z.string().optional(),
  latestAgentNickname: z.string().optional(),
  latestAgentFullName: z.string().optional(),
  agentDeleted: z.boolean().optional(),
  latestAgentGroupId: numericId.optional(), // MI docs long
  latestAgentGroupName: z.string().optional(),
  latestQueueState: z.enum(['IN_QUEUE', 'ACTIVE']).optional(), // MI docs "Valid values"
  isPartial: z.boolean().optional(),
  isTruncated: z.boolean().optional(),
  sessionId: z.string().optional(),
  interactionContextId: z.string().optional(),
  timeZone: z.string().optional(),
  features: z.array(z.string()).optional(),
  language: z.string().optional(),
  integration: z.string().optional(), // docs "mobile-sdk, web-sdk, brand-sdk" in prose; spelling not documented
  integrationVersion: z.string().optional(),
  appId: z.string().optional(),
  appVersion: z.string().optional(),
  ipAddress: z.string().optional(),
})

const campaign = z
  .looseObject({
    campaignEngagementId: numericId, // MI docs "numeric"; the sample sends strings of digits
    campaignEngagementName: z.string(),
    campaignId: numericId,
    campaignName: z.string(),
    goalId: numericId,
    goalName: z.string(),
    engagementAgentNote: z.string(),
    engagementSource: z.string(),
    visitorBehaviorId: numericId,
    visitorBehaviorName: z.string(),
    engagementApplicationId: z.string(),
    engagementApplicationName: z.string(),
    engagementApplicationTypeId: z.string(),
    engagementApplicationTypeName: z.string(),
    visitorProfileId: numericId,
    visitorProfileName: z.string(),
    lobId: numericId,
    lobName: z.string(),
    locationId: numericId,
    locationName: z.string(),
    profileSystemDefault: z.boolean(),
    behaviorSystemDefault: z.boolean(),
  })
  .partial()

const monitoring = z
  .looseObject({
    country: z.string(),
    countryCode: z.string(),
    state: z.string(),
    city: z.string(),
    isp: z.string(),
    org: z.string(),
    device, // MI docs monitoring table "Valid values"
    ipAddress: z.string(),
    browser: z.string(),
    operatingSystem: z.string(),
    conversationStartPage: z.string(),
    conversationStartPageTitle: z.string(),
  })
  .partial()

/**
 * Quick replies content, a JSON string: "Quick Replies" docs (rich-messaging-quick-replies-overview) require type
 * `quickReplies`, itemsPerRow and replies, and of each chip type `button`, title and click.
 */
const quickRepliesDocument = z.looseObject({
  type: z.literal('quickReplies'),
  itemsPerRow: z.number(),
  replies: z.array(z.looseObject({type: z.literal('button'), title: z.string(), click: z.looseObject({})})),
})
const quickRepliesContent = jsonString.refine(
  (text) => quickRepliesDocument.safeParse(parseOrUndefined(text)).success,
  {
    error:
      'expected LivePerson quick replies: {type: "quickReplies", itemsPerRow, replies: [{type: "button", title, click}]}',
  },
)

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** JPG, PNG, GIF, TXT, PDF: MI docs Message File and Message Link `fileType` "Valid values". */
const fileType = z.enum(['JPG', 'PNG', 'GIF', 'TXT', 'PDF'])

const messageRecord = z
  .looseObject({
    // MI docs `messageContentTypes` filter; the message table's older "text", "file" also pass (docs conflict).
    type: z.enum([
      'TEXT_PLAIN',
      'TEXT_HTML',
      'LINK',
      'HOSTED_FILE',
      'IMG',
      'SECURE_FORM_INVITATION',
      'SECURE_FORM_SUBMIT',
      'RICH_CONTENT',
      'text',
      'file',
    ]),
    messageData: z
      .looseObject({
        msg: z.looseObject({text: z.string()}).partial(),
        file: z.looseObject({relativePath: z.string(), fileType, caption: z.string()}).partial(),
        // The docs list fileType values for hosted files; a link's fileType has no documented list (HTML pages)
        link: z.looseObject({externalFileLink: z.string(), fileType: z.string()}).partial(),
        richContent: z.looseObject({content: jsonString}).partial(),
        quickReplies: z.looseObject({content: quickRepliesContent}).partial(),
      })
      .partial(),
    messageId: z.string(),
    seq: numericId, // MI docs string, sample integer
    dialogId: z.string(),
    participantId: z.string(),
    source: z.string(), // deprecated
    device: z.string(), // deprecated
    time: livePersonTime,
    timeL: epochMs,
    sentBy: z.enum(['Consumer', 'Agent', 'consumer', 'agent']), // MI docs "agent", "consumer"; sample "Consumer", "Agent"
    contextData,
  })
  .partial()

/** "0", "1", "2" = System, Human, Bot: MI docs agent table (userType is a string). */
const agentParticipant = z
  .looseObject({
    agentId: z.string(),
    agentLoginName: z.string(),
    agentNickname: z.string(),
    agentFullName: z.string(),
    agentDeleted: z.boolean(),
    time: livePersonTime,
    timeL: epochMs,
    role: z.string(), // MI docs "assigned agent, manager etc.": an open list
    userType: z.enum(['0', '1', '2']),
    userTypeName: z.enum(['System', 'Human', 'Bot']),
    agentGroupId: numericId, // MI docs long
    agentGroupName: z.string(),
    // MI docs "Valid values: reader, assigned"; the sample (and liveperson.md) use ASSIGNED_AGENT, READER.
    permission: z.enum(['reader', 'assigned', 'READER', 'ASSIGNED_AGENT']),
    contextData,
    dialogId: z.string(),
  })
  .partial()

const consumerParticipant = z
  .looseObject({
    participantId: z.string(),
    time: livePersonTime,
    timeL: epochMs,
    joinTime: livePersonTime,
    joinTimeL: epochMs,
    firstName: z.string(), // "undefined" when unknown (sample)
    lastName: z.string(),
    phone: z.string(), // "0" when unknown (sample)
    email: z.string(),
    token: z.string(),
    avatarURL: z.string(),
    consumerName: z.string(),
    dialogId: z.string(),
  })
  .partial()

const transfer = z
  .looseObject({
    time: livePersonTime,
    timeL: epochMs,
    assignedAgentId: z.string(), // the string "null" for none (sample)
    assignedAgentLoginName: z.string(),
    assignedAgentNickname: z.string(),
    assignedAgentFullName: z.string(),
    targetSkillId: numericId, // MI docs long
    targetSkillName: z.string(),
    sourceSkillId: numericId,
    sourceSkillName: z.string(),
    sourceAgentId: z.string(),
    sourceAgentLoginName: z.string(),
    sourceAgentNickname: z.string(),
    sourceAgentFullName: z.string(),
    reason: z.enum(['back2Q', 'Agent', 'Skill', 'TakeOver']), // MI docs "Reason for transfer (back2Q, Agent, Skill, TakeOver)"
    by: z.string(),
    contextData,
    dialogId: z.string(),
  })
  .partial()

const interaction = z
  .looseObject({
    assignedAgentId: z.string(),
    interactionTime: livePersonTime,
    interactionTimeL: epochMs,
    interactiveSequence: z.int(), // MI docs int
    dialogId: z.string(),
  })
  .partial()

const dialog = z
  .looseObject({
    dialogId: z.string(),
    status: livePersonState, // MI docs give no list for dialogs; OPEN/CLOSE as above (assumption)
    dialogType: livePersonDialogType,
    dialogChannelType: z.string(), // MESSAGING in the sample; no documented list
    startTime: livePersonTime,
    startTimeL: epochMs,
    endTime,
    endTimeL: epochMs,
    closeReason: z.string(), // "The dialog close reason": no documented list
    closeReasonDescription: z.string(),
    skillId: numericId, // MI docs string, sample number
    skillName: z.string(),
  })
  .partial()

const messageScore = z
  .looseObject({
    messageId: z.string(),
    time: livePersonTime,
    timeL: epochMs,
    mcs: intRange(0, 100), // MI docs "Range: 0 - 100"
    messageRawScore: z.int(),
  })
  .partial()

const messageStatus = z
  .looseObject({
    messageId: z.string(),
    seq: numericId,
    time: livePersonTime,
    timeL: epochMs,
    messageDeliveryStatus: z.enum(['SENT', 'ACCEPT', 'READ']), // MI docs "(i.e - sent. accept, read)"; sample ACCEPT, READ
    dialogId: z.string(),
    participantId: z.string(),
    participantType: z.string(),
  })
  .partial()

const survey = z
  .looseObject({
    surveyType: z.string(), // docs "currently always Resolution", sample "Satisfaction": conflict
    surveyStatus: z.string(),
    dialogId: z.string(),
    surveyData: z.array(z.looseObject({question: z.string(), answer: z.string()}).partial()),
  })
  .partial()

const coBrowseSession = z
  .looseObject({
    sessionId: z.string(),
    startTime: livePersonTime,
    startTimeL: epochMs,
    endTime: livePersonTime,
    endTimeL: epochMs,
    interactiveTime: livePersonTime,
    interactiveTimeL: epochMs,
    isInteractive: z.boolean(),
    interactive: z.boolean(), // the sample's spelling of isInteractive
    endReason: z.string(),
    duration: z.int(),
    type: z.enum(['inApp', 'web']), // MI docs CoBrowse `type` "Valid values"
    capabilities: z.array(z.string()),
    agentId: z.string(),
  })
  .partial()

/** Engagement attributes; MI docs say serverTimeStamp is a long, the sample sends a string of digits. */
const sdes = z
  .looseObject({
    events: z.array(z.looseObject({sdeType: z.string(), serverTimeStamp: numericId}).partial()),
  })
  .partial()

// ---------------------------------------------------------------------------------------------------------------

export const livePersonConformance = z.looseObject({
  info,
  campaign: campaign.optional(),
  monitoring: monitoring.optional(),
  messageRecords: z.array(messageRecord).optional(),
  agentParticipants: z.array(agentParticipant).optional(),
  // The docs table says consumerParticipants, the sample consumerParticipant (liveperson.md): both pass.
  consumerParticipants: z.array(consumerParticipant).optional(),
  consumerParticipant: z.array(consumerParticipant).optional(),
  transfers: z.array(transfer).optional(),
  interactions: z.array(interaction).optional(),
  dialogs: z.array(dialog).optional(),
  // The sample's key is messageScore; contentToRetrieve calls the section messageScores.
  messageScore: z.array(messageScore).optional(),
  messageScores: z.array(messageScore).optional(),
  messageStatuses: z.array(messageStatus).optional(),
  conversationSurveys: z.array(survey).optional(),
  coBrowseSessions: z
    .looseObject({coBrowseSessionsList: z.array(coBrowseSession)})
    .partial()
    .optional(),
  sdes: sdes.optional(),
  unAuthSdes: sdes.optional(),
  responseTime: z
    .looseObject({latestEffectiveResponseDueTime: epochMs, configuredResponseTime: z.int()}) // -1 = waiting for consumer
    .partial()
    .optional(),
  summary: z.looseObject({text: z.string(), lastUpdatedTime: epochMs}).partial().optional(),
})
