/** Field types several conformance schemas share. */
import {z} from 'zod'

/** An integer in [min, max]; the message names the range so a report reads `info.csatRate: expected 1 to 5, got 8`. */
export function intRange(min: number, max: number) {
  const error = `expected ${min} to ${max}`
  return z
    .int({error: `expected an integer from ${min} to ${max}`})
    .min(min, {error})
    .max(max, {error})
}

/** An id documented as numeric: a JSON integer or a string of digits (the MI sample sends both for "numeric" ids). */
export const numericId = z.union([z.int(), z.string().regex(/^-?\d+$/, {error: 'expected a numeric id'})], {
  error: 'expected a numeric id',
})

/** Epoch milliseconds: LivePerson documents every `*L`/`*Ts` field as a long. */
export const epochMs = z.int({error: 'expected epoch milliseconds (an integer)'})

/** A string holding a JSON document (MI docs: richContent/quickReplies `content`, `rawMetadata` "in a json format"). */
export const jsonString = z.string().refine(
  (text) => {
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  },
  {error: 'expected a JSON document serialised as a string'},
)
