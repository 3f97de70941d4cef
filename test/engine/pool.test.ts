import {expect} from 'chai'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {makeChunkConverter} from '../../src/engine/pool/chunk.js'
import {newlinePieces} from '../../src/engine/pool/chunks.js'
import {makeConverter, resolveSides} from '../../src/engine/pool/core.js'
import {DEFAULT_LIMITS} from '../../src/io/limits.js'
import {runCli} from '../export/helpers.js'
import {mixedLines} from '../helpers/pool-input.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, unknown>

/**
 * The worker pool is an optimisation only: whatever the input, a run on the pool (`--jobs 2`) must leave the same
 * output, the same rejected file and the same `--json` result as a single-threaded run (`--jobs 1`).
 */
describe('convert on the worker pool', () => {
  const tmp = useTempDir('all')

  async function bothWays(name: string, content: Buffer | string, flags: string[] = []): Promise<Any[]> {
    const input = join(tmp.dir, name)
    await writeFile(input, content)
    const runs: Any[] = []
    for (const jobs of ['1', '2']) {
      const dir = join(tmp.dir, `${name}-${jobs}`)
      await mkdir(dir)
      const output = join(dir, 'out.jsonl')
      const args = ['convert', '--from', 'liveperson', '--to', 'neutral', '--input', input, '--output', output]
      const run = await runCli([...args, '--jobs', jobs, '--json', ...flags])
      const rejected = await readFile(`${output}.rejected.jsonl`, 'utf8').catch(() => '')
      runs.push({
        code: run.code,
        out: await readFile(output, 'utf8').catch(() => ''),
        rejected,
        result: run.stdout.replaceAll(dir, '<dir>'),
        stderr: run.stderr.replaceAll(dir, '<dir>'),
      })
    }

    expect(runs[1]).to.deep.equal(runs[0])
    return runs
  }

  it('gives the same output, rejected file and result for every kind of line, LF or CRLF, plain or gzip', async () => {
    const text = mixedLines().join('\n') + '\n'
    const [plain] = await bothWays('mixed.jsonl', text)
    const result = JSON.parse(plain!.result as string) as Any
    expect(result.records).to.deep.equal({converted: 394, read: 401, rejected: 7})
    // lines[0] again, and lines[1] again in the page.
    expect(result.ids).to.deep.include({empty: 1})
    expect((result.ids as {duplicated: Any}).duplicated.count).to.equal(2)
    const lines = (plain!.rejected as string)
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as {line: number}).line)
    expect(lines).to.deep.equal([13, 41, 78, 91, 131, 161, 201])

    await bothWays('crlf.jsonl', `\uFEFF${mixedLines().join('\r\n')}\r\n`)
    await bothWays('mixed.jsonl.gz', gzipSync(text))
    // No newline after the last line.
    await bothWays('unterminated.jsonl', mixedLines().join('\n'))
  })

  it('gives the same result for input the pool hands back to the single-threaded reader', async () => {
    const lines = mixedLines()
    // A record larger than --max-record-bytes, a line cut short in the middle and at the end of the file.
    const big = [...lines]
    big[222] = big[222]!.replace('{"info":', `{"pad":"${'x'.repeat(300_000)}","info":`)
    await bothWays('big.jsonl', big.join('\n') + '\n', ['--max-record-bytes', '200KB'])
    const cut = [...lines]
    cut[180] = cut[180]!.slice(0, 500)
    cut.push(lines[3]!.slice(0, 200))
    await bothWays('cut.jsonl', cut.join('\n'))
    // A first record of another shape: the single-threaded run names the format.
    const [wrong] = await bothWays('wrong.jsonl', `${JSON.stringify({convId: 'c1', participants: []})}\n${lines[0]}\n`)
    expect(wrong!.code).to.equal(4)
  })

  it('converts the mixed input on the pool itself, without handing it back', async () => {
    // Given the chunks the main thread cuts and the converter a worker runs, in this process
    const input = join(tmp.dir, 'direct.jsonl')
    await writeFile(input, `\uFEFF${mixedLines().join('\r\n')}`)
    const {from, to} = await resolveSides({from: 'liveperson', to: 'neutral'})
    const convert = makeChunkConverter(makeConverter(from, to), from, DEFAULT_LIMITS)
    const results = []
    for await (const piece of newlinePieces(input, DEFAULT_LIMITS.maxRecordBytes)) {
      if ('tooLong' in piece) throw new Error('unexpected long line')
      results.push(convert({...piece, seq: results.length}))
    }

    // Then every chunk is converted there (none falls back), with every record counted
    expect(results.length).to.be.greaterThan(3)
    expect(results.filter((r) => r.fallback !== undefined)).to.deep.equal([])
    expect(results.reduce((n, r) => n + (r.fallback === undefined ? r.records : 0), 0)).to.equal(401)
  })
})
