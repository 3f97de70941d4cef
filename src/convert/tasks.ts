import {type ListrTask} from 'listr2'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {createTaskList, throttle} from '../util/progress.js'
import {type VerifyOptions, type VerifyReport} from '../verify/index.js'
import {reportFormatOf} from '../verify/render/index.js'
import {createVerifyTask, type VerifyContext} from '../verify/tasks.js'
import {type ConvertOptions, type ConvertResult, runConvert} from './index.js'

export interface ConvertContext {
  result?: ConvertResult
}

/** The conversion as one listr2 task, its title showing running counts and rate. */
export function createConvertTask(options: ConvertOptions): ListrTask<ConvertContext> {
  return {
    async task(ctx, task) {
      const started = performance.now()
      const title = `Converting ${options.from} → ${options.to}`
      task.title = title
      let latest = {converted: 0, read: 0, rejected: 0}
      const show = throttle(1000, () => {
        const seconds = (performance.now() - started) / 1000
        const rate = seconds > 0 ? Math.round(latest.read / seconds) : 0
        task.output = `${latest.read} read, ${latest.converted} converted, ${latest.rejected} rejected (${rate}/s)`
      })
      ctx.result = await runConvert({
        ...options,
        onProgress(counts) {
          latest = counts
          show()
        },
      })
      const {records} = ctx.result
      task.title = `${title}: ${records.converted} converted, ${records.rejected} rejected`
    },
    title: `Converting ${options.from} → ${options.to}`,
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
    for (const path of verify.reports ?? []) reportFormatOf(path)
  }

  const ctx: ConvertContext & VerifyContext = {}
  const tasks: Array<ListrTask<ConvertContext & VerifyContext>> = [createConvertTask(options)]
  if (verify) {
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

/** The human summary printed after a conversion. */
export function renderConvertSummary(result: ConvertResult): string {
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
  const declined = Object.entries(result.declined)
  if (declined.length > 0) {
    lines.push('kept verbatim (no neutral form): ' + declined.map(([path, n]) => `${path} ×${n}`).join(', '))
  }

  const carried = Object.entries(result.carried)
  if (carried.length > 0) {
    lines.push(
      `kept in ${result.to}'s free-form field (${result.carriedIn}): ` +
        carried.map(([path, n]) => `${path} ×${n}`).join(', '),
    )
  }

  const conflicts = Object.entries(result.carryConflicts)
  if (conflicts.length > 0) {
    lines.push(
      `edited since conversion, the record's own value kept over the carried one: ` +
        conflicts.map(([path, n]) => `${path} ×${n}`).join(', '),
    )
  }

  const noHome = Object.entries(result.noHome)
  if (noHome.length > 0)
    lines.push(`no field in ${result.to}, lost: ` + noHome.map(([path, n]) => `${path} ×${n}`).join(', '))
  return lines.join('\n')
}
