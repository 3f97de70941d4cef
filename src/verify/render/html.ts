import {type VerifyReport} from '../../schemas/verify.js'
import {conversationRows, percent, show, verdictLine} from './text.js'

/**
 * One self-contained page (no scripts, fonts or images from anywhere): readable in any browser, printable. Numbers
 * carry `data-metric` attributes so tests can check them against the JSON report in a real browser.
 */

function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

const STYLE = `
:root{--ok:#1b7f3b;--bad:#b3261e;--warn:#8a5a00;--muted:#5f6368;--line:#dadce0}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#202124}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid var(--line)}
.verdict{padding:.6rem .9rem;border-radius:6px;font-weight:600;color:#fff}.pass{background:var(--ok)}.fail{background:var(--bad)}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.bar{background:#eee;height:.7rem;width:8rem;display:inline-block;vertical-align:middle}.bar>span{display:block;height:100%;background:var(--ok)}
.unexpected{color:var(--bad);font-weight:600}.transformed{color:var(--warn)}.expected{color:var(--muted)}
.muted{color:var(--muted)}del{background:#fde7e9;text-decoration:line-through}ins{background:#e6f4ea;text-decoration:none}
section.conv{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:.8rem 0;break-inside:avoid}
@media print{body{margin:0;max-width:none}.verdict{color:#000;border:2px solid #000}section.conv{break-inside:avoid}}
`

function metric(name: string, value: number | string): string {
  return `<span data-metric="${esc(name)}">${esc(String(value))}</span>`
}

function wordDiff(text: string): string {
  // [-removed-]{+added+} back to markup.
  return esc(text)
    .replaceAll(/\[-([\s\S]*?)-\]/g, '<del>$1</del>')
    .replaceAll(/\{\+([\s\S]*?)\+\}/g, '<ins>$1</ins>')
}

const CONVERSATION_METRICS = [
  'source',
  'target',
  'paired',
  'identical',
  'withDifferences.unexpected',
  'withDifferences.transformed',
  'withDifferences.expected',
  'missingInTarget.count',
  'missingInSource.count',
  'duplicated.count',
  'rejected',
]

export function renderHtml(report: VerifyReport): string {
  const title = `convoshift verify: ${report.source.format} → ${report.target.format}`
  const rows = conversationRows(report)
    .map(
      ([label, value], i) =>
        `<tr><th>${esc(label)}</th><td class="n">${metric(`conversations.${CONVERSATION_METRICS[i]}`, value)}</td></tr>`,
    )
    .join('')
  const entities = report.entities
    .map(
      (e) =>
        `<tr><td>${esc(e.entity)}</td><td class="n">${metric(`entities.${e.entity}.source`, e.source)}</td><td class="n">${metric(`entities.${e.entity}.target`, e.target)}</td><td class="${e.status === 'match' ? '' : e.status}">${esc(e.status)}${e.reason ? ` <span class="muted">${esc(e.reason)}</span>` : ''}</td></tr>`,
    )
    .join('')
  const fidelity = report.fidelity
    .map(
      (row) =>
        `<tr><td><code>${esc(row.field)}</code></td><td class="n">${metric(`fidelity.${row.field}.present`, row.present)}</td><td class="n">${metric(`fidelity.${row.field}.survived`, row.survived)}</td><td class="n"><span class="bar"><span style="width:${(row.share * 100).toFixed(1)}%"></span></span> ${esc(percent(row.share))}</td><td class="n unexpected">${row.lost.unexpected || ''}</td><td class="n transformed">${row.lost.transformed || ''}</td><td class="n expected">${row.lost.expected || ''}</td></tr>`,
    )
    .join('')
  const worst = report.worstFields.map((field) => `<li><code>${esc(field)}</code></li>`).join('')
  const idList = (ids: string[]): string => `<ul>${ids.map((id) => `<li><code>${esc(id)}</code></li>`).join('')}</ul>`
  const missing = [
    report.conversations.missingInTarget.count > 0
      ? `<h2>Missing in the target</h2>${idList(report.conversations.missingInTarget.ids)}`
      : '',
    report.conversations.missingInSource.count > 0
      ? `<h2>In the target only</h2>${idList(report.conversations.missingInSource.ids)}`
      : '',
    report.conversations.duplicated.count > 0
      ? `<h2>Duplicated ids</h2><ul>${report.conversations.duplicated.ids.map((d) => `<li><code>${esc(d.id)}</code>: ${d.source}× in the source, ${d.target}× in the target</li>`).join('')}</ul>`
      : '',
  ].join('')
  const samples = report.samples
    .map((sample) => {
      const diffs = sample.diffs
        .map(
          (d) =>
            `<tr class="diff"><td><code>${esc(d.path)}</code></td><td>${esc(d.kind)}</td><td class="${d.class}">${esc(d.class)}</td><td><code>${esc(show(d.before))}</code></td><td><code>${esc(show(d.after))}</code>${d.textDiff ? `<div class="muted">${wordDiff(d.textDiff)}</div>` : ''}</td></tr>`,
        )
        .join('')
      const more = sample.omitted > 0 ? `<p class="muted">…and ${sample.omitted} more (see the --diffs file).</p>` : ''
      return `<section class="conv" data-conversation="${esc(sample.id)}"><h3><code>${esc(sample.id)}</code> <span class="muted">source line ${sample.sourceLine}, target line ${sample.targetLine}</span></h3><table><tr><th>path</th><th>kind</th><th>class</th><th>before</th><th>after</th></tr>${diffs}</table>${more}</section>`
    })
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">Source <code>${esc(report.source.file ?? '')}</code> · ${report.target.file ? `target <code>${esc(report.target.file)}</code>` : 'target converted in memory (dry run)'} · fails on ${esc(report.verdict.failOn)} differences</p>
<p class="verdict ${report.verdict.ok ? 'pass' : 'fail'}" data-metric="verdict">${esc(verdictLine(report))}</p>
<h2>Conversations</h2><table>${rows}</table>
<h2>Entities</h2><table><tr><th>entity</th><th class="n">source</th><th class="n">target</th><th>status</th></tr>${entities}</table>
${worst ? `<h2>Worst fields</h2><ol>${worst}</ol>` : ''}
${missing}
<h2>Fidelity matrix</h2><p class="muted">For each neutral field: in how many paired conversations the source had it, and in what share it survived unchanged; losses by class.</p>
<table><tr><th>field</th><th class="n">present</th><th class="n">survived</th><th class="n">share</th><th class="n">unexpected</th><th class="n">transformed</th><th class="n">expected</th></tr>${fidelity}</table>
${samples ? `<h2>Differences by conversation</h2>${samples}` : ''}
</body></html>
`
}
