/** Reading a bag's JSON Lines files back: exact lines (split at LF only), each parsed against its zod schema. */
import {createReadStream} from 'node:fs'
import {type z} from 'zod'

const CHUNK_BYTES = 1024 * 1024

export interface Line {
  bytes: Buffer
  line: number
}

/**
 * The lines of a file, split at LF only (a CR is part of the line, so it changes the line's SHA-256), read in 1 MiB
 * chunks. A missing or unreadable file yields nothing: the manifest and layout checks report it.
 * @yields each line's bytes (without the LF) and its 1-based number
 */
export async function* fileLines(path: string): AsyncGenerator<Line> {
  let carry: Buffer | undefined
  let line = 0
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: CHUNK_BYTES}) as AsyncIterable<Buffer>) {
      let start = 0
      let newline = chunk.indexOf(10)
      while (newline !== -1) {
        const piece = chunk.subarray(start, newline)
        const bytes = carry ? Buffer.concat([carry, piece]) : piece
        carry = undefined
        yield {bytes, line: ++line}
        start = newline + 1
        newline = chunk.indexOf(10, start)
      }

      if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : chunk.subarray(start)
    }
  } catch {
    return
  }

  if (carry && carry.length > 0) yield {bytes: carry, line: ++line}
}

/** The first issue of a failed parse as `field: message (got …)`, the value cut short: the file may be hostile. */
function describe(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0]!
  let got: unknown = value
  for (const key of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[key]
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)?.slice(0, 80)})`
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}${shown}`
}

export function parseLine<T>(schema: z.ZodType<T>, bytes: Buffer): {error: string} | {value: T} {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return {error: 'not valid JSON'}
  }

  const parsed = schema.safeParse(value)
  return parsed.success ? {value: parsed.data} : {error: describe(parsed.error, value)}
}
