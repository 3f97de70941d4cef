import {type VerifyReport} from '../../schemas/verify.js'
import {
  conversationRows,
  entityStatus,
  fidelityText,
  lossRows,
  percent,
  rejectedRows,
  show,
  splitFidelity,
  verdictLine,
} from './text.js'

function cell(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('|', String.raw`\|`)
    .replaceAll('\n', ' ')
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => cell(c)).join(' | ')} |`),
  ].join('\n')
}

const MAX_CELL = 120

function short(value: unknown): string {
  const text = show(value)
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text
}

export function renderMarkdown(report: VerifyReport): string {
  const target = report.target.format
  const {imperfect, perfect} = splitFidelity(report)
  const parts = [
    `# convoshift verify: ${report.source.format} → ${target}`,
    `**${verdictLine(report)}**`,
    `Source: \`${report.source.file}\`${report.target.file ? ` · Target: \`${report.target.file}\`` : ' · Target: converted in memory'} · fails on: ${report.verdict.failOn} differences`,
    `The verdict is about what ${target} shows natively. What convoshift keeps in ${target}'s free-form field (the carry) is recoverable by convoshift but not visible in ${target}; it is reported as "carried".`,
    '## Conversations',
    table(['', 'count'], conversationRows(report)),
    '## Entities',
    table(
      ['entity', 'source', 'target', 'status'],
      report.entities.map((e) => [e.entity, String(e.source), String(e.target), entityStatus(e)]),
    ),
  ]
  if (report.verdict.losses.length > 0) {
    parts.push(
      `## Fields ${target} does not show as the source has them`,
      table(['field', 'conversations', 'class', ''], lossRows(report)),
    )
  }

  if (report.byField.length > 0) {
    parts.push(
      '## By field',
      'Each field with differences in what the target shows: how many conversations, and the first values side by side.',
      table(
        ['field', 'class', 'conversations', 'carried', 'conversation', 'source', 'target'],
        report.byField.flatMap((row) =>
          row.samples.map((sample, i) => [
            i === 0 ? `\`${row.field}\`` : '',
            i === 0 ? row.class : '',
            i === 0 ? String(row.conversations) : '',
            i === 0 ? String(row.carried) : '',
            `\`${sample.path}\``,
            short(sample.before),
            short(sample.after),
          ]),
        ),
      ),
    )
  }

  parts.push(
    '## Fidelity matrix',
    'For each neutral field: in how many paired conversations the source had it, and in what share it survived unchanged as the target shows it (native) and with the carry field applied (recoverable); native losses by class.',
    table(
      ['field', 'present', 'native', 'recoverable', 'unexpected', 'transformed', 'expected'],
      imperfect.map((row) => [
        `\`${row.field}\``,
        String(row.present),
        `${row.native.survived} (${percent(row.native.share)})`,
        `${row.recoverable.survived} (${percent(row.recoverable.share)})`,
        String(row.native.lost.unexpected),
        String(row.native.lost.transformed),
        String(row.native.lost.expected),
      ]),
    ),
  )
  if (perfect.length > 0) {
    parts.push(
      `<details><summary>${perfect.length} more field${perfect.length === 1 ? '' : 's'} survived in every conversation</summary>\n\n${perfect.map((field) => `\`${field}\``).join(', ')}\n\n</details>`,
    )
  }

  if (report.ignored.length > 0) {
    parts.push(
      '## Ignored (--ignore)',
      table(
        ['field', 'differences'],
        report.ignored.map((row) => [`\`${row.field}\``, String(row.differences)]),
      ),
    )
  }

  const rejected = rejectedRows(report)
  if (rejected.length > 0) parts.push('## Records that could not be read', table(['side', 'line', 'reason'], rejected))
  if (report.conversations.missingInTarget.count > 0)
    parts.push(
      '## Missing in the target',
      report.conversations.missingInTarget.ids.map((id) => `- \`${id}\``).join('\n'),
    )
  if (report.conversations.missingInSource.count > 0)
    parts.push('## In the target only', report.conversations.missingInSource.ids.map((id) => `- \`${id}\``).join('\n'))
  if (report.conversations.duplicated.count > 0) {
    parts.push(
      '## Duplicated ids',
      report.conversations.duplicated.ids
        .map((d) => `- \`${d.id}\`: ${d.source}× in the source, ${d.target}× in the target`)
        .join('\n'),
    )
  }

  if (report.samples.length > 0) {
    parts.push('## Differences by conversation')
    for (const sample of report.samples) {
      parts.push(
        `### \`${sample.id}\` (source line ${sample.sourceLine}, target line ${sample.targetLine})`,
        table(
          ['path', 'kind', 'class', 'reading', 'before', 'after'],
          sample.diffs.map((d) => [
            `\`${d.path}\``,
            d.kind,
            d.class,
            fidelityText(d, target),
            short(d.before),
            short(d.after),
          ]),
        ),
      )
      for (const d of sample.diffs.filter((x) => x.textDiff))
        parts.push(`\`${d.path}\`:\n\n\`\`\`diff\n${d.textDiff}\n\`\`\``)
      if (sample.omitted > 0) parts.push(`…and ${sample.omitted} more (see the --diffs file).`)
    }
  }

  return parts.join('\n\n') + '\n'
}
