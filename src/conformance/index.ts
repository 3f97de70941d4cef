/**
 * Conformance schemas: what a record of each vendor shape may look like, per the vendor's documentation (strict about
 * documented types, enums and ranges; lenient about presence, since an API query may leave fields out). convert
 * checks every record it writes for a vendor target against its shape's schema: a record that does not conform is a
 * convoshift bug, reported as a rejected record, never written.
 */
import {type z} from 'zod'

import {adaConformance} from './ada.js'
import {deepConverseConformance} from './deepconverse.js'
import {iAdvizeConformance} from './iadvize.js'
import {intercomConformance} from './intercom.js'
import {firstIssue} from './issues.js'
import {koreAiConformance} from './koreai.js'
import {livePersonConsumerConformance} from './liveperson-consumer.js'
import {livePersonConformance} from './liveperson.js'

export const CONFORMANCE: Readonly<Record<string, z.ZodType>> = {
  ada: adaConformance,
  deepconverse: deepConverseConformance,
  iadvize: iAdvizeConformance,
  intercom: intercomConformance,
  koreai: koreAiConformance,
  liveperson: livePersonConformance,
  'liveperson-consumer': livePersonConsumerConformance,
}

/** The first way `record` departs from `format`'s documented shape, on one line; undefined when it conforms. */
export function conformanceIssue(format: string, record: unknown): string | undefined {
  const schema = CONFORMANCE[format]
  return schema ? firstIssue(schema, record) : undefined
}
