import {readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {createArchive, verifyArchive} from '../../archive/index.js'
import {ConvoshiftError, ExitCode} from '../../errors.js'
import {type RecordLimits} from '../../io/limits.js'
import {exists} from '../project.js'
import {type StepProgress} from '../runner.js'

export interface ArchiveStepResult {
  [key: string]: number | string
  bag: string
  conversations: number
  identifier: string
  rejected: number
  /** Files checked by verifyArchive after writing. */
  verifiedFiles: number
  version: number
}

const BAG = /^bag-v(\d+)$/

/** Bag versions already in the workspace's archive directory, ascending. */
export async function bagVersions(archiveDir: string): Promise<number[]> {
  const names = await readdir(archiveDir).catch(() => [] as string[])
  return names
    .map((name) => BAG.exec(name)?.[1])
    .filter((version): version is string => version !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

export interface ArchiveStepOptions {
  archiveDir: string
  date?: string | undefined
  from: string
  /**
   * The export as the user gave it (--input or source.input), or as the export step wrote it: bagged byte for byte as
   * the evidence, and read for the bag's conversations, exactly as `archive create` does. Not the workspace source,
   * which is the same records re-serialised (and without earlier copies of a conversation).
   */
  input: string
  /** Pool workers (createArchive's `jobs`). */
  jobs?: number | undefined
  /** The highest bag version a completed run recorded (0: none). A bag above it is left over by an interrupted run. */
  lastRecorded: number
  limits: RecordLimits
  onProgress: (progress: StepProgress) => void
  redact: string[]
  /** Records in the input (progress only). */
  total: number
}

/**
 * Archives the export as a new bag version (archive/bag-v<N>), never over an old one: the previous bag is
 * kept and named as this one's predecessor. A bag above the last recorded version was left by an interrupted run and
 * is replaced (createArchive is deterministic, so the bytes are the same).
 */
export async function archiveSource(options: ArchiveStepOptions): Promise<ArchiveStepResult> {
  const version = options.lastRecorded + 1
  for (const leftover of (await bagVersions(options.archiveDir)).filter((v) => v >= version)) {
    await rm(join(options.archiveDir, `bag-v${leftover}`), {force: true, recursive: true})
  }

  const previous = join(options.archiveDir, `bag-v${options.lastRecorded}`)
  const bag = join(options.archiveDir, `bag-v${version}`)
  const result = await createArchive({
    from: options.from,
    input: options.input,
    ...(options.jobs === undefined ? {} : {jobs: options.jobs}),
    limits: options.limits,
    onProgress(progress) {
      options.onProgress({done: progress.read, total: options.total, unit: 'records'})
    },
    output: bag,
    redact: options.redact,
    ...(options.date ? {date: options.date} : {}),
    ...(options.lastRecorded > 0 && (await exists(previous)) ? {previous} : {}),
  })
  // The bag is checked as an archivist would check it before it is recorded: every checksum, the index, each record.
  const check = await verifyArchive({
    dir: bag,
    onProgress(progress) {
      options.onProgress({
        done: Math.round(progress.bytes / 1e6),
        total: Math.round(progress.totalBytes / 1e6),
        unit: 'MB checked',
      })
    },
  })
  if (!check.valid) {
    const first = check.problems[0]
    throw new ConvoshiftError(
      `${bag}: the new bag failed verification (${first ? `${first.file}: ${first.problem}` : 'invalid'})`,
      {
        code: 'ARCHIVE_INVALID',
        exitCode: ExitCode.ArchiveInvalid,
      },
    )
  }

  return {
    bag: `bag-v${version}`,
    conversations: result.conversations,
    identifier: result.identifier,
    rejected: result.records.rejected,
    verifiedFiles: check.checked.files,
    version: result.version,
  }
}

export function describeArchive(result: ArchiveStepResult): string {
  const rejected = result.rejected ? `, ${result.rejected} rejected` : ''
  return `archive/${result.bag}: ${result.conversations} conversations${rejected}, verified (${result.verifiedFiles} files)`
}

/** Directories createArchive assembles a bag in (`.bag-vN.<pid>.partial`), left behind by a killed run. */
export async function removePartialBags(archiveDir: string): Promise<void> {
  for (const name of await readdir(archiveDir).catch(() => [] as string[])) {
    const match = /^\..+\.(\d+)\.partial$/.exec(name)
    if (match && Number(match[1]) !== process.pid) await rm(join(archiveDir, name), {force: true, recursive: true})
  }
}
