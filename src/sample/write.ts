import {mkdir} from 'node:fs/promises'
import {dirname} from 'node:path'

import {newStats} from '../engine/hooks/types.js'
import {loadMapping} from '../engine/load-mapping.js'
import {ConvoshiftError, ExitCode, unknownShape} from '../errors.js'
import {registerCleanup} from '../io/interrupt.js'
import {openOutput} from '../io/output.js'
import {stableStringify} from '../util/stable-json.js'
import {sampleGenerators} from './index.js'

export interface WriteSampleOptions {
  count: number
  format: string
  messages?: number
  output: string
  /** Wrap the records in the vendor's API page envelope (one JSON document) instead of JSON Lines. */
  page?: boolean
  seed: string
}

export interface SampleResult {
  bytes: number
  format: string
  layout: 'json-document' | 'jsonl'
  output: string
  records: number
  seed: string
}

/** The shape `neutral` samples are generated in before conversion. */
const NEUTRAL_SOURCE = 'liveperson'

export function sampleFormats(): string[] {
  return ['neutral', ...Object.keys(sampleGenerators)].sort()
}

/**
 * Writes `count` deterministic records of one shape, streaming and atomically: the same format, seed and options
 * give the same bytes. Neutral samples are LivePerson samples converted to the neutral model.
 */
export async function writeSample(options: WriteSampleOptions): Promise<SampleResult> {
  const {count, format, seed} = options
  const sourceFormat = format === 'neutral' ? NEUTRAL_SOURCE : format
  const generate = sampleGenerators[sourceFormat]
  if (!generate) {
    throw unknownShape(format, sampleFormats())
  }

  const toNeutral = format === 'neutral' ? await loadMapping(NEUTRAL_SOURCE) : undefined
  const envelope = toNeutral ? undefined : (await loadMapping(format)).definition.envelope?.[0]
  const page = options.page === true
  if (page && !envelope) {
    throw new ConvoshiftError(`${format} has no API page envelope; write JSON Lines instead (drop --page)`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  if (options.output !== '-') await mkdir(dirname(options.output), {recursive: true})
  const sink = await openOutput(options.output)
  const unregister = registerCleanup(() => sink.abort())
  const context = {format: NEUTRAL_SOURCE, stats: newStats()}
  let bytes = 0
  let records = 0
  const emit = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text)
    await sink.write(text)
  }

  try {
    if (page) await emit(`{${JSON.stringify(envelope)}:[\n`)
    const generatorOptions = options.messages === undefined ? {seed} : {messages: options.messages, seed}
    for (const record of generate(count, generatorOptions)) {
      // Neutral records are canonical (sorted keys); vendor records keep the vendor's own field order.
      const text = toNeutral ? stableStringify(toNeutral.toNeutral(record, context)) : JSON.stringify(record)
      await emit(page ? `${records > 0 ? ',\n' : ''}${text}` : `${text}\n`)
      records++
    }

    if (page) await emit(`\n]}\n`)
    await sink.commit()
  } catch (error) {
    await sink.abort()
    throw error
  } finally {
    unregister()
  }

  return {bytes, format, layout: page ? 'json-document' : 'jsonl', output: options.output, records, seed}
}
