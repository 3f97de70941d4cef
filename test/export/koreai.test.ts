import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {type ExportOptions, runExport} from '../../src/export/runner.js'
import {signKoreJwt} from '../../src/export/vendors/koreai.js'
import {VirtualClock} from '../../src/http/clock.js'
import {stableLine} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'
import {type FaultRule, Simulator} from '../simulators/base.js'
import {KORE_RATE_MESSAGE, KoreAiSimulator, type KoreAiSimulatorOptions, verifyKoreJwt} from '../simulators/koreai.js'
import {type Crash, errorLine, expectResumeIdentical, expectSecretNowhere, runCli} from './helpers.js'

const CLIENT_ID = 'cs-5d1a1c6e-0b8e-5f43-9b2b-3a2c1f0e9d77'
const CLIENT_SECRET = 'kore-secret-8YwQ2mZr0pLx'
const ACCOUNT = '637368b4a1d039e34ba6f00d'
const STREAM = 'st-3bf09bef-f979-5489-b337-f465bd5d0001'
const DAY = 86_400_000
const SINCE = Date.UTC(2024, 2, 4)
const UNTIL = Date.UTC(2024, 2, 6)

describe('export koreai', () => {
  const tmp = useTempDir('each')
  let sim: KoreAiSimulator | undefined

  async function simulator(options: Partial<KoreAiSimulatorOptions> = {}): Promise<KoreAiSimulator> {
    sim = new KoreAiSimulator({
      accountId: ACCOUNT,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      count: 150,
      messages: 6,
      seed: 'kore-export',
      streamId: STREAM,
      ...options,
    })
    await sim.start()
    return sim
  }

  afterEach(async () => {
    await sim?.stop()
    sim = undefined
  })

  const values = {accountId: ACCOUNT, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, streamId: STREAM}

  function run(s: KoreAiSimulator, output: string, options: Partial<ExportOptions> = {}): ReturnType<typeof runExport> {
    return runExport({
      baseUrl: s.baseUrl,
      clock: new VirtualClock(),
      format: 'koreai',
      output,
      rate: 0,
      since: SINCE,
      until: UNTIL,
      values,
      ...options,
    })
  }

  const expectedText = (s: KoreAiSimulator): string => s.expected.map((r) => stableLine(r)).join('')

  it('exports every conversation once, in order, with its getMessages messages joined (signed JWT, accountId)', async () => {
    // About 40 messages per conversation: some have over 100, paged with skip.
    const s = await simulator({messages: 60})
    const output = join(tmp.dir, 'kore.jsonl')
    const result = await run(s, output, {concurrency: 4})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.records).to.include({duplicates: 0, outsideRange: 0, written: 150})
    const list = s.log.filter((e) => e.method === 'GET')
    // 150 conversations at 100 per page: the first page tells the total and the second is fetched from it.
    expect(list.map((e) => e.query.skip)).to.deep.equal(['0', '100'])
    expect(list.every((e) => e.query.limit === '100' && e.query.dateFrom === '2024-03-04T00:00:00.000Z')).to.equal(true)
    const messageCalls = s.log.filter((e) => e.method === 'POST')
    const bodies = messageCalls.map(
      (e) => JSON.parse(e.body) as {dateFrom: string; dateTo: string; forward: boolean; limit: number; skip: number},
    )
    expect(
      bodies.every((b) => b.forward && b.limit === 100 && Date.parse(b.dateTo) - Date.parse(b.dateFrom) < 7 * DAY),
    ).to.equal(true)
    expect(bodies.some((b) => b.skip === 100)).to.equal(true)
    // Every call carried a JWT signed with the Client Secret (HS256, appId = Client ID) and the account id.
    expect(
      s.log.every(
        (e) => verifyKoreJwt(String(e.headers.auth), CLIENT_ID, CLIENT_SECRET) && e.headers.accountid === ACCOUNT,
      ),
    ).to.equal(true)
  })

  it('accepts a ready JWT with --token', async () => {
    const s = await simulator({count: 30})
    const output = join(tmp.dir, 'token.jsonl')
    const token = signKoreJwt({clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, subject: 'exporter'})
    await run(s, output, {values: {accountId: ACCOUNT, streamId: STREAM, token}})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(s.log.every((e) => e.headers.auth === token)).to.equal(true)
  })

  it('splits the range into windows under 7 days and writes a conversation on a boundary once', async () => {
    const s = await simulator({count: 60})
    const pivot = s.expected[30]!
    const boundary = Date.parse(pivot.startTime as string)
    const since = boundary - (7 * DAY - 1)
    const output = join(tmp.dir, 'windows.jsonl')
    const result = await run(s, output, {since, until: since + 16 * DAY})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.windows).to.equal(3)
    const spans = s.log
      .filter((e) => e.method === 'GET')
      .map((e) => Date.parse(e.query.dateTo!) - Date.parse(e.query.dateFrom!))
    expect(spans).to.have.length(3)
    expect(spans.every((ms) => ms < 7 * DAY)).to.equal(true)
    // The pivot came back from the first two windows (inclusive bounds); the first one's copy was dropped (and not
    // joined) by the adapter.
    expect(result.records).to.include({duplicates: 0, written: 60})
    expect(result.vendorCounts.outsideWindow).to.equal(1)
  })

  it('is exact when the list ignores the date filter (undocumented), counting what it dropped', async () => {
    const s = await simulator({count: 80, ignoreListDates: true})
    const output = join(tmp.dir, 'nodates.jsonl')
    const inWindow = s.expected.filter((r) => Date.parse(r.startTime as string) < Date.UTC(2024, 2, 4, 10))
    const result = await run(s, output, {until: Date.UTC(2024, 2, 4, 10)})
    expect(await readFile(output, 'utf8')).to.equal(inWindow.map((r) => stableLine(r)).join(''))
    expect(result.vendorCounts.outsideWindow).to.equal(80 - inWindow.length)
    // Conversations outside the window were not joined: no getMessages call for them.
    const users = new Set(
      s.log.filter((e) => e.method === 'POST').map((e) => (JSON.parse(e.body) as {userId: string}).userId),
    )
    expect(users.size).to.equal(inWindow.length)
  })

  it('feeds convert --from koreai: every exported record converts to the neutral model', async () => {
    const s = await simulator({count: 80})
    const output = join(tmp.dir, 'export.jsonl')
    await run(s, output)
    const result = await runConvert({
      from: 'koreai',
      input: output,
      output: join(tmp.dir, 'neutral.jsonl'),
      to: 'neutral',
    })
    expect(result.records).to.deep.equal({converted: 80, read: 80, rejected: 0})
  })

  it('fails with one line naming the vendor, the endpoint and the status, without any secret, on a bad Client Secret', async () => {
    const s = await simulator({count: 5})
    const wrong = {...values, clientSecret: 'not-the-secret-Q7'}
    const error = (await run(s, join(tmp.dir, 'x.jsonl'), {values: wrong}).catch(
      (error_: unknown) => error_,
    )) as Error & {exitCode: number}
    expect(error.exitCode).to.equal(8)
    expect(error.message).to.equal(
      `koreai: GET /agentassist/api/v1/public/${STREAM}/conversations: HTTP 401 (Invalid Token): the credentials were refused`,
    )
    const jwt = signKoreJwt({clientId: CLIENT_ID, clientSecret: 'not-the-secret-Q7'})
    expect(error.message).not.to.include(jwt)
    expect(s.log).to.have.length(1)
  })

  it('keeps to 60 requests a minute by default', async () => {
    const s = await simulator({count: 100, messages: 2})
    const clock = new VirtualClock()
    const output = join(tmp.dir, 'rate.jsonl')
    const start = clock.now()
    // No `rate` option: the adapter's documented default applies.
    const result = await runExport({
      baseUrl: s.baseUrl,
      clock,
      format: 'koreai',
      output,
      since: SINCE,
      until: UNTIL,
      values,
    })
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    // 1 list page and 100 getMessages calls: 60 messages calls at once, the rest once the first minute has passed
    // (never more than 60 in any minute).
    expect(result.requests).to.equal(101)
    expect(clock.now() - start).to.be.within(60_000, 62_000)
  })

  it("survives 429s (Kore's rate-limit message, with and without Retry-After), 500s, resets and truncated bodies", async () => {
    const limited = {body: {errors: [{code: 429, msg: KORE_RATE_MESSAGE}]}, kind: 'status' as const, status: 429}
    const faults: FaultRule[] = [
      {fault: limited, match: /^GET/, times: 2},
      {fault: {...limited, retryAfter: '3'}, match: /getMessages$/, skip: 3, times: 1},
      {fault: {kind: 'status', status: 500}, match: /getMessages$/, skip: 10, times: 2},
      {fault: {kind: 'reset'}, match: /^GET/, skip: 3, times: 1},
      {fault: {kind: 'reset'}, match: /getMessages$/, skip: 30, times: 1},
      {fault: {kind: 'truncate'}, match: /getMessages$/, skip: 50, times: 1},
      {fault: {fraction: 0.6, kind: 'truncate-json'}, match: /^GET/, skip: 4, times: 1},
    ]
    const s = await simulator({faults})
    const clock = new VirtualClock()
    const output = join(tmp.dir, 'faults.jsonl')
    const result = await run(s, output, {clock})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.retries).to.equal(9)
    expect(clock.sleeps.some((ms) => ms >= 3000)).to.equal(true)
  })

  it('resumes after a crash at many points with byte-identical output; no secret or JWT in any file', async () => {
    const s = await simulator({count: 250, messages: 3})
    const jwt = signKoreJwt({clientId: CLIENT_ID, clientSecret: CLIENT_SECRET})
    const crashes: Crash[] = [
      {page: 1, step: 'written'},
      {page: 2, step: 'fetched'},
      {page: 3, step: 'checkpointed'},
      {fault: {fault: {kind: 'status', status: 404}, match: /getMessages$/, skip: 17}},
      {fault: {fault: {kind: 'status', status: 404}, match: /getMessages$/, skip: 140}},
      {fault: {fault: {kind: 'status', status: 400}, match: /^GET/, skip: 1}},
    ]
    await expectResumeIdentical({
      crashes,
      dir: tmp.dir,
      run: (output, extra) => run(s, output, extra),
      secrets: () => [CLIENT_SECRET, jwt],
      simulator: s,
    })
  })

  it('names the endpoint and the field when a conversation lacks what the join needs', async () => {
    const bad = new Simulator().route('GET', '/agentassist/api/v1/public/:streamId/conversations', () => ({
      body: {hasMore: false, results: [{_id: 'c-1', startTime: '2024-03-04T09:00:00.000Z'}]},
    }))
    await bad.start()
    try {
      const error = (await run(bad as KoreAiSimulator, join(tmp.dir, 'bad.jsonl')).catch(
        (error_: unknown) => error_,
      )) as Error & {exitCode: number}
      expect(error.exitCode).to.equal(8)
      expect(error.message).to.match(
        new RegExp(
          `^koreai: GET /agentassist/api/v1/public/${STREAM}/conversations: unexpected page \\(results\\.0\\.userId: `,
        ),
      )
    } finally {
      await bad.stop()
    }
  })

  it('runs from the CLI with the Client Secret from the environment; a bad secret is one line with exit 8', async () => {
    const s = await simulator({count: 30})
    const output = join(tmp.dir, 'cli.jsonl')
    const args = [
      'export',
      'koreai',
      '--base-url',
      s.baseUrl,
      '--stream-id',
      STREAM,
      '--account-id',
      ACCOUNT,
      '--client-id',
      CLIENT_ID,
    ]
    const range = ['--since', '2024-03-04', '--until', '2024-03-06', '--output', output, '--rate', '0']
    const run = await runCli([...args, ...range, '--json'], {CONVOSHIFT_KOREAI_CLIENT_SECRET: CLIENT_SECRET})
    expect(run.code, run.stderr).to.equal(0)
    expect((JSON.parse(run.stdout) as {records: {written: number}}).records.written).to.equal(30)
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    await expectSecretNowhere(CLIENT_SECRET, tmp.dir, [run.stdout, run.stderr])
    const refused = await runCli([...args, ...range, '--client-secret', 'wrong-secret-Zt5', '--restart'])
    expect(refused.code).to.equal(8)
    expect(errorLine(refused.stderr)).to.equal(
      `koreai: GET /agentassist/api/v1/public/${STREAM}/conversations: HTTP 401 (Invalid Token): the credentials were refused`,
    )
    await expectSecretNowhere('wrong-secret-Zt5', tmp.dir, [refused.stdout, refused.stderr])
    const missing = await runCli([...args.slice(0, -2), ...range, '--restart'])
    expect(missing.code).to.equal(2)
    expect(errorLine(missing.stderr)).to.match(/^koreai: --token: give a JWT/)
  })
})
