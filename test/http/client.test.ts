import {expect} from 'chai'
import {MockAgent} from 'undici'

import {ConvoshiftError, ExitCode} from '../../src/errors.js'
import {HttpClient, type HttpClientOptions, parseRetryAfter} from '../../src/http/client.js'
import {VirtualClock} from '../../src/http/clock.js'
import {RateLimiter} from '../../src/http/rate-limiter.js'
import {Simulator} from '../simulators/base.js'

const TOKEN = 'tok-3c9d1f0e8a7b'

async function failure(promise: Promise<unknown>): Promise<ConvoshiftError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(ConvoshiftError)
    return error as ConvoshiftError
  }

  return expect.fail('expected a failure')
}

describe('http client', () => {
  let sim: Simulator
  let clock: VirtualClock

  beforeEach(async () => {
    clock = new VirtualClock()
    sim = new Simulator()
    sim.route('GET', '/items', () => ({body: {items: [1, 2, 3]}}))
    sim.route('GET', '/echo', (req) => ({
      body: {message: `bad request from ${req.headers.authorization} with key=${req.query.get('key')}`},
      status: 400,
    }))
    await sim.start()
  })

  afterEach(() => sim.stop())

  function client(options: Partial<HttpClientOptions> = {}): HttpClient {
    return new HttpClient({
      baseUrl: sim.baseUrl,
      clock,
      headers: {authorization: `Bearer ${TOKEN}`},
      random: () => 0.5,
      vendor: 'acme',
      ...options,
    })
  }

  it('parses a JSON page', async () => {
    const response = await client().json({method: 'GET', path: '/items'})
    expect(response.body).to.deep.equal({items: [1, 2, 3]})
    expect(sim.log[0]!.headers.authorization).to.equal(`Bearer ${TOKEN}`)
  })

  it('does not retry a 4xx other than 429, and names vendor, endpoint and status without secrets', async () => {
    const error = await failure(
      client({secretQueryParams: ['key'], secrets: ['k-999']}).json({
        method: 'GET',
        path: '/echo',
        query: {key: 'k-999'},
      }),
    )
    expect(sim.requests).to.equal(1)
    expect(error.exitCode).to.equal(ExitCode.Remote)
    expect(error.code).to.equal('REMOTE_HTTP')
    expect(error.message).to.equal('acme: GET /echo: HTTP 400 (bad request from *** with key=***)')
  })

  it('backs off exponentially with jitter, then gives up with one line', async () => {
    sim.plan([{fault: {kind: 'status', status: 503}, times: Infinity}])
    const random = [0, 1, 0.5, 0]
    const error = await failure(
      client({random: () => random.shift() ?? 0, retry: {retries: 3}}).json({method: 'GET', path: '/items'}),
    )
    expect(sim.requests).to.equal(4)
    // base 500 ms doubling: jitter picks in [backoff/2, backoff]
    expect(clock.sleeps).to.deep.equal([250, 1000, 1500])
    expect(error.message).to.equal('acme: GET /items: HTTP 503 (injected 503); gave up after 4 attempts')
  })

  it('honours Retry-After in seconds and as an HTTP date, and refuses an absurd one', async () => {
    sim.plan([
      {fault: {kind: 'status', retryAfter: '7', status: 429}},
      {fault: {kind: 'status', retryAfter: new Date(clock.now() + 30_000).toUTCString(), status: 429}, skip: 1},
    ])
    await client().json({method: 'GET', path: '/items'})
    expect(clock.sleeps[0]).to.equal(7000)
    expect(clock.sleeps[1]).to.be.within(22_000, 30_000)
    sim.plan([{fault: {kind: 'status', retryAfter: '86400', status: 429}}])
    const error = await failure(client().json({method: 'GET', path: '/items'}))
    expect(error.message).to.match(/asks to wait 86400 s \(Retry-After\)/)
    expect(parseRetryAfter('abc', 0)).to.equal(undefined)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 27, 0))).to.equal(60_000)
  })

  it('retries resets, truncated bodies and header/body timeouts', async () => {
    sim.plan([
      {fault: {kind: 'reset'}},
      {fault: {kind: 'truncate'}, skip: 1},
      {fault: {kind: 'slow', ms: 1500}, skip: 2},
      {fault: {kind: 'slow-body', ms: 1500}, skip: 3},
    ])
    // (undici's timers are coarse below a second: keep the stalls well past the timeouts)
    const response = await client({bodyTimeoutMs: 400, headersTimeoutMs: 400}).json({method: 'GET', path: '/items'})
    expect(response.body).to.deep.equal({items: [1, 2, 3]})
    expect(sim.requests).to.equal(5)
  })

  it('a 2xx that is not JSON is retried a little, then named unparseable', async () => {
    sim.plan([{fault: {kind: 'truncate-json'}, times: Infinity}])
    const error = await failure(client().json({method: 'GET', path: '/items'}))
    expect(error.code).to.equal('REMOTE_MALFORMED')
    expect(sim.requests).to.equal(3)
  })

  it('a 401 is REMOTE_AUTH, not retried', async () => {
    const auth = new Simulator({
      // eslint-disable-next-line camelcase -- the OAuth error field
      auth: () => ({body: {error: 'invalid_token', error_description: 'The access token is invalid'}, status: 401}),
    })
    await auth.start()
    try {
      const error = await failure(client({baseUrl: auth.baseUrl}).json({method: 'POST', json: {a: 1}, path: '/x'}))
      expect(error.code).to.equal('REMOTE_AUTH')
      expect(error.message).to.equal(
        'acme: POST /x: HTTP 401 (The access token is invalid): the credentials were refused',
      )
      expect(auth.requests).to.equal(1)
    } finally {
      await auth.stop()
    }
  })

  it('uses an injected dispatcher (undici MockAgent)', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent.get('http://api.test').intercept({method: 'GET', path: '/v1/things?page=2'}).reply(200, {ok: true})
    const response = await new HttpClient({baseUrl: 'http://api.test/v1', dispatcher: agent, vendor: 'acme'}).json({
      method: 'GET',
      path: '/things',
      query: {page: 2},
    })
    expect(response.body).to.deep.equal({ok: true})
    agent.assertNoPendingInterceptors()
    await agent.close()
  })

  it('rejects a base URL with credentials or a query, without echoing them', () => {
    expect(() => new HttpClient({baseUrl: 'https://user:pw-123@api.test', vendor: 'acme'})).to.throw(
      /must not hold credentials/,
    )
    expect(() => new HttpClient({baseUrl: 'ftp://api.test', vendor: 'acme'})).to.throw(/must be http/)
  })
})

describe('rate limiter', () => {
  it('allows a burst of R, then never more than R requests in any period', async () => {
    const clock = new VirtualClock(0)
    const limiter = new RateLimiter({perMs: 1000, requests: 5}, clock)
    const times: number[] = []
    for (let i = 0; i < 23; i++) {
      await limiter.acquire()
      times.push(clock.now())
    }

    expect(times.slice(0, 5)).to.deep.equal([0, 0, 0, 0, 0])
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).to.be.at.least(1000)
    // and not much slower than the rate: 23 requests in a little over 4 periods
    expect(times.at(-1)).to.be.below(4 * 1000 * 1.03 + 1)
  })

  it('serves parallel callers in order at the configured rate', async () => {
    const clock = new VirtualClock(0)
    const limiter = new RateLimiter({perMs: 1000, requests: 2}, clock)
    const order: number[] = []
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        await limiter.acquire()
        order.push(i)
      }),
    )
    expect(order).to.deep.equal([0, 1, 2, 3, 4])
    expect(clock.now()).to.be.within(2000, 2100)
  })
})
