import {Listr, ListrLogger, type ListrTask, ProcessOutput} from 'listr2'

/**
 * One task list factory for every command: rendered on stderr so stdout carries only results,
 * silent under --json, plain lines when stderr is not a terminal.
 */
export function createTaskList<Ctx extends object>(
  tasks: Array<ListrTask<Ctx>>,
  options: {ctx: Ctx; silent: boolean},
): Listr<Ctx> {
  const logger = new ListrLogger({processOutput: new ProcessOutput(process.stderr, process.stderr)})
  return new Listr<Ctx>(tasks, {
    ctx: options.ctx,
    exitOnError: true,
    fallbackRendererCondition: () => !process.stderr.isTTY,
    fallbackRendererOptions: {logger},
    // listr2's own Ctrl-C handler exits at once with 127, before our cleanup (src/io/output.ts) removes temp files and
    // exits 130 as the exit-code table promises.
    registerSignalListeners: false,
    rendererOptions: {logger, showErrorMessage: false},
    silentRendererCondition: options.silent,
  })
}

/** Calls `report` at most once per `intervalMs`, so progress lines never dominate the work. */
export function throttle(intervalMs: number, report: () => void): () => void {
  let last = 0
  return () => {
    const now = performance.now()
    if (now - last < intervalMs) return
    last = now
    report()
  }
}
