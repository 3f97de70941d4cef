/**
 * Conformance schema for the `iadvize` shape: one Conversation node of iAdvize's GraphQL `closedConversations` query
 * (data.closedConversations.edges[].node), as mappings/iadvize.json reads it, with its `messages` connection.
 *
 * Sources: shared/seeds/iadvize-closed-conversations.txt ("seed000": the closedConversations article, its filters and
 * returned fields), shared/vendors/iadvize.md (the Conversation and Visitor type pages, webhooks), and the webhook
 * samples in shared/vendors/samples (time spellings, integer operator ids).
 *
 * GraphQL returns only the fields a query selects, so every field but the node `id` is optional; `null` passes
 * where the type is nullable (no `!`) or undocumented. Sub-fields the docs never list (message, author, attachment,
 * user, tag, custom data members) are typed as mappings/iadvize.json assumes, loosely. The carry field is a
 * customData entry (`{key: "convoshift", value: "<JSON>"}`), which the customData rule below already admits.
 */
import {z} from 'zod'

import {intRange} from './fields.js'

/** GraphQL DateTime: ISO 8601 with Z or an offset (webhooks mix `…35.171Z` and `…11:01:00+02:00`). */
const dateTime = z.iso.datetime({error: 'expected an ISO 8601 date-time with Z or an offset', offset: true})

/** LegacyId: integers in every sample (webhook operatorIds, projectId); strings of digits pass too (type unpublished). */
const legacyId = z.union([z.int(), z.string().regex(/^\d+$/, {error: 'expected a LegacyId (digits)'})], {
  error: 'expected a LegacyId (an integer)',
})

/** An ISO 8601 duration such as PT14M32S. */
const isoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, {
  error: 'expected an ISO 8601 duration like PT14M32S',
})

const named = z.looseObject({id: z.union([z.int(), z.string()]), name: z.string().nullable()}).partial()

/** seed000 `roles` filter "(e.g., operator, manager, admin, expert, bot)"; the upper case (GraphQL enum) is assumed. */
const role = z.enum(['OPERATOR', 'MANAGER', 'ADMIN', 'EXPERT', 'BOT', 'operator', 'manager', 'admin', 'expert', 'bot'])

const user = z
  .looseObject({
    // Webhooks' operatorIds are integers (LegacyId); a user written from another vendor keeps that vendor's id, as
    // identity ids do everywhere (message authors refer to it), so an id of another form passes as a string.
    id: z.union([z.int(), z.string().min(1)], {error: 'expected an id'}),
    role,
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    userName: z.string().nullable(),
    email: z.string().nullable(),
    avatar: z.string().nullable(),
  })
  .partial()

/** Visitor type page (iadvize.md): the field names were lost in its rendering, so those are mappings/iadvize.json's. */
const visitor = z
  .looseObject({
    // "a UUID unique cross-channel id"; another vendor's visitor keeps its own id (identity ids keep the source's)
    visitorId: z.string().min(1, 'expected an id'),
    source: z.enum(['ONSITE', 'MOBILE_APP']), // Visitor type page "source (ONSITE, MOBILE_APP)"
    externalUserId: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    zipCode: z.string().nullable(),
    country: z.string().nullable(),
    phoneNumber: z.string().nullable(),
    email: z.string().nullable(),
    createdAt: dateTime, // DateTime!
    updatedAt: dateTime, // DateTime!
    username: z.string().nullable(),
    avatarUrl: z.string().nullable(),
  })
  .partial()

const message = z
  .looseObject({
    __typename: z.string(),
    id: z.string(),
    createdAt: dateTime,
    text: z.string().nullable(),
    author: z
      .looseObject({__typename: z.string(), id: z.union([z.string(), z.int()])})
      .partial()
      .nullable(),
    attachments: z.array(
      z
        .looseObject({
          __typename: z.string(),
          url: z.string(),
          fileName: z.string().nullable(),
          mimeType: z.string().nullable(),
        })
        .partial(),
    ),
    attachment: z.looseObject({__typename: z.string(), createdAt: dateTime}).partial().nullable(),
  })
  .partial()

/** Satisfaction as seed000 lists it: customerSatisfaction 1–5, netPromoterScore 0–10, comment. */
const satisfaction = {
  customerSatisfaction: intRange(1, 5).nullable(), // seed000 "Customer satisfaction score (1–5)"
  netPromoterScore: intRange(0, 10).nullable(), // seed000 "NPS value (0–10)"
  comment: z.string().nullable(),
}

export const iAdvizeConformance = z.looseObject({
  // Conversation.id: UUID!. A conversation written from another vendor keeps that vendor's id (verify pairs by it;
  // iAdvize assigns its own on import), so only the type is checked.
  id: z.string().min(1, 'expected an id'),
  legacyId: legacyId.nullable().optional(),
  externalId: z.string().nullable().optional(),
  createdAt: dateTime.optional(), // DateTime!
  updatedAt: dateTime.nullable().optional(),
  closedAt: dateTime.nullable().optional(),
  // Type page: String, "duration in seconds … using iso 8601 format": an ISO duration, or (conflict) plain seconds.
  duration: z
    .union([isoDuration, z.number().nonnegative({error: 'expected seconds (0 or more)'})], {
      error: 'expected an ISO 8601 duration or seconds',
    })
    .nullable()
    .optional(),
  // Conversation.channel is String! (not an enum type), and seed000 gives the channels filter values as "e.g.":
  // APPLE_BUSINESS_CHAT, CALL, CHAT, FACEBOOK, FACEBOOK_BUSINESS_ON_MESSENGER, GOOGLE_BUSINESS_MESSAGES, INSTAGRAM,
  // MOBILE_APP, SMS, TWITTER, VIDEO, WHATSAPP. Those pass, and so does any other name spelled like them.
  channel: z
    .string()
    .regex(/^[A-Z][A-Z\d]*(_[A-Z\d]+)*$/, {error: 'expected an upper-case iAdvize channel name such as CHAT'})
    .optional(),
  language: z.string().nullable().optional(), // Language type: its values are not documented
  automationLevel: z.enum(['FULLY_AUTOMATED', 'NOT_AUTOMATED', 'PARTIALLY_AUTOMATED']).nullable().optional(), // seed000 filter
  closeReason: z
    .enum(['BOT_TRANSFER_FAILED', 'END_OF_BOT_SCENARIO', 'VISITOR_DROPPED_OFF_SCENARIO'])
    .nullable()
    .optional(), // seed000 filter
  project: named.nullable().optional(),
  routingRule: named.nullable().optional(),
  routingGroup: named.nullable().optional(),
  engagementCampaign: named.nullable().optional(),
  targetingRule: named.nullable().optional(),
  users: z.array(user).nullable().optional(), // [[User!]]
  visitor: visitor.nullable().optional(),
  messages: z
    .looseObject({
      edges: z.array(z.looseObject({cursor: z.string().nullable(), node: message}).partial()),
      pageInfo: z.looseObject({}),
    })
    .partial()
    .nullable()
    .optional(),
  tags: z.array(named).optional(), // [ConversationTag!]! (not nullable)
  satisfactionSurvey: z.looseObject(satisfaction).partial().nullable().optional(),
  // The seed's flat spelling of the same three fields.
  customerSatisfaction: satisfaction.customerSatisfaction.optional(),
  netPromoterScore: satisfaction.netPromoterScore.optional(),
  comment: satisfaction.comment.optional(),
  // "A typed conversation custom data": {key, value} entries of the SDKs' types (string, boolean, integer, double).
  customData: z
    .array(
      z.looseObject({
        key: z.string(),
        value: z.union([z.string(), z.boolean(), z.number()], {error: 'expected a string, boolean or number'}),
      }),
    )
    .nullable()
    .optional(),
  closingFormValues: z.array(z.unknown()).nullable().optional(),
  conversions: z.array(z.unknown()).nullable().optional(),
  routingEvents: z.array(z.unknown()).optional(), // [[RoutingEvent!]!]
})
