/**
 * Conformance schemas: what a record of each vendor shape may look like, per the vendor's documentation (strict about
 * documented types, enums and ranges; lenient about presence, since an API query may leave fields out). convert
 * checks every record it writes for a vendor target against its shape's schema: a record that does not conform is a
 * convoshift bug, reported as a rejected record, never written.
 */
import {type z} from 'zod'

import {firstIssue} from './issues.js'

/**
 * Each shape's schema, loaded only when a run writes that shape. Importing all of them after the engine took 26–33 ms of
 * a one-record convert's start-up (3 runs); now a neutral target loads none (~1 ms) and a vendor target its own
 * (medians of 5 on a loaded machine: ada 11 ms, liveperson 19 ms).
 */
const LOADERS: Readonly<Record<string, () => Promise<z.ZodType>>> = {
  ada: async () => (await import('./ada.js')).adaConformance,
  deepconverse: async () => (await import('./deepconverse.js')).deepConverseConformance,
  iadvize: async () => (await import('./iadvize.js')).iAdvizeConformance,
  intercom: async () => (await import('./intercom.js')).intercomConformance,
  koreai: async () => (await import('./koreai.js')).koreAiConformance,
  liveperson: async () => (await import('./liveperson.js')).livePersonConformance,
  'liveperson-consumer': async () => (await import('./liveperson-consumer.js')).livePersonConsumerConformance,
}

/**
 * A check giving the first way a record departs from `format`'s documented shape, on one line; none for a shape
 * without a conformance schema (the neutral model).
 */
export async function loadConformanceCheck(
  format: string,
): Promise<((record: unknown) => string | undefined) | undefined> {
  const load = Object.hasOwn(LOADERS, format) ? LOADERS[format] : undefined
  if (!load) return undefined
  const schema = await load()
  return (record) => firstIssue(schema, record)
}
