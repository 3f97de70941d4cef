/* eslint-disable camelcase -- DeepConverse's own parameter names (browser_path, patch_minor…) */
/**
 * Conformance schema for the `deepconverse` record shape: one DeepConverse (Workato AgentX Support) Export API
 * conversation with its Messages endpoint items attached as `messages`, and convoshift's carry object in
 * `metadata.convoshift` (mappings/deepconverse.json).
 *
 * Sources, under /work/shared: seeds/deepconverse-export-conversations.txt ("seed002": conversation fields) and
 * vendors/deepconverse.md (message fields, the Workato example's value shapes, epoch-second times). Read with the search
 * tool: docs.deepconverse.com …/assign-parameters-in-conversations/predefined-parameters (the __sys_* parameters) and
 * …/export-api/messages-endpoint (message fields).
 *
 * DeepConverse documents little, so this schema is lenient wherever its docs are silent (message `time`, the bot's
 * message `type`, `outMsg`, `lastActionAt`), strict where they speak, and lenient about presence: only `_id` and
 * `startTime` are required. Unknown keys are allowed.
 */
import {z} from 'zod'

import {firstIssue} from './issues.js'

/** A schema's own message, except for a missing field, which is just `required`. */
const unlessMissing = (message: string) => (issue: z.core.$ZodRawIssue) =>
  issue.input === undefined ? 'required' : message

const text = z.string().optional()
/** vendors/deepconverse.md: startTime is "an integer epoch in seconds" (1744750665); seconds stay below 1e11. */
const epochSeconds = z
  .int({error: unlessMissing('expected integer epoch seconds')})
  .min(0)
  .max(99_999_999_999, 'expected epoch seconds')
/** An undocumented time: epoch seconds or milliseconds, or an ISO 8601 string (mappings/deepconverse.json). */
const timeError = 'expected an epoch or ISO 8601 time'
const anyTime = z.union([z.number().min(0, timeError), z.iso.datetime({error: timeError, offset: true})], {
  error: unlessMissing(timeError),
})

// Predefined parameters page: {"type": "action_userInput"…}, {"type": "action_userQuickReply"…}. Form input (messages
// endpoint page) and voice have no documented spelling, so the list is open: the documented action_user prefix is held.
const userAction = z.string().regex(/^action_user[A-Z]\w*$/, 'expected an action_user… type')

/** ua-parser's fields, strings or null (predefined parameters page example). */
const parsedPart = z.record(z.string(), z.string().nullable())

const metadata = z.looseObject({
  __sys_activeIntent: text,
  __sys_channel: text,
  __sys_conversationId: text,
  __sys_userAction: z.looseObject({text: z.string().optional(), type: userAction}).optional(),
  __sys_userAgent: text,
  __sys_userAgentParsed: z
    .looseObject({
      device: parsedPart.optional(),
      os: parsedPart.optional(),
      string: text,
      user_agent: parsedPart.optional(),
    })
    .optional(),
  // "Country identified by Cloudflare": ISO 3166 alpha-2, or Cloudflare's XX (unknown) and T1 (Tor)
  __sys_userCountry: z
    .string()
    .regex(/^[A-Z][A-Z\d]$/, 'expected a two-letter country code')
    .optional(),
  __sys_userIp: text,
  browser_hostname: text,
  // "If the user is on a mobile device": its type is not documented
  browser_isMobile: z
    .union([z.boolean(), z.string()], {error: unlessMissing('expected a boolean or a string')})
    .optional(),
  browser_path: text,
  browser_referrer: text,
  // convoshift's carry, a raw JSON object (mappings/deepconverse.json), or a user parameter of that name: any JSON
  convoshift: z.unknown().optional(),
})

const message = z
  .looseObject({
    _id: z.string().min(1),
    conversationId: text,
    // "The details of the message sent by the chatbot": its structure is not documented
    outMsg: z.unknown().optional(),
    time: anyTime.optional(),
    // Only UserInput (the customer) is documented; the bot's type is not, so any other text is the bot's.
    type: z.string().min(1).optional(),
    userActionType: userAction.optional(),
    // "text, quick reply or form input": a string, or an object of form fields
    userInput: z
      .union([z.string(), z.record(z.string(), z.unknown())], {
        error: unlessMissing('expected text or an object of form fields'),
      })
      .optional(),
  })
  .superRefine((each, context) => {
    // messages-endpoint page: userActionType "only exists for type UserInput"; outMsg is the chatbot's message
    if (each.userActionType !== undefined && each.type !== 'UserInput') {
      context.addIssue({
        code: 'custom',
        input: each.type,
        message: 'expected "UserInput" beside userActionType',
        path: ['type'],
      })
    }

    if (each.outMsg !== undefined && each.type === 'UserInput') {
      context.addIssue({
        code: 'custom',
        input: each.type,
        message: "expected a bot type beside outMsg (the chatbot's message)",
        path: ['type'],
      })
    }
  })

export const deepConverseConformance = z
  .looseObject({
    // vendors/deepconverse.md: "a 32-hex string without dashes" (the Workato example). A conversation written from
    // another vendor keeps that vendor's id (verify pairs by it; DeepConverse assigns its own on import): type only.
    _id: z.string().min(1, 'expected an id'),
    // "The time of last conversation update": format not documented (vendors/deepconverse.md)
    lastActionAt: anyTime.optional(),
    // vendors/deepconverse.md: one example, "en_us"; neither case nor separator is documented, so only the form is held
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(?:[_-][a-z\d]{2,8})*$/i, 'expected a locale like en_us')
      .optional(),
    messages: z.array(message).optional(),
    metadata: metadata.optional(),
    startTime: epochSeconds,
    // seed002: "List of the tags … such as resolved, informed, liveChat etc." (an open list)
    tags: z.array(z.string()).optional(),
  })
  .superRefine((record, context) => {
    // The documented join (mappings/deepconverse.json): messages[].conversationId = _id
    for (const [index, each] of (record.messages ?? []).entries()) {
      if (each.conversationId !== undefined && each.conversationId !== record._id) {
        context.addIssue({
          code: 'custom',
          input: each.conversationId,
          message: "expected the conversation's _id",
          path: ['messages', index, 'conversationId'],
        })
      }
    }
  })

/** The first way `record` departs from the shape, on one line (`csat.score: expected 1 to 5, got 8`). */
export function deepConverseConformanceIssue(record: unknown): string | undefined {
  return firstIssue(deepConverseConformance, record)
}
