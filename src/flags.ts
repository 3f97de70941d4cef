import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {builtInFormats} from './engine/load-mapping.js'
import {ConvoshiftError, ExitCode} from './errors.js'
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_RECORD_BYTES,
  formatBytes,
  MAX_MAX_DEPTH,
  type RecordLimits,
} from './io/limits.js'

/** Shared flag builders, so every command spells formats and inputs the same way. */
export const formatFlag = (description: string) =>
  Flags.string({
    description: `${description} One of: neutral, ${builtInFormats().join(', ')} (in any case).`,
    // Shapes are lower case; `--to Ada` means ada. An unknown one is refused by the service with FORMAT_UNKNOWN.
    parse: async (input) => input.toLowerCase(),
    required: true,
  })

/** A record shape given as an argument (`export SHAPE`, `sample SHAPE`), in any case. */
export const shapeArg = (description: string) =>
  Args.string({description, parse: async (input) => input.toLowerCase(), required: true})

export const inputFlag = Flags.string({
  char: 'i',
  description: 'Input file (JSONL, JSON array or a vendor API page; gzip is detected), or - for stdin.',
  required: true,
})

/** `64MiB`, `500KB`, `1048576`: binary (KiB, MiB, GiB) or decimal (KB, MB, GB) units, or plain bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?)?$/i.exec(text.trim())
  const factors: Record<string, number> = {G: 1e9, GI: 2 ** 30, K: 1e3, KI: 2 ** 10, M: 1e6, MI: 2 ** 20}
  const unit = match?.[2]?.toUpperCase().replace(/B$/, '')
  const bytes = match ? Math.floor(Number(match[1]) * (unit ? factors[unit]! : 1)) : Number.NaN
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new ConvoshiftError(`${flag}: expected a size such as 64MiB or 1000000, got "${text}"`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  return bytes
}

/**
 * The limits on one input record, for every command that reads an input file (convert, verify, archive create,
 * migrate); `recordLimits(flags)` turns them into the reader's option.
 */
/** --jobs: how many pool workers (engine/pool) convert a JSON Lines file input. */
export const jobsFlag = Flags.integer({
  description:
    'Worker threads converting a JSON Lines file while the main thread reads and writes. Default 1 (in process): on 2 cores the pool is still slower (see README). Output is byte-identical.',
  min: 1,
})

export const recordLimitFlags = {
  'max-depth': Flags.integer({
    default: DEFAULT_MAX_DEPTH,
    description: `Deepest nesting of objects and arrays in one input record; a deeper one is rejected (in a JSON document: an error). At most ${MAX_MAX_DEPTH}.`,
    max: MAX_MAX_DEPTH,
    min: 1,
  }),
  'max-record-bytes': Flags.custom<number>({
    default: async () => DEFAULT_MAX_RECORD_BYTES,
    defaultHelp: async () => formatBytes(DEFAULT_MAX_RECORD_BYTES).replace(' ', ''),
    description:
      'Largest input record (e.g. 64MiB, 500MB, bytes), checked before it is held in memory; a larger JSON Lines line is rejected, a larger value in a JSON document is an error.',
    async parse(input) {
      return parseSize(input, '--max-record-bytes')
    },
  })(),
}

export function recordLimits(flags: {'max-depth': number; 'max-record-bytes': number}): RecordLimits {
  return {maxDepth: flags['max-depth'], maxRecordBytes: flags['max-record-bytes']}
}
