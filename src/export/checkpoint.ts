/**
 * The export checkpoint: where a run stands, written atomically (temp file + rename) after every page, so a crash or a
 * kill at any point leaves either the previous or the next checkpoint, never a torn one.
 *
 * It holds no record ids: the ids needed for de-duplication are those of the current and the previous window, and
 * those records are in the partial output already; `--resume` re-reads them from there (between the byte offsets
 * below). That keeps each checkpoint write small however large a window grows. It holds no secret either: the
 * fingerprint covers the non-secret options only.
 */
import {readFile, unlink} from 'node:fs/promises'
import {z} from 'zod'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {writeFileAtomic} from '../io/output.js'
import {stableStringify} from '../util/stable-json.js'

const JsonValue: z.ZodType<unknown> = z.json()

export const Counts = z.strictObject({
  duplicates: z.number().int().nonnegative(),
  outsideRange: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
})
export type Counts = z.infer<typeof Counts>

export const Checkpoint = z.strictObject({
  /** Bytes of the partial output that are final; anything after is from a page whose checkpoint was never written. */
  bytes: z.number().int().nonnegative(),
  /** The whole export finished: only the rename of the partial output (and this file's removal) may be missing. */
  complete: z.boolean(),
  counts: Counts,
  /** Pages still to fetch in the current window, in order; null is the window's first page. */
  cursors: z.array(JsonValue),
  /** What the run exports: format, base URL, range, page size and the non-secret options. Must match on resume. */
  fingerprint: z.record(z.string(), JsonValue),
  /** Counters reported by the adapter (e.g. partialRefetched). */
  vendor: z.record(z.string(), z.number().int().nonnegative()),
  version: z.literal(1),
  /** Index of the window being exported (== window count when complete). */
  window: z.number().int().nonnegative(),
  /** Byte offset where the current window's records start in the partial output. */
  windowStart: z.number().int().nonnegative(),
  /** Byte offset where the previous window's records start (its ids de-duplicate this window too). */
  previousWindowStart: z.number().int().nonnegative(),
})
export type Checkpoint = z.infer<typeof Checkpoint>

export async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConvoshiftError(
      `${path}: cannot read the checkpoint (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        code: 'CHECKPOINT_INVALID',
        exitCode: ExitCode.Io,
      },
    )
  }

  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalid(path, 'not JSON')
  }

  const result = Checkpoint.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw invalid(path, `${issue.path.map(String).join('.') || 'root'}: ${issue.message}`)
  }

  return result.data
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeFileAtomic(path, stableStringify(checkpoint) + '\n')
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}

/** The first fingerprint field that differs, for a one-line "resume with other options" error. */
export function fingerprintDifference(
  saved: Record<string, unknown>,
  current: Record<string, unknown>,
): string | undefined {
  const keys = [...new Set([...Object.keys(current), ...Object.keys(saved)])].sort()
  for (const key of keys) {
    const before = saved[key] === undefined ? 'none' : stableStringify(saved[key])
    const now = current[key] === undefined ? 'none' : stableStringify(current[key])
    if (before !== now) return `${key} was ${before}, now ${now}`
  }

  return undefined
}

function invalid(path: string, reason: string): ConvoshiftError {
  return new ConvoshiftError(`${path}: not a convoshift export checkpoint (${reason})`, {
    code: 'CHECKPOINT_INVALID',
    exitCode: ExitCode.InvalidInput,
    suggestions: ['pass --restart to discard it and start over'],
  })
}
