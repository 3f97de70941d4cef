import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {type RecordLimits} from '../../io/limits.js'
import {runVerify, type VerifyReport} from '../../verify/index.js'
import {writeReports} from '../../verify/render/index.js'
import {type StepProgress} from '../runner.js'

export interface VerifyStepResult {
  [key: string]: boolean | number | string
  identical: number
  missingInTarget: number
  ok: boolean
  paired: number
  /** Paired conversations identical once the carry field is applied. */
  recoverable: number
  /** The report's base path, relative to the workspace (report/verify; .json, .md and .html beside it). */
  report: string
  source: number
  /** The verdict about what the target shows: PASS, PASS WITH DECLARED LOSSES or FAIL. */
  status: string
  target: number
  unexpected: number
}

export const REPORT_FORMATS = ['json', 'md', 'html'] as const

export interface VerifyStepOptions {
  dryRun: boolean
  failOn: 'expected' | 'transformed' | 'unexpected'
  from: string
  limits: RecordLimits
  mapping?: string | undefined
  onProgress: (progress: StepProgress) => void
  reportDir: string
  /** The report's name without extension: verify, or dry-run. */
  reportName: string
  /** Source and target as the report names them (relative to the workspace, so reports do not depend on where it is). */
  shown: {source: string; target: null | string}
  source: string
  target?: string | undefined
  to: string
  total: number
}

/** The report files a verify step writes. */
export function reportPaths(reportDir: string, name: string): string[] {
  return REPORT_FORMATS.map((format) => join(reportDir, `${name}.${format}`))
}

/**
 * Verifies the converted output against the source with the verify service (or, for a dry run, against the source's
 * conversion made in memory) and writes the report as JSON, Markdown and HTML. Differences the verdict does not
 * accept stop the pipeline (exit 7) after the report is written.
 */
export async function verifyOutput(options: VerifyStepOptions): Promise<VerifyStepResult> {
  const report: VerifyReport = await runVerify({
    dryRun: options.dryRun,
    failOn: options.failOn,
    from: options.from,
    limits: options.limits,
    ...(options.mapping ? {mapping: options.mapping} : {}),
    onProgress(counts) {
      options.onProgress({done: counts.source, total: options.total, unit: 'conversations'})
    },
    source: options.source,
    ...(options.target ? {target: options.target} : {}),
    tempDir: options.reportDir,
    to: options.to,
  })
  report.source.file = options.shown.source
  report.target.file = options.shown.target
  await mkdir(options.reportDir, {recursive: true})
  const paths = reportPaths(options.reportDir, options.reportName)
  await writeReports(report, paths)
  const {conversations, verdict} = report
  const result: VerifyStepResult = {
    identical: conversations.identical,
    missingInTarget: conversations.missingInTarget.count,
    ok: verdict.ok,
    paired: conversations.paired,
    recoverable: conversations.recoverable,
    report: `report/${options.reportName}`,
    source: conversations.source,
    status: verdict.status,
    target: conversations.target,
    unexpected: conversations.withDifferences.unexpected,
  }
  if (!verdict.ok) {
    throw new ConvoshiftError(`verification failed: ${verdict.reasons.join('; ')} (see ${result.report}.md)`, {
      code: 'VERIFY_MISMATCH',
      exitCode: ExitCode.VerifyMismatch,
      suggestions: [
        `read ${result.report}.html`,
        'fix the mapping (target.mapping in convoshift.json), or accept the class of difference with verify.failOn',
      ],
    })
  }

  return result
}

export function describeVerify(result: VerifyStepResult): string {
  return `${result.status}: ${result.paired}/${result.source} paired, ${result.identical} identical as the target shows them, ${result.recoverable} with the carry field, ${result.unexpected} with unexpected differences; ${result.report}.{json,md,html}`
}
