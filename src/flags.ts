import {Args, Flags} from '@oclif/core'

import {builtInFormats} from './mappers/load-mapping.js'

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
