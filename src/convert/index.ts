import {rm} from 'node:fs/promises'
import {type z} from 'zod'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {openOutput, type OutputSink, registerCleanup} from '../io/output.js'
import {openRecords} from '../io/read-records.js'
import {ConvertCounts as ConvertCountsSchema, ConvertResult as ConvertResultSchema} from '../schemas/results.js'
import {stableLine} from '../util/stable-json.js'
import {diagnoseWrongFormat, loadSide, makeConverter, NEUTRAL, type Side} from './pipeline.js'

export interface ConvertOptions {
  dryRun?: boolean
  from: string
  input: string
  /** A user mapping file that extends the built-in mapping of one side (the one it `extends`). */
  mapping?: string
  /** Called now and then with running counts (for progress display). */
  onProgress?: (counts: ConvertCounts) => void
  output?: string
  /** Where rejected records go; defaults to `<output>.rejected.jsonl`. */
  rejected?: string
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  to: string
}

export type ConvertCounts = z.infer<typeof ConvertCountsSchema>
export type ConvertResult = z.infer<typeof ConvertResultSchema>

/** A user mapping extends one side; which one is named by its `extends` (or `format`). */
async function resolveSides(options: ConvertOptions): Promise<{from: Side; to: Side}> {
  if (!options.mapping) return {from: await loadSide(options.from), to: await loadSide(options.to)}
  const probe = await loadSide(options.from === NEUTRAL ? options.to : options.from, options.mapping)
  const base = probe.mapping!.format
  if (base === options.from) return {from: probe, to: await loadSide(options.to)}
  if (base === options.to) return {from: await loadSide(options.from), to: await loadSide(options.to, options.mapping)}
  throw new ConvoshiftError(`${options.mapping}: extends ${base}, which is neither --from ${options.from} nor --to ${options.to}`, {
    code: 'USAGE',
    exitCode: ExitCode.Usage,
  })
}

export function defaultRejectedPath(output: string | undefined): string {
  return output && output !== '-' ? `${output}.rejected.jsonl` : 'convoshift.rejected.jsonl'
}

/**
 * Convert records between two formats, streaming: every input record ends up converted or in the
 * rejected file (with its line and a reason), and the counts reconcile. Outputs appear atomically.
 */
export async function runConvert(options: ConvertOptions): Promise<ConvertResult> {
  const {dryRun = false} = options
  if (!dryRun && !options.output) {
    throw new ConvoshiftError('--output is required unless --dry-run is given', {code: 'USAGE', exitCode: ExitCode.Usage})
  }

  const {from, to} = await resolveSides(options)
  const converter = makeConverter(from, to)
  const source = await openRecords({
    envelopeKeys: from.envelope,
    path: options.input,
    ...(options.stdin ? {stdin: options.stdin} : {}),
  })
  const label = options.input === '-' ? '<stdin>' : options.input
  const rejectedPath = options.rejected ?? defaultRejectedPath(options.output)

  let output: OutputSink | undefined
  let rejected: OutputSink | undefined
  const abortAll = async (): Promise<void> => {
    await Promise.all([output?.abort(), rejected?.abort(), source.close()])
  }

  const unregister = registerCleanup(abortAll)
  const counts: ConvertCounts = {converted: 0, read: 0, rejected: 0}
  try {
    if (!dryRun) output = await openOutput(options.output!, options.stdout ? {stdout: options.stdout} : undefined)
    for await (const item of source) {
      counts.read++
      const outcome = converter.convert(item.value)
      if (outcome.value) {
        counts.converted++
        if (output) {
          const pending = output.write(stableLine(outcome.value))
          if (pending) await pending
        }
      } else {
        if (counts.read === 1) {
          const wrong = await diagnoseWrongFormat(item.value, options.from, `${label}:${item.line}`)
          if (wrong) throw wrong
        }

        counts.rejected++
        if (!dryRun) {
          rejected ??= await openOutput(rejectedPath)
          const id = from.identity(item.value)
          const entry = {
            ...(typeof id === 'string' || typeof id === 'number' ? {id} : {}),
            index: item.index,
            line: item.line,
            reason: outcome.reason,
            record: item.value,
          }
          const pending = rejected.write(stableLine(entry))
          if (pending) await pending
        }
      }

      if (options.onProgress && counts.read % 256 === 0) options.onProgress(counts)
    }

    await output?.commit()
    await rejected?.commit()
    if (!dryRun && !rejected && rejectedPath !== options.output) {
      // A rejected file left by an earlier run would otherwise sit beside a clean output and mislead.
      await rm(rejectedPath, {force: true})
    }
  } catch (error) {
    await abortAll()
    throw error
  } finally {
    unregister()
    await source.close()
  }

  options.onProgress?.(counts)
  return {
    compressed: source.compressed,
    declined: Object.fromEntries([...converter.stats.declined].sort()),
    dryRun,
    from: options.from,
    input: options.input,
    layout: source.layout,
    noHome: Object.fromEntries([...converter.stats.noHome].sort()),
    output: dryRun ? null : options.output!,
    records: counts,
    rejectedFile: rejected ? rejectedPath : null,
    to: options.to,
  }
}
