import {type VerifyReport} from '../../schemas/verify.js'
import {conversationRows, entityStatus, fidelityText, lossRows, percent, rejectedRows, verdictLine} from './text.js'

const CODES = {bold: [1, 22], green: [32, 39], red: [31, 39], yellow: [33, 39]} as const
const LISTED_REJECTED = 5

function table(rows: string[][], align: Array<'left' | 'right'>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** The terminal summary: the verdict, counts, entities, the lost fields and the worst fields. Colour on a terminal. */
export function renderTerminal(report: VerifyReport, options: {colour: boolean}): string {
  const paint = (style: keyof typeof CODES, text: string): string =>
    options.colour ? `\u001B[${CODES[style][0]}m${text}\u001B[${CODES[style][1]}m` : text
  const {status} = report.verdict
  const lines: string[] = [
    paint(status === 'FAIL' ? 'red' : status === 'PASS' ? 'green' : 'yellow', verdictLine(report)),
    '',
    table(conversationRows(report), ['left', 'right']),
    '',
    table(
      [
        ['entity', 'source', 'target', 'status'],
        ...report.entities.map((e) => [e.entity, String(e.source), String(e.target), entityStatus(e)]),
      ],
      ['left', 'right', 'right', 'left'],
    ),
    '',
  ]
  if (report.verdict.losses.length > 0) {
    lines.push(
      paint('bold', `Fields ${report.target.format} does not show as the source has them`),
      table([['field', 'conversations', 'class', ''], ...lossRows(report)], ['left', 'right', 'left', 'left']),
      '',
    )
  }

  const worst = report.worstFields.map((field) => report.fidelity.find((row) => row.field === field)!)
  if (worst.length > 0) {
    lines.push(
      paint('bold', 'Fields that did not always survive'),
      table(
        [
          ['field', 'native', 'recoverable', 'unexpected', 'transformed', 'expected'],
          ...worst.map((row) => [
            row.field,
            `${percent(row.native.share)} of ${row.present}`,
            percent(row.recoverable.share),
            String(row.native.lost.unexpected),
            String(row.native.lost.transformed),
            String(row.native.lost.expected),
          ]),
        ],
        ['left', 'right', 'right', 'right', 'right', 'right'],
      ),
      '',
    )
  }

  const rejected = rejectedRows(report)
  if (rejected.length > 0) {
    lines.push(paint('bold', 'Records that could not be read'))
    for (const [side, line, reason] of rejected.slice(0, LISTED_REJECTED))
      lines.push(`  ${side} line ${line}: ${reason}`)
    if (rejected.length > LISTED_REJECTED) lines.push(`  …and ${rejected.length - LISTED_REJECTED} more in the report`)
    lines.push('')
  }

  const firstUnexpected = report.samples.find((s) => s.diffs.some((d) => d.class === 'unexpected'))
  if (firstUnexpected) {
    lines.push(
      paint(
        'yellow',
        `First unexpected difference, conversation ${firstUnexpected.id} (source line ${firstUnexpected.sourceLine}):`,
      ),
    )
    for (const diff of firstUnexpected.diffs.filter((d) => d.class === 'unexpected').slice(0, 5)) {
      lines.push(
        `  ${diff.path}: ${diff.kind} ${JSON.stringify(diff.before) ?? '—'} → ${JSON.stringify(diff.after) ?? '—'} (${fidelityText(diff, report.target.format)})`,
      )
    }
  }

  return lines.join('\n').trimEnd()
}
