import {type VerifyReport} from '../../schemas/verify.js'
import {
  carriedText,
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
.verdict{padding:.6rem .9rem;border-radius:6px;font-weight:600;color:#fff}.pass{background:var(--ok)}.fail{background:var(--bad)}.lossy{background:var(--warn)}
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
  'recoverable',
  'withDifferences.unexpected',
  'withDifferences.transformed',
  'withDifferences.expected',
  'missingInTarget.count',
  'missingInSource.count',
  'duplicated.count',
  'rejected',
]

const STATUS_CLASS = {FAIL: 'fail', PASS: 'pass', 'PASS WITH DECLARED LOSSES': 'lossy'} as const

function bar(share: number): string {
  return `<span class="bar"><span style="width:${(share * 100).toFixed(1)}%"></span></span> ${esc(percent(share))}`
}

function table(header: string, rows: string): string {
  return `<table><tr>${header}</tr>${rows}</table>`
}

export function renderHtml(report: VerifyReport): string {
  const target = report.target.format
  const title = `convoshift verify: ${report.source.format} → ${target}`
  const rows = conversationRows(report)
    .map(
      ([label, value], i) =>
        `<tr><th>${esc(label)}</th><td class="n">${metric(`conversations.${CONVERSATION_METRICS[i]}`, value)}</td></tr>`,
    )
    .join('')
  const entities = report.entities
    .map(
      (e) =>
        `<tr><td>${esc(e.entity)}</td><td class="n">${metric(`entities.${e.entity}.source`, e.source)}</td><td class="n">${metric(`entities.${e.entity}.target`, e.target)}</td><td class="${e.class ?? ''}" data-metric="entities.${esc(e.entity)}.status">${esc(entityStatus(e))}</td></tr>`,
    )
    .join('')
  const losses = lossRows(report)
    .map(
      ([field, share, c, carried]) =>
        `<tr><td><code>${esc(field!)}</code></td><td class="n">${esc(share!)}</td><td class="${c}">${esc(c!)}</td><td class="muted">${esc(carried!)}</td></tr>`,
    )
    .join('')
  const byField = report.byField
    .map((row) => {
      const samples = row.samples
        .map(
          (sample) =>
            `<tr><td><code>${esc(sample.path)}</code></td><td><code>${esc(show(sample.before))}</code></td><td><code>${esc(show(sample.after))}</code></td></tr>`,
        )
        .join('')
      return `<section class="conv" data-field="${esc(row.field)}"><h3><code>${esc(row.field)}</code> <span class="${row.class}">${esc(row.class)}</span> <span class="muted">${row.conversations} conversation${row.conversations === 1 ? '' : 's'}${row.carried > 0 ? `; ${esc(carriedText(report, row.carried, row.conversations))}` : ''}</span></h3>${table('<th>where</th><th>source</th><th>target</th>', samples)}</section>`
    })
    .join('')
  const {imperfect, perfect} = splitFidelity(report)
  const fidelity = imperfect
    .map(
      (row) =>
        `<tr><td><code>${esc(row.field)}</code></td><td class="n">${metric(`fidelity.${row.field}.present`, row.present)}</td><td class="n">${metric(`fidelity.${row.field}.native`, row.native.survived)} ${bar(row.native.share)}</td><td class="n">${metric(`fidelity.${row.field}.recoverable`, row.recoverable.survived)} ${bar(row.recoverable.share)}</td><td class="n unexpected">${row.native.lost.unexpected || ''}</td><td class="n transformed">${row.native.lost.transformed || ''}</td><td class="n expected">${row.native.lost.expected || ''}</td></tr>`,
    )
    .join('')
  const perfectList =
    perfect.length > 0
      ? `<details><summary>${perfect.length} more field${perfect.length === 1 ? '' : 's'} survived in every conversation</summary><p>${perfect.map((field) => `<code>${esc(field)}</code>`).join(', ')}</p></details>`
      : ''
  const idList = (ids: string[]): string => `<ul>${ids.map((id) => `<li><code>${esc(id)}</code></li>`).join('')}</ul>`
  const rejected = rejectedRows(report)
    .map(
      ([side, line, reason]) =>
        `<tr><td>${esc(side!)}</td><td class="n">${esc(line!)}</td><td>${esc(reason!)}</td></tr>`,
    )
    .join('')
  const ignored = report.ignored
    .map((row) => `<tr><td><code>${esc(row.field)}</code></td><td class="n">${row.differences}</td></tr>`)
    .join('')
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
            `<tr class="diff"><td><code>${esc(d.path)}</code></td><td>${esc(d.kind)}</td><td class="${d.class}">${esc(d.class)}</td><td class="muted">${esc(fidelityText(d, target))}</td><td><code>${esc(show(d.before))}</code></td><td><code>${esc(show(d.after))}</code>${d.textDiff ? `<div class="muted">${wordDiff(d.textDiff)}</div>` : ''}</td></tr>`,
        )
        .join('')
      const more = sample.omitted > 0 ? `<p class="muted">…and ${sample.omitted} more (see the --diffs file).</p>` : ''
      return `<section class="conv" data-conversation="${esc(sample.id)}"><h3><code>${esc(sample.id)}</code> <span class="muted">source line ${sample.sourceLine}, target line ${sample.targetLine}</span></h3>${table('<th>path</th><th>kind</th><th>class</th><th>reading</th><th>before</th><th>after</th>', diffs)}${more}</section>`
    })
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">Source <code>${esc(report.source.file ?? '')}</code> · ${report.target.file ? `target <code>${esc(report.target.file)}</code>` : 'target converted in memory (dry run)'} · fails on ${esc(report.verdict.failOn)} differences</p>
<p class="verdict ${STATUS_CLASS[report.verdict.status]}" data-metric="verdict">${esc(verdictLine(report))}</p>
<p class="muted">The verdict is about what ${esc(target)} shows natively. What convoshift keeps in ${esc(target)}'s free-form field is recoverable by convoshift but not visible in ${esc(target)}: it is marked "carried".</p>
<h2>Conversations</h2><table>${rows}</table>
<h2>Entities</h2>${table('<th>entity</th><th class="n">source</th><th class="n">target</th><th>status</th>', entities)}
${losses ? `<h2>Fields ${esc(target)} does not show as the source has them</h2>${table('<th>field</th><th class="n">conversations</th><th>class</th><th></th>', losses)}` : ''}
${missing}
${rejected ? `<h2>Records that could not be read</h2>${table('<th>side</th><th class="n">line</th><th>reason</th>', rejected)}` : ''}
${byField ? `<h2>By field</h2><p class="muted">Each field with differences in what the target shows, with the first values side by side.</p>${byField}` : ''}
<h2>Fidelity matrix</h2><p class="muted">For each neutral field: in how many paired conversations the source had it, and in what share it survived unchanged as ${esc(target)} shows it (native) and with the carry field applied (recoverable); native losses by class.</p>
${table('<th>field</th><th class="n">present</th><th class="n">native</th><th class="n">recoverable</th><th class="n">unexpected</th><th class="n">transformed</th><th class="n">expected</th>', fidelity)}
${perfectList}
${ignored ? `<h2>Ignored (--ignore)</h2>${table('<th>field</th><th class="n">differences</th>', ignored)}` : ''}
${samples ? `<h2>Differences by conversation</h2>${samples}` : ''}
</body></html>
`
}
