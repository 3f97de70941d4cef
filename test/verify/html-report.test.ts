import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {runConvert} from '../../src/convert/index.js'
import {type VerifyReport} from '../../src/schemas/verify.js'
import {runVerify} from '../../src/verify/index.js'
import {useTempDir} from '../helpers/tmp.js'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) =>
  existsSync(path),
)
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer']

/** The value of every `data-metric` element in the DOM Chromium rendered. */
function metrics(dom: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const match of dom.matchAll(/data-metric="([^"]+)">([^<]*)</g))
    found.set(match[1]!.replaceAll('&amp;', '&'), match[2]!)
  return found
}

function lookup(report: VerifyReport, path: string): unknown {
  let value: unknown = report
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key]
  return value
}

describe('verify HTML report in Chromium', () => {
  const tmp = useTempDir('all')
  let report: VerifyReport
  let html: string

  before(async function () {
    if (!CHROMIUM) {
      // CI installs the Debian chromium package (.ci/run); a developer machine without it skips, saying why.
      if (process.env.CI) throw new Error('chromium is not installed: .ci/run installs it with apt-get')
      this.skip()
    }

    const source = join(ROOT, 'examples', 'koreai', 'conversations-page.json')
    const target = join(tmp.dir, 'lp.jsonl')
    await runConvert({from: 'koreai', input: source, output: target, to: 'liveperson'})
    // One deliberate corruption, so the page has an unexpected difference to show.
    const lines = (await readFile(target, 'utf8')).split('\n')
    const record = JSON.parse(lines[1]!) as {messageRecords: Array<{messageData: {msg?: {text: string}}}>}
    const message = record.messageRecords.find((m) => m.messageData.msg)!
    message.messageData.msg!.text = '<script>alert("not run")</script> & more'
    lines[1] = JSON.stringify(record)
    await writeFile(target, lines.join('\n'))
    html = join(tmp.dir, 'report.html')
    const json = join(tmp.dir, 'report.json')
    await runVerify({from: 'koreai', reports: [html, json], source, target, to: 'liveperson'})
    report = JSON.parse(await readFile(json, 'utf8')) as VerifyReport
  })

  it("renders, and its numbers are the JSON report's", async () => {
    const {stdout: dom} = await run(CHROMIUM!, [...FLAGS, '--dump-dom', pathToFileURL(html).href], {
      maxBuffer: 64 * 2 ** 20,
    })
    const shown = metrics(dom)
    expect(shown.get('verdict')).to.match(/^FAIL koreai → liveperson: .*conversations? with unexpected differences/)
    const conversationKeys = [...shown.keys()].filter(
      (key) => key.startsWith('conversations.') && key !== 'conversations.rejected',
    )
    expect(conversationKeys).to.have.length(11)
    for (const key of conversationKeys) expect(shown.get(key), key).to.equal(String(lookup(report, key)))
    for (const entity of report.entities) {
      expect(shown.get(`entities.${entity.entity}.source`), entity.entity).to.equal(String(entity.source))
      expect(shown.get(`entities.${entity.entity}.target`), entity.entity).to.equal(String(entity.target))
    }

    // Fields that survived everywhere are listed collapsed; the others are rows with both readings' counts.
    const imperfect = report.fidelity.filter((row) => row.native.survived < row.present)
    expect(imperfect.length).to.be.greaterThan(0)
    for (const row of imperfect) {
      expect(shown.get(`fidelity.${row.field}.present`), row.field).to.equal(String(row.present))
      expect(shown.get(`fidelity.${row.field}.native`), row.field).to.equal(String(row.native.survived))
      expect(shown.get(`fidelity.${row.field}.recoverable`), row.field).to.equal(String(row.recoverable.survived))
    }

    const perfect = report.fidelity.filter((row) => row.native.survived === row.present)
    expect(perfect.length).to.be.greaterThan(20)
    expect(dom).to.match(new RegExp(`${perfect.length} more fields survived in every conversation`))

    // The tampered text is shown as text, never run: the page has no script element at all.
    expect(dom).not.to.match(/<script/i)
    expect(dom).to.contain('&lt;script&gt;alert("not run")&lt;/script&gt; &amp; more')
    expect(dom).to.match(/data-conversation="[^"]+"/)
  })

  it('needs nothing from outside the file, and prints', async () => {
    const page = await readFile(html, 'utf8')
    expect(page).not.to.match(/(?:src|href)=["']?(?:https?:)?\/\//i)
    expect(page).not.to.match(/@import|url\(/i)
    const pdf = join(tmp.dir, 'report.pdf')
    await run(CHROMIUM!, [...FLAGS, `--print-to-pdf=${pdf}`, pathToFileURL(html).href])
    const bytes = await readFile(pdf)
    expect(bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-')
    expect(bytes.length).to.be.greaterThan(10_000)
  })
})
