import {Flags} from '@oclif/core'

/** Shared flag builders, so every command spells formats and inputs the same way. */
export const formatFlag = (description: string) =>
  Flags.string({
    description: `${description} One of: neutral, or a record shape in mappings/ (liveperson, liveperson-consumer…).`,
    required: true,
  })

export const inputFlag = Flags.string({
  char: 'i',
  description: 'Input file (JSONL, JSON array or a vendor API page; gzip is detected), or - for stdin.',
  required: true,
})
