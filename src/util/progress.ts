import {Listr, ListrLogger, type ListrTask, PRESET_TIMER, PRESET_TIMESTAMP, ProcessOutput} from 'listr2'

import {formatSize} from './size.js'

/**
 * One task list factory for every command, rendered on stderr so stdout carries only results. On a terminal the tasks
 * redraw in place; otherwise (a log, CI) each update is one timestamped line, and `progressInterval` keeps those to one
 * every few seconds. Every finished task shows how long it took.
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
    fallbackRendererOptions: {logger, timer: PRESET_TIMER, timestamp: PRESET_TIMESTAMP},
    // listr2's own Ctrl-C handler exits at once with 127, before our cleanup (src/io/atomic-file.ts) removes temp files and
    // exits 130 as the exit-code table promises.
    registerSignalListeners: false,
    rendererOptions: {logger, showErrorMessage: false, timer: PRESET_TIMER},
    silentRendererCondition: options.silent,
  })
}

/**
 * Milliseconds between two progress updates: half a second on a terminal, five seconds in a log (one line each).
 * CONVOSHIFT_PROGRESS_SECONDS overrides both, e.g. for a denser CI log.
 */
export function progressInterval(): number {
  const seconds = Number(process.env.CONVOSHIFT_PROGRESS_SECONDS)
  if (Number.isFinite(seconds) && seconds >= 0 && process.env.CONVOSHIFT_PROGRESS_SECONDS !== '') return seconds * 1000
  return process.stderr.isTTY ? 500 : 5000
}

/** Calls `report` at most once per `intervalMs` (the first call reports at once), so progress never dominates work. */
export function throttle(intervalMs: number, report: () => void): () => void {
  let last: number | undefined
  return () => {
    const now = performance.now()
    if (last !== undefined && now - last < intervalMs) return
    last = now
    report()
  }
}

/** Where a long step stands. */
export interface Reading {
  /** The step's own counts, shown first: "1200 read, 1190 converted, 10 rejected". */
  counts: string
  /** Items processed so far and what they are, for the rate: 1200 "records". */
  items: number
  unit: string
  /**
   * Progress against a total known up front, for the percentage and ETA: bytes of an input file (shown as "43% of
   * 120 MB"), or items (then the counts show the total: "1200/5000 records · 24%").
   */
  done?: number | undefined
  total?: number | undefined
  /** Whether done/total count bytes (then the total is shown as a size). */
  bytes?: boolean
}

/** "1200 read, 1190 converted, 10 rejected · 43% of 120 MB · 5210 records/s · ETA 42s · 12s elapsed" */
export function describeReading(reading: Reading, seconds: number): string {
  const parts = [reading.counts]
  const {done, total} = reading
  const known = done !== undefined && total !== undefined && total > 0
  if (known) {
    const share = Math.min(100, Math.floor((done * 100) / total))
    parts.push(reading.bytes ? `${share}% of ${formatSize(total)}` : `${share}%`)
  }

  if (seconds > 0) parts.push(`${Math.round(reading.items / seconds)} ${reading.unit}/s`)
  if (known && done > 0 && seconds > 0)
    parts.push(`ETA ${formatDuration((Math.max(0, total - done) * seconds) / done)}`)
  parts.push(`${formatDuration(seconds)} elapsed`)
  return parts.join(' · ')
}

/** 42s, 3m05s, 2h07m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/**
 * A task's progress line, kept current: `update(reading)` records the latest reading and shows it at most once per
 * `progressInterval()`. `elapsed()` is the seconds since the task started.
 */
export function progressLine(task: {output?: string}): {elapsed(): number; update(reading: Reading): void} {
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  let latest: Reading | undefined
  const show = throttle(progressInterval(), () => {
    if (latest) task.output = describeReading(latest, elapsed())
  })
  return {
    elapsed,
    update(reading) {
      latest = reading
      show()
    },
  }
}
