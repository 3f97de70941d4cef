import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {appendFile, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ConvoshiftError, ExitCode} from '../../src/errors.js'
import {runMigrate} from '../../src/migrate/index.js'
import {MigrateResult} from '../../src/schemas/project.js'
import {useTempDir} from '../helpers/tmp.js'
import {cli, differences, jsonLines, killDuring, snapshot, writeLivePerson} from './helpers.js'

const quiet = {silent: true}

async function failure(promise: Promise<unknown>): Promise<ConvoshiftError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(ConvoshiftError)
    return error as ConvoshiftError
  }

  throw new Error('expected the run to fail')
}

describe('migrate', () => {
  const tmp = useTempDir('each')
  const epoch = process.env.SOURCE_DATE_EPOCH

  before(() => {
    // The bag's Bagging-Date is its one wall-clock field; fix it so runs on either side of midnight compare equal.
    process.env.SOURCE_DATE_EPOCH = '1790000000'
  })

  after(() => {
    if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH
    else process.env.SOURCE_DATE_EPOCH = epoch
  })

  it('runs source → convert → archive into the workspace, then skips every step when nothing changed', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    const records = await writeLivePerson(input, 40, '7')
    const workspace = join(tmp.dir, 'ws')
    const first = await runMigrate({from: 'liveperson', input, to: 'ada', workspace, ...quiet})
    expect(MigrateResult.parse(first)).to.deep.equal(first)
    expect(first.run).to.equal(1)
    expect(first.upToDate).to.equal(false)
    expect(first.records).to.deep.equal({added: 40, changed: 0, converted: 40, rejected: 0, source: 40})
    expect(first.steps.map((s) => [s.name, s.status])).to.deep.include.members([
      ['source', 'ran'],
      ['convert', 'ran'],
      ['verify', 'ran'],
      ['archive', 'ran'],
    ])
    expect(first.files.bag).to.equal('archive/bag-v1')
    const output = await jsonLines(join(workspace, 'output', 'ada.jsonl'))
    expect(output).to.have.length(40)
    const idMap = await jsonLines(join(workspace, 'output', 'id-map.jsonl'))
    expect(idMap.map((entry) => entry.source)).to.deep.equal(records.map((r) => r.info.conversationId))
    expect(idMap.map((entry) => entry.target)).to.deep.equal(output.map((r) => r._id))
    expect(existsSync(join(workspace, 'archive', 'bag-v1', 'bagit.txt'))).to.equal(true)
    const project = JSON.parse(await readFile(join(workspace, 'convoshift.json'), 'utf8'))
    expect(project.source).to.include({input: '../export.jsonl', shape: 'liveperson'})

    const before = await snapshot(workspace)
    const second = await runMigrate({workspace, ...quiet})
    expect(second.upToDate).to.equal(true)
    expect(second.run).to.equal(1)
    expect(second.steps.filter((s) => s.status !== 'not-run').every((s) => s.status === 'skipped')).to.equal(true)
    expect(second.steps.find((s) => s.name === 'convert')!.summary).to.match(
      /^unchanged, skipped \(40 read = 40 converted/,
    )
    expect(differences(before, await snapshot(workspace))).to.deep.equal([])
    const log = await jsonLines(join(workspace, 'run.log'))
    expect(log.filter((e) => e.event === 'skipped').map((e) => e.step)).to.include.members([
      'source',
      'convert',
      'archive',
    ])
  })

  it('gives byte-identical workspaces for the same migration run twice in fresh workspaces', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 30, '3')
    await runMigrate({from: 'liveperson', input, to: 'koreai', workspace: join(tmp.dir, 'a'), ...quiet})
    await runMigrate({from: 'liveperson', input, to: 'koreai', workspace: join(tmp.dir, 'b'), ...quiet})
    const a = await snapshot(join(tmp.dir, 'a'))
    const b = await snapshot(join(tmp.dir, 'b'))
    expect([...a.keys()]).to.include.members([
      'output/koreai.jsonl',
      'output/id-map.jsonl',
      'report/verify.html',
      'report/verify.json',
      'report/verify.md',
      'state/manifest.json',
      'archive/bag-v1/bag-info.txt',
    ])
    expect(differences(a, b)).to.deep.equal([])
  })

  it('re-runs a step whose output was modified, and the steps after it only if their inputs changed', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 10, '5')
    const workspace = join(tmp.dir, 'ws')
    await runMigrate({from: 'liveperson', input, to: 'neutral', workspace, ...quiet})
    const pristine = await snapshot(workspace)
    await appendFile(join(workspace, 'output', 'neutral.jsonl'), '{"tampered":true}\n')
    const again = await runMigrate({workspace, ...quiet})
    expect(again.steps.map((s) => [s.name, s.status])).to.deep.equal([
      ['export', 'not-run'],
      ['source', 'skipped'],
      ['convert', 'ran'],
      ['verify', 'skipped'],
      ['archive', 'skipped'],
    ])
    expect(again.run).to.equal(2)
    const repaired = await snapshot(workspace)
    expect(differences(pristine, repaired)).to.deep.equal(['state/manifest.json'])
  })

  it('--since-last adds exactly the new and changed conversations, without duplicates, and a new bag version', async () => {
    const workspace = join(tmp.dir, 'ws')
    const first = join(tmp.dir, 'export-1.jsonl')
    const old = await writeLivePerson(first, 20, '11')
    await runMigrate({from: 'liveperson', input: first, to: 'ada', workspace, ...quiet})

    // The next export holds the old conversations (one of them updated) and five new ones.
    const fresh = [
      ...(await import('../../src/sample/index.js')).sampleGenerators.liveperson!(5, {seed: '12'}),
    ] as Array<Record<string, any>>
    const updated = structuredClone(old)
    updated[3]!.info.mcs = 99
    const second = join(tmp.dir, 'export-2.jsonl')
    await writeFile(second, [...updated, ...fresh].map((r) => JSON.stringify(r)).join('\n') + '\n')
    const delta = await runMigrate({input: second, sinceLast: true, workspace, ...quiet})
    expect(delta.records).to.deep.include({added: 5, changed: 1, converted: 25, source: 25})
    expect(delta.run).to.equal(2)
    expect(delta.files.bag).to.equal('archive/bag-v2')
    expect(existsSync(join(workspace, 'archive', 'bag-v1', 'bagit.txt'))).to.equal(true)
    const bagInfo = await readFile(join(workspace, 'archive', 'bag-v2', 'bag-info.txt'), 'utf8')
    expect(bagInfo).to.match(/Convoshift-Previous-Bag: /)

    const deltaFile = await jsonLines(join(workspace, 'source', 'delta.jsonl'))
    expect(deltaFile.map((r) => r.info.conversationId)).to.deep.equal([
      old[3]!.info.conversationId,
      ...fresh.map((r) => r.info.conversationId),
    ])
    const ids = (await jsonLines(join(workspace, 'output', 'id-map.jsonl'))).map((e) => e.source)
    expect(new Set(ids).size).to.equal(25)
    expect(ids.sort()).to.deep.equal([...old, ...fresh].map((r) => r.info.conversationId).sort())
    const output = await jsonLines(join(workspace, 'output', 'ada.jsonl'))
    expect(output).to.have.length(25)

    // The merged output is exactly what a full run over the merged source gives.
    const full = join(tmp.dir, 'full')
    await runMigrate({
      from: 'liveperson',
      input: join(workspace, 'source', 'liveperson.jsonl'),
      to: 'ada',
      workspace: full,
      ...quiet,
    })
    expect(await readFile(join(full, 'output', 'ada.jsonl'), 'utf8')).to.equal(
      await readFile(join(workspace, 'output', 'ada.jsonl'), 'utf8'),
    )

    // The same delta again finds nothing new and changes nothing.
    const before = await snapshot(workspace)
    const repeat = await runMigrate({input: second, sinceLast: true, workspace, ...quiet})
    expect(repeat.upToDate).to.equal(true)
    expect(differences(before, await snapshot(workspace))).to.deep.equal([])
  })

  it('--dry-run writes the verify report only: no target output, nothing recorded', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 12, '8')
    const workspace = join(tmp.dir, 'ws')
    const dry = await runMigrate({dryRun: true, from: 'liveperson', input, to: 'ada', workspace, ...quiet})
    expect(dry).to.deep.include({run: null})
    expect(dry.files).to.deep.include({bag: null, output: null, report: 'report/dry-run.html'})
    expect(dry.records).to.deep.include({converted: 12, source: 12})
    // A dry run records nothing, not even the project file that would pin the workspace to its flags.
    const files = [...(await snapshot(workspace)).keys()]
    expect(files).to.deep.equal(['report/dry-run.html', 'report/dry-run.json', 'report/dry-run.md'])
    const report = JSON.parse(await readFile(join(workspace, 'report', 'dry-run.json'), 'utf8'))
    expect(report.dryRun).to.equal(true)
    expect(report.verdict.ok).to.equal(true)
    expect(report.conversations).to.deep.include({paired: 12, source: 12})

    // A real run afterwards, to another target, starts from scratch, records the project and verifies its output.
    const real = cli(['migrate', '--from', 'liveperson', '--input', input, '--to', 'koreai', '--workspace', workspace])
    expect(real.status, real.stderr).to.equal(0)
    expect(real.stdout).to.match(/^run 1 completed/)
    expect(await readFile(join(workspace, 'convoshift.json'), 'utf8')).to.match(/"shape": "koreai"/)
    const verified = JSON.parse(await readFile(join(workspace, 'report', 'verify.json'), 'utf8'))
    expect(verified.target.file).to.equal('output/koreai.jsonl')
    expect(verified.conversations).to.deep.include({paired: 12, target: 12})
  })

  it('refuses --since-last before a completed run, and flags that contradict the project file', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 3, '1')
    const workspace = join(tmp.dir, 'ws')
    const none = await failure(runMigrate({from: 'liveperson', input, sinceLast: true, to: 'ada', workspace, ...quiet}))
    expect(none.code).to.equal('NO_COMPLETED_RUN')
    await runMigrate({from: 'liveperson', input, to: 'ada', workspace, ...quiet})
    const conflict = await failure(runMigrate({to: 'koreai', workspace, ...quiet}))
    expect(conflict.code).to.equal('PROJECT_CONFLICT')
    expect(conflict.message).to.equal('convoshift.json: target.shape is "ada" but --to is "koreai"')
  })

  it('stops at the failing step with the reason and the command to resume; nothing partial looks complete', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 5, '2')
    const workspace = join(tmp.dir, 'ws')
    await runMigrate({from: 'liveperson', input, to: 'ada', workspace, ...quiet})
    const manifestBefore = JSON.parse(await readFile(join(workspace, 'state', 'manifest.json'), 'utf8'))
    await appendFile(input, '{"info": {"conversationId": "x"}, oops\n')
    const error = await failure(runMigrate({workspace, ...quiet}))
    expect(error.message).to.match(/^migrate stopped at step "source": .*export\.jsonl:6: malformed JSON at column \d+/)
    expect(error.exitCode).to.equal(ExitCode.InvalidInput)
    expect(error.suggestions.at(-1)).to.equal(
      `fix the cause, then resume with: convoshift migrate --workspace ${workspace}`,
    )
    const manifest = JSON.parse(await readFile(join(workspace, 'state', 'manifest.json'), 'utf8'))
    expect(manifest.steps.source).to.equal(undefined) // no longer vouched for
    expect(manifest.runs).to.deep.equal(manifestBefore.runs)
    const files = await readdir(join(workspace, 'source'))
    expect(files.filter((name) => name.endsWith('.tmp'))).to.deep.equal([])
    const log = await jsonLines(join(workspace, 'run.log'))
    expect(log.at(-1)).to.include({code: 'INPUT_MALFORMED', event: 'failed', step: 'source'})
  })

  it('keeps rejected records in the workspace, and stops at verify (exit 7) with the report naming them', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    await writeLivePerson(input, 4, '9')
    await appendFile(input, '{"info":{}}\n')
    const workspace = join(tmp.dir, 'ws')
    const error = await failure(runMigrate({from: 'liveperson', input, to: 'neutral', workspace, ...quiet}))
    expect(error.exitCode).to.equal(ExitCode.VerifyMismatch)
    expect(error.message).to.equal(
      'migrate stopped at step "verify": verification failed: 1 source record could not be read as liveperson (see report/verify.md)',
    )
    const [entry] = await jsonLines(join(workspace, 'output', 'neutral.rejected.jsonl'))
    expect(entry).to.include({index: 4, line: 5})
    expect(await jsonLines(join(workspace, 'output', 'neutral.jsonl'))).to.have.length(4)
    expect(existsSync(join(workspace, 'report', 'verify.md'))).to.equal(true)
    expect(existsSync(join(workspace, 'archive'))).to.equal(false)
    const manifest = JSON.parse(await readFile(join(workspace, 'state', 'manifest.json'), 'utf8'))
    expect(Object.keys(manifest.steps).sort()).to.deep.equal(['convert', 'source'])
    expect(manifest.runs).to.deep.equal([])
  })

  it('drops earlier copies of a conversation the input holds twice, keeping the last where it stands, and counts them', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    const records = await writeLivePerson(input, 3, '4')
    const newer = structuredClone(records[0]!)
    newer.info.mcs = 42
    await appendFile(input, JSON.stringify(records[1]) + '\n' + JSON.stringify(newer) + '\n')
    const result = await runMigrate({
      from: 'liveperson',
      input,
      to: 'neutral',
      workspace: join(tmp.dir, 'ws'),
      ...quiet,
    })
    expect(result.records.source).to.equal(3)
    expect(result.steps.find((s) => s.name === 'source')!.summary).to.equal(
      '3 conversations; 2 duplicate copies dropped (the last copy kept)',
    )
    const source = await jsonLines(join(tmp.dir, 'ws', 'source', 'liveperson.jsonl'))
    expect(source.map((r) => r.info.conversationId)).to.deep.equal(
      [2, 1, 0].map((i) => records[i]!.info.conversationId),
    )
    expect(source[2]!.info.mcs).to.equal(42)
  })

  describe('interrupted (the real binary, killed)', () => {
    // One input and one uninterrupted run serve every kill below: each killed workspace sits beside the clean one, so
    // the relative input path recorded in the project file is the same in both.
    const shared = useTempDir('all')
    const input = (): string => join(shared.dir, 'export.jsonl')
    const args = (ws: string) => [
      'migrate',
      '--from',
      'liveperson',
      '--input',
      input(),
      '--to',
      'ada',
      '--workspace',
      ws,
    ]
    let clean: Map<string, Buffer>

    before(async function () {
      this.timeout(300_000)
      execFileSync('npx', ['tsc', '-b'], {stdio: 'ignore'})
      await writeLivePerson(input(), 1500, '21')
      const run = cli(args(join(shared.dir, 'clean')))
      expect(run.status, run.stderr).to.equal(0)
      clean = await snapshot(join(shared.dir, 'clean'))
    })

    for (const step of ['source', 'convert', 'verify', 'archive']) {
      it(`resumes after a kill during ${step} to the same bytes as an uninterrupted run`, async () => {
        const ws = join(shared.dir, `killed-${step}`)
        const killed = await killDuring(args(ws), join(ws, 'run.log'), step)
        expect(killed.signal).to.equal('SIGKILL')
        // A first run that did not complete recorded no project file: the same command resumes it.
        const resumed = cli(args(ws))
        expect(resumed.status, resumed.stderr).to.equal(0)
        expect(resumed.stdout).to.match(/^run 1 completed/)
        expect(differences(clean, await snapshot(ws))).to.deep.equal([])
        if (!killed.killedInStep) console.warn(`      (the ${step} step finished before the kill landed)`)
      })
    }

    it('exits 130 on SIGTERM, leaving no temp file, and resumes', async () => {
      const input = join(tmp.dir, 'export.jsonl')
      await writeLivePerson(input, 1500, '22')
      const ws = join(tmp.dir, 'ws')
      const killed = await killDuring(
        ['migrate', '--from', 'liveperson', '--input', input, '--to', 'neutral', '--workspace', ws],
        join(ws, 'run.log'),
        'convert',
        'SIGTERM',
      )
      expect(killed.status).to.equal(ExitCode.Interrupted)
      const leftovers = (await readdir(ws, {recursive: true})).filter((name) => String(name).endsWith('.tmp'))
      expect(leftovers).to.deep.equal([])
      expect(existsSync(join(ws, 'state', 'lock'))).to.equal(false)
      const resumed = cli([
        'migrate',
        '--from',
        'liveperson',
        '--input',
        input,
        '--to',
        'neutral',
        '--workspace',
        ws,
        '--json',
      ])
      expect(resumed.status, resumed.stderr).to.equal(0)
      expect(JSON.parse(resumed.stdout).records.converted).to.equal(1500)
    })
  })
})

describe('migrate keeps the export itself in the bag (the built CLI)', () => {
  const tmp = useTempDir('each')

  before(function () {
    this.timeout(300_000)
    execFileSync('npx', ['tsc', '-b'], {stdio: 'ignore'})
  })

  it('bags the file given to --input byte for byte as the evidence (a JSON page, not the re-serialised source)', async () => {
    const page = join(process.cwd(), 'examples', 'liveperson', 'conversations-page.json')
    const workspace = join(tmp.dir, 'ws')
    const run = cli(['migrate', '--from', 'liveperson', '--input', page, '--to', 'ada', '--workspace', workspace])
    expect(run.status, run.stderr).to.equal(0)
    const bag = join(workspace, 'archive', 'bag-v1')
    const original = await readFile(page)
    expect((await readFile(join(bag, 'data', 'originals', 'conversations-page.json'))).equals(original)).to.equal(true)
    expect(await readdir(join(bag, 'data', 'originals'))).to.deep.equal(['conversations-page.json'])
    const info = await readFile(join(bag, 'bag-info.txt'), 'utf8')
    expect(info).to.contain('Convoshift-Source-File: conversations-page.json\n')
    expect(info).to.contain(`Convoshift-Source-SHA256: ${createHash('sha256').update(original).digest('hex')}\n`)
    expect(info.replaceAll('\n ', ' ')).to.contain('with the export itself as evidence.')
    // The id map's input positions are positions in the evidence: the page's records, in its order.
    const records = (JSON.parse(original.toString('utf8')) as {conversationHistoryRecords: Array<Record<string, any>>})
      .conversationHistoryRecords
    const idMap = await jsonLines(join(bag, 'data', 'id-map.jsonl'))
    expect(idMap.map((entry) => [entry.inputIndex, entry.id])).to.deep.equal(
      records.map((record, index) => [index, record.info.conversationId]),
    )
    const verified = cli(['archive', 'verify', bag])
    expect(verified.status, verified.stdout).to.equal(0)
  })
})
