import {type ListrTask} from 'listr2'

import {type ExportResult} from '../schemas/export.js'
import {createTaskList, progressLine} from '../util/progress.js'
import {type ExportCheck, type ExportOptions, type ExportRun, openExport, type WindowProgress} from './runner.js'
import {type ExportWindow} from './types.js'

interface ExportContext {
  result?: ExportResult
}

/** One listr2 task per window: pages, records (of the API's total when known), request rate and ETA. */
export function createWindowTask(run: ExportRun, window: ExportWindow): ListrTask<ExportContext> {
  const title = `${run.exporter.format} window ${window.index + 1}/${run.windows.length} ${describeWindow(window)}`
  return {
    skip: () => (window.index < run.firstWindow ? `${title} (exported before --resume)` : false),
    async task(_ctx, task) {
      const progress = progressLine(task)
      let latest: undefined | WindowProgress
      await run.exportWindow(window.index, (reading) => {
        latest = reading
        progress.update({
          counts: `${reading.pages} pages, ${reading.records}${reading.total === undefined ? '' : `/${reading.total}`} records, ${(reading.requests / Math.max(progress.elapsed(), 0.001)).toFixed(1)} req/s`,
          done: reading.records,
          items: reading.records,
          total: reading.total,
          unit: 'records',
        })
      })
      task.title = `${title}: ${latest ? `${latest.records} records, ${latest.pages} pages` : 'nothing to fetch'}`
    },
    title,
  }
}

function describeWindow(window: ExportWindow): string {
  return `${shortTime(window.since)} → ${shortTime(window.until)}`
}

/** 2024-03-01, or 2024-03-01T00:10Z when not midnight. */
function shortTime(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z').replace('T00:00Z', '')
}

/** The export with progress on stderr (silent under --json): open, one task per window, finish. */
export async function runExportWithProgress(options: ExportOptions, display: {silent: boolean}): Promise<ExportResult> {
  const run = await openExport(options)
  try {
    const ctx: ExportContext = {}
    const tasks = run.windows.map((window) => createWindowTask(run, window))
    const list = createTaskList(tasks, {ctx, silent: display.silent})
    await list.run()
    return await run.finish()
  } finally {
    await run.close()
  }
}

/** What `export --check` prints: the API answered, and what a run would do. */
export function renderExportCheck(check: ExportCheck): string {
  const rates = Object.entries(check.rates)
    .map(([bucket, perSecond]) => `${bucket} ${perSecond === null ? 'no limit' : `${perSecond}/s`}`)
    .join(', ')
  const options = Object.entries(check.options)
    .map(([name, value]) => `--${name} ${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(' ')
  return [
    `ok: ${check.format} at ${check.baseUrl} answered${options ? ` (${options})` : ''}; nothing written`,
    `range: ${check.window.since} → ${check.window.until} in ${check.windows} window${check.windows === 1 ? '' : 's'}`,
    `first page: ${check.firstPage} conversation${check.firstPage === 1 ? '' : 's'}${check.total === null ? '' : ` of ${check.total} in the first window`}${check.firstTime ? `, the first at ${check.firstTime}` : ''} (${check.requests} request${check.requests === 1 ? '' : 's'})`,
    `rate: ${rates}`,
  ].join('\n')
}

/** The human summary printed after an export. */
export function renderExportSummary(result: ExportResult): string {
  const {records} = result
  const lines = [
    `${records.received} received = ${records.written} written + ${records.duplicates} duplicates + ${records.outsideRange} outside the range (${result.format}, ${result.windows} windows, ${result.pages} pages, ${result.requests} requests, ${result.retries} retries${result.resumed ? ', resumed' : ''})`,
  ]
  const counts = Object.entries(result.vendorCounts)
  if (counts.length > 0) lines.push(counts.map(([name, n]) => `${name}: ${n}`).join(', '))
  lines.push(`output: ${result.output}`)
  return lines.join('\n')
}
