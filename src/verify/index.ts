import {stat} from 'node:fs/promises'

import {IdLedger} from '../engine/id-ledger.js'
import {makeConverter, resolveSides, type Side} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {registerCleanup} from '../io/interrupt.js'
import {convertedLimits, DEFAULT_LIMITS, type RecordLimits} from '../io/limits.js'
import {openOutput, type OutputSink} from '../io/output.js'
import {openRecords} from '../io/read-records.js'
import {type VerifyReport} from '../schemas/verify.js'
import {stableLine} from '../util/stable-json.js'
import {type DiffClass} from './compare.js'
import {classifierFor} from './expectations.js'
import {loadNeutral, readSide, type SideEntry, type SideReader, toEntry} from './normalise.js'
import {pairConversations} from './pairing.js'
import {reportFormatOf, writeReports} from './render/index.js'
import {VerifyAccumulator} from './report.js'

export interface VerifyOptions {
  /** Write every paired conversation's differences here, one JSON line each. */
  diffs?: string
  /** Set when the target is the conversion of the source made in memory (convert --dry-run --report). */
  dryRun?: boolean
  failOn?: DiffClass
  from: string
  /** Neutral field patterns not to compare (`customer.email`, `messages[].metadata`): reported as ignored. */
  ignore?: string[]
  /** Size and depth limits of one input record, on both sides (--max-record-bytes, --max-depth). */
  limits?: RecordLimits | undefined
  /** A user mapping that extends the built-in mapping of --from or --to (as for convert). */
  mapping?: string
  maxListed?: number
  onProgress?: (counts: {paired: number; source: number; target: number}) => void
  /** For tests: records waiting for a partner before the pairing spills to disk. */
  pendingLimit?: number
  /** Report files; the format follows the extension: .json, .md, .html. */
  reports?: string[]
  source: string
  target?: string
  tempDir?: string
  to: string
}

export type {VerifyReport} from '../schemas/verify.js'

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}

/**
 * The target of a dry run: each source record converted in memory to the target format and read back to neutral,
 * exactly as `convert` then `verify` would see it. It follows the source reader one record behind, so the two
 * sides pair as they arrive and nothing is held.
 */
function dryRunSides(
  path: string,
  from: Side,
  to: Side,
  limits: RecordLimits | undefined,
): {source: SideReader; target: AsyncIterable<SideEntry>} {
  const queue: SideEntry[] = []
  let finished = false
  let opened: Awaited<ReturnType<typeof openRecords>> | undefined
  const source: SideReader = {
    async *[Symbol.asyncIterator]() {
      const neutral = await loadNeutral()
      const toNeutral = makeConverter(from, neutral)
      const toTarget = makeConverter(from, to)
      const back = makeConverter(to, neutral, from.format === to.format ? {} : {views: true, withoutExtensions: true})
      opened = await openRecords({envelopeKeys: from.envelope, limits, path})
      try {
        for await (const item of opened) {
          if (item.rejected) {
            // Input convert would reject as read (malformed, too deep or large, changed by parsing): on both sides.
            const rejected = {line: item.line, ordinal: item.index, reason: item.rejected.reason}
            queue.push({rejected})
            yield {rejected}
            continue
          }

          const converted = toTarget.convert(item.value)
          queue.push(toEntry(converted.reason === undefined ? back.convert(converted.value) : converted, item))
          yield toEntry(toNeutral.convert(item.value), item)
        }
      } finally {
        finished = true
      }
    },
    close: async () => opened?.close(),
    label: path,
  }
  const target: AsyncIterable<SideEntry> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift()
        if (next) yield next
        else if (finished) return
        else
          await new Promise<void>((resolve) => {
            setImmediate(resolve)
          })
      }
    },
  }
  return {source, target}
}

/**
 * Compares a source file with a target file (or, for a dry run, with the source's conversion made in memory):
 * both sides are read back to neutral with the same mappings, paired by source id, and compared field by field.
 * Returns the report; writes the requested report files and the diffs file atomically.
 */
export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  if (!options.dryRun && !options.target) {
    throw new ConvoshiftError('--target is required', {code: 'USAGE', exitCode: ExitCode.Usage})
  }

  // A report path we cannot write is a usage error before the work, not after it.
  for (const path of options.reports ?? []) reportFormatOf(path)
  const sides = await resolveSides(options)
  const ledger = new IdLedger(options.maxListed ?? 50, undefined, options.tempDir)
  let diffSink: OutputSink | undefined
  const readers: SideReader[] = []
  const unregister = registerCleanup(async () => {
    await diffSink?.abort()
    ledger.dispose()
  })
  try {
    if (options.diffs) diffSink = await openOutput(options.diffs)
    const pendingWrites: Array<Promise<void>> = []
    const accumulator = new VerifyAccumulator({
      classify: {native: classifierFor(sides.to, 'native'), recoverable: classifierFor(sides.to, 'recoverable')},
      failOn: options.failOn ?? 'unexpected',
      ignore: options.ignore ?? [],
      // The target's own unmapped fields are its bookkeeping, not the source's data (unless both are one shape).
      ignoredExtensions: new Set(options.from === options.to ? [] : [options.to]),
      maxListed: options.maxListed ?? 50,
      targetFormat: options.to,
      ...(diffSink
        ? {
            onDiffs(entry) {
              const pending = diffSink!.write(stableLine(entry))
              if (pending) pendingWrites.push(pending)
            },
          }
        : {}),
    })

    let source: SideReader
    let target: AsyncIterable<SideEntry>
    if (options.dryRun) {
      ;({source, target} = dryRunSides(options.source, sides.from, sides.to, options.limits))
      readers.push(source)
    } else {
      source = await readSide(options.source, sides.from, {limits: options.limits})
      readers.push(source)
      // A target of another shape is read twice, as its vendor shows it and with what convoshift carried for it; its
      // own extensions are ignored then, so they are not computed at all.
      const targetReader = await readSide(options.target!, sides.to, {
        // The target is a conversion: it may be a few levels deeper and larger than the input it came from.
        limits: convertedLimits(options.limits ?? DEFAULT_LIMITS),
        ...(options.from === options.to ? {} : {views: true, withoutExtensions: true}),
      })
      readers.push(targetReader)
      target = targetReader
    }

    let tick = 0
    const {spilled} = await pairConversations(
      source,
      target,
      {
        pair(a, b) {
          accumulator.pair(a, b)
        },
        seen(side, item) {
          accumulator.seen(side, item)
          if (item.entry) ledger.add(side, item.entry.id)
          if (options.onProgress && ++tick % 256 === 0) options.onProgress(accumulator.counts)
        },
        unpaired() {},
      },
      {
        sizeHint:
          (await sizeOf(options.source)) * (options.dryRun ? 2 : 1) +
          (options.target ? await sizeOf(options.target) : 0),
        ...(options.pendingLimit === undefined ? {} : {pendingLimit: options.pendingLimit}),
        ...(options.tempDir ? {tempDir: options.tempDir} : {}),
      },
    )
    await Promise.all(pendingWrites)
    options.onProgress?.(accumulator.counts)

    const report = accumulator.report({
      dryRun: options.dryRun ?? false,
      findings: ledger.findings(),
      source: {file: options.source, format: options.from},
      spilled,
      target: {file: options.dryRun ? null : options.target!, format: options.to},
    })
    await writeReports(report, options.reports ?? [])
    await diffSink?.commit()
    return report
  } catch (error) {
    await diffSink?.abort()
    throw error
  } finally {
    unregister()
    ledger.dispose()
    await Promise.all(readers.map((reader) => reader.close()))
  }
}
