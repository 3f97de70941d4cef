import {type MigrateResult} from '../schemas/project.js'

/** The human summary after a migrate run: each step's line, the counts, and where the report and bag are. */
export function renderMigrateSummary(result: MigrateResult): string {
  const {files, records} = result
  const lines: string[] = []
  if (result.dryRun) lines.push(`dry run in ${result.workspace}: no target output written, nothing recorded`)
  else if (result.upToDate) lines.push(`${result.workspace}: up to date (run ${result.run}); nothing to do`)
  else lines.push(`run ${result.run} ${result.sinceLast ? '(delta) ' : ''}completed in ${result.workspace}`)
  for (const step of result.steps)
    lines.push(`  ${step.name}: ${step.status === 'not-run' ? 'not run: ' : ''}${step.summary}`)
  const delta = result.sinceLast ? ` (${records.added} new, ${records.changed} changed in this run)` : ''
  lines.push(`${records.source} conversations = ${records.converted} converted + ${records.rejected} rejected${delta}`)
  if (files.output) lines.push(`output: ${files.output}`)
  if (files.rejected) lines.push(`rejected: ${files.rejected}`)
  if (files.idMap && !result.dryRun) lines.push(`id map: ${files.idMap}`)
  lines.push(`report: ${files.report ?? 'none'}`, `bag: ${files.bag ?? 'none'}`)
  return lines.join('\n')
}
