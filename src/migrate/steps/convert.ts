import {type ConvertResult, runConvert} from '../../convert/index.js'
import {loadSide, type Side} from '../../engine/pipeline.js'
import {type RecordLimits} from '../../io/limits.js'
import {openOutput} from '../../io/output.js'
import {stableLine} from '../../util/stable-json.js'
import {digest} from '../hash.js'
import {readLines} from '../lines.js'
import {exists} from '../project.js'
import {type StepProgress} from '../runner.js'

export interface ConvertStepResult {
  [key: string]: number | string
  converted: number
  /** Values the target shape has no field for (lost in the target), summed over fields; see the convert summary. */
  lost: number
  read: number
  rejected: number
}

export interface ConvertStepOptions {
  from: string
  idMap: string
  /** Pool workers (runConvert's `jobs`). */
  jobs?: number | undefined
  limits: RecordLimits
  mapping?: string | undefined
  onProgress: (progress: StepProgress) => void
  output: string
  rejected: string
  source: string
  /** Records in the source (for the ETA). */
  total: number
  to: string
}

function idOf(side: Side, record: unknown): null | string {
  const id = side.identity(record)
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null
}

/**
 * Converts the workspace source with the convert service, then writes the id map: the source and target id of each
 * converted record, pairing source records (minus the rejected ones, by index) with output lines in order. The pairing
 * doubles as a check that the counts reconcile.
 */
export async function convertSource(
  options: ConvertStepOptions,
): Promise<{convert: ConvertResult; result: ConvertStepResult}> {
  const convert = await runConvert({
    from: options.from,
    input: options.source,
    ...(options.jobs === undefined ? {} : {jobs: options.jobs}),
    limits: options.limits,
    ...(options.mapping ? {mapping: options.mapping} : {}),
    onProgress(counts) {
      options.onProgress({done: counts.read, total: options.total, unit: 'records'})
    },
    output: options.output,
    rejected: options.rejected,
    to: options.to,
  })
  const rejectedIndexes = new Set<number>()
  if (convert.rejectedFile && (await exists(options.rejected))) {
    for await (const line of readLines(options.rejected))
      rejectedIndexes.add((JSON.parse(line) as {index: number}).index)
  }

  const [fromSide, toSide] = [await loadSide(options.from), await loadSide(options.to)]
  const idMap = await openOutput(options.idMap)
  try {
    const outputs = readLines(options.output)[Symbol.asyncIterator]()
    let index = 0
    for await (const line of readLines(options.source)) {
      const position = index++
      if (rejectedIndexes.has(position)) continue
      const next = await outputs.next()
      if (next.done) throw new Error(`${options.output}: fewer records than the source holds converted`)
      const source = idOf(fromSide, JSON.parse(line)) ?? `#${digest(line + '\n')}`
      const pending = idMap.write(stableLine({source, target: idOf(toSide, JSON.parse(next.value))}))
      if (pending) await pending
    }

    if (!(await outputs.next()).done) throw new Error(`${options.output}: more records than the source holds converted`)
    await idMap.commit()
  } catch (error) {
    await idMap.abort()
    throw error
  }

  const lost = Object.values(convert.noHome).reduce((sum, n) => sum + n, 0)
  return {convert, result: {...convert.records, lost}}
}

export function describeConvert(result: ConvertStepResult): string {
  return `${result.read} read = ${result.converted} converted + ${result.rejected} rejected`
}
