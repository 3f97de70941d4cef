/**
 * Conformance schema for the `liveperson-consumer` shape: one `conversationHistoryMetadataRecords[]` item of
 * LivePerson's Consumer Messaging History API (GET …/conversations/consumer/metadata/search).
 *
 * Sources: shared/seeds/liveperson-consumer-metadata-search.txt ("seed003": the current developers.liveperson.com
 * text with its field tables), shared/vendors/liveperson.md, and the samples
 * liveperson-consumer-metadata-search-{developer-center,seed003}.json (the older variant has no dialogs, stage or
 * closeReason, so every field but convId is optional). Metadata only: this API returns no messages, and the mapping
 * declares no carry field.
 */
import {z} from 'zod'

import {epochMs} from './fields.js'
import {livePersonCloseReason, livePersonDialogType, livePersonState} from './liveperson.js'

/** seed003 participants `role` "Valid values: CONSUMER, ASSIGNED_AGENT, READER, MANAGER". */
const participant = z
  .looseObject({id: z.string(), role: z.enum(['CONSUMER', 'ASSIGNED_AGENT', 'READER', 'MANAGER'])})
  .partial()

const dialog = z
  .looseObject({
    dialogId: z.string(),
    participantsDetails: z.array(participant), // seed003 "container"; its sample items are {id, role}
    dialogType: livePersonDialogType, // seed003 "Valid values: MAIN, POST_SURVEY"
    state: livePersonState, // seed003 "Valid values: OPEN, CLOSE"
    closedBy: z.string(), // "The participant that closed the dialog": no documented list (sample "Agent")
    creationTs: epochMs, // seed003 long
    endTs: epochMs,
    channelType: z.string(), // MESSAGING in the sample; no documented list
  })
  .partial()

export const livePersonConsumerConformance = z.looseObject({
  convId: z.string(),
  participants: z.array(participant).optional(),
  dialogs: z.array(dialog).optional(),
  // "State of the main dialog" / "State of the entire conversation": seed003 gives no list for these two, but the
  // main dialog's state is documented as OPEN/CLOSE and the sample uses the same for both.
  state: livePersonState.optional(),
  stage: livePersonState.optional(),
  startTs: epochMs.optional(), // seed003 long
  endTs: epochMs.optional(),
  csat: z
    .looseObject({
      // seed003: double, no documented range (the Messaging Interactions docs give 1-5 for the same survey, but a
      // SKIPPED survey has no score to range-check), so any number passes.
      csatRate: z.number(),
      csatResolutionConfirmation: z.boolean(), // seed003 boolean
      status: z.enum(['FILLED', 'PARTIALLY_FILLED', 'SKIPPED']), // seed003 "Valid values"
    })
    .partial()
    .optional(),
  // seed003 "The close reason for the main dialog", no list: LivePerson's close reasons as in the MI schema.
  closeReason: livePersonCloseReason.optional(),
})
