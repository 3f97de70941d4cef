/**
 * SIGINT and SIGTERM: run every registered cleanup (remove temp files, stop requests), then exit 130. A failed stdout
 * (io/stdout.ts) ends the run the same way, with its own exit code (`endRun`).
 *
 * Once a signal has arrived, the exit code is decided. Work still in flight keeps running for a moment and can fail
 * because a cleanup pulled a file from under it (a write after abort, a closed handle); such a failure is a
 * consequence of the interrupt, not a second error, so `BaseCommand.catch` waits for the exit here instead of
 * reporting it (`interrupted()`, `untilInterruptExit()`), and new outputs are refused (`throwIfInterrupted`).
 */
import {ConvoshiftError, ExitCode} from '../errors.js'

/** How long interrupt cleanups may take before the process exits anyway. */
const CLEANUP_TIMEOUT_MS = 5000

interface Cleanup {
  run: () => Promise<void>
}

/**
 * Process-wide by nature (signal handlers are). The handlers are installed only while at least one cleanup is
 * registered, so an idle process keeps node's default signal behaviour.
 */
const state = {cleanups: new Set<Cleanup>(), exitCode: ExitCode.Interrupted as number, installed: false, running: false}

/**
 * Runs `fn` (once) if the process receives SIGINT or SIGTERM, then exits with code 130 (ExitCode.Interrupted).
 * Returns a function that unregisters it. A second signal during cleanup exits at once.
 */
export function registerCleanup(fn: () => Promise<void>): () => void {
  const entry: Cleanup = {run: fn}
  state.cleanups.add(entry)
  if (!state.installed) {
    state.installed = true
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }

  return () => {
    state.cleanups.delete(entry)
    if (state.cleanups.size === 0 && state.installed && !state.running) {
      state.installed = false
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/** True once a signal has arrived (or `endRun` was called): the process is cleaning up and will exit. */
export function interrupted(): boolean {
  return state.running
}

/** Never resolves: the interrupt's cleanups are running and end the process with exit 130. */
export function untilInterruptExit(): Promise<never> {
  return new Promise(() => {})
}

/** The error for work that must not start (or go on) once the process is being interrupted. */
export function interruptedError(what: string): ConvoshiftError {
  return new ConvoshiftError(`${what}: interrupted`, {code: 'INTERRUPTED', exitCode: ExitCode.Interrupted})
}

export function throwIfInterrupted(what: string): void {
  if (state.running) throw interruptedError(what)
}

/**
 * Ends the run as a signal does: every registered cleanup runs, then the process exits with `exitCode`, and whatever
 * the work in flight throws meanwhile is not reported (see `interrupted`). Only the first call counts.
 */
export function endRun(exitCode: number): void {
  /* eslint-disable n/no-process-exit, unicorn/no-process-exit -- the documented interrupt contract: clean up, exit */
  if (state.running) return
  state.running = true
  state.exitCode = exitCode
  // Should the event loop empty before the cleanups end (nothing else pending), the code is still this one.
  process.exitCode = exitCode
  setTimeout(() => process.exit(exitCode), CLEANUP_TIMEOUT_MS).unref()
  drainCleanups().then(() => process.exit(exitCode))
  /* eslint-enable n/no-process-exit, unicorn/no-process-exit */
}

function onSignal(): void {
  // A second signal during cleanup: the user means it, exit at once.
  // eslint-disable-next-line n/no-process-exit, unicorn/no-process-exit
  if (state.running) process.exit(state.exitCode)
  endRun(ExitCode.Interrupted)
}

/**
 * Work still in flight after the signal may register another cleanup while the first ones run: those are run too
 * before the process exits.
 */
async function drainCleanups(): Promise<void> {
  while (state.cleanups.size > 0) {
    const cleanups = [...state.cleanups]
    state.cleanups.clear()
    await Promise.allSettled(cleanups.map(async (cleanup) => cleanup.run()))
  }
}
