import {type VerifyReport} from '../../schemas/verify.js'

/** Shared wording for every report format, so the terminal, Markdown and HTML say the same thing. */

export function percent(share: number): string {
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`
}

/** The headline: about what the target vendor shows natively. */
export function verdictLine(report: VerifyReport): string {
  const {source, target, verdict} = report
  const what = `${source.format} → ${target.format}${report.dryRun ? ' (dry run)' : ''}`
  if (verdict.status === 'FAIL') return `FAIL ${what}: ${verdict.reasons.join('; ')}`
  if (verdict.status === 'PASS') return `PASS ${what}: ${target.format} shows every conversation as the source has it`
  const top = verdict.losses
    .slice(0, 3)
    .map((loss) => `${loss.field} (${percent(loss.share)})`)
    .join(', ')
  const more = verdict.losses.length > 3 ? ` and ${verdict.losses.length - 3} more` : ''
  return `PASS WITH DECLARED LOSSES ${what}: ${target.format} does not show ${top || 'some entities'}${more}`
}

/** One line per lost field: share of conversations, class, and whether the carry field holds it. */
export function lossRows(report: VerifyReport): string[][] {
  return report.verdict.losses.map((loss) => [
    loss.field,
    `${percent(loss.share)} (${loss.conversations})`,
    loss.class,
    carriedText(report, loss.carried, loss.conversations),
  ])
}

export function carriedText(report: VerifyReport, carried: number, of: number): string {
  if (carried === 0) return ''
  const where = `carried: not visible in ${report.target.format}`
  return carried === of ? where : `${where} (${carried} of ${of})`
}

export function conversationRows(report: VerifyReport): Array<[string, string]> {
  const c = report.conversations
  const d = c.withDifferences
  const target = report.target.format
  return [
    ['source conversations', String(c.source)],
    ['target conversations', String(c.target)],
    ['paired', String(c.paired)],
    [`identical as ${target} shows them`, String(c.identical)],
    ['identical with the carry field applied', String(c.recoverable)],
    ['with unexpected differences', String(d.unexpected)],
    ['with transformed values', String(d.transformed)],
    ['with expected losses', String(d.expected)],
    ['missing in target', String(c.missingInTarget.count)],
    ['in target only', String(c.missingInSource.count)],
    ['duplicated ids', String(c.duplicated.count)],
    ['rejected (source / target)', `${report.source.rejected} / ${report.target.rejected}`],
  ]
}

export function entityStatus(row: VerifyReport['entities'][number]): string {
  if (row.status === 'match') return 'match'
  const counts = [
    row.missing > 0 ? `${row.missing} missing` : '',
    row.extra > 0 ? `${row.extra} extra` : '',
    row.duplicated > 0 ? `${row.duplicated} duplicated` : '',
  ].filter(Boolean)
  return `${counts.join(', ')}${row.class ? ` (${row.class}: ${row.reason})` : ''}`
}

/** The fidelity matrix without its perfect rows, and how many fields survived everywhere (shown collapsed). */
export function splitFidelity(report: VerifyReport): {imperfect: VerifyReport['fidelity']; perfect: string[]} {
  const perfect = (row: VerifyReport['fidelity'][number]): boolean =>
    row.native.survived === row.present && row.recoverable.survived === row.present
  return {
    imperfect: report.fidelity.filter((row) => !perfect(row)),
    perfect: report.fidelity.filter((row) => perfect(row)).map((row) => row.field),
  }
}

export function rejectedRows(report: VerifyReport): string[][] {
  return (['source', 'target'] as const).flatMap((side) =>
    report[side].rejectedSample.map((r) => [side, String(r.line), r.reason]),
  )
}

/** A readable one-line value for a table cell. */
export function show(value: unknown): string {
  if (value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** How a difference reads in a table: its reading of the target, and whether the carry holds the source value. */
export function fidelityText(diff: {carried?: boolean | undefined; fidelity: string}, target: string): string {
  if (diff.fidelity === 'recoverable') return 'even with the carry field'
  return diff.carried ? `carried: not visible in ${target}` : `as ${target} shows it`
}
