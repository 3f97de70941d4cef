import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode, isConvoshiftError} from '../../src/errors.js'
import {checkpointPath, runExport} from '../../src/export/runner.js'
import {DAY_MS, MINUTE_MS, splitRange} from '../../src/export/windows.js'
import {useTempDir} from '../helpers/tmp.js'
import {errorLine, runCli} from './helpers.js'

describe('export windows', () => {
  it('splits a range into touching windows of at most the maximum, aligned to the rounding', () => {
    const since = Date.UTC(2024, 0, 1, 0, 3)
    const until = Date.UTC(2024, 2, 15, 12, 1)
    const windows = splitRange({since, until}, 30 * DAY_MS, 10 * MINUTE_MS)
    expect(windows[0]!.since).to.equal(Date.UTC(2024, 0, 1, 0, 0))
    expect(windows.at(-1)!.until).to.equal(Date.UTC(2024, 2, 15, 12, 10))
    for (const [i, w] of windows.entries()) {
      expect(w.until - w.since).to.be.at.most(30 * DAY_MS)
      expect(w.since % (10 * MINUTE_MS)).to.equal(0)
      if (i > 0) expect(w.since).to.equal(windows[i - 1]!.until)
    }

    expect(windows).to.have.length(3)
    expect(splitRange({since: 0, until: 1}, DAY_MS)).to.deep.equal([{since: 0, until: 1}])
  })
})

describe('export usage errors', () => {
  const tmp = useTempDir('each')

  it('a corrupt checkpoint is one line, exit 4', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    await writeFile(checkpointPath(output), '{"version": 1, "window": "x"}\n')
    const error = await runExport({
      baseUrl: 'http://127.0.0.1:9',
      format: 'liveperson',
      output,
      resume: true,
      since: 0,
      until: DAY_MS,
      values: {account: '1', token: 't'},
    }).catch((error_: unknown) => error_)
    expect(isConvoshiftError(error) && error.exitCode).to.equal(ExitCode.InvalidInput)
    expect(isConvoshiftError(error) && error.message).to.match(
      /out\.jsonl\.checkpoint\.json: not a convoshift export checkpoint \(/,
    )
  })

  it('bad times, ranges, page sizes and unknown shapes are usage errors (exit 2)', async () => {
    const base = [
      'export',
      'liveperson',
      '--account',
      '1',
      '--token',
      't',
      '--base-url',
      'http://127.0.0.1:9',
      '--output',
      join(tmp.dir, 'o.jsonl'),
    ]
    const cases: Array<[string[], RegExp]> = [
      [['--since', 'yesterday', '--until', '2024-01-02'], /^--since: not an ISO 8601 date or date-time: yesterday/],
      [['--since', '2024-01-02', '--until', '2024-01-01'], /^--since must be before --until/],
      [
        ['--since', '2024-01-01', '--until', '2024-01-02', '--page-size', '500'],
        /^--page-size must be 1 to 100 for liveperson/,
      ],
      [['--since', '2024-01-01', '--until', '2024-01-02', '--rate', 'fast'], /^--rate: not a number/],
    ]
    for (const [extra, pattern] of cases) {
      const run = await runCli([...base, ...extra])
      expect(run.code, run.stderr).to.equal(ExitCode.Usage)
      expect(errorLine(run.stderr)).to.match(pattern)
    }

    const unknown = await runCli([
      'export',
      'zendesk',
      '--since',
      '2024-01-01',
      '--until',
      '2024-01-02',
      '--output',
      'x',
    ])
    expect(unknown.code).to.equal(ExitCode.Usage)
  })
})
