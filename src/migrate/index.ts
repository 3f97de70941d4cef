import {mkdir, readFile, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {loadSide} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {linkAtomic} from '../io/atomic-file.js'
import {registerCleanup} from '../io/interrupt.js'
import {DEFAULT_LIMITS, type RecordLimits, sameLimits} from '../io/limits.js'
import {writeFileAtomic} from '../io/output.js'
import {checkWritePaths} from '../io/write-paths.js'
import {type MigrateResult, type ProjectFile} from '../schemas/project.js'
import {createTaskList} from '../util/progress.js'
import {hashFile} from './hash.js'
import {lastRun, type Manifest, readManifest, writeManifest} from './manifest.js'
import {exists, parseProject, projectPath, readProject, renderProject, resolveProjectPath} from './project.js'
import {RunLog} from './run-log.js'
import {type Json, type Step, stepError, StepFailure, type StepReport, stepTasks} from './runner.js'
import {archiveSource, type ArchiveStepResult, describeArchive, removePartialBags} from './steps/archive.js'
import {convertSource, type ConvertStepResult, describeConvert} from './steps/convert.js'
import {describeExport, type ExportPlan, exportSource, type ExportStepResult, planExport} from './steps/export.js'
import {buildSource, describeSource, type SourceStepResult} from './steps/source.js'
import {describeVerify, reportPaths, verifyOutput, type VerifyStepResult} from './steps/verify.js'
import {
  inWorkspace,
  lockWorkspace,
  removeStaleTempFiles,
  type Workspace,
  workspaceLayout,
  workspaceWrites,
} from './workspace.js'

export interface MigrateOptions {
  dryRun?: boolean
  from?: string | undefined
  /** An export file to migrate (instead of the vendor API); overrides the project file's source.input. */
  input?: string | undefined
  mapping?: string | undefined
  /** Pool workers for the convert and archive steps (--jobs); 1: in process. The outputs are the same either way. */
  jobs?: number | undefined
  /** Size and depth limits of one input record (--max-record-bytes, --max-depth); pass the same ones to resume. */
  limits?: RecordLimits | undefined
  /** The clock that ends an open-ended export range (source.until null); tests fix it. */
  now?: () => number
  /** Progress display: silent under --json. */
  silent?: boolean
  sinceLast?: boolean
  to?: string | undefined
  workspace: string
}

/** Everything a step needs; steps add their results as they complete (or are skipped). */
export interface MigrateContext {
  archive?: ArchiveStepResult
  export?: ExportStepResult
  /** Set when the source is the vendor API (no --input and no source.input). */
  exportPlan?: ExportPlan | undefined
  verify?: VerifyStepResult
  base?: string | undefined
  convert?: ConvertStepResult
  dryRun: boolean
  from: string
  input: string
  jobs?: number | undefined
  limits: RecordLimits
  manifest: Manifest
  mapping?: string | undefined
  project: ProjectFile
  sinceLast: boolean
  source?: SourceStepResult
  to: string
  workspace: Workspace
}

async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  return pkg.version
}

function conflict(field: string, inFile: string, flag: string, given: string): ConvoshiftError {
  return new ConvoshiftError(`convoshift.json: ${field} is "${inFile}" but ${flag} is "${given}"`, {
    code: 'PROJECT_CONFLICT',
    exitCode: ExitCode.Usage,
    suggestions: [`drop ${flag} (the project file decides), edit convoshift.json, or use a new --workspace`],
  })
}

/** The project file, from the workspace or (first run) from the flags; flags that contradict it are refused. */
async function resolveProject(options: MigrateOptions): Promise<{created: string | undefined; project: ProjectFile}> {
  const existing = await readProject(options.workspace)
  if (existing) {
    if (options.from && options.from !== existing.source.shape)
      throw conflict('source.shape', existing.source.shape, '--from', options.from)
    if (options.to && options.to !== existing.target.shape)
      throw conflict('target.shape', existing.target.shape, '--to', options.to)
    if (options.mapping) {
      const mapping = projectPath(options.workspace, options.mapping)
      if (mapping !== existing.target.mapping)
        throw conflict('target.mapping', String(existing.target.mapping), '--mapping', options.mapping)
    }

    return {created: undefined, project: existing}
  }

  if (!options.from || !options.to) {
    throw new ConvoshiftError(`${options.workspace}: no convoshift.json yet, so --from and --to are required`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      suggestions: ['pass --from and --to (and --input), or write a project file first with `convoshift init`'],
    })
  }

  const text = renderProject({
    from: options.from,
    input: options.input ? projectPath(options.workspace, options.input) : undefined,
    mapping: options.mapping ? projectPath(options.workspace, options.mapping) : undefined,
    to: options.to,
    workspace: options.workspace,
  })
  return {created: text, project: parseProject(text, 'convoshift.json')}
}

function resumeCommand(options: MigrateOptions, project: ProjectFile, recorded: boolean): string {
  const parts = ['convoshift', 'migrate', '--workspace', options.workspace]
  // Before the first completed run there is no project file: the command names the shapes again.
  if (!recorded) {
    parts.push('--from', project.source.shape, '--to', project.target.shape)
    if (options.mapping) parts.push('--mapping', options.mapping)
  }

  const stored = recorded ? project.source.input : null
  if (options.input && projectPath(options.workspace, options.input) !== stored) parts.push('--input', options.input)
  if (options.sinceLast) parts.push('--since-last')
  if (options.dryRun) parts.push('--dry-run')
  return parts
    .map((part) => (/^[\w./:=@-]+$/.test(part) ? part : `'${part.replaceAll("'", String.raw`'\''`)}'`))
    .join(' ')
}

function exportStep(): Step<MigrateContext> {
  return {
    describe: (result) => describeExport(result as ExportStepResult),
    inputs: () => [],
    name: 'export',
    notRun: (ctx) => (ctx.exportPlan ? undefined : `the source is the file ${inWorkspace(ctx.workspace, ctx.input)}`),
    options: (ctx) => ctx.exportPlan!.fingerprint as Json,
    outputs: (ctx) => [ctx.input],
    restore(ctx, result) {
      ctx.export = result as ExportStepResult
    },
    async run(ctx, progress) {
      const result = await exportSource(ctx.exportPlan!, ctx.input, progress)
      ctx.export = result
      return {result, summary: describeExport(result)}
    },
    title: 'Export',
  }
}

function sourceStep(): Step<MigrateContext> {
  return {
    describe: (result) => describeSource(result as SourceStepResult),
    inputs: (ctx) => [ctx.input],
    name: 'source',
    // Limits other than the defaults are part of the step's options, so that a run with other limits builds it again.
    options: (ctx) => ({
      from: ctx.from,
      mode: ctx.sinceLast ? 'delta' : 'full',
      ...(sameLimits(ctx.limits, DEFAULT_LIMITS) ? {} : {limits: {...ctx.limits}}),
    }),
    outputs: (ctx) => (ctx.sinceLast ? [ctx.workspace.source, ctx.workspace.delta] : [ctx.workspace.source]),
    restore(ctx, result) {
      ctx.source = result as SourceStepResult
    },
    async run(ctx, progress) {
      const result = await buildSource({
        base: ctx.base,
        delta: ctx.workspace.delta,
        from: await loadSide(ctx.from),
        input: ctx.input,
        limits: ctx.limits,
        onProgress: progress,
        source: ctx.workspace.source,
      })
      ctx.source = result
      return {result, summary: describeSource(result)}
    },
    title: 'Source records',
  }
}

function convertStep(): Step<MigrateContext> {
  return {
    describe: (result) => describeConvert(result as ConvertStepResult),
    inputs: (ctx) => [ctx.workspace.source, ...(ctx.mapping ? [ctx.mapping] : [])],
    name: 'convert',
    notRun: (ctx) => (ctx.dryRun ? 'dry run: verify converts in memory, no target output written' : undefined),
    options: (ctx) => ({from: ctx.from, to: ctx.to}),
    async outputs(ctx) {
      const rejected = (await exists(ctx.workspace.rejected)) ? [ctx.workspace.rejected] : []
      return [ctx.workspace.output, ctx.workspace.idMap, ...rejected]
    },
    restore(ctx, result) {
      ctx.convert = result as ConvertStepResult
    },
    async run(ctx, progress) {
      const {result} = await convertSource({
        from: ctx.from,
        idMap: ctx.workspace.idMap,
        jobs: ctx.jobs,
        limits: ctx.limits,
        mapping: ctx.mapping,
        onProgress: progress,
        output: ctx.workspace.output,
        rejected: ctx.workspace.rejected,
        source: ctx.workspace.source,
        to: ctx.to,
        total: ctx.source?.records ?? 0,
      })
      ctx.convert = result
      return {result, summary: describeConvert(result)}
    },
    title: 'Convert',
  }
}

function verifyStep(): Step<MigrateContext> {
  const name = (ctx: MigrateContext): string => (ctx.dryRun ? 'dry-run' : 'verify')
  return {
    describe: (result) => describeVerify(result as VerifyStepResult),
    inputs: (ctx) => [
      ctx.workspace.source,
      ...(ctx.dryRun ? [] : [ctx.workspace.output]),
      ...(ctx.mapping ? [ctx.mapping] : []),
    ],
    name: 'verify',
    options: (ctx) => ({failOn: ctx.project.verify.failOn, from: ctx.from, to: ctx.to}),
    outputs: (ctx) => reportPaths(ctx.workspace.reportDir, name(ctx)),
    restore(ctx, result) {
      ctx.verify = result as VerifyStepResult
    },
    async run(ctx, progress) {
      const result = await verifyOutput({
        dryRun: ctx.dryRun,
        failOn: ctx.project.verify.failOn,
        from: ctx.from,
        limits: ctx.limits,
        mapping: ctx.mapping,
        onProgress: progress,
        reportDir: ctx.workspace.reportDir,
        reportName: name(ctx),
        shown: {
          source: inWorkspace(ctx.workspace, ctx.workspace.source),
          target: ctx.dryRun ? null : inWorkspace(ctx.workspace, ctx.workspace.output),
        },
        source: ctx.workspace.source,
        target: ctx.dryRun ? undefined : ctx.workspace.output,
        to: ctx.to,
        total: ctx.source?.records ?? 0,
      })
      ctx.verify = result
      return {result, summary: describeVerify(result)}
    },
    title: 'Verify',
  }
}

/** The highest bag version a completed run recorded (0: none). */
function lastRecordedBag(manifest: Manifest): number {
  const versions = manifest.runs.map((run) => Number(/bag-v(\d+)$/.exec(run.bag ?? '')?.[1] ?? 0))
  return Math.max(0, ...versions)
}

function archiveStep(): Step<MigrateContext> {
  return {
    describe: (result) => describeArchive(result as ArchiveStepResult),
    // The export itself is the evidence a bag keeps, byte for byte: its hash decides whether the bag is current.
    inputs: (ctx) => [ctx.input],
    name: 'archive',
    notRun(ctx) {
      if (ctx.dryRun) return 'dry run: no archive written'
      if (!ctx.project.archive.enabled) return 'disabled in convoshift.json (archive.enabled)'
    },
    options: (ctx) => ({date: ctx.project.archive.date, from: ctx.from, redact: ctx.project.archive.redact}),
    outputs: (ctx) => [join(ctx.workspace.archiveDir, ctx.archive!.bag)],
    restore(ctx, result) {
      ctx.archive = result as ArchiveStepResult
    },
    async run(ctx, progress) {
      const result = await archiveSource({
        archiveDir: ctx.workspace.archiveDir,
        date: ctx.project.archive.date ?? undefined,
        from: ctx.from,
        jobs: ctx.jobs,
        lastRecorded: lastRecordedBag(ctx.manifest),
        limits: ctx.limits,
        onProgress: progress,
        input: ctx.input,
        redact: ctx.project.archive.redact,
        total: ctx.source?.read ?? 0,
      })
      ctx.archive = result
      return {result, summary: describeArchive(result)}
    },
    title: 'Archive',
  }
}

/** Hard-links (or copies) the source as the base of the next --since-last run; atomic by rename. */
async function keepAsBase(workspace: Workspace): Promise<void> {
  await mkdir(dirname(workspace.lastRunSource), {recursive: true})
  await linkAtomic(workspace.source, workspace.lastRunSource)
}

/**
 * The whole migration as one resumable, idempotent pipeline in a workspace: source → convert → verify → archive.
 * Each step is skipped when its inputs, options and outputs are unchanged since it last completed; an interrupted
 * step leaves only temp files (removed on the next run) and runs again.
 */
export async function runMigrate(options: MigrateOptions): Promise<MigrateResult> {
  const {created, project} = await resolveProject(options)
  const {workspace: dir} = options
  const from = project.source.shape
  const to = project.target.shape
  const workspace = workspaceLayout(dir, from, to)
  const givenInput =
    options.input ?? (project.source.input ? resolveProjectPath(workspace.dir, project.source.input) : undefined)
  if (givenInput && !(await exists(givenInput))) {
    throw new ConvoshiftError(`${givenInput}: no such file`, {code: 'INPUT_NOT_FOUND', exitCode: ExitCode.Io})
  }

  const mapping = project.target.mapping ? resolveProjectPath(workspace.dir, project.target.mapping) : undefined
  await checkWritePaths({
    reads: [
      {flag: options.input ? '--input' : 'convoshift.json source.input', path: givenInput},
      {flag: options.mapping ? '--mapping' : 'convoshift.json target.mapping', path: mapping},
    ],
    writes: workspaceWrites(workspace),
  })

  // Without an input file the source is the vendor API, exported into the workspace.
  const inputPath = givenInput ?? join(workspace.exportDir, `${from}.jsonl`)

  // Fail on an unknown format or mapping before touching the workspace.
  await loadSide(from)
  await loadSide(to)

  for (const path of [workspace.source, workspace.output]) await mkdir(dirname(path), {recursive: true})
  const release = await lockWorkspace(workspace)
  const unregister = registerCleanup(release)
  try {
    const log = new RunLog(workspace.runLog)
    const removed = await removeStaleTempFiles(workspace)
    await removePartialBags(workspace.archiveDir)
    const manifest = await readManifest(workspace.manifest)
    const previous = lastRun(manifest)
    const sinceLast = options.sinceLast ?? false
    const dryRun = options.dryRun ?? false
    if (sinceLast && !previous) {
      throw new ConvoshiftError(
        `${workspace.dir}: --since-last needs a completed run to start from, and there is none`,
        {
          code: 'NO_COMPLETED_RUN',
          exitCode: ExitCode.Usage,
          suggestions: ['run migrate once without --since-last'],
        },
      )
    }

    const exportPlan = givenInput
      ? undefined
      : planExport(project, {
          highWater: sinceLast ? (previous?.highWater ?? undefined) : undefined,
          now: (options.now ?? Date.now)(),
        })
    const ctx: MigrateContext = {
      exportPlan,
      base: sinceLast ? workspace.lastRunSource : undefined,
      dryRun,
      from,
      input: inputPath,
      jobs: options.jobs,
      limits: options.limits ?? DEFAULT_LIMITS,
      manifest,
      mapping,
      project,
      sinceLast,
      to,
      // A dry run builds its source in scratch space: the workspace's recorded files stay as they are.
      workspace: dryRun
        ? {
            ...workspace,
            delta: join(workspace.dryRunDir, 'delta.jsonl'),
            source: join(workspace.dryRunDir, `${from}.jsonl`),
          }
        : workspace,
    }
    if (dryRun) await mkdir(workspace.dryRunDir, {recursive: true})
    const resume = resumeCommand(options, project, created === undefined)
    const tool = await toolVersion()
    const reports: StepReport[] = []
    await log.write({
      dryRun,
      event: 'run-started',
      from,
      input: inWorkspace(workspace, inputPath),
      removedTempFiles: removed,
      sinceLast,
      to,
      tool,
    })
    const steps = [exportStep(), sourceStep(), convertStep(), verifyStep(), archiveStep()]
    try {
      await createTaskList(stepTasks(steps, {log, manifest, record: !dryRun, reports, tool, workspace}), {
        ctx,
        silent: options.silent ?? false,
      }).run()
    } catch (error) {
      if (error instanceof StepFailure) throw stepError(error, resume)
      throw error
    } finally {
      if (dryRun) await rm(workspace.dryRunDir, {force: true, recursive: true})
    }

    // Only a completed real run records the project: a dry run, or a first run that failed, leaves none to pin the
    // workspace to flags the user may change.
    if (created && !dryRun) await writeFileAtomic(workspace.project, created)
    const ran = reports.some((report) => report.status === 'ran')
    let run: null | number = previous?.run ?? null
    if (!dryRun && (ran || !previous)) {
      run = (previous?.run ?? 0) + 1
      await keepAsBase(workspace)
      manifest.runs.push({
        added: ctx.source?.added ?? 0,
        bag: ctx.archive ? `archive/${ctx.archive.bag}` : null,
        changed: ctx.source?.changed ?? 0,
        converted: ctx.convert?.converted ?? 0,
        highWater: ctx.export?.highWater ?? null,
        input: inWorkspace(workspace, inputPath),
        mode: sinceLast ? 'delta' : 'full',
        rejected: ctx.convert?.rejected ?? 0,
        run,
        source: ctx.source?.records ?? 0,
        sourceSha256: await hashFile(workspace.source),
      })
      await writeManifest(workspace.manifest, manifest)
      await log.write({event: 'run-completed', run})
    }

    const sourceCount = ctx.source?.records ?? 0
    // A dry run converts in memory (inside verify): what reached the target is what verify read there.
    const converted = ctx.convert?.converted ?? (dryRun ? (ctx.verify?.target ?? 0) : 0)
    const rejected = ctx.convert?.rejected ?? (dryRun ? sourceCount - converted : 0)
    return {
      dryRun,
      files: {
        bag: ctx.archive ? `archive/${ctx.archive.bag}` : null,
        idMap: dryRun ? null : inWorkspace(workspace, workspace.idMap),
        output: dryRun ? null : inWorkspace(workspace, workspace.output),
        rejected: rejected > 0 && !dryRun ? inWorkspace(workspace, workspace.rejected) : null,
        report: ctx.verify ? `${ctx.verify.report}.html` : null,
        runLog: inWorkspace(workspace, workspace.runLog),
        source: inWorkspace(workspace, workspace.source),
      },
      from,
      records: {
        added: ctx.source?.added ?? 0,
        changed: ctx.source?.changed ?? 0,
        converted,
        rejected,
        source: sourceCount,
      },
      run: dryRun ? null : run,
      sinceLast,
      steps: reports,
      to,
      upToDate: !ran,
      workspace: workspace.dir,
    }
  } finally {
    unregister()
    await release()
  }
}
