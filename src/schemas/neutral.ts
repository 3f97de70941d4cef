import {z} from 'zod'

/**
 * The neutral conversation model: the vendor-independent form every conversion passes through.
 * Field descriptions flow into schemas/neutral.schema.json; docs/neutral-model.md explains the design.
 */
export const NEUTRAL_SCHEMA_VERSION = '1.0'

/**
 * ISO 8601 in UTC with a `Z` suffix. Fractional seconds keep every digit the source had (Ada's microseconds
 * stay `.201000`), so the pattern accepts any number of them.
 */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
export const Timestamp = z
  .string()
  .regex(TIMESTAMP_PATTERN, 'expected an ISO 8601 UTC timestamp ending in Z')
  .describe('ISO 8601 UTC timestamp ending in Z; fractional seconds keep the source precision.')

/** Lists whose order carries no meaning (people, dialogs, labels), unlike messages and transfers (time order). */
export const UNORDERED_LISTS: ReadonlySet<string> = new Set(['dialogs', 'participants', 'summaries', 'tags', 'topics'])

export const VENDORS = ['liveperson', 'ada', 'koreai', 'iadvize', 'deepconverse', 'intercom'] as const
export const Vendor = z.enum(VENDORS).describe('The vendor a conversation was exported from.')
export type Vendor = z.infer<typeof Vendor>

export const Role = z
  .enum(['customer', 'agent', 'bot', 'system', 'other'])
  .describe('Who a participant or message speaks for. Bots are never agents, even where a vendor files them as agents.')
export type Role = z.infer<typeof Role>

/**
 * Everything a mapping did not map, per vendor, so nothing is dropped:
 * `unmapped` holds the vendor fields no rule consumed, in their original nesting;
 * `original` holds, by JSON Pointer, source values the neutral fields cannot reproduce byte for byte
 * (a placeholder, a disagreeing duplicate, an odd spelling); `absent` lists pointers the source did not have.
 */
export const VendorExtension = z
  .object({
    absent: z
      .array(z.string())
      .optional()
      .describe('JSON Pointers (RFC 6901) of fields the source record did not have.'),
    original: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Source values by JSON Pointer where the neutral form cannot reproduce them exactly.'),
    renamed: z
      .record(z.string(), z.string())
      .optional()
      .describe('Where the source used an alias key: pointer written by the mapping → pointer the source used.'),
    unmapped: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Source fields that no mapping rule consumed, in their original nesting.'),
  })
  .strict()
  .describe('Lossless remainder of one vendor record (or one element of it).')

export const Extensions = z
  .record(z.string(), VendorExtension)
  .describe('Per-vendor remainders, keyed by record shape (e.g. `liveperson`).')

const Text = z.string()
const Id = z.string().describe('Identifier as the source spells it (numbers become strings).')

export const Participant = z
  .object({
    id: Id,
    role: Role,
    displayName: Text.optional(),
    firstName: Text.optional(),
    lastName: Text.optional(),
    loginName: Text.optional(),
    nickname: Text.optional(),
    email: Text.optional(),
    phone: Text.optional(),
    avatarUrl: Text.optional(),
    permission: Text.optional().describe('Vendor permission or seat, e.g. ASSIGNED_AGENT, READER, MANAGER.'),
    group: z.object({id: Id.optional(), name: Text.optional()}).strict().optional().describe('Agent group or team.'),
    joinedAt: Timestamp.optional(),
    leftAt: Timestamp.optional(),
    dialogId: Id.optional().describe('The dialog the participant joined.'),
    extensions: Extensions.optional(),
  })
  .strict()
export type Participant = z.infer<typeof Participant>

export const Dialog = z
  .object({
    id: Id,
    type: z.enum(['main', 'survey', 'other']).optional().describe('MAIN vs POST_SURVEY in LivePerson terms.'),
    state: z.enum(['open', 'closed']).optional(),
    channel: Text.optional().describe('Dialog channel type, lower case (messaging, cobrowse, voice…).'),
    startedAt: Timestamp.optional(),
    endedAt: Timestamp.optional(),
    closedBy: Role.optional(),
    closeReason: Text.optional(),
    closeReasonDescription: Text.optional(),
    skill: z.object({id: Id.optional(), name: Text.optional()}).strict().optional(),
    participantIds: z.array(Id).optional(),
    extensions: Extensions.optional(),
  })
  .strict()
export type Dialog = z.infer<typeof Dialog>

export const Attachment = z
  .object({
    url: Text.optional(),
    fileType: Text.optional().describe('File type or MIME type as the source gives it (JPG, image/png…).'),
    name: Text.optional(),
    caption: Text.optional(),
    kind: z.enum(['file', 'image', 'link', 'audio', 'video', 'other']).optional(),
    extensions: Extensions.optional(),
  })
  .strict()

export const ContentType = z
  .enum(['text', 'html', 'link', 'file', 'image', 'rich', 'quick-replies', 'form', 'event', 'other'])
  .describe('What kind of message this is.')

export const Message = z
  .object({
    id: Id,
    dialogId: Id.optional(),
    participantId: Id.optional(),
    role: Role.optional(),
    sentAt: Timestamp.optional(),
    sequence: z.number().optional().describe('Source ordering number, not necessarily contiguous.'),
    contentType: ContentType.optional(),
    text: Text.optional(),
    attachments: z.array(Attachment).optional(),
    richContent: z.unknown().optional().describe('Structured content (cards, carousels) as parsed JSON.'),
    quickReplies: z.unknown().optional().describe('Quick-reply buttons as parsed JSON.'),
    metadata: z.unknown().optional().describe('Bot or channel metadata attached to the message, parsed.'),
    extensions: Extensions.optional(),
  })
  .strict()
export type Message = z.infer<typeof Message>

export const TransferEndpoint = z
  .object({
    agentId: Id.optional(),
    agentName: Text.optional(),
    skillId: Id.optional(),
    skillName: Text.optional(),
    queueId: Id.optional(),
    queueName: Text.optional(),
  })
  .strict()

export const Transfer = z
  .object({
    at: Timestamp.optional(),
    reason: Text.optional(),
    by: Id.optional().describe('Who initiated the transfer.'),
    from: TransferEndpoint.optional(),
    to: TransferEndpoint.optional(),
    dialogId: Id.optional(),
    extensions: Extensions.optional(),
  })
  .strict()

export const Scale = z.object({min: z.number(), max: z.number()}).strict()

export const SurveyStatus = z.enum(['filled', 'partial', 'skipped', 'unknown'])

export const Csat = z
  .object({
    score: z.number().optional(),
    scale: Scale.optional(),
    resolved: z.boolean().optional(),
    comment: Text.optional(),
    status: SurveyStatus.optional(),
    extensions: Extensions.optional(),
  })
  .strict()
  .describe('Customer satisfaction.')

export const Nps = z
  .object({
    score: z.number().optional(),
    scale: Scale.optional(),
    comment: Text.optional(),
    status: SurveyStatus.optional(),
    extensions: Extensions.optional(),
  })
  .strict()
  .describe('Net promoter score.')

export const Survey = z
  .object({
    type: Text.optional(),
    status: SurveyStatus.optional(),
    dialogId: Id.optional(),
    answers: z
      .array(
        z
          .object({question: Text.optional(), answer: z.unknown().optional(), extensions: Extensions.optional()})
          .strict(),
      )
      .optional(),
    extensions: Extensions.optional(),
  })
  .strict()
  .describe('A survey form as the customer saw it.')

export const Topic = z
  .object({
    id: Id.optional(),
    name: Text.optional(),
    confidence: z.number().optional(),
    kind: z.enum(['topic', 'intent', 'skill', 'category']).optional(),
  })
  .strict()

export const Summary = z
  .object({text: Text.optional(), at: Timestamp.optional(), kind: Text.optional()})
  .strict()
  .describe('A human or generated summary of the conversation.')

export const Customer = z
  .object({
    id: Id.optional(),
    externalId: Id.optional(),
    name: Text.optional(),
    email: Text.optional(),
    phone: Text.optional(),
    country: Text.optional(),
    countryCode: Text.optional(),
    region: Text.optional(),
    city: Text.optional(),
    isp: Text.optional(),
  })
  .strict()

export const Device = z
  .object({
    type: Text.optional(),
    model: Text.optional(),
    os: Text.optional(),
    browser: Text.optional(),
    ipAddress: Text.optional(),
    userAgent: Text.optional(),
  })
  .strict()

export const CloseReason = z
  .object({
    by: Role.optional().describe('Who closed the conversation.'),
    code: Text.optional().describe('Vendor close reason code, as given (AGENT, CONSUMER, SYSTEM…).'),
    description: Text.optional(),
  })
  .strict()

export const NeutralConversation = z
  .object({
    schemaVersion: z.literal(NEUTRAL_SCHEMA_VERSION),
    vendor: Vendor,
    format: Text.describe('The vendor record shape it came from (liveperson, liveperson-consumer…).'),
    sourceId: Id.describe('The conversation id in the source system.'),
    externalId: Id.optional().describe('An id an integration attached (e.g. a CRM case).'),
    accountId: Id.optional().describe('Vendor account, brand, bot handle or project.'),
    startedAt: Timestamp.optional(),
    endedAt: Timestamp.optional(),
    updatedAt: Timestamp.optional(),
    durationMs: z.number().optional(),
    status: z.enum(['open', 'closed']).optional(),
    closeReason: CloseReason.optional(),
    channel: Text.optional().describe('Lower-case channel: web, app, sms, facebook, whatsapp, voice, email…'),
    language: Text.optional().describe('BCP 47 language tag, e.g. en-US.'),
    participants: z.array(Participant),
    dialogs: z.array(Dialog),
    messages: z.array(Message),
    transfers: z.array(Transfer),
    csat: Csat.optional(),
    nps: Nps.optional(),
    surveys: z.array(Survey).optional(),
    tags: z.array(Text),
    topics: z.array(Topic).optional().describe('Topics, intents and skills the vendor attached.'),
    summaries: z.array(Summary).optional(),
    customer: Customer.optional(),
    device: Device.optional(),
    customData: z.record(z.string(), z.unknown()).optional().describe('Free-form key/value data (SDEs, variables…).'),
    extensions: Extensions.optional(),
  })
  .strict()
  .describe("One conversation in convoshift's vendor-neutral form.")

export type NeutralConversation = z.infer<typeof NeutralConversation>
