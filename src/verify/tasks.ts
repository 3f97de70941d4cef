import {type ListrTask} from 'listr2'

import {createTaskList, progressLine} from '../util/progress.js'
import {runVerify, type VerifyOptions, type VerifyReport} from './index.js'

export interface VerifyContext {
  report?: VerifyReport
}

/** Verification as one listr2 task: records read on each side, conversations paired, rate. */
export function createVerifyTask(options: VerifyOptions): ListrTask<VerifyContext> {
  const title = `Verifying ${options.from} → ${options.to}${options.dryRun ? ' (dry run)' : ''}`
  return {
    async task(ctx, task) {
      const progress = progressLine(task)
      ctx.report = await runVerify({
        ...options,
        onProgress(counts) {
          progress.update({
            counts: `${counts.source} source, ${counts.target} target records read, ${counts.paired} paired`,
            items: counts.paired,
            unit: 'conversations',
          })
        },
      })
      const {conversations, verdict} = ctx.report
      task.title = `${title}: ${conversations.paired} paired, ${verdict.ok ? 'pass' : 'FAIL'}`
    },
    title,
  }
}

export async function runVerifyWithProgress(options: VerifyOptions, display: {silent: boolean}): Promise<VerifyReport> {
  const ctx: VerifyContext = {}
  await createTaskList([createVerifyTask(options)], {ctx, silent: display.silent}).run()
  return ctx.report!
}
