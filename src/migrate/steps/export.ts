import {mkdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {checkpointPath, openExport} from '../../export/runner.js'
import {writeFileAtomic} from '../../io/output.js'
import {type ProjectFile} from '../../schemas/project.js'
import {stableStringify} from '../../util/stable-json.js'
import {type StepProgress} from '../runner.js'

export interface ExportStepResult {
  [key: string]: number | string
  duplicates: number
  /** The end of the exported range (ISO 8601): the next --since-last run exports from here. */
  highWater: string
  pages: number
  since: string
  written: number
}

export interface ExportPlan {
  baseUrl?: string | undefined
  format: string
  /** What decides the export, without any secret: the manifest and the checkpoint guard compare it. */
  fingerprint: Record<string, unknown>
  since: number
  until: number
  values: Record<string, string | string[] | undefined>
}

function time(field: string, value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value)
    ? Date.parse(/T.*(?:Z|[+-]\d{2}:?\d{2})$|^\d{4}-\d{2}-\d{2}$/i.test(value) ? value : `${value}Z`)
    : Number.NaN
  if (Number.isNaN(ms)) {
    throw new ConvoshiftError(`convoshift.json: ${field}: not an ISO 8601 date or date-time`, {
      code: 'PROJECT_INVALID',
      exitCode: ExitCode.Usage,
    })
  }

  return ms
}

/**
 * What to export: the project's range (a --since-last run starts at the last run's high-water mark), its account and
 * vendor options, and the credentials read from the environment variables the project names. An absent variable is
 * an error naming the variable, never a value.
 */
export function planExport(project: ProjectFile, options: {highWater?: string | undefined; now: number}): ExportPlan {
  const {source} = project
  const since = options.highWater ?? source.since
  if (!since) {
    throw new ConvoshiftError(
      'convoshift.json: source.since is required to export from the vendor API (or set source.input)',
      {
        code: 'PROJECT_INVALID',
        exitCode: ExitCode.Usage,
      },
    )
  }

  const values: Record<string, string | string[] | undefined> = {...source.options}
  if (source.account) values.account = source.account
  for (const [name, variable] of Object.entries(source.credentials)) {
    const secret = process.env[variable]
    if (!secret) {
      throw new ConvoshiftError(
        `environment variable ${variable} (source.credentials.${name} in convoshift.json) is not set`,
        {
          code: 'CREDENTIALS_MISSING',
          exitCode: ExitCode.Usage,
          suggestions: [`export ${variable}=… before running migrate`],
        },
      )
    }

    values[name] = secret
  }

  const until = source.until ? time('source.until', source.until) : options.now
  const fingerprint = {
    account: source.account,
    baseUrl: source.baseUrl,
    credentials: source.credentials,
    format: source.shape,
    options: source.options,
    since: new Date(time('source.since', since)).toISOString(),
    until: new Date(until).toISOString(),
  }
  return {
    ...(source.baseUrl ? {baseUrl: source.baseUrl} : {}),
    fingerprint,
    format: source.shape,
    since: time('source.since', since),
    until,
    values,
  }
}

/**
 * Exports from the vendor API into the workspace with the export service. Its own checkpoint resumes an interrupted
 * export; a checkpoint from an export of another range or account is discarded first.
 */
export async function exportSource(
  plan: ExportPlan,
  output: string,
  onProgress: (progress: StepProgress) => void,
): Promise<ExportStepResult> {
  await mkdir(join(output, '..'), {recursive: true})
  const planFile = `${output}.plan.json`
  const planned = stableStringify(plan.fingerprint)
  const previous = await readFile(planFile, 'utf8').catch(() => '')
  const restart = previous !== planned
  if (restart) {
    await rm(checkpointPath(output), {force: true})
    await writeFileAtomic(planFile, planned)
  }

  const run = await openExport({
    ...(plan.baseUrl ? {baseUrl: plan.baseUrl} : {}),
    format: plan.format,
    output,
    resume: !restart,
    restart,
    since: plan.since,
    until: plan.until,
    values: plan.values,
  })
  try {
    let records = 0
    for (let i = run.firstWindow; i < run.windows.length; i++) {
      const before = records
      await run.exportWindow(i, (progress) => {
        records = before + progress.records
        onProgress({done: records, unit: `records (window ${i + 1}/${run.windows.length})`})
      })
    }

    const result = await run.finish()
    return {
      duplicates: result.records.duplicates,
      highWater: result.until,
      pages: result.pages,
      since: result.since,
      written: result.records.written,
    }
  } finally {
    await run.close()
  }
}

export function describeExport(result: ExportStepResult): string {
  return `${result.written} records from ${result.since} to ${result.highWater} (${result.pages} pages)`
}
