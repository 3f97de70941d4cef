/* eslint-disable camelcase -- Ada's query parameter names */
import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {isConvoshiftError} from '../../src/errors.js'
import {type ExportOptions, runExport} from '../../src/export/runner.js'
import {adaExporter, nextPagePath} from '../../src/export/vendors/ada.js'
import {VirtualClock} from '../../src/http/clock.js'
import {stableLine} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'
import {adaMicros, AdaSimulator, type AdaSimulatorOptions} from '../simulators/ada.js'
import {type FaultRule, Simulator} from '../simulators/base.js'
import {type Crash, errorLine, expectResumeIdentical, expectSecretNowhere, runCli} from './helpers.js'

const TOKEN = 'ada-key-Zq8sV3cXw1'
const DAY = 86_400_000
const SINCE = Date.UTC(2024, 2, 1)
const UNTIL = Date.UTC(2024, 2, 10)

describe('export ada', () => {
  const tmp = useTempDir('each')
  let sim: AdaSimulator | undefined

  async function simulator(options: Partial<AdaSimulatorOptions> = {}): Promise<AdaSimulator> {
    sim = new AdaSimulator({count: 230, messages: 4, seed: 'ada-export', token: TOKEN, ...options})
    await sim.start()
    return sim
  }

  afterEach(async () => {
    await sim?.stop()
    sim = undefined
  })

  function run(s: AdaSimulator, output: string, options: Partial<ExportOptions> = {}): ReturnType<typeof runExport> {
    return runExport({
      baseUrl: s.baseUrl,
      clock: new VirtualClock(),
      format: 'ada',
      output,
      rate: 0,
      since: SINCE,
      until: UNTIL,
      values: {token: TOKEN},
      ...options,
    })
  }

  const expectedText = (s: AdaSimulator): string => s.expected.map((r) => stableLine(r)).join('')

  it('exports every conversation once, in order, with its messages joined, following next_page_uri as returned', async () => {
    const s = await simulator()
    const output = join(tmp.dir, 'ada.jsonl')
    const result = await run(s, output)
    const text = await readFile(output, 'utf8')
    expect(text).to.equal(expectedText(s))
    expect(text.split('\n').filter(Boolean)).to.have.length(230)
    // Every conversation, messages included, came through; a few had none (Ada's ingestion lag) and hold [].
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as {_id: string; messages: Array<{conversation_id: string}>})
    expect(
      lines.every((r) => Array.isArray(r.messages) && r.messages.every((m) => m.conversation_id === r._id)),
    ).to.equal(true)
    expect(lines.some((r) => r.messages.length === 0)).to.equal(true)
    // 230 conversations at 100 per page: 3 pages, the 2nd and 3rd from next_page_uri, sent as returned (offset-less
    // microsecond times, as Ada's seed shows), each restarting at the previous page's last record (a duplicate).
    const pages = s.log.filter((e) => e.path === '/api/v2/export/conversations')
    expect(pages).to.have.length(3)
    expect(pages[0]!.query.created_since).to.equal('2024-03-01T00:00:00.000Z')
    expect(pages[0]!.query.page_size).to.equal('100')
    expect(pages[1]!.query.created_since).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/)
    expect(result.records).to.include({duplicates: 2, outsideRange: 0, received: 232, written: 230})
    // One Messages call per conversation received (the two repeats included), by conversation_id, from its date_created.
    const messageCalls = s.log.filter((e) => e.path === '/api/v2/export/messages')
    expect(messageCalls).to.have.length(232)
    expect(
      messageCalls.every((e) => e.query.conversation_id && e.query.created_since && e.query.page_size === '10000'),
    ).to.equal(true)
    expect(s.log.every((e) => e.headers.authorization === `Bearer ${TOKEN}`)).to.equal(true)
  })

  it('reads v2 pages that name the list items, and the v1.x endpoints with a top-level next_page_uri', async () => {
    const s = await simulator({count: 120, listKey: 'items'})
    const v2 = join(tmp.dir, 'v2.jsonl')
    await run(s, v2)
    expect(await readFile(v2, 'utf8')).to.equal(expectedText(s))
    const v1 = join(tmp.dir, 'v1.jsonl')
    await run(s, v1, {values: {apiVersion: '1.4', token: TOKEN}})
    expect(await readFile(v1, 'utf8')).to.equal(expectedText(s))
    expect(s.log.filter((e) => e.path === '/data_api/v1.4/conversations')).to.have.length(2)
    expect(s.log.filter((e) => e.path === '/data_api/v1.4/messages')).to.have.length(121)
  })

  it('splits a long range into windows of at most 60 days and writes a conversation on a boundary once', async () => {
    const s = await simulator({count: 120})
    // A window boundary exactly on a conversation's date_created (a millisecond time): Ada's inclusive bounds return
    // it in both windows.
    const pivot = s.expected.find((r) => /\.\d{3}000\+00:00$/.test(r.date_created as string))!
    const boundary = adaMicros(pivot.date_created as string) / 1000
    const output = join(tmp.dir, 'windows.jsonl')
    const result = await run(s, output, {since: boundary - 60 * DAY, until: boundary + 70 * DAY})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.windows).to.equal(3)
    const firstPages = s.log.filter(
      (e) => e.path === '/api/v2/export/conversations' && e.query.created_since!.endsWith('Z'),
    )
    expect(firstPages.map((e) => [e.query.created_since, e.query.created_to])).to.deep.equal([
      [new Date(boundary - 60 * DAY).toISOString(), new Date(boundary).toISOString()],
      [new Date(boundary).toISOString(), new Date(boundary + 60 * DAY).toISOString()],
      [new Date(boundary + 60 * DAY).toISOString(), new Date(boundary + 70 * DAY).toISOString()],
    ])
    // The pivot came back from windows 1 and 2; window 1 dropped it (it belongs to window 2).
    expect(result.records.outsideRange).to.equal(1)
    expect(result.records.written).to.equal(120)
  })

  it('feeds convert --from ada: every exported record converts to the neutral model', async () => {
    const s = await simulator({count: 120})
    const output = join(tmp.dir, 'export.jsonl')
    await run(s, output)
    const result = await runConvert({from: 'ada', input: output, output: join(tmp.dir, 'neutral.jsonl'), to: 'neutral'})
    expect(result.records).to.deep.equal({converted: 120, read: 120, rejected: 0})
  })

  it('fails with one line naming the vendor, the endpoint and the status, without the key, on a refused key', async () => {
    const s = await simulator({count: 10})
    const error = await run(s, join(tmp.dir, 'x.jsonl'), {values: {token: 'wrong-key-Pz9'}}).catch(
      (error_: unknown) => error_,
    )
    expect(isConvoshiftError(error)).to.equal(true)
    const {exitCode, message} = error as {exitCode: number; message: string}
    expect(exitCode).to.equal(8)
    expect(message).to.match(/^ada: GET \/api\/v2\/export\/conversations: HTTP 401 \(Invalid or missing API key\)/)
    expect(message).not.to.include('wrong-key-Pz9')
    expect(message).not.to.include('\n')
    // Not retried: a refused key stays refused.
    expect(s.log).to.have.length(1)
  })

  it('survives 429s with and without Retry-After, 500s, resets and truncated bodies, and the output is still exact', async () => {
    const faults: FaultRule[] = [
      {fault: {kind: 'status', status: 429}, match: /conversations$/, times: 2},
      {fault: {kind: 'status', retryAfter: '2', status: 429}, match: /messages$/, skip: 5, times: 2},
      {fault: {kind: 'status', status: 500}, match: /conversations$/, skip: 2, times: 1},
      {fault: {kind: 'status', status: 503}, match: /messages$/, skip: 40, times: 3},
      {fault: {kind: 'reset'}, match: /messages$/, skip: 70, times: 2},
      {fault: {kind: 'truncate'}, match: /conversations$/, skip: 4, times: 1},
      {fault: {fraction: 0.3, kind: 'truncate-json'}, match: /messages$/, skip: 100, times: 1},
    ]
    const s = await simulator({faults})
    const clock = new VirtualClock()
    const output = join(tmp.dir, 'faults.jsonl')
    const result = await run(s, output, {clock})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.retries).to.equal(12)
    // Retry-After: 2 was honoured (a wait of at least 2 s on the virtual clock).
    expect(clock.sleeps.filter((ms) => ms >= 2000)).to.have.length.greaterThanOrEqual(2)
  })

  it('resumes after a crash at many points with byte-identical output, and the key is in no file', async () => {
    const s = await simulator()
    // Crashes between the steps of pages 1–3, and inside a page (a message request failing for good).
    const crashes: Crash[] = [
      {page: 1, step: 'fetched'},
      {page: 2, step: 'written'},
      {page: 2, step: 'checkpointed'},
      {page: 3, step: 'fetched'},
      {fault: {fault: {kind: 'status', status: 400}, match: /messages$/, skip: 37}},
      {fault: {fault: {kind: 'status', status: 400}, match: /messages$/, skip: 161}},
      {fault: {fault: {kind: 'status', status: 400}, match: /conversations$/, skip: 2}},
    ]
    await expectResumeIdentical({
      crashes,
      dir: tmp.dir,
      run: (output, extra) => run(s, output, extra),
      secrets: () => [TOKEN],
      simulator: s,
    })
  })

  it('names the endpoint and the field when a page is not what the API documents', async () => {
    const bad = new Simulator().route('GET', '/api/v2/export/conversations', () => ({
      body: {data: [{_id: 'c1'}], meta: {next_page_uri: null}},
    }))
    await bad.start()
    const error = (await run(bad as AdaSimulator, join(tmp.dir, 'bad.jsonl'))
      .catch((error_: unknown) => error_)
      .finally(() => bad.stop())) as Error & {exitCode: number}
    expect(error.exitCode).to.equal(8)
    expect(error.message).to.match(
      /^ada: GET \/api\/v2\/export\/conversations: unexpected page \(data\.0\.date_created: /,
    )
  })

  it('gives up on a page that is never valid JSON with one clear line', async () => {
    const s = await simulator({
      count: 10,
      faults: [{fault: {fraction: 0.5, kind: 'truncate-json'}, match: /conversations$/, times: Infinity}],
    })
    const error = (await run(s, join(tmp.dir, 'trunc.jsonl')).catch((error_: unknown) => error_)) as Error & {
      code: string
      exitCode: number
    }
    expect(error.exitCode).to.equal(8)
    expect(error.code).to.equal('REMOTE_MALFORMED')
    expect(error.message).to.match(/^ada: GET \/api\/v2\/export\/conversations: HTTP 200 with an unparseable body/)
  })

  it('follows a next_page_uri byte for byte, and only ever on the configured host', () => {
    const seed =
      '/data_api/v1.2/conversations?created_since=2022-03-16T18%3A05%3A27.536000&created_to=2022-03-23T17%3A59%3A28.201000&page_size=100'
    expect(nextPagePath(seed)).to.deep.equal({path: seed})
    expect(nextPagePath(`https://evil.example${seed}`)).to.deep.equal({path: seed})
    expect(nextPagePath('ftp://x/y')).to.have.property('reason')
  })

  it('runs from the CLI: --json result only, key from CONVOSHIFT_TOKEN; a refused key is one line with exit 8', async () => {
    const s = await simulator({count: 40})
    const output = join(tmp.dir, 'cli.jsonl')
    const args = [
      'export',
      'ada',
      '--base-url',
      s.baseUrl,
      '--since',
      '2024-03-01',
      '--until',
      '2024-03-10',
      '--output',
      output,
      '--rate',
      '0',
    ]
    const run = await runCli([...args, '--json'], {CONVOSHIFT_TOKEN: TOKEN})
    expect(run.code, run.stderr).to.equal(0)
    expect((JSON.parse(run.stdout) as {records: {written: number}}).records.written).to.equal(40)
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    await expectSecretNowhere(TOKEN, tmp.dir, [run.stdout, run.stderr])
    const refused = await runCli([...args, '--token', 'bad-key-Qm3', '--restart'])
    expect(refused.code).to.equal(8)
    expect(errorLine(refused.stderr)).to.equal(
      'ada: GET /api/v2/export/conversations: HTTP 401 (Invalid or missing API key): the credentials were refused',
    )
    await expectSecretNowhere('bad-key-Qm3', tmp.dir, [refused.stdout, refused.stderr])
  })

  it('derives the host from --handle, and asks for a host when neither --handle nor --base-url is given', async () => {
    expect(adaExporter.baseUrlFor!({apiVersion: '2', handle: 'acme-support', token: 'k'})).to.equal(
      'https://acme-support.ada.support',
    )
    const run = await runCli(
      ['export', 'ada', '--since', '2024-03-01', '--until', '2024-03-10', '--output', join(tmp.dir, 'x.jsonl')],
      {CONVOSHIFT_TOKEN: TOKEN},
    )
    expect(run.code).to.equal(2)
    expect(errorLine(run.stderr)).to.match(/^ada: --base-url is required/)
  })
})
