/**
 * `archive export`: conversations back out of a bag, in the neutral model or any vendor shape, streaming: the whole
 * archive, some conversations by id, or every conversation a person took part in (a data subject access request).
 * Each record's line is checked against its SHA-256 in the index before it is exported, so a tampered record is never
 * handed out as if it were archived that way.
 */
import {createHash} from 'node:crypto'
import {lstat, readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {type z} from 'zod'

import {defaultRejectedPath} from '../convert/index.js'
import {canonicalLine} from '../engine/canonical.js'
import {loadSide, makeConverter, NEUTRAL, rejectedEntry} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {registerCleanup} from '../io/interrupt.js'
import {openOutput, type OutputSink, removeFormerOutput} from '../io/output.js'
import {type ArchiveExportResult as ArchiveExportResultSchema} from '../schemas/archive.js'
import {stableLine} from '../util/stable-json.js'
import {bagInfoValue, compareStrings, parseBagInfo} from './bagit.js'
import {INDEX_FILE, IndexEntry, LABELS, SHARD_DIR} from './layout.js'
import {fileLines, parseLine} from './lines.js'

export type ArchiveExportResult = z.infer<typeof ArchiveExportResultSchema>

export interface ArchiveExportOptions {
  /** The bag directory. */
  dir: string
  /** Conversation ids (sourceId) to export; with `participants`, a conversation matching either is exported. */
  ids?: string[]
  onProgress?: (counts: {exported: number; scanned: number}) => void
  /** Output JSONL file, or '-' for stdout. */
  output: string
  /**
   * People: a conversation is exported when one of its participants, or its customer, has this id, email (any case),
   * phone (digits compared) or login name.
   */
  participants?: string[]
  /** Where records the target shape rejects go; default `<output>.rejected.jsonl`. */
  rejected?: string
  stdout?: NodeJS.WritableStream
  /** neutral, or a record shape. */
  to: string
}

function invalid(message: string): ConvoshiftError {
  return new ConvoshiftError(message, {
    code: 'ARCHIVE_INVALID',
    exitCode: ExitCode.ArchiveInvalid,
    suggestions: ['run `convoshift archive verify` on it'],
  })
}

/** A path of the bag that must be a regular file (or directory), not a symlink that could lead out of the bag. */
async function expectReal(dir: string, path: string, kind: 'directory' | 'file'): Promise<boolean> {
  const stats = await lstat(join(dir, path)).catch(() => {})
  if (!stats) return false
  if (kind === 'file' ? stats.isFile() : stats.isDirectory()) return true
  throw invalid(`${dir}/${path}: not a regular ${kind} (a symlink?); the archive was altered`)
}

/**
 * Index entries in order, each checked for its form: a shard path is one the writer makes, so nothing outside the
 * bag's shards is ever opened. A malformed line, or one naming a shard the bag does not hold, is an invalid archive.
 * @yields one entry per index line
 */
async function* indexEntries(dir: string, shards: ReadonlySet<string>): AsyncGenerator<IndexEntry & {at: number}> {
  for await (const {bytes, line} of fileLines(join(dir, INDEX_FILE))) {
    const parsed = parseLine(IndexEntry, bytes)
    if ('error' in parsed) throw invalid(`${dir}/${INDEX_FILE}:${line}: not an index entry: ${parsed.error}`)
    if (!shards.has(parsed.value.shard))
      throw invalid(`${dir}/${INDEX_FILE}:${line}: names ${parsed.value.shard}, which is not in the archive`)
    yield {...parsed.value, at: line}
  }
}

type Person = Record<string, unknown>

/** Does the person named by one of `wanted` appear in this record? */
function makeParticipantMatcher(wanted: readonly string[]): (record: Person) => boolean {
  const exact = new Set(wanted)
  const lower = new Set(wanted.map((value) => value.toLowerCase()))
  const phoneDigits = new Set(wanted.map((value) => value.replaceAll(/\D/g, '')).filter((digits) => digits.length >= 7))
  const matches = (person: Person | undefined): boolean => {
    if (!person) return false
    for (const key of ['id', 'externalId', 'loginName'])
      if (typeof person[key] === 'string' && exact.has(person[key])) return true
    if (typeof person.email === 'string' && lower.has(person.email.toLowerCase())) return true
    return typeof person.phone === 'string' && phoneDigits.has(person.phone.replaceAll(/\D/g, ''))
  }

  return (record) =>
    matches(record.customer as Person | undefined) ||
    (Array.isArray(record.participants) && (record.participants as Person[]).some((p) => matches(p)))
}

/** Streams the selected conversations of a bag to `output`, converted to `to`. */
export async function exportArchive(options: ArchiveExportOptions): Promise<ArchiveExportResult> {
  const {dir} = options
  const notAnArchive = (why: string): ConvoshiftError =>
    new ConvoshiftError(`${dir}: ${why}`, {code: 'ARCHIVE_NOT_FOUND', exitCode: ExitCode.Io})
  let info
  try {
    info = parseBagInfo(await readFile(join(dir, 'bag-info.txt'), 'utf8')).info
  } catch (error) {
    if (error instanceof ConvoshiftError) throw error
    throw notAnArchive(`not a convoshift archive (no bag-info.txt or ${INDEX_FILE})`)
  }

  const layout = bagInfoValue(info, LABELS.archiveLayout)
  if (!(await expectReal(dir, 'data', 'directory')) || !(await expectReal(dir, INDEX_FILE, 'file'))) {
    // A bag that says it is ours and has lost its index was altered, not mistaken for another kind of bag.
    if (layout !== undefined)
      throw invalid(
        `${dir}/${INDEX_FILE}: missing, yet bag-info.txt says the bag is a convoshift archive; the archive was altered`,
      )
    throw notAnArchive(`not a convoshift archive (no bag-info.txt or ${INDEX_FILE})`)
  }

  if (layout === undefined) {
    throw notAnArchive(`a bag, but not a convoshift archive (no ${LABELS.archiveLayout} in bag-info.txt)`)
  }

  const neutral = await loadSide(NEUTRAL)
  const target = await loadSide(options.to)
  const converter = options.to === NEUTRAL ? undefined : makeConverter(neutral, target)
  const ids = [...new Set(options.ids ?? [])]
  const participants = [...new Set(options.participants ?? [])]
  const wantedIds = new Set(ids)
  const matchesPerson = participants.length > 0 ? makeParticipantMatcher(participants) : undefined
  const everything = ids.length === 0 && participants.length === 0

  // Shards to read: with only --id, just those holding the ids (found in the index); otherwise all of them.
  const allShards = (await expectReal(dir, SHARD_DIR, 'directory'))
    ? (await readdir(join(dir, SHARD_DIR)))
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => `${SHARD_DIR}/${name}`)
        .sort(compareStrings)
    : []
  for (const shard of allShards) await expectReal(dir, shard, 'file')
  const inBag = new Set(allShards)
  const found = new Set<string>()
  const shardsWithIds = new Set<string>()
  if (ids.length > 0) {
    for await (const entry of indexEntries(dir, inBag)) {
      if (wantedIds.has(entry.id)) {
        found.add(entry.id)
        shardsWithIds.add(entry.shard)
      }
    }
  }

  const shards = matchesPerson || everything ? allShards : allShards.filter((shard) => shardsWithIds.has(shard))
  const rejectedPath = options.rejected ?? defaultRejectedPath(options.output)
  const counts = {exported: 0, rejected: 0, scanned: 0, selected: 0}
  const exportedIds = new Set<string>()
  const output: OutputSink = await openOutput(options.output, options.stdout ? {stdout: options.stdout} : undefined)
  let rejected: OutputSink | undefined
  const abortAll = async (): Promise<void> => {
    await Promise.all([output.abort(), rejected?.abort()])
  }

  const unregister = registerCleanup(abortAll)
  try {
    const index = indexEntries(dir, inBag)
    let pending = await index.next()
    for (const shard of shards) {
      // The index lists every record in order; skip to this shard's entries.
      while (!pending.done && pending.value.shard !== shard) pending = await index.next()
      for await (const {bytes, line} of fileLines(join(dir, shard))) {
        const entry = pending.done ? undefined : pending.value
        if (!entry || entry.shard !== shard || entry.line !== line)
          throw invalid(`${dir}/${shard}:${line}: not listed in ${INDEX_FILE}`)
        pending = await index.next()
        counts.scanned++
        // Cheap pre-filter for --id alone: the index names the record.
        if (!matchesPerson && !everything && !wantedIds.has(entry.id)) continue
        let record: Person
        try {
          record = JSON.parse(bytes.toString('utf8')) as Person
        } catch {
          throw invalid(`${dir}/${shard}:${line} (conversation ${entry.id}): not valid JSON; the archive was altered`)
        }

        const selected = everything || wantedIds.has(entry.id) || (matchesPerson?.(record) ?? false)
        if (!selected) continue
        if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
          throw invalid(
            `${dir}/${shard}:${line} (conversation ${entry.id}): does not match its SHA-256 in ${INDEX_FILE}; the archive was altered`,
          )
        }

        counts.selected++
        exportedIds.add(entry.id)
        const outcome = converter ? converter.convert(record) : {value: record}
        if (outcome.value) {
          counts.exported++
          const wait = output.write(canonicalLine(outcome.value))
          if (wait) await wait
        } else {
          counts.rejected++
          rejected ??= await openOutput(rejectedPath)
          rejected.write(
            stableLine(
              rejectedEntry(neutral, record, {index: counts.scanned - 1, line}, `${shard}: ${outcome.reason}`),
            ),
          )
        }

        if (options.onProgress && counts.scanned % 256 === 0) options.onProgress(counts)
      }

      // Entries of this shard left over: the index lists records past the shard's end.
      if (!pending.done && pending.value.shard === shard) {
        throw invalid(
          `${dir}/${INDEX_FILE}:${pending.value.at}: lists conversation ${pending.value.id} at ${shard}:${pending.value.line}, past the end of that shard`,
        )
      }
    }

    // Every id the index holds was exported: one it names but that was not found where it says is never dropped quietly.
    const lost = [...found].find((id) => !exportedIds.has(id))
    if (lost !== undefined)
      throw invalid(`${dir}/${INDEX_FILE}: lists conversation ${lost}, but it is not where the index says`)

    await output.commit()
    await rejected?.commit()
    // No rejected record: a rejected file of an earlier run must not stand beside this output (a file or link only, so
    // `--rejected /dev/null` is never deleted).
    if (!rejected && options.output !== '-') await removeFormerOutput(rejectedPath)
  } catch (error) {
    await abortAll()
    throw error
  } finally {
    unregister()
  }

  options.onProgress?.(counts)
  return {
    dir,
    exported: counts.exported,
    filters: {ids, participants},
    notFound: ids.filter((id) => !found.has(id)),
    output: options.output,
    rejected: counts.rejected,
    rejectedFile: rejected ? rejectedPath : null,
    scanned: counts.scanned,
    selected: counts.selected,
    to: options.to,
  }
}
