import {type ListrTask} from 'listr2'

import {ConvoshiftError, ExitCode, isConvoshiftError} from '../errors.js'
import {registerCleanup} from '../io/interrupt.js'
import {progressLine} from '../util/progress.js'
import {stableStringify} from '../util/stable-json.js'
import {hashPath} from './hash.js'
import {type Manifest, type StepRecord, writeManifest} from './manifest.js'
import {type RunLog} from './run-log.js'
import {inWorkspace, type Workspace} from './workspace.js'

export type StepName = 'archive' | 'convert' | 'export' | 'source' | 'verify'
export type Json = boolean | Json[] | null | number | string | {[key: string]: Json}

/** Running counts a step reports; `total` (when known) gives an ETA. */
export interface StepProgress {
  done: number
  total?: number | undefined
  unit: string
}

export interface StepOutcome<R extends Json = Json> {
  result: R
  summary: string
}

/**
 * One pipeline step, declared: the files whose contents decide its output (inputs), the options that shape it, and
 * the files it writes (outputs). The runner skips it when the manifest records the same input hashes, options and
 * tool version and its outputs still hash as recorded.
 */
export interface Step<Ctx> {
  name: StepName
  title: string
  /** Why this step does not run in this configuration (shown, not an error); undefined when it does run. */
  notRun?(ctx: Ctx): string | undefined
  inputs(ctx: Ctx): string[]
  options(ctx: Ctx): Json
  /** The files it wrote (asked after it ran; a skip checks the recorded ones). */
  outputs(ctx: Ctx): Promise<string[]> | string[]
  run(ctx: Ctx, progress: (progress: StepProgress) => void): Promise<StepOutcome>
  /** Puts a recorded (skipped step's) result back into the context for the steps after it. */
  restore(ctx: Ctx, result: Json): void
  /** The summary line of a recorded result. */
  describe(result: Json): string
}

export interface StepReport {
  name: StepName
  status: 'not-run' | 'ran' | 'skipped'
  summary: string
}

export interface RunnerState {
  log: RunLog
  manifest: Manifest
  /** Dry runs neither skip nor record anything. */
  record: boolean
  reports: StepReport[]
  tool: string
  workspace: Workspace
}

/** A step failed: which one, and the underlying error (its code and exit code are kept). */
export class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error))
  }
}

async function hashAll(workspace: Workspace, paths: string[]): Promise<Record<string, null | string>> {
  const hashes: Record<string, null | string> = {}
  for (const path of paths) hashes[inWorkspace(workspace, path)] = await hashPath(path)
  return hashes
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b)
}

/** Why a recorded step cannot be reused, or undefined when it can. */
async function staleReason(
  record: StepRecord | undefined,
  current: {inputs: Record<string, null | string>; options: Json; tool: string},
  workspace: Workspace,
): Promise<string | undefined> {
  if (!record) return 'not run yet'
  if (record.tool !== current.tool) return `convoshift ${record.tool} ran it, this is ${current.tool}`
  if (!sameJson(record.options, current.options)) return 'options changed'
  if (!sameJson(record.inputs, current.inputs)) return 'inputs changed'
  for (const [path, hash] of Object.entries(record.outputs)) {
    const actual = await hashPath(`${workspace.dir}/${path}`)
    if (actual === null) return `${path} is missing`
    if (actual !== hash) return `${path} was modified`
  }

  return undefined
}

/** The pipeline as listr2 tasks, one per step, each skipped, run and recorded as the manifest says. */
export function stepTasks<Ctx extends object>(steps: Array<Step<Ctx>>, state: RunnerState): Array<ListrTask<Ctx>> {
  return steps.map((step) => ({
    async task(ctx, task) {
      const reason = step.notRun?.(ctx)
      if (reason !== undefined) {
        state.reports.push({name: step.name, status: 'not-run', summary: reason})
        task.skip(`${step.title}: ${reason}`)
        return
      }

      const inputs = await hashAll(state.workspace, step.inputs(ctx))
      const options = step.options(ctx)
      const recorded = state.manifest.steps[step.name]
      const stale = state.record
        ? await staleReason(recorded, {inputs, options, tool: state.tool}, state.workspace)
        : 'dry run'
      if (stale === undefined && recorded) {
        step.restore(ctx, recorded.result)
        const summary = `unchanged, skipped (${step.describe(recorded.result)})`
        state.reports.push({name: step.name, status: 'skipped', summary})
        await state.log.write({event: 'skipped', step: step.name, summary})
        task.skip(`${step.title}: ${summary}`)
        return
      }

      await state.log.write({event: 'started', reason: stale ?? 'not run yet', step: step.name})
      if (state.record && recorded) {
        // From here until it completes, the step's outputs are not vouched for.
        delete state.manifest.steps[step.name]
        await writeManifest(state.workspace.manifest, state.manifest)
      }

      const progress = progressLine(task)
      const unregister = registerCleanup(async () => {
        await state.log.write({event: 'interrupted', step: step.name})
      })
      let outcome: StepOutcome
      try {
        outcome = await step.run(ctx, (reading) => {
          progress.update({
            counts: `${reading.done}${reading.total === undefined ? '' : `/${reading.total}`} ${reading.unit}`,
            done: reading.done,
            items: reading.done,
            total: reading.total,
            unit: reading.unit,
          })
        })
      } catch (error) {
        await state.log.write({
          code: isConvoshiftError(error) ? error.code : 'INTERNAL',
          event: 'failed',
          reason: error instanceof Error ? error.message : String(error),
          step: step.name,
        })
        throw new StepFailure(step.name, error)
      } finally {
        unregister()
      }

      const seconds = progress.elapsed()
      if (state.record) {
        state.manifest.steps[step.name] = {
          inputs,
          options,
          outputs: Object.fromEntries(
            Object.entries(await hashAll(state.workspace, await step.outputs(ctx))).map(([path, hash]) => {
              if (hash === null) throw new Error(`step ${step.name} did not write ${path}`)
              return [path, hash]
            }),
          ),
          result: outcome.result,
          tool: state.tool,
        }
        await writeManifest(state.workspace.manifest, state.manifest)
      }

      state.reports.push({name: step.name, status: 'ran', summary: outcome.summary})
      await state.log.write({
        event: 'done',
        seconds: Math.round(seconds * 1000) / 1000,
        step: step.name,
        summary: outcome.summary,
      })
      task.title = `${step.title}: ${outcome.summary}`
    },
    title: step.title,
  }))
}

/** The one-line error a failed step becomes: the step, the reason, and the command that resumes. */
export function stepError(failure: StepFailure, resume: string): ConvoshiftError {
  const {error} = failure
  const reason = error instanceof Error ? error.message : String(error)
  const base = isConvoshiftError(error) ? error : undefined
  return new ConvoshiftError(`migrate stopped at step "${failure.step}": ${reason}`, {
    cause: error,
    code: base?.code ?? 'MIGRATE_STEP_FAILED',
    exitCode: base?.exitCode ?? ExitCode.Internal,
    suggestions: [...(base?.suggestions ?? []), `fix the cause, then resume with: ${resume}`],
  })
}
