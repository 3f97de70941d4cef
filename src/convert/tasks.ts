import {type ListrTask} from 'listr2'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {createTaskList, progressLine} from '../util/progress.js'
import {type VerifyOptions, type VerifyReport} from '../verify/index.js'
import {type VerifyContext} from '../verify/tasks.js'
import {type ConvertOptions, type ConvertResult, runConvert} from './index.js'

export interface ConvertContext {
  result?: ConvertResult
}

/**
 * The conversion as one listr2 task: running counts, then, for a file input, the share of its bytes read, the rate and
 * the ETA; the final title gives the counts (listr2 adds the elapsed time).
 */
export function createConvertTask(options: ConvertOptions): ListrTask<ConvertContext> {
  const title = `Converting ${options.from} → ${options.to}`
  return {
    async task(ctx, task) {
      const progress = progressLine(task)
      ctx.result = await runConvert({
        ...options,
        onProgress(counts, input) {
          progress.update({
            bytes: true,
            counts: `${counts.read} read, ${counts.converted} converted, ${counts.rejected} rejected`,
            done: input?.bytesRead,
            items: counts.read,
            total: input?.size,
            unit: 'records',
          })
        },
      })
      const {records} = ctx.result
      task.title = `${title}: ${records.read} read, ${records.converted} converted, ${records.rejected} rejected`
    },
    title,
  }
}

/**
 * The conversion, then, when `verify` is given, its verification (`convert --report`): a dry run verifies the source
 * converted in memory, otherwise the written output. Both are listr2 tasks of one list.
 */
export async function runConvertWithProgress(
  options: ConvertOptions,
  display: {silent: boolean},
  verify?: Omit<VerifyOptions, 'dryRun' | 'from' | 'mapping' | 'source' | 'target' | 'to'>,
): Promise<{report?: VerifyReport; result: ConvertResult}> {
  if (verify) {
    if (options.input === '-' || options.output === '-') {
      throw new ConvoshiftError(
        '--report and --diffs read the input (and output) again after converting: they need files, not stdin or stdout',
        {
          code: 'USAGE',
          exitCode: ExitCode.Usage,
        },
      )
    }

    // Checked before converting, so a typo in a report name does not cost a whole conversion.
    const {reportFormatOf} = await import('../verify/render/index.js')
    for (const path of verify.reports ?? []) reportFormatOf(path)
  }

  const ctx: ConvertContext & VerifyContext = {}
  const tasks: Array<ListrTask<ConvertContext & VerifyContext>> = [createConvertTask(options)]
  if (verify) {
    // Loaded only with a report: a plain convert does not pay for the verifier's start-up (see BaseCommand).
    const {createVerifyTask} = await import('../verify/tasks.js')
    // The verification reads the source again and, for a dry run, converts it in memory once more: two passes, so
    // the conversion itself stays the streaming, single-purpose step it is without a report.
    tasks.push(
      createVerifyTask({
        ...verify,
        dryRun: options.dryRun ?? false,
        from: options.from,
        limits: options.limits,
        source: options.input,
        to: options.to,
        ...(options.dryRun || !options.output ? {} : {target: options.output}),
        ...(options.mapping ? {mapping: options.mapping} : {}),
      }),
    )
  }

  await createTaskList(tasks, {ctx, silent: display.silent}).run()
  return {result: ctx.result!, ...(ctx.report ? {report: ctx.report} : {})}
}

/**
 * The human summary printed after a conversion: the reconciliation, the files, then one line per kind of field that
 * the target does not show natively (how many fields, how many values); `verbose` lists the fields themselves.
 */
export function renderConvertSummary(result: ConvertResult, options: {verbose?: boolean} = {}): string {
  const {records} = result
  const lines = [
    `${records.read} read = ${records.converted} converted + ${records.rejected} rejected (${result.from} → ${result.to}, ${result.layout}${result.compressed ? ', gzip' : ''})`,
  ]
  const {duplicated, empty} = result.ids
  if (duplicated.count > 0) {
    const listed = duplicated.ids.map(({copies, id}) => `${id} ×${copies}`).join(', ')
    const more = duplicated.count > duplicated.ids.length ? `, … ${duplicated.count - duplicated.ids.length} more` : ''
    lines.push(`conversation ids in more than one record: ${duplicated.count} (${listed}${more})`)
  }

  if (empty > 0) lines.push(`records without a conversation id: ${empty}`)
  if (result.dryRun) lines.push('dry run: nothing written')
  else lines.push(`output: ${result.output}`)
  if (result.rejectedFile) lines.push(`rejected: ${result.rejectedFile}`)
  const groups: Array<[string, Record<string, number>]> = [
    ['kept verbatim (no neutral form)', result.declined],
    [`kept in ${result.to}'s free-form field (${result.carriedIn}), not visible in ${result.to}`, result.carried],
    ['edited since conversion, the record’s own value kept over the carried one', result.carryConflicts],
    [`no field in ${result.to}, lost`, result.noHome],
  ]
  let hidden = false
  for (const [what, byPath] of groups) {
    const entries = Object.entries(byPath)
    if (entries.length === 0) continue
    if (options.verbose) {
      lines.push(`${what}:`, ...entries.map(([path, n]) => `  ${path} ×${n}`))
      continue
    }

    const values = entries.reduce((sum, [, n]) => sum + n, 0)
    lines.push(`${what}: ${plural(entries.length, 'field')}, ${plural(values, 'value')}`)
    hidden = true
  }

  if (hidden) lines.push('(--verbose lists the fields; verify --report shows what the target shows)')
  return lines.join('\n')
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
