import {type ListrTask} from 'listr2'

import {createTaskList, throttle} from '../util/progress.js'
import {runVerify, type VerifyOptions, type VerifyReport} from './index.js'

export interface VerifyContext {
  report?: VerifyReport
}

/** Verification as one listr2 task: records read on each side, conversations paired, rate. */
export function createVerifyTask(options: VerifyOptions): ListrTask<VerifyContext> {
  const title = `Verifying ${options.from} → ${options.to}${options.dryRun ? ' (dry run)' : ''}`
  return {
    async task(ctx, task) {
      const started = performance.now()
      let latest = {paired: 0, source: 0, target: 0}
      const show = throttle(1000, () => {
        const seconds = (performance.now() - started) / 1000
        const rate = seconds > 0 ? Math.round(latest.paired / seconds) : 0
        task.output = `${latest.source} source, ${latest.target} target records read, ${latest.paired} paired (${rate}/s)`
      })
      ctx.report = await runVerify({
        ...options,
        onProgress(counts) {
          latest = counts
          show()
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
