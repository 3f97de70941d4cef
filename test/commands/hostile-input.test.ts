import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {createWriteStream, existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {finished} from 'node:stream/promises'
import {createGzip, gzipSync} from 'node:zlib'

import {livePersonRecords} from '../../src/sample/liveperson.js'
import {BIN, errorLine, runCli} from '../export/helpers.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

/**
 * Input that JSON.parse and a naive reader would change or choke on, fed to the built CLI: every record ends up
 * converted exactly or rejected with its line and reason, and the run goes on (issue 19, items 2–6 and 13).
 */
describe('convert and archive create on hostile input (built CLI)', () => {
  const tmp = useTempDir('each')

  async function input(name: string, content: Buffer | string): Promise<string> {
    const path = join(tmp.dir, name)
    await writeFile(path, content)
    return path
  }

  async function convert(
    path: string,
    ...extra: string[]
  ): Promise<{code: null | number; out: string; stdout: string}> {
    const out = join(tmp.dir, 'out.jsonl')
    const run = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path,
      '--output',
      out,
      ...extra,
    ])
    expect(run.stderr).not.to.match(/at .*\.js:\d+|RangeError|TypeError/)
    return {code: run.code, out, stdout: run.stdout}
  }

  it('rejects records whose numbers a double would change, naming the field and the number; keeps respelled ones', async () => {
    // Given the three numbers of the campaign, and two that are only spelled differently
    const [a, b, c, d, e] = lines()
    const path = await input(
      'numbers.jsonl',
      [
        a!.replace(/"startTimeL":\d+/, '"startTimeL":1e400'),
        b!.replace(/"startTimeL":\d+/, '"startTimeL":123456789012345678901234567890'),
        c!.replace(/"startTimeL":\d+/, '"startTimeL":9007199254740993'),
        d!.replace(/"startTimeL":(\d+)/, '"startTimeL":$1.0'),
        e!.replace(/"startTimeL":(\d)(\d+)/, '"startTimeL":$1.$2e12'),
      ].join('\n') + '\n',
    )

    // When it is converted
    const run = await convert(path)

    // Then three are rejected, each with its line, the field, the number and what it would have become
    expect(run.code).to.equal(6)
    expect(run.stdout).to.contain('5 read = 2 converted + 3 rejected')
    const rejected = await jsonl(`${run.out}.rejected.jsonl`)
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [1, 'info.startTimeL: the number 1e400 cannot be kept exactly (it would be written as null)'],
      [
        2,
        'info.startTimeL: the number 123456789012345678901234567890 cannot be kept exactly (it would be written as 1.2345678901234568e+29)',
      ],
      [
        3,
        'info.startTimeL: the number 9007199254740993 cannot be kept exactly (it would be written as 9007199254740992)',
      ],
    ])
    // The rejected file keeps the record as written, not as JSON.parse changed it
    expect(rejected[0]!.text).to.contain('"startTimeL":1e400')
    expect(rejected[0]!.record).to.equal(undefined)
    expect(rejected[0]!.id).to.be.a('string')
    // And the respelled numbers are the same values: the output is what the canonical spelling gives
    const plain = await input('plain.jsonl', `${d}\n${e}\n`)
    const canonical = join(tmp.dir, 'canonical.jsonl')
    await runCli(['convert', '--from', 'liveperson', '--to', 'neutral', '--input', plain, '--output', canonical])
    expect(await readFile(run.out, 'utf8')).to.equal(await readFile(canonical, 'utf8'))
  })

  it('rejects a record with a duplicate key, naming the object and the key', async () => {
    const [a, b] = lines(2)
    const path = await input('dupes.jsonl', `${a!.replace('{"info":', '{"info":{"first":true},"info":')}\n${b}\n`)
    const run = await convert(path)
    expect(run.code).to.equal(6)
    expect(run.stdout).to.contain('2 read = 1 converted + 1 rejected')
    const [rejected] = await jsonl(`${run.out}.rejected.jsonl`)
    expect(rejected).to.deep.include({line: 1, reason: 'record: duplicate key "info" (JSON keeps only the last copy)'})
    expect(rejected!.text).to.contain('{"first":true}')
  })

  it('rejects a malformed JSON Lines line with its text and goes on; a malformed document still stops with one line', async () => {
    // Given one bad line among good ones
    const good = lines(4)
    const path = await input(
      'one-bad.jsonl',
      [good[0], good[1], '{"info": {"conversationId": "x",', good[2], good[3]].join('\n'),
    )

    // When it is converted
    const run = await convert(path)

    // Then every good record is converted, the bad line is in the rejected file, and the counts reconcile
    expect(run.code).to.equal(6)
    expect(run.stdout).to.contain('5 read = 4 converted + 1 rejected')
    expect(await jsonl(run.out)).to.have.length(4)
    expect(await jsonl(`${run.out}.rejected.jsonl`)).to.deep.equal([
      {
        index: 2,
        line: 3,
        reason:
          'malformed JSON: unexpected end of line (each line of a JSON Lines file must hold one complete JSON value)',
        text: '{"info": {"conversationId": "x",',
      },
    ])

    // And a JSON document with the same fault stops, naming the line, writing nothing
    const document = await input('bad.json', `[\n${good[0]},\n{"info": {"conversationId": "x",},\n${good[1]}\n]\n`)
    const out = join(tmp.dir, 'doc.jsonl')
    const failed = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      document,
      '--output',
      out,
    ])
    expect(failed.code).to.equal(4)
    expect(errorLine(failed.stderr)).to.equal(`${document}:3:33: malformed JSON: unexpected character '}'`)
    expect(existsSync(out)).to.equal(false)
  })

  it('rejects a record nested 100,000 deep in JSON Lines and in archive create; a document stops with one line', async () => {
    // Given a record holding a 100,000-deep array, between two good ones
    const [a, b, c] = lines(3)
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const path = await input('deep.jsonl', [a, b!.replace('{"info":', `{"deep":${deep},"info":`), c].join('\n') + '\n')
    const reason = 'deep[0][0][0][0][0]…: nested deeper than 1000 levels (raise the limit with --max-depth, up to 2000)'

    // Then convert rejects that record with its line and reason, and converts the others
    const run = await convert(path)
    expect(run.code).to.equal(6)
    expect(run.stdout).to.contain('3 read = 2 converted + 1 rejected')
    const [rejected] = await jsonl(`${run.out}.rejected.jsonl`)
    expect(rejected).to.deep.include({index: 1, line: 2, reason})

    // And archive create does the same in the bag's rejected file
    const bag = join(tmp.dir, 'bag')
    const archived = await runCli(['archive', 'create', '--from', 'liveperson', '--input', path, '--output', bag])
    expect(archived.stderr).not.to.match(/RangeError|Maximum call stack/)
    expect(archived.code).to.equal(6)
    expect(await jsonl(join(bag, 'data', 'rejected.jsonl'))).to.have.length(1)
    expect((await jsonl(join(bag, 'data', 'rejected.jsonl')))[0]).to.deep.include({line: 2, reason})

    // And in a JSON document it is one error naming the file and line
    const document = await input('deep.json', `[\n${a},\n{"deep":${deep}}\n]\n`)
    const failed = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      document,
      '--dry-run',
    ])
    expect(failed.code).to.equal(4)
    expect(errorLine(failed.stderr)).to.equal(`${document}:3: ${reason}`)
  })

  it('takes a record at the --max-depth limit through convert, verify and archive create without a stack overflow', async () => {
    // Given a record whose extra field makes it 2000 levels deep (the highest --max-depth)
    const [a, b] = lines(2)
    const deep = `${'['.repeat(1998)}1${']'.repeat(1998)}`
    const path = await input('at-limit.jsonl', `${a!.replace('{"info":', `{"deep":${deep},"info":`)}\n${b}\n`)
    const limit = ['--max-depth', '2000']

    // Then it converts (to neutral, and to a vendor that carries what it cannot hold), verifies and archives
    const neutral = join(tmp.dir, 'neutral.jsonl')
    const toNeutral = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path,
      '--output',
      neutral,
      ...limit,
    ])
    expect(toNeutral.stdout, toNeutral.stderr).to.contain('2 read = 2 converted + 0 rejected')
    const ada = join(tmp.dir, 'ada.jsonl')
    const toAda = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'ada',
      '--input',
      path,
      '--output',
      ada,
      ...limit,
    ])
    expect(toAda.stdout, toAda.stderr).to.contain('2 read = 2 converted + 0 rejected')
    for (const [to, target] of [
      ['neutral', neutral],
      ['ada', ada],
    ]) {
      const verified = await runCli([
        'verify',
        '--from',
        'liveperson',
        '--to',
        to!,
        '--source',
        path,
        '--target',
        target!,
        ...limit,
      ])
      expect(verified.stderr).not.to.match(/RangeError|Maximum call stack/)
      expect(verified.stdout, verified.stderr).to.match(/^PASS/m)
    }

    const bag = join(tmp.dir, 'bag')
    const archived = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      path,
      '--output',
      bag,
      ...limit,
    ])
    expect(archived.code, archived.stderr).to.equal(0)
    const checked = await runCli(['archive', 'verify', bag])
    expect(checked.code, checked.stderr).to.equal(0)

    // And the flag refuses a limit the recursive steps were not tested for
    const refused = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path,
      '--dry-run',
      '--max-depth',
      '5000',
    ])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.match(/max-depth.*2000/s)
  })

  it('stops a 2 MB gzip holding one 2 GiB line at --max-record-bytes, saying so, without reading it all', async function () {
    this.timeout(120_000)
    // Given a gzip file whose single line decompresses to 2 GiB
    const path = join(tmp.dir, 'bomb.json.gz')
    const gzip = createGzip({level: 9})
    const out = gzip.pipe(createWriteStream(path))
    const chunk = Buffer.alloc(16 * 1024 * 1024, 'x')
    gzip.write('{"info":{"conversationId":"c1","text":"')
    for (let i = 0; i < 128; i++) if (!gzip.write(chunk)) await once(gzip, 'drain')
    gzip.end('"}}\n')
    await finished(out)

    // When it is converted with the default limit, its peak memory measured in the process itself
    const started = Date.now()
    const {code, maxRss, stderr} = await runMeasured([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path,
      '--dry-run',
    ])

    // Then it is one clear line about the limit (not "truncated file?"), after about 64 MiB, in bounded memory
    expect(code).to.equal(4)
    expect(errorLine(stderr)).to.equal(
      `${path}:1: a value starting on this line is larger than --max-record-bytes (64 MiB)`,
    )
    expect(stderr).to.contain('--max-record-bytes')
    expect(maxRss).to.be.lessThan(400 * 1024 * 1024)
    expect(Date.now() - started).to.be.lessThan(60_000)
  })

  it('rejects a JSON Lines record larger than --max-record-bytes, keeping its first bytes and size, and goes on', async () => {
    const [a, b] = lines(2)
    const big = a!.replace('{"info":', `{"pad":"${'x'.repeat(3 * 1024 * 1024)}","info":`)
    const path = await input('big-line.jsonl.gz', gzipSync([a, big, b].join('\n') + '\n'))
    const run = await convert(path, '--max-record-bytes', '1MiB')
    expect(run.code).to.equal(6)
    expect(run.stdout).to.contain('3 read = 2 converted + 1 rejected')
    const [rejected] = await jsonl(`${run.out}.rejected.jsonl`)
    expect(rejected).to.deep.include({
      bytes: Buffer.byteLength(big),
      index: 1,
      line: 2,
      reason: 'record larger than --max-record-bytes (1 MiB)',
    })
    expect(rejected!.text).to.equal(big.slice(0, 1024))
  })

  it('names null in an array as null, not "object"', async () => {
    const [a] = lines(1)
    const path = await input('null.json', `[${a},null]`)
    const run = await convert(path)
    expect(run.code).to.equal(6)
    const [rejected] = await jsonl(`${run.out}.rejected.jsonl`)
    expect(rejected).to.deep.include({index: 1, reason: 'expected an object, got null', record: null})
  })

  it('counts and reports duplicate and empty conversation ids', async () => {
    const records = [...livePersonRecords(5, {messages: 2, seed: 'ids'})] as Any[]
    records[2]!.info.conversationId = records[0]!.info.conversationId
    records[3]!.info.conversationId = records[0]!.info.conversationId
    records[4]!.info.conversationId = ''
    const path = await input('ids.jsonl', records.map((r) => JSON.stringify(r)).join('\n'))
    const id = records[0]!.info.conversationId as string

    const human = await convert(path)
    expect(human.code).to.equal(0)
    expect(human.stdout).to.contain(`conversation ids in more than one record: 1 (${id} ×3)`)
    expect(human.stdout).to.contain('records without a conversation id: 1')

    const json = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path,
      '--dry-run',
      '--json',
    ])
    expect((JSON.parse(json.stdout) as Any).ids).to.deep.equal({
      duplicated: {count: 1, ids: [{copies: 3, id}]},
      empty: 1,
    })
  })

  it('gives the same output, rejected file and result on worker threads (--jobs 2) for all of the above', async () => {
    // Given every kind of bad input spread over batches of a larger file
    const good = lines(400, 'jobs')
    const all = [...good]
    all[10] = all[10]!.replace(/"startTimeL":\d+/, '"startTimeL":1e400')
    all[70] = all[70]!.replace('{"info":', '{"info":{},"info":')
    all[130] = '{"info": '
    all[190] = `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`
    all[250] = all[250]!.replace('{"info":', `{"pad":"${'x'.repeat(300_000)}","info":`)
    all[310] = 'null'
    all[320] = all[0]!
    const path = await input('everything.jsonl', all.join('\n') + '\n')

    // When it is converted in process and on two threads
    const runs = []
    for (const jobs of ['1', '2']) {
      const out = join(tmp.dir, `out-${jobs}.jsonl`)
      const run = await runCli([
        'convert',
        '--from',
        'liveperson',
        '--to',
        'neutral',
        '--input',
        path,
        '--output',
        out,
        '--jobs',
        jobs,
        '--max-record-bytes',
        '200KB',
        '--json',
      ])
      runs.push({
        code: run.code,
        out: await readFile(out, 'utf8'),
        rejected: await readFile(`${out}.rejected.jsonl`, 'utf8'),
        result: {...(JSON.parse(run.stdout) as Any), output: null, rejectedFile: null} as Any,
      })
    }

    // Then everything is identical, and every bad line is accounted for
    expect(runs[1]).to.deep.equal(runs[0])
    expect(runs[0]!.code).to.equal(6)
    expect(runs[0]!.result.records).to.deep.equal({converted: 394, read: 400, rejected: 6})
    expect(runs[0]!.result.ids.duplicated.count).to.equal(1)
    expect(
      runs[0]!.rejected
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as Any).line),
    ).to.deep.equal([11, 71, 131, 191, 251, 311])
  })
})

/** LivePerson records as JSON Lines lines (JSON.stringify: `"startTimeL":<digits>` comes first in each). */
function lines(count = 5, seed = 'hostile'): string[] {
  return [...livePersonRecords(count, {messages: 2, seed})].map((record) => JSON.stringify(record))
}

async function jsonl(path: string): Promise<Any[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Any)
}

/** Runs the built CLI with a preload that reports the process's own peak resident set size on exit. */
async function runMeasured(args: string[]): Promise<{code: null | number; maxRss: number; stderr: string}> {
  const report = join(import.meta.dirname, '..', 'helpers', 'report-max-rss.cjs')
  const child = spawn(process.execPath, ['--require', report, BIN, ...args], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let rss = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
    rss += chunk.toString('utf8')
  })
  // A run that does not stop on its own (the old reader took minutes and gigabytes here) is not left behind.
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000)
  const code = await new Promise<null | number>((resolve) => {
    child.on('close', resolve)
  })
  clearTimeout(timer)
  return {code, maxRss: Number(rss) * 1024, stderr}
}
