import {type ListrTask} from 'listr2'

import {createTaskList, throttle} from '../util/progress.js'
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

export async function runConvertWithProgress(options: ConvertOptions, display: {silent: boolean}): Promise<ConvertResult> {
  const ctx: ConvertContext = {}
  await createTaskList([createConvertTask(options)], {ctx, silent: display.silent}).run()
  return ctx.result!
}

/** The human summary printed after a conversion. */
export function renderConvertSummary(result: ConvertResult): string {
  const {records} = result
  const lines = [
    `${records.read} read = ${records.converted} converted + ${records.rejected} rejected (${result.from} → ${result.to}, ${result.layout}${result.compressed ? ', gzip' : ''})`,
  ]
  if (result.dryRun) lines.push('dry run: nothing written')
  else lines.push(`output: ${result.output}`)
  if (result.rejectedFile) lines.push(`rejected: ${result.rejectedFile}`)
  const declined = Object.entries(result.declined)
  if (declined.length > 0) {
    lines.push('kept verbatim (no neutral form): ' + declined.map(([path, n]) => `${path} ×${n}`).join(', '))
  }

  const carried = Object.entries(result.carried)
  if (carried.length > 0) {
    lines.push(`kept in ${result.to}'s free-form field (${result.carriedIn}): ` + carried.map(([path, n]) => `${path} ×${n}`).join(', '))
  }

  const noHome = Object.entries(result.noHome)
  if (noHome.length > 0) lines.push(`no field in ${result.to}, lost: ` + noHome.map(([path, n]) => `${path} ×${n}`).join(', '))
  return lines.join('\n')
}
