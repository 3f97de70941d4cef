import {type VerifyReport} from '../../schemas/verify.js'
import {conversationRows, percent, verdictLine} from './text.js'

const CODES = {bold: [1, 22], green: [32, 39], red: [31, 39], yellow: [33, 39]} as const

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

/** The terminal summary: the verdict, counts, entities and the worst fields. Colour only on a terminal. */
export function renderTerminal(report: VerifyReport, options: {colour: boolean}): string {
  const paint = (style: keyof typeof CODES, text: string): string =>
    options.colour ? `\u001B[${CODES[style][0]}m${text}\u001B[${CODES[style][1]}m` : text
  const lines: string[] = [
    paint(report.verdict.ok ? 'green' : 'red', verdictLine(report)),
    '',
    table(conversationRows(report), ['left', 'right']),
    '',
    table(
      [
        ['entity', 'source', 'target', 'status'],
        ...report.entities.map((e) => [e.entity, String(e.source), String(e.target), e.status]),
      ],
      ['left', 'right', 'right', 'left'],
    ),
    '',
  ]
  const worst = report.fidelity.filter((row) => report.worstFields.includes(row.field))
  if (worst.length > 0) {
    const ordered = report.worstFields.map((field) => worst.find((row) => row.field === field)!)
    lines.push(
      paint('bold', 'Fields that did not always survive'),
      table(
        [
          ['field', 'survived', 'unexpected', 'transformed', 'expected'],
          ...ordered.map((row) => [
            row.field,
            `${percent(row.share)} of ${row.present}`,
            String(row.lost.unexpected),
            String(row.lost.transformed),
            String(row.lost.expected),
          ]),
        ],
        ['left', 'right', 'right', 'right', 'right'],
      ),
      '',
    )
  }

  const firstUnexpected = report.samples.find((s) => s.classes.unexpected > 0)
  if (firstUnexpected) {
    lines.push(
      paint(
        'yellow',
        `First unexpected difference, conversation ${firstUnexpected.id} (source line ${firstUnexpected.sourceLine}):`,
      ),
    )
    for (const diff of firstUnexpected.diffs.filter((d) => d.class === 'unexpected').slice(0, 5)) {
      lines.push(
        `  ${diff.path}: ${diff.kind} ${JSON.stringify(diff.before) ?? '—'} → ${JSON.stringify(diff.after) ?? '—'}`,
      )
    }
  }

  return lines.join('\n').trimEnd()
}
