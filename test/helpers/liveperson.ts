import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CompiledMapping} from '../../src/engine/compile.js'
import {type HookContext, newStats} from '../../src/engine/hooks/types.js'
import {type JsonObject} from '../../src/engine/json.js'
import {stableStringify} from '../../src/util/stable-json.js'

export const FIXTURES = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'fixtures')

export function fixtureRecords(file: string, envelopeKey: string): JsonObject[] {
  const page = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, JsonObject[]>
  return page[envelopeKey]!
}

export function hookContext(mapping: CompiledMapping): HookContext {
  return {format: mapping.format, stats: newStats()}
}

/** vendor → neutral → canonical JSON text → neutral → vendor, as two separate convert runs do it. */
export function roundTrip(mapping: CompiledMapping, record: JsonObject): {back: JsonObject; neutral: JsonObject} {
  const neutral = mapping.toNeutral(structuredClone(record), hookContext(mapping))
  const reread = JSON.parse(stableStringify(neutral)) as JsonObject
  const back = mapping.fromNeutral(reread, hookContext(mapping))
  return {back, neutral}
}
