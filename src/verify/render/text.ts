import {type VerifyReport} from '../../schemas/verify.js'

/** Shared wording for every report format, so the terminal, Markdown and HTML say the same thing. */

export function percent(share: number): string {
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`
}

export function verdictLine(report: VerifyReport): string {
  const {source, target, verdict} = report
  const what = `${source.format} → ${target.format}${report.dryRun ? ' (dry run)' : ''}`
  return verdict.ok
    ? `PASS ${what}: no ${verdict.failOn === 'unexpected' ? 'unexpected' : `${verdict.failOn} or worse`} differences`
    : `FAIL ${what}: ${verdict.reasons.join('; ')}`
}

export function conversationRows(report: VerifyReport): Array<[string, string]> {
  const c = report.conversations
  const d = c.withDifferences
  return [
    ['source conversations', String(c.source)],
    ['target conversations', String(c.target)],
    ['paired', String(c.paired)],
    ['identical', String(c.identical)],
    ['with unexpected differences', String(d.unexpected)],
    ['with transformed values', String(d.transformed)],
    ['with expected losses', String(d.expected)],
    ['missing in target', String(c.missingInTarget.count)],
    ['in target only', String(c.missingInSource.count)],
    ['duplicated ids', String(c.duplicated.count)],
    ['rejected (source / target)', `${report.source.rejected} / ${report.target.rejected}`],
  ]
}

/** A readable one-line value for a table cell. */
export function show(value: unknown): string {
  if (value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}
