import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {ExitCode} from '../../src/errors.js'
import {VerifyReport} from '../../src/schemas/verify.js'
import {runVerify} from '../../src/verify/index.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')
const LIVEPERSON = join(ROOT, 'examples', 'liveperson', 'conversations-page.json')
const ADA = join(ROOT, 'examples', 'ada', 'conversations-page.json')

async function readLines(path: string): Promise<Any[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Any)
}

async function writeLines(path: string, records: Any[]): Promise<string> {
  await writeFile(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return path
}

function tamperText(records: Any[], index: number): Any[] {
  records[index]!.messages[2].text = 'tampered'
  return records
}

/** Reports name their files; two runs into different files are otherwise the same. */
function withoutSpill(report: VerifyReport): Omit<VerifyReport, 'spilled'> {
  const {spilled, ...rest} = report
  expect(spilled).to.be.a('number')
  return rest
}

function unexpected(report: VerifyReport): Array<{id: string; kind: string; path: string}> {
  return report.samples.flatMap((s) =>
    s.diffs.filter((d) => d.class === 'unexpected').map((d) => ({id: s.id, kind: d.kind, path: d.path})),
  )
}

describe('verify', () => {
  const tmp = useTempDir('all')
  let neutral: Any[]
  let neutralPath: string
  let adaPath: string
  /** Conversations with enough messages to corrupt one: the first whose third message has text, the last with at least 5. */
  let busy: number
  let busier: number

  before(async () => {
    neutralPath = join(tmp.dir, 'neutral.jsonl')
    adaPath = join(tmp.dir, 'ada.jsonl')
    await runConvert({from: 'liveperson', input: LIVEPERSON, output: neutralPath, to: 'neutral'})
    await runConvert({from: 'liveperson', input: LIVEPERSON, output: adaPath, to: 'ada'})
    neutral = await readLines(neutralPath)
    busy = neutral.findIndex((r) => r.messages.length >= 3 && r.messages[2].text)
    busier = neutral.map((r) => r.messages.length >= 5).lastIndexOf(true)
    expect([busy, busier]).not.to.include(-1)
  })

  /** The neutral conversion with one deliberate corruption, verified against the LivePerson source. */
  async function verifyCorrupted(
    name: string,
    corrupt: (records: Any[]) => Any[],
    extra: Partial<Parameters<typeof runVerify>[0]> = {},
  ): Promise<VerifyReport> {
    const target = await writeLines(join(tmp.dir, `${name}.jsonl`), corrupt(structuredClone(neutral)))
    return runVerify({from: 'liveperson', source: LIVEPERSON, target, to: 'neutral', ...extra})
  }

  /** One corrupted verification's three reports, as text. */
  async function writeReports(dir: string): Promise<string[]> {
    const paths = ['r.json', 'r.md', 'r.html'].map((name) => join(tmp.dir, `${dir}-${name}`))
    await verifyCorrupted(
      `det-${dir}`,
      (records) => {
        records[1]!.messages[0].text = 'x'
        return records
      },
      {reports: paths},
    )
    return Promise.all(paths.map((p) => readFile(p, 'utf8')))
  }

  it('passes a LivePerson → Ada conversion with declared losses, exit 0, about what Ada shows', async () => {
    const report = join(tmp.dir, 'lp-ada.json')
    const {error, result, stdout} = await runCommand<Any>([
      'verify',
      '--from',
      'liveperson',
      '--source',
      LIVEPERSON,
      '--to',
      'ada',
      '--target',
      adaPath,
      '--report',
      report,
    ])
    expect(error).to.equal(undefined)
    expect(process.exitCode ?? 0).to.equal(0)
    // The headline says what Ada does not show, never "identical": dialogs and transfers live only in the carry.
    expect(stdout).to.match(/^PASS WITH DECLARED LOSSES liveperson → ada: ada does not show \S+ \(\d+\.?\d*%\)/m)
    const written = VerifyReport.parse(JSON.parse(await readFile(report, 'utf8')))
    expect(written.verdict).to.deep.include({exitCode: 0, ok: true, status: 'PASS WITH DECLARED LOSSES'})
    expect(written.conversations).to.deep.include({identical: 0, paired: 12, recoverable: 12, source: 12, target: 12})
    expect(written.differences.native.unexpected).to.equal(0)
    expect(written.verdict.losses).to.have.length(10)
    const dialogs = written.byField.find((row) => row.field === 'dialogs[]')!
    expect(dialogs).to.include({carried: dialogs.conversations, class: 'expected'})
    const row = written.fidelity.find((r) => r.field === 'dialogs[].id')!
    expect(row.native.survived).to.equal(0)
    expect(row.recoverable.survived).to.equal(row.present)
    expect(written.entities.find((e) => e.entity === 'dialogs')).to.include({class: 'expected', status: 'missing'})
    expect(result?.verdict.status).to.equal('PASS WITH DECLARED LOSSES')
  })

  it('passes Ada → LivePerson with only expected losses and declared transforms, and --fail-on expected fails it', async () => {
    const target = join(tmp.dir, 'ada-lp.jsonl')
    await runConvert({from: 'ada', input: ADA, output: target, to: 'liveperson'})
    const report = await runVerify({from: 'ada', source: ADA, target, to: 'liveperson'})
    expect(report.verdict.ok, report.verdict.reasons.join('; ')).to.equal(true)
    expect(report.differences.native.expected).to.be.greaterThan(0)
    expect(report.differences.native.unexpected).to.equal(0)
    const extension = report.fidelity.find((row) => row.field === 'extensions.ada')!
    expect(extension.native.lost.expected).to.equal(extension.present)
    const expectedLoss = report.samples[0]!.diffs.find((d) => d.field === 'device.userAgent')!
    expect(expectedLoss).to.include({class: 'expected', fidelity: 'native', kind: 'lost'})
    expect(expectedLoss.reason).to.contain('liveperson cannot hold device.userAgent')

    const strict = await runCommand([
      'verify',
      '--from',
      'ada',
      '--source',
      ADA,
      '--to',
      'liveperson',
      '--target',
      target,
      '--fail-on',
      'expected',
    ])
    expect(process.exitCode).to.equal(ExitCode.VerifyMismatch)
    expect(strict.stdout).to.match(/FAIL ada → liveperson: .*with expected differences/)
    process.exitCode = 0
  })

  it('names the conversation, the field path and the kind of a changed field', async () => {
    const report = await verifyCorrupted('changed', (records) => {
      records[busy]!.messages[2].text = 'tampered'
      return records
    })
    const id = neutral[busy]!.sourceId as string
    const messageId = neutral[busy]!.messages[2].id as string
    expect(report.verdict).to.deep.include({exitCode: ExitCode.VerifyMismatch, ok: false})
    expect(unexpected(report)).to.deep.equal([{id, kind: 'changed', path: `messages[id=${messageId}].text`}])
    const diff = report.samples[0]!.diffs[0]!
    expect(diff).to.include({after: 'tampered', before: neutral[busy]!.messages[2].text, field: 'messages[].text'})
    expect(report.conversations.withDifferences.unexpected).to.equal(1)
    const withText = neutral.filter((r) => r.messages.some((m: Any) => m.text)).length
    const row = report.fidelity.find((r) => r.field === 'messages[].text')!
    expect(row.present).to.equal(withText)
    expect(row.native.survived).to.equal(withText - 1)
    expect(report.byField[0]).to.deep.include({class: 'unexpected', conversations: 1, field: 'messages[].text'})
    expect(report.byField[0]!.samples[0]).to.deep.include({after: 'tampered', before: neutral[busy]!.messages[2].text})
  })

  it('names a dropped message and counts it', async () => {
    const report = await verifyCorrupted('dropped', (records) => {
      records[busier]!.messages.splice(4, 1)
      return records
    })
    const messageId = neutral[busier]!.messages[4].id as string
    expect(unexpected(report)).to.deep.equal([
      {id: neutral[busier]!.sourceId, kind: 'lost', path: `messages[id=${messageId}]`},
    ])
    const messages = report.entities.find((e) => e.entity === 'messages')!
    expect(messages).to.deep.include({class: 'unexpected', extra: 0, missing: 1, status: 'missing'})
    expect(report.verdict.reasons.join('; ')).to.contain('messages: 1 missing in the target')
  })

  it('names a duplicated conversation, and one missing from the target', async () => {
    const duplicated = await verifyCorrupted('duplicated', (records) => [...records, records[2]!])
    expect(duplicated.conversations.duplicated).to.deep.equal({
      count: 1,
      ids: [{id: neutral[2]!.sourceId, source: 1, target: 2}],
    })
    expect(duplicated.conversations).to.deep.include({paired: 12, source: 12, target: 13})
    expect(duplicated.verdict.reasons).to.include('1 conversation id duplicated')
    expect(unexpected(duplicated)).to.deep.equal([])

    const missing = await verifyCorrupted('missing', (records) => records.filter((_, i) => i !== 9))
    expect(missing.conversations.missingInTarget).to.deep.equal({count: 1, ids: [neutral[9]!.sourceId]})
    expect(missing.verdict.reasons).to.include('1 conversation missing in the target')
  })

  it('names both participants whose roles were swapped', async () => {
    const index = neutral.findIndex((r) => new Set(r.participants.map((p: Any) => p.role)).size > 1)
    const [a, b] = (() => {
      const people = neutral[index]!.participants as Any[]
      const first = people[0]!
      return [first, people.find((p) => p.role !== first.role)!]
    })()
    const report = await verifyCorrupted('swapped', (records) => {
      for (const p of records[index]!.participants as Any[]) {
        if (p.id === a.id) p.role = b.role
        else if (p.id === b.id) p.role = a.role
      }

      return records
    })
    expect(
      unexpected(report)
        .map((d) => d.path)
        .sort(),
    ).to.deep.equal([`participants[id=${a.id}].role`, `participants[id=${b.id}].role`].sort())
    expect(unexpected(report).every((d) => d.id === neutral[index]!.sourceId && d.kind === 'changed')).to.equal(true)
  })

  it('calls a shifted timestamp unexpected, and a coarser one transformed', async () => {
    const shifted = await verifyCorrupted('shifted', (records) => {
      records[7]!.startedAt = new Date(Date.parse(records[7]!.startedAt) + 3_600_000).toISOString()
      return records
    })
    expect(unexpected(shifted)).to.deep.equal([{id: neutral[7]!.sourceId, kind: 'changed', path: 'startedAt'}])

    const coarser = await verifyCorrupted('coarser', (records) => {
      records[7]!.startedAt = `${(records[7]!.startedAt as string).slice(0, 19)}Z`
      return records
    })
    expect(coarser.verdict).to.deep.include({ok: true, status: 'PASS WITH DECLARED LOSSES'})
    const diff = coarser.samples[0]!.diffs[0]!
    expect(diff).to.include({class: 'transformed', kind: 'changed', path: 'startedAt'})
    expect(diff.reason).to.contain('time precision')
  })

  it('pairs files in different orders through disk partitions, with the same findings', async () => {
    const inOrder = await verifyCorrupted('ordered', (records) => tamperText(records, busy))
    const reversed = await verifyCorrupted('reversed', (records) => tamperText(records, busy).reverse(), {
      pendingLimit: 2,
      tempDir: tmp.dir,
    })
    expect(inOrder.spilled).to.equal(0)
    expect(reversed.spilled).to.be.greaterThan(0)
    const a = withoutSpill(inOrder)
    const b = withoutSpill(reversed)
    // Target lines differ (the file is reversed); everything else is the same.
    for (const sample of [...a.samples, ...b.samples]) sample.targetLine = 0
    b.target.file = a.target.file
    expect(b).to.deep.equal(a)
  })

  it('reports a target record it cannot read, with its line', async () => {
    const target = join(tmp.dir, 'rejected.jsonl')
    const lines = (await readFile(neutralPath, 'utf8')).split('\n')
    lines[4] = JSON.stringify({...JSON.parse(lines[4]!), startedAt: 'yesterday'})
    await writeFile(target, lines.join('\n'))
    const report = await runVerify({from: 'liveperson', source: LIVEPERSON, target, to: 'neutral'})
    expect(report.target).to.deep.include({normalised: 11, read: 12, rejected: 1})
    expect(report.target.rejectedSample[0]!.line).to.equal(5)
    expect(report.target.rejectedSample[0]!.reason).to.contain('startedAt')
    expect(report.verdict.reasons[0]).to.equal('1 target record could not be read as neutral')
    expect(report.conversations.missingInTarget.count).to.equal(1)
  })

  it('stops with one line when the target is another format', async () => {
    const {stderr} = await runCommand([
      'verify',
      '--from',
      'liveperson',
      '--source',
      LIVEPERSON,
      '--to',
      'ada',
      '--target',
      neutralPath,
    ])
    expect(process.exitCode).to.equal(ExitCode.InvalidInput)
    expect(stderr).to.contain(`Error: ${neutralPath}:1: this is a neutral record, not ada`)
    expect(stderr).not.to.match(/\n\s+at /)
    process.exitCode = 0
  })

  it('refuses a report format it cannot write before doing any work', async () => {
    const {stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'ada',
      '--input',
      LIVEPERSON,
      '--dry-run',
      '--report',
      join(tmp.dir, 'r.pdf'),
    ])
    expect(process.exitCode).to.equal(ExitCode.Usage)
    expect(stderr).to.contain('r.pdf: unknown report format ".pdf"; use .json, .md or .html')
    expect(stderr).not.to.contain('Converting')
    process.exitCode = 0
  })

  it('writes byte-identical JSON, Markdown and HTML reports for the same inputs', async () => {
    const [first, second] = [await writeReports('a'), await writeReports('b')]
    // The report names its target file, which differs between the two runs.
    expect(second.map((text) => text.replaceAll('det-b', 'det-a'))).to.deep.equal(first)
    expect(first[1]).to.contain('| with unexpected differences | 1 |')
    expect(first[1]).to.match(/### `[^`]+` \(source line \d+, target line 2\)/)
  })

  it('writes every difference to --diffs, one conversation per line', async () => {
    const diffs = join(tmp.dir, 'diffs.jsonl')
    await verifyCorrupted(
      'diffs',
      (records) => {
        records[0]!.language = 'xx'
        records[11]!.channel = 'fax'
        return records
      },
      {diffs},
    )
    const lines = await readLines(diffs)
    expect(lines.map((l) => [l.id, l.diffs.map((d: Any) => d.path)])).to.deep.equal([
      [neutral[0]!.sourceId, ['language']],
      [neutral[11]!.sourceId, ['channel']],
    ])
  })

  it('convert --dry-run --report converts in memory and writes only the report', async () => {
    const report = join(tmp.dir, 'dry.json')
    const output = join(tmp.dir, 'never.jsonl')
    const {error, result} = await runCommand<Any>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'ada',
      '--input',
      LIVEPERSON,
      '--dry-run',
      '--report',
      report,
      '--output',
      output,
    ])
    expect(error).to.equal(undefined)
    expect(process.exitCode ?? 0).to.equal(0)
    expect(existsSync(output)).to.equal(false)
    const written = JSON.parse(await readFile(report, 'utf8')) as VerifyReport
    expect(written).to.deep.include({dryRun: true})
    expect(written.target.file).to.equal(null)
    expect(written.conversations).to.deep.include({paired: 12, recoverable: 12, source: 12, target: 12})
    expect(written.verdict.status).to.equal('PASS WITH DECLARED LOSSES')
    expect(result?.verify?.verdict.ok).to.equal(true)
  })

  it('--ignore leaves fields out of the comparison and lists them as ignored', async () => {
    const report = await verifyCorrupted('ignored', (records) => tamperText(records, busy), {
      ignore: ['messages[].text'],
    })
    expect(report.verdict.status).to.equal('PASS')
    expect(report.ignored).to.deep.equal([{differences: 1, field: 'messages[].text'}])
    expect(report.differences.ignored).to.equal(1)
  })

  it('lists the records it could not read in every report format, the dry run included', async () => {
    const source = join(tmp.dir, 'one-bad.jsonl')
    const lines = (await readFile(neutralPath, 'utf8')).split('\n').filter(Boolean)
    lines[3] = JSON.stringify({...JSON.parse(lines[3]!), startedAt: 'yesterday'})
    await writeFile(source, lines.join('\n') + '\n')
    const paths = ['bad.json', 'bad.md', 'bad.html'].map((name) => join(tmp.dir, name))
    const report = await runVerify({dryRun: true, from: 'neutral', reports: paths, source, to: 'ada'})
    expect(report.source.rejectedSample).to.have.length(1)
    const [json, markdown, html] = await Promise.all(paths.map((p) => readFile(p, 'utf8')))
    expect(JSON.parse(json!).source.rejectedSample[0].line).to.equal(4)
    expect(markdown).to.match(/\| source \| 4 \| .*startedAt/)
    expect(html).to.match(/<td>source<\/td><td class="n">4<\/td><td>[^<]*startedAt/)
  })
})
