import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {checkpointPath, type ExportOptions, type ExportStep, runExport} from '../../src/export/runner.js'
import {VirtualClock} from '../../src/http/clock.js'
import {stableLine} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'
import {type Simulator} from '../simulators/base.js'
import {DC_BOT, DC_EPOCH_S, DC_KEY, deepConverseData, deepConverseSimulator} from '../simulators/deepconverse.js'
import {errorLine, expectSecretNowhere, runCli, seeded} from './helpers.js'

const COUNT = 60
const STEP_S = 6 * 3600
const DATA = deepConverseData({count: COUNT, stepS: STEP_S})
const SINCE = DC_EPOCH_S * 1000
const UNTIL = (DC_EPOCH_S + COUNT * STEP_S) * 1000
const EXPECTED = DATA.map((r) => stableLine(r)).join('')

describe('export deepconverse against its simulator', () => {
  const tmp = useTempDir('each')
  let sim: Simulator

  beforeEach(async () => {
    sim = deepConverseSimulator({records: DATA})
    await sim.start()
  })

  afterEach(() => sim.stop())

  function options(extra: Partial<ExportOptions> = {}): ExportOptions {
    return {
      baseUrl: sim.baseUrl,
      clock: new VirtualClock(),
      format: 'deepconverse',
      output: join(tmp.dir, 'dc.jsonl'),
      pageSize: 7,
      rate: 0,
      since: SINCE,
      until: UNTIL,
      values: {botName: DC_BOT, token: DC_KEY},
      ...extra,
    }
  }

  it('exports every conversation once with its messages joined, following cursors until null', async () => {
    // Given 60 conversations over 15 days (three 7-day windows) and 7 per page
    const result = await runExport(options())
    // Then the output is the data set: each conversation with its messages, in order
    expect(await readFile(result.output, 'utf8')).to.equal(EXPECTED)
    expect(result.windows).to.equal(3)
    const pages = sim.log.filter((e) => e.path.endsWith('/conversations'))
    expect(pages.filter((e) => e.query.cursor !== undefined).length).to.be.greaterThan(0)
    expect(pages.every((e) => e.headers['x-api-key'] === DC_KEY && e.query.bot_name === DC_BOT)).to.equal(true)
    // Epoch seconds, and windows that touch: the simulator's inclusive end_time returns the boundary conversation twice
    expect(Number(pages[0]!.query.start_time)).to.equal(DC_EPOCH_S)
    expect(sim.log.filter((e) => e.path.endsWith('/messages'))).to.have.length(COUNT)
    const {received, written, duplicates, outsideRange} = result.records
    expect(written).to.equal(COUNT)
    expect(received).to.equal(written + duplicates + outsideRange)
  })

  it('pages messages by cursor too', async () => {
    const long = deepConverseData({count: 3, seed: 99, stepS: STEP_S}).map((r, i) => ({
      ...r,
      messages: Array.from({length: 2500 + i}, (_, j) => ({
        ...r.messages[0],
        _id: `${r._id}-${j}`,
        time: r.startTime + j,
      })),
    }))
    await sim.stop()
    sim = deepConverseSimulator({records: long})
    await sim.start()
    const result = await runExport(options({until: (DC_EPOCH_S + 3 * STEP_S) * 1000}))
    expect(await readFile(result.output, 'utf8')).to.equal(long.map((r) => stableLine(r)).join(''))
    expect(sim.log.filter((e) => e.path.endsWith('/messages'))).to.have.length(9) // 3 pages of ≤1000 each
  })

  it('survives 429s, 5xx, resets, truncated bodies and stalls, with --concurrency 4', async () => {
    sim.plan([
      {fault: {kind: 'status', status: 429}, match: /messages/, skip: 2, times: 3},
      {fault: {kind: 'status', retryAfter: '1', status: 429}, match: /conversations$/, skip: 1},
      {fault: {kind: 'status', status: 502}, skip: 10},
      {fault: {kind: 'reset'}, skip: 15},
      {fault: {kind: 'truncate'}, match: /conversations$/, skip: 3},
      {fault: {kind: 'truncate'}, match: /messages/, skip: 20},
      {fault: {kind: 'truncate-json'}, skip: 30},
      {fault: {kind: 'slow', ms: 1200}, skip: 40},
    ])
    const result = await runExport(options({concurrency: 4, headersTimeoutMs: 400, random: seeded(3)}))
    expect(await readFile(result.output, 'utf8')).to.equal(EXPECTED)
    expect(result.retries).to.equal(10)
  })

  it('resumes after a crash at any step of any page with byte-identical output', async () => {
    const steps: ExportStep[] = ['fetched', 'written', 'checkpointed']
    for (let page = 1; page <= 12; page += 2) {
      const step = steps[page % 3]!
      const output = join(tmp.dir, `crash-${page}.jsonl`)
      await runExport(
        options({
          onStep(s, n) {
            if (s === step && n === page) throw new Error('injected crash')
          },
          output,
        }),
      ).then(
        () => expect.fail('no crash'),
        (error: Error) => expect(error.message).to.equal('injected crash'),
      )
      await runExport(options({output, resume: true}))
      expect(await readFile(output, 'utf8'), `crash at ${step} of page ${page}`).to.equal(EXPECTED)
      expect(existsSync(checkpointPath(output))).to.equal(false)
    }

    await expectSecretNowhere(DC_KEY, tmp.dir)
  })

  it('stays within the documented 3 requests/s per endpoint by default (no 429 from a strict server)', async () => {
    const small = DATA.slice(0, 8)
    await sim.stop()
    sim = deepConverseSimulator({
      rateLimit: {
        bucket: (req) => req.path,
        perMs: 1000,
        requests: 3,
        response: {body: {message: 'Too many requests'}, status: 429},
      },
      records: small,
    })
    await sim.start()
    const started = performance.now()
    // The real clock and the adapter's default rate
    const real = options({concurrency: 4, pageSize: 4, until: (DC_EPOCH_S + 8 * STEP_S) * 1000})
    delete real.clock
    delete real.rate
    const result = await runExport(real)
    const seconds = (performance.now() - started) / 1000
    expect(await readFile(result.output, 'utf8')).to.equal(small.map((r) => stableLine(r)).join(''))
    expect(result.retries).to.equal(0)
    // 8 message requests at 3/s (a bucket of 3 first): at least (8 - 3) / 3 s
    expect(seconds).to.be.greaterThan(1.5)
  })

  it('an invalid key: one line, exit 8, key not shown', async () => {
    const run = await runCli(
      [
        'export',
        'deepconverse',
        '--bot-name',
        DC_BOT,
        '--base-url',
        sim.baseUrl,
        '--since',
        new Date(SINCE).toISOString(),
        '--until',
        new Date(UNTIL).toISOString(),
        '--output',
        join(tmp.dir, 'dc.jsonl'),
      ],
      {CONVOSHIFT_TOKEN: 'not-the-key-77e1'},
    )
    expect(run.code).to.equal(ExitCode.Remote)
    expect(errorLine(run.stderr)).to.equal(
      'deepconverse: GET /conversations/export/v1/conversations: HTTP 401 (Invalid API key): the credentials were refused',
    )
    await expectSecretNowhere('not-the-key-77e1', tmp.dir, [run.stdout, run.stderr])
  })

  it('a missing bot name or token: one usage line, exit 2, no request', async () => {
    const base = [
      'export',
      'deepconverse',
      '--base-url',
      sim.baseUrl,
      '--since',
      '2025-04-01',
      '--until',
      '2025-04-02',
      '--output',
      join(tmp.dir, 'x.jsonl'),
    ]
    const noBot = await runCli(base, {CONVOSHIFT_TOKEN: DC_KEY})
    expect(noBot.code).to.equal(ExitCode.Usage)
    expect(errorLine(noBot.stderr)).to.match(/^deepconverse: --bot-name is required \(or CONVOSHIFT_DC_BOT\)/)
    const noToken = await runCli([...base, '--bot-name', DC_BOT], {CONVOSHIFT_TOKEN: ''})
    expect(noToken.code).to.equal(ExitCode.Usage)
    expect(errorLine(noToken.stderr)).to.equal(
      'deepconverse: a token is required: pass --token or set CONVOSHIFT_TOKEN',
    )
    expect(sim.requests).to.equal(0)
  })
})
