import {type VerifyReport} from '../../schemas/verify.js'
import {conversationRows, percent, show, verdictLine} from './text.js'

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
  const parts = [
    `# convoshift verify: ${report.source.format} → ${report.target.format}`,
    `**${verdictLine(report)}**`,
    `Source: \`${report.source.file}\`${report.target.file ? ` · Target: \`${report.target.file}\`` : ' · Target: converted in memory'} · fails on: ${report.verdict.failOn} differences`,
    '## Conversations',
    table(['', 'count'], conversationRows(report)),
    '## Entities',
    table(
      ['entity', 'source', 'target', 'status'],
      report.entities.map((e) => [
        e.entity,
        String(e.source),
        String(e.target),
        e.reason ? `${e.status}: ${e.reason}` : e.status,
      ]),
    ),
    '## Fidelity matrix',
    'For each neutral field: in how many paired conversations the source had it, and in what share it survived unchanged.',
    table(
      ['field', 'present', 'survived', 'share', 'unexpected', 'transformed', 'expected'],
      report.fidelity.map((row) => [
        `\`${row.field}\``,
        String(row.present),
        String(row.survived),
        percent(row.share),
        String(row.lost.unexpected),
        String(row.lost.transformed),
        String(row.lost.expected),
      ]),
    ),
  ]
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
          ['path', 'kind', 'class', 'before', 'after'],
          sample.diffs.map((d) => [`\`${d.path}\``, d.kind, d.class, short(d.before), short(d.after)]),
        ),
      )
      for (const d of sample.diffs.filter((x) => x.textDiff))
        parts.push(`\`${d.path}\`:\n\n\`\`\`diff\n${d.textDiff}\n\`\`\``)
      if (sample.omitted > 0) parts.push(`…and ${sample.omitted} more (see the --diffs file).`)
    }
  }

  return parts.join('\n\n') + '\n'
}
