/* eslint-disable camelcase -- OAuth field names */
import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {type ExportOptions, runExport} from '../../src/export/runner.js'
import {VirtualClock} from '../../src/http/clock.js'
import {stableLine} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'
import {type FaultRule, Simulator} from '../simulators/base.js'
import {IAdvizeSimulator, type IAdvizeSimulatorOptions} from '../simulators/iadvize.js'
import {type Crash, errorLine, expectResumeIdentical, expectSecretNowhere, runCli} from './helpers.js'

const USERNAME = 'export-bot@shop.example'
const PASSWORD = 'iadv-pass-W4k9!x'
const DAY = 86_400_000
const SINCE = Date.UTC(2024, 4, 1)
const UNTIL = Date.UTC(2024, 4, 10)

interface GraphqlCall {
  operationName: string
  variables: {
    after: null | string
    first: number
    interval: {from: string; to: string}
    messagesFirst: number
    projectIds?: number[]
  }
}

function calls(s: Simulator): GraphqlCall[] {
  return s.log.filter((e) => e.path === '/graphql').map((e) => JSON.parse(e.body) as GraphqlCall)
}

describe('export iadvize', () => {
  const tmp = useTempDir('each')
  let sim: IAdvizeSimulator | undefined

  async function simulator(options: Partial<IAdvizeSimulatorOptions> = {}): Promise<IAdvizeSimulator> {
    sim = new IAdvizeSimulator({
      count: 150,
      messages: 6,
      password: PASSWORD,
      seed: 'iadvize-export',
      username: USERNAME,
      ...options,
    })
    await sim.start()
    return sim
  }

  afterEach(async () => {
    await sim?.stop()
    sim = undefined
  })

  const values = {password: PASSWORD, username: USERNAME}

  function run(s: Simulator, output: string, options: Partial<ExportOptions> = {}): ReturnType<typeof runExport> {
    return runExport({
      baseUrl: s.baseUrl,
      clock: new VirtualClock(),
      format: 'iadvize',
      output,
      rate: 0,
      since: SINCE,
      until: UNTIL,
      values,
      ...options,
    })
  }

  const expectedText = (s: IAdvizeSimulator): string => s.expected.map((r) => stableLine(r)).join('')

  it('exports every closed conversation once, in order, each with every message, logging in once', async () => {
    // About 50 messages per conversation: some have over 100, completed with conversation(id) { messages(after) }.
    const s = await simulator({messages: 75})
    const output = join(tmp.dir, 'iadvize.jsonl')
    const result = await run(s, output, {concurrency: 4})
    const text = await readFile(output, 'utf8')
    expect(text).to.equal(expectedText(s))
    expect(result.records).to.include({duplicates: 0, outsideRange: 0, written: 150})
    expect(s.logins).to.equal(1)
    const login = s.log.find((e) => e.path === '/oauth2/token')!
    expect(login.headers['content-type']).to.equal('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(login.body))).to.deep.equal({
      grant_type: 'password',
      password: PASSWORD,
      username: USERNAME,
    })
    const graphql = calls(s)
    const pages = graphql.filter((c) => c.operationName === 'ClosedConversations')
    expect(pages.map((c) => c.variables.after === null)).to.deep.equal([true, false])
    expect(
      pages.every((c) => c.variables.first === 100 && c.variables.interval.from === '2024-05-01T00:00:00.000Z'),
    ).to.equal(true)
    const rest = graphql.filter((c) => c.operationName === 'ConversationMessages')
    expect(rest.length).to.be.greaterThan(0)
    // No pageInfo is left in the written nodes' messages.
    expect(text).not.to.include('hasNextPage')
    expect(
      s.log.filter((e) => e.path === '/graphql').every((e) => e.headers.authorization === `Bearer ${s.issued[0]}`),
    ).to.equal(true)
  })

  it('filters by project ids and calls the SD platform endpoint when asked', async () => {
    const s = await simulator({count: 20})
    const project = Number((s.expected[0]!.project as {id: number}).id)
    const output = join(tmp.dir, 'sd.jsonl')
    await run(s, output, {values: {...values, platform: 'sd', projectId: [String(project)]}})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    const graphql = s.log.filter((e) => e.path === '/graphql')
    expect(graphql.every((e) => e.query.platform === 'sd')).to.equal(true)
    expect(calls(s)[0]!.variables.projectIds).to.deep.equal([project])
  })

  it('splits the range into 30-day windows and writes a conversation closed on a boundary once', async () => {
    const s = await simulator({count: 60})
    const pivot = s.expected[25]!
    const boundary = Date.parse(pivot.closedAt as string)
    const output = join(tmp.dir, 'windows.jsonl')
    const result = await run(s, output, {since: boundary - 30 * DAY, until: boundary + 40 * DAY})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.windows).to.equal(3)
    const intervals = calls(s).map((c) => c.variables.interval)
    expect(intervals.map((i) => Date.parse(i.to) - Date.parse(i.from))).to.deep.equal([30 * DAY, 30 * DAY, 10 * DAY])
    expect(result.records).to.include({outsideRange: 1, written: 60})
  })

  it('renews the token before it expires, and logs in again once when a token is refused (401 invalid_token)', async () => {
    const revoked = await simulator({count: 150, messages: 75, revokeEvery: 8})
    const output = join(tmp.dir, 'revoked.jsonl')
    const result = await run(revoked, output)
    expect(await readFile(output, 'utf8')).to.equal(expectedText(revoked))
    const refused = revoked.log.filter((e) => e.status === 401)
    expect(refused.length).to.be.greaterThan(0)
    expect(revoked.logins).to.equal(1 + refused.length)
    expect(result.vendorCounts.reauthentications).to.equal(refused.length)
    await revoked.stop()

    // A 1-second token and 25 ms per request: the exporter renews it ahead of expiry, never meeting a 401.
    const short = await simulator({count: 80, latencyMs: 25, messages: 150, tokenLifetimeS: 1})
    const output2 = join(tmp.dir, 'short.jsonl')
    await run(short, output2)
    expect(await readFile(output2, 'utf8')).to.equal(expectedText(short))
    expect(short.logins).to.be.greaterThan(1)
    expect(short.log.filter((e) => e.status === 401)).to.have.length(0)
  })

  it('feeds convert --from iadvize: every exported record converts to the neutral model', async () => {
    const s = await simulator({count: 80})
    const output = join(tmp.dir, 'export.jsonl')
    await run(s, output)
    const result = await runConvert({
      from: 'iadvize',
      input: output,
      output: join(tmp.dir, 'neutral.jsonl'),
      to: 'neutral',
    })
    expect(result.records).to.deep.equal({converted: 80, read: 80, rejected: 0})
  })

  it('fails with one line naming the vendor, the endpoint and the status, without the password, on a refused login', async () => {
    const s = await simulator({count: 5})
    const error = (await run(s, join(tmp.dir, 'x.jsonl'), {
      values: {password: 'wrong-Pw-77', username: USERNAME},
    }).catch((error_: unknown) => error_)) as Error & {
      code: string
      exitCode: number
    }
    expect(error.exitCode).to.equal(8)
    expect(error.code).to.equal('REMOTE_AUTH')
    expect(error.message).to.equal(
      'iadvize: POST /oauth2/token: HTTP 400 (Invalid username and password combination): the username or password was refused',
    )
    expect(error.message).not.to.include('wrong-Pw-77')
  })

  it('fails with one line, without the token, when a given access token is refused', async () => {
    const s = await simulator({count: 5})
    const token = 'iadv-given-token-0xDEADBEEF'
    const error = (await run(s, join(tmp.dir, 'x.jsonl'), {values: {token}}).catch(
      (error_: unknown) => error_,
    )) as Error & {exitCode: number}
    expect(error.exitCode).to.equal(8)
    expect(error.message).to.equal(
      'iadvize: POST /graphql (ClosedConversations): HTTP 401 (access token not valid): the credentials were refused',
    )
    expect(s.logins).to.equal(0)
  })

  it('reports a GraphQL error (HTTP 200 with errors) as one line', async () => {
    const s = new Simulator()
      .route('POST', '/oauth2/token', () => ({
        body: {access_token: 't0k3n-abc', expires_in: 86_400, token_type: 'Bearer'},
      }))
      .route('POST', '/graphql', () => ({
        body: {data: null, errors: [{message: 'Field "interval" of type "DateTimeIntervalInput!" is required'}]},
      }))
    await s.start()
    try {
      const error = (await run(s, join(tmp.dir, 'gql.jsonl')).catch((error_: unknown) => error_)) as Error & {
        exitCode: number
      }
      expect(error.exitCode).to.equal(8)
      expect(error.message).to.equal(
        'iadvize: POST /graphql (ClosedConversations): GraphQL error: Field "interval" of type "DateTimeIntervalInput!" is required',
      )
    } finally {
      await s.stop()
    }
  })

  it('survives 429s with and without Retry-After, 500s, resets and truncated bodies, and the output is still exact', async () => {
    const faults: FaultRule[] = [
      {fault: {kind: 'status', status: 429}, match: /graphql$/, times: 2},
      {fault: {kind: 'status', retryAfter: '4', status: 429}, match: /graphql$/, skip: 3, times: 1},
      {fault: {kind: 'status', status: 502}, match: /graphql$/, skip: 5, times: 2},
      {fault: {kind: 'status', status: 503}, match: /oauth2/, times: 1},
      {fault: {kind: 'reset'}, match: /graphql$/, skip: 8, times: 1},
      {fault: {kind: 'truncate'}, match: /graphql$/, skip: 10, times: 1},
      {fault: {fraction: 0.4, kind: 'truncate-json'}, match: /graphql$/, skip: 12, times: 1},
    ]
    const s = await simulator({faults, messages: 75})
    const clock = new VirtualClock()
    const output = join(tmp.dir, 'faults.jsonl')
    const result = await run(s, output, {clock})
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    expect(result.retries).to.equal(9)
    expect(clock.sleeps.some((ms) => ms >= 4000)).to.equal(true)
    expect(s.logins).to.equal(1)
  })

  it('resumes after a crash at many points with byte-identical output; no password or token in any file', async () => {
    // Eleven runs log in eleven times within a minute: more than iAdvize's 10 logins/min, which this test is not about.
    const s = await simulator({count: 320, loginsPerMinute: 100, messages: 4})
    const crashes: Crash[] = [
      {page: 1, step: 'fetched'},
      {page: 2, step: 'written'},
      {page: 3, step: 'checkpointed'},
      {page: 4, step: 'written'},
      {fault: {fault: {kind: 'status', status: 400}, match: /graphql$/, skip: 2}},
    ]
    await expectResumeIdentical({
      crashes,
      dir: tmp.dir,
      run: (output, extra) => run(s, output, extra),
      secrets: () => [PASSWORD, ...s.issued],
      simulator: s,
    })
  })

  it('runs from the CLI with the password from the environment; a refused login is one line with exit 8', async () => {
    const s = await simulator({count: 30})
    const output = join(tmp.dir, 'cli.jsonl')
    const args = [
      'export',
      'iadvize',
      '--base-url',
      s.baseUrl,
      '--username',
      USERNAME,
      '--since',
      '2024-05-01',
      '--until',
      '2024-05-10',
      '--output',
      output,
      '--rate',
      '0',
    ]
    const run = await runCli([...args, '--json'], {CONVOSHIFT_IADVIZE_PASSWORD: PASSWORD})
    expect(run.code, run.stderr).to.equal(0)
    expect((JSON.parse(run.stdout) as {records: {written: number}}).records.written).to.equal(30)
    expect(await readFile(output, 'utf8')).to.equal(expectedText(s))
    await expectSecretNowhere(PASSWORD, tmp.dir, [run.stdout, run.stderr])
    await expectSecretNowhere(s.issued[0]!, tmp.dir, [run.stdout, run.stderr])
    const refused = await runCli([...args, '--password', 'nope-Pw-1', '--restart'])
    expect(refused.code).to.equal(8)
    expect(errorLine(refused.stderr)).to.match(
      /^iadvize: POST \/oauth2\/token: HTTP 400 .*the username or password was refused$/,
    )
    await expectSecretNowhere('nope-Pw-1', tmp.dir, [refused.stdout, refused.stderr])
  })
})
