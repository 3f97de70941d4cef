import {type ListrTask} from 'listr2'

import {type ConvertOptions, type ConvertResult} from './convert/index.js'
import {type ConvertContext, createConvertTask} from './convert/tasks.js'
import {ConvoshiftError, ExitCode} from './errors.js'
import {createTaskList} from './util/progress.js'
import {type VerifyOptions, type VerifyReport} from './verify/index.js'
import {type VerifyContext} from './verify/tasks.js'

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
    const {reportFormatOf} = await import('./verify/render/index.js')
    for (const path of verify.reports ?? []) reportFormatOf(path)
  }

  const ctx: ConvertContext & VerifyContext = {}
  const tasks: Array<ListrTask<ConvertContext & VerifyContext>> = [createConvertTask(options)]
  if (verify) {
    // Loaded only with a report: a plain convert does not pay for the verifier's start-up (see BaseCommand).
    const {createVerifyTask} = await import('./verify/tasks.js')
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
