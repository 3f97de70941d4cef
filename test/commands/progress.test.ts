import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {stripVTControlCharacters} from 'node:util'

import {BIN, runCli} from '../export/helpers.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

/** A LivePerson JSON Lines file of `count` records (the fixture page's records, with fresh ids). */
async function lines(path: string, count: number): Promise<number> {
  const page = JSON.parse(await readFile(join(FIXTURES, 'liveperson', 'msgint-page.json'), 'utf8')) as {
    conversationHistoryRecords: Array<{info: {conversationId: string}}>
  }
  const records = page.conversationHistoryRecords
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const record = structuredClone(records[i % records.length]!)
    record.info.conversationId = `${record.info.conversationId}-${i}`
    out.push(JSON.stringify(record))
  }

  await writeFile(path, out.join('\n') + '\n')
  return (await stat(path)).size
}

/** The CLI under a pseudo-terminal (util-linux `script`), as a user at a terminal sees it: everything it drew. */
async function underTerminal(
  args: string[],
  env: Record<string, string>,
): Promise<{code: null | number; screen: string}> {
  const command = [process.execPath, BIN, ...args]
    .map((word) => `'${word.replaceAll("'", String.raw`'\''`)}'`)
    .join(' ')
  // A new pseudo-terminal has no size; a user's terminal has one (listr2 fits each line to its width).
  const child = spawn('script', ['-qfec', `stty cols 200 rows 50; ${command}`, '/dev/null'], {
    env: {...process.env, ...env},
  })
  let screen = ''
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8')
  })
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({code, screen: stripVTControlCharacters(screen)}))
  })
}

describe('progress (the built CLI)', () => {
  const tmp = useTempDir()

  it('on a terminal: counts, the share of the file read with its size, rate and ETA, then the elapsed time', async () => {
    const input = join(tmp.dir, 'big.jsonl')
    const size = await lines(input, 3000)
    const megabytes = `${(size / 1e6).toFixed(size >= 1e7 ? 0 : 1)} MB`
    const run = await underTerminal(
      ['convert', '--from', 'liveperson', '--to', 'ada', '--input', input, '--output', join(tmp.dir, 'out.jsonl')],
      {CONVOSHIFT_PROGRESS_SECONDS: '0'},
    )
    expect(run.code, run.screen).to.equal(0)
    const progress = [
      ...run.screen.matchAll(
        /(\d+) read, \d+ converted, 0 rejected · (\d+)% of ([\d.]+ MB) · \d+ records\/s · ETA (\d+)s/g,
      ),
    ]
    expect(progress.length, run.screen).to.be.greaterThan(0)
    for (const [, read, percent, total] of progress) {
      expect(total).to.equal(megabytes)
      expect(Number(percent)).to.be.within(0, 100)
      expect(Number(read)).to.be.within(1, 3000)
    }

    expect(run.screen).to.match(/Converting liveperson → ada: 3000 read, 3000 converted, 0 rejected \[\d+(\.\d+)?s\]/)
  })

  it('in a log: timestamped lines with the share read and ETA, at most one per interval; elapsed time at the end', async () => {
    const input = join(tmp.dir, 'big.jsonl')
    await lines(input, 1500)
    const args = [
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      join(tmp.dir, 'o.jsonl'),
    ]
    const run = await runCli(args, {CONVOSHIFT_PROGRESS_SECONDS: '0.2'})
    expect(run.code, run.stderr).to.equal(0)
    const updates = run.stderr.split('\n').filter((line) => line.includes('% of '))
    expect(updates.length, run.stderr).to.be.greaterThan(0)
    for (const line of updates)
      expect(line).to.match(/^› \[\d\d:\d\d:\d\d\] \d+ read, .* · \d+% of .* · ETA \d+s · \d+s elapsed$/)
    expect(run.stderr).to.match(
      /✔ \[\d\d:\d\d:\d\d\] Converting liveperson → neutral: 1500 read, 1500 converted, 0 rejected \[\d/,
    )

    // The default interval in a log is five seconds: update lines (one every 256 records unthrottled) at least ~5 s apart
    const quiet = await runCli(args)
    const seconds = quiet.stderr
      .split('\n')
      .filter((line) => line.includes('% of '))
      .map((line) => /\[(\d\d):(\d\d):(\d\d)\]/.exec(line)!.slice(1).map(Number))
      .map(([h, m, s]) => h! * 3600 + m! * 60 + s!)
    expect(seconds.length, quiet.stderr).to.be.greaterThan(0)
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!, quiet.stderr).to.be.at.least(4)
  })

  it('under --json: progress stays on stderr on a terminal, and is dropped without one', async () => {
    const input = join(tmp.dir, 'big.jsonl')
    await lines(input, 600)
    const args = [
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      join(tmp.dir, 'j.jsonl'),
      '--json',
    ]
    const piped = await runCli(args, {CONVOSHIFT_PROGRESS_SECONDS: '0'})
    expect(piped.stderr).to.equal('')
    expect(JSON.parse(piped.stdout)).to.have.nested.property('records.read', 600)
    const terminal = await underTerminal(args, {CONVOSHIFT_PROGRESS_SECONDS: '0'})
    expect(terminal.screen).to.match(/Converting liveperson → neutral: 600 read/)
  })
})
