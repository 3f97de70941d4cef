import {Flags} from '@oclif/core'

import {builtInFormats} from './mappers/load-mapping.js'

/** Shared flag builders, so every command spells formats and inputs the same way. */
export const formatFlag = (description: string) =>
  Flags.string({
    description: `${description} One of: neutral, ${builtInFormats().join(', ')}.`,
    required: true,
  })

export const inputFlag = Flags.string({
  char: 'i',
  description: 'Input file (JSONL, JSON array or a vendor API page; gzip is detected), or - for stdin.',
  required: true,
})
