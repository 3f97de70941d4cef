/** Progress (listr2 on stderr) and the human summaries of the archive commands. */
import {createTaskList, progressLine, type Reading} from '../util/progress.js'
import {formatSize} from '../util/size.js'
import {type ArchiveCreateOptions, type ArchiveCreateResult, type ArchiveProgress, createArchive} from './create.js'
import {type ArchiveExportOptions, type ArchiveExportResult, exportArchive} from './export.js'
import {
  type ArchiveVerifyOptions,
  type ArchiveVerifyProgress,
  type ArchiveVerifyResult,
  verifyArchive,
} from './verify.js'

/**
 * Runs `work` as one listr2 task with a progress line (counts, share done, rate, ETA, elapsed); `describe` turns the
 * service's progress into a reading, and `done` the result into the finished title's tail.
 */
async function withProgress<R, C>(
  title: string,
  silent: boolean,
  work: (onProgress: (progress: C) => void) => Promise<R>,
  describe: (progress: C) => Reading,
  done: (result: R) => string,
): Promise<R> {
  const ctx: {result?: R} = {}
  const list = createTaskList<typeof ctx>(
    [
      {
        async task(context, task) {
          const line = progressLine(task)
          context.result = await work((progress) => line.update(describe(progress)))
          task.title = `${title}: ${done(context.result)}`
        },
        title,
      },
    ],
    {ctx, silent},
  )
  await list.run()
  return ctx.result!
}

export function createArchiveWithProgress(
  options: ArchiveCreateOptions,
  silent: boolean,
): Promise<ArchiveCreateResult> {
  return withProgress(
    `Archiving ${options.from} → ${options.output}`,
    silent,
    (onProgress) => createArchive({...options, onProgress}),
    (c: ArchiveProgress) => ({
      bytes: true,
      counts: `${c.read} read, ${c.archived} archived, ${c.rejected} rejected`,
      done: c.input?.bytesRead,
      items: c.read,
      total: c.input?.size,
      unit: 'records',
    }),
    ({records}) => `${records.read} read, ${records.archived} archived, ${records.rejected} rejected`,
  )
}

export function exportArchiveWithProgress(
  options: ArchiveExportOptions,
  silent: boolean,
): Promise<ArchiveExportResult> {
  return withProgress(
    `Exporting ${options.dir} → ${options.to}`,
    silent,
    (onProgress) => exportArchive({...options, onProgress}),
    (c: {exported: number; scanned: number}) => ({
      counts: `${c.scanned} scanned, ${c.exported} exported`,
      items: c.scanned,
      unit: 'records',
    }),
    (result) => `${result.scanned} scanned, ${result.exported} exported`,
  )
}

export function verifyArchiveWithProgress(
  options: ArchiveVerifyOptions,
  silent: boolean,
): Promise<ArchiveVerifyResult> {
  return withProgress(
    `Verifying ${options.dir}${options.fast ? ' (fast: Payload-Oxum only)' : ''}`,
    silent,
    (onProgress) => verifyArchive({...options, onProgress}),
    (p: ArchiveVerifyProgress) =>
      p.paired === undefined
        ? {
            bytes: true,
            counts: `${formatSize(p.bytes)} hashed${p.records > 0 ? `, ${p.records} records checked` : ''}`,
            done: p.bytes,
            items: Math.round(p.bytes / 1e6),
            total: p.totalBytes,
            unit: 'MB',
          }
        : {counts: `${p.paired} records of the kept export paired with the id map`, items: p.paired, unit: 'records'},
    (result) => (result.valid ? 'valid' : `${result.problems.length + result.truncated} problem(s)`),
  )
}

export function renderCreateSummary(result: ArchiveCreateResult): string {
  const {records} = result
  const lines = [
    `${records.read} read = ${records.archived} archived + ${records.rejected} rejected (${result.from}); ${result.messages} messages in ${result.shards} shard(s)`,
    `bag: ${result.output} (BagIt 1.0, Payload-Oxum ${result.payload.bytes}.${result.payload.files}, Bagging-Date ${result.baggingDate})`,
    `identifier: ${result.identifier}${result.previous ? ` (version ${result.version}, follows ${result.previous})` : ''}`,
    `originals: ${result.originals}`,
  ]
  if (records.rejected > 0) lines.push('rejected records: data/rejected.jsonl in the bag')
  if (result.signedBy) lines.push(`signed: convoshift-signature.txt (public key ${result.signedBy})`)
  if (result.redaction) {
    const counts = Object.entries(result.redaction.counts)
      .filter(([kind]) => result.redaction!.rules.some((rule) => rule.startsWith(kind)))
      .map(([kind, n]) => `${kind} ×${n}`)
    lines.push(`redacted: ${counts.join(', ')}`)
  }

  return lines.join('\n')
}

export function renderVerifySummary(result: ArchiveVerifyResult): string {
  const what = result.fast
    ? 'Payload-Oxum and file list'
    : `${result.checked.files} files, ${result.checked.bytes} bytes hashed (sha256, sha512)${result.convoshift ? `, ${result.checked.records} records` : ''}`
  const {key, status} = result.signature
  const signature = result.fast
    ? ''
    : status === 'verified'
      ? `; signature verified (key ${key})`
      : status === 'unchecked'
        ? `; signed (key ${key}), but the signature was not checked: pass --key`
        : status === 'unsigned'
          ? '; unsigned'
          : ''
  if (result.valid) return `valid: ${result.dir} (${what})${signature}`
  const lines = result.problems.map(
    (p) =>
      `${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.record === undefined ? '' : ` (conversation ${p.record})`}: ${p.problem}`,
  )
  if (result.truncated > 0) lines.push(`… and ${result.truncated} more`)
  // Unsigned under --require-signature, and nothing else wrong: the verdict says so rather than "invalid".
  const unsignedOnly = status === 'unsigned' && result.problems.length === 1 && result.truncated === 0
  lines.push(
    unsignedOnly
      ? `UNSIGNED: ${result.dir}: no signature, and --require-signature asks for one (${what})`
      : `INVALID: ${result.dir}: ${result.problems.length + result.truncated} problem(s) (${what})`,
  )
  return lines.join('\n')
}

export function renderExportSummary(result: ArchiveExportResult): string {
  const lines = [
    `${result.selected} selected of ${result.scanned} scanned = ${result.exported} exported + ${result.rejected} rejected (→ ${result.to}): ${result.output}`,
  ]
  if (result.rejectedFile) lines.push(`rejected: ${result.rejectedFile}`)
  if (result.notFound.length > 0) lines.push(`not in the archive: ${result.notFound.join(', ')}`)
  return lines.join('\n')
}
