import {type ListrTask} from 'listr2'

import {progressLine} from '../util/progress.js'
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
