import {mkdir} from 'node:fs/promises'
import {dirname} from 'node:path'
import {type z} from 'zod'

import {canonicalJson} from '../engine/canonical.js'
import {count} from '../engine/hooks/types.js'
import {
  type Converter,
  diagnoseWrongFormat,
  makeConverter,
  rejectedEntry,
  resolveSides,
  type Side,
} from '../engine/pipeline.js'
import {LINE_LIMIT} from '../engine/pool/chunk.js'
import {newlinePieces} from '../engine/pool/chunks.js'
import {convertOnPool, poolWorkers} from '../engine/pool/pool.js'
import {unmatchedWarning} from '../engine/rule-list.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {type FileSource, type InputPosition} from '../io/byte-source.js'
import {registerCleanup} from '../io/interrupt.js'
import {DEFAULT_LIMITS, type RecordLimits} from '../io/limits.js'
import {openOutput, type OutputSink, removeFormerOutput} from '../io/output.js'
import {openRecords, type RecordSource, type RejectedInput} from '../io/read-records.js'
import {ConvertCounts as ConvertCountsSchema, ConvertResult as ConvertResultSchema} from '../schemas/results.js'
import {stableLine} from '../util/stable-json.js'
import {IdTally} from './ids.js'

export interface ConvertOptions {
  dryRun?: boolean
  from: string
  input: string
  /**
   * Worker threads converting a JSON Lines file while the main thread reads and writes; 1: none, all in process.
   * Default 1: in process (`poolWorkers` says why).
   */
  jobs?: number
  /** Size and depth limits of one input record (--max-record-bytes, --max-depth). */
  limits?: RecordLimits
  /** A user mapping file that extends the built-in mapping of one side (the one it `extends`). */
  mapping?: string
  /** Called now and then with running counts and, for a file input, how far into it the reading is (for progress). */
  onProgress?: (counts: ConvertCounts, input?: InputPosition) => void
  output?: string
  /** Where rejected records go; defaults to `<output>.rejected.jsonl`. */
  rejected?: string
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  to: string
  /**
   * Leave out each record's lossless remainder (`extensions.<format>`), so the output cannot be converted back exactly.
   * Not a command flag: `npm run bench` uses it to measure what losslessness costs, next to the real conversion.
   */
  withoutExtensions?: boolean
}

export type ConvertCounts = z.infer<typeof ConvertCountsSchema>
export type ConvertResult = z.infer<typeof ConvertResultSchema>

export function defaultRejectedPath(output: string | undefined): string {
  return output && output !== '-' ? `${output}.rejected.jsonl` : 'convoshift.rejected.jsonl'
}

/** `--output reports/2024/neutral.jsonl` should not need a mkdir first. */
async function createParent(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), {recursive: true})
  } catch (error) {
    throw new ConvoshiftError(`${path}: cannot create its directory (${(error as NodeJS.ErrnoException).code})`, {
      code: 'OUTPUT_UNWRITABLE',
      exitCode: ExitCode.Io,
    })
  }
}

/**
 * Convert records between two formats, streaming: every input record ends up converted or in the
 * rejected file (with its line and a reason), and the counts reconcile. Outputs appear atomically.
 */
export async function runConvert(options: ConvertOptions): Promise<ConvertResult> {
  if (!options.dryRun && !options.output) {
    throw new ConvoshiftError('--output is required unless --dry-run is given', {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  const sides = await resolveSides(options)
  if (!options.dryRun) {
    for (const path of [options.output!, options.rejected ?? defaultRejectedPath(options.output)]) {
      if (path !== '-') await createParent(path)
    }
  }

  const jobs = poolWorkers(options.input, options.jobs)
  if (jobs > 1) {
    const result = await attempt(options, sides, jobs)
    if (result) return result
  }

  return (await attempt(options, sides, 1))!
}

/** One pass over the input; undefined when a parallel pass had to give up (nothing was committed). */
async function attempt(
  options: ConvertOptions,
  sides: {from: Side; to: Side},
  jobs: number,
): Promise<ConvertResult | undefined> {
  const {dryRun = false} = options
  const {from, to} = sides
  const lean = options.withoutExtensions ? {withoutExtensions: true} : {}
  const converter = makeConverter(from, to, lean)
  const limits = options.limits ?? DEFAULT_LIMITS
  const source = await openRecords({
    envelopeKeys: from.envelope,
    limits,
    path: options.input,
    ...(options.stdin ? {stdin: options.stdin} : {}),
  })
  if (jobs > 1) {
    // The layout is known once the reader has started: the pool takes JSON Lines only (a document's values are not cut
    // at newlines), and reads the file itself.
    await source.close()
    if (source.layout !== 'jsonl') return undefined
  }

  const label = options.input === '-' ? '<stdin>' : options.input
  const rejectedPath = options.rejected ?? defaultRejectedPath(options.output)

  let output: OutputSink | undefined
  let rejected: OutputSink | undefined
  const abortAll = async (): Promise<void> => {
    await Promise.all([output?.abort(), rejected?.abort(), source.close()])
  }

  const ids = new IdTally()
  const unregister = registerCleanup(async () => {
    ids.dispose()
    await abortAll()
  })
  const counts: ConvertCounts = {converted: 0, read: 0, rejected: 0}
  const warnings: string[] = []
  const reject: Reject = async (record, position, reason, raw) => {
    counts.rejected++
    if (dryRun) return
    rejected ??= await openOutput(rejectedPath)
    const pending = rejected.write(stableLine(rejectedEntry(from, record, position, raw ?? reason)))
    if (pending) await pending
  }

  // The per-record path stays synchronous: no promise unless the output asks the caller to wait.
  const writeRecord = (value: unknown): Promise<void> | void => output?.writeLine(canonicalJson(value))

  try {
    if (!dryRun) output = await openOutput(options.output!, options.stdout ? {stdout: options.stdout} : undefined)
    if (jobs > 1) {
      const setup = {from: options.from, limits, mapping: options.mapping, to: options.to, ...lean}
      const longest = Math.min(LINE_LIMIT, limits.maxRecordBytes)
      let lines = 1
      const reading: {file?: FileSource} = {}
      const {fallback} = await convertOnPool(
        newlinePieces(options.input, longest, reading),
        setup,
        jobs,
        async (result) => {
          const first = result.rejected[0]
          // The single-threaded pass owns the wrong-format diagnosis of a first record the mapping rejects.
          if (counts.read === 0 && first?.ordinal === 0 && !first.raw) return 'the first record was rejected'
          for (const entry of result.rejected) {
            const position = {index: counts.read + entry.ordinal, line: lines + entry.line}
            await reject(entry.record, position, entry.reason, entry.raw)
          }

          for (const id of result.ids) ids.add(id)
          for (const [name, entries] of Object.entries(result.stats)) {
            const into = converter.stats[name as keyof typeof result.stats]
            for (const [path, n] of entries) count(into, path, n)
          }

          lines += result.lines
          counts.read += result.records
          counts.converted += result.converted
          if (output) {
            const pending = output.writeBytes(result.out)
            if (pending) await pending
          }

          options.onProgress?.(counts, reading.file?.position)
        },
      )
      if (fallback !== undefined) {
        await abortAll()
        return undefined
      }
    } else {
      await convertInProcess(source, {converter, from}, {ids, label, options, reject, writeRecord}, counts)
      // Counted in process only: the pool's workers do not report rule hits (yet).
      const unmatched =
        from.userRules && converter.hits && counts.converted > 0
          ? unmatchedWarning(from.userRules, {hits: converter.hits, input: label})
          : undefined
      if (unmatched) warnings.push(unmatched)
    }

    await output?.commit()
    await rejected?.commit()
    if (!dryRun && !rejected && rejectedPath !== options.output) {
      // A rejected file left by an earlier run would otherwise sit beside a clean output and mislead.
      await removeFormerOutput(rejectedPath)
    }
  } catch (error) {
    await abortAll()
    throw error
  } finally {
    unregister()
    await source.close()
  }

  let idSummary
  try {
    idSummary = ids.summary()
  } finally {
    ids.dispose()
  }

  options.onProgress?.(counts, source.position)
  return {
    compressed: source.compressed,
    declined: Object.fromEntries([...converter.stats.declined].sort()),
    dryRun,
    from: options.from,
    ids: idSummary,
    input: options.input,
    layout: source.layout,
    carried: Object.fromEntries([...converter.stats.carried].sort()),
    carriedIn: to.mapping?.definition.carry?.vendor ?? null,
    carryConflicts: Object.fromEntries([...converter.stats.conflicts].sort()),
    noHome: Object.fromEntries([...converter.stats.noHome].sort()),
    output: dryRun ? null : options.output!,
    records: counts,
    rejectedFile: rejected ? rejectedPath : null,
    to: options.to,
    ...(warnings.length > 0 ? {warnings} : {}),
  }
}

type Reject = (
  record: unknown,
  position: {index: number; line: number},
  reason: string,
  raw?: RejectedInput,
) => Promise<void>

async function convertInProcess(
  source: RecordSource,
  {converter, from}: {converter: Converter; from: Side},
  io: {
    ids: IdTally
    label: string
    options: ConvertOptions
    reject: Reject
    writeRecord: (value: unknown) => Promise<void> | void
  },
  counts: ConvertCounts,
): Promise<void> {
  for await (const item of source) {
    counts.read++
    if (item.rejected) {
      // Input the reader could not take as written: kept as its raw text, with the reason.
      await io.reject(item.value, item, item.rejected.reason, item.rejected)
      continue
    }

    const outcome = converter.convert(item.value)
    if (outcome.value) {
      counts.converted++
      io.ids.add(from.identity(item.value))
      const pending = io.writeRecord(outcome.value)
      if (pending) await pending
    } else {
      if (counts.read === 1) {
        const wrong = await diagnoseWrongFormat(item.value, io.options.from, `${io.label}:${item.line}`)
        if (wrong) throw wrong
      }

      await io.reject(item.value, item, outcome.reason)
    }

    if (io.options.onProgress && counts.read % 256 === 0) io.options.onProgress(counts, source.position)
  }
}
