import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeRecordTask} from '../../src/archive/record-task.js'
import {makeChunkConverter} from '../../src/engine/pool/chunk.js'
import {newlinePieces} from '../../src/engine/pool/chunks.js'
import {makeConverter, resolveSides} from '../../src/engine/pool/core.js'
import {DEFAULT_LIMITS} from '../../src/io/limits.js'
import {runCli} from '../export/helpers.js'
import {mixedLines} from '../helpers/pool-input.js'
import {useTempDir} from '../helpers/tmp.js'
import {snapshot} from './helpers.js'

/**
 * `archive create` on the worker pool (`--jobs 2`) must make the same bag, byte for byte, as in process (`--jobs 1`):
 * the same shards, index, id map, rejected records, redaction counts and manifests.
 */
describe('archive create on the worker pool', () => {
  const tmp = useTempDir('all')

  async function bothWays(name: string, content: string): Promise<Array<Record<string, unknown>>> {
    const input = join(tmp.dir, name)
    await writeFile(input, content)
    const runs = []
    for (const jobs of ['1', '2']) {
      const bag = join(tmp.dir, `${name}-${jobs}`)
      const args = ['archive', 'create', '--from', 'liveperson', '--input', input, '--output', bag, '--json']
      // Small shards: records are placed across many of them.
      const flags = ['--date', '2026-12-01', '--redact', 'email,phone', '--shard-size', '300KB', '--jobs', jobs]
      const run = await runCli([...args, ...flags])
      runs.push({
        bag: await snapshot(bag).catch(() => ({})),
        code: run.code,
        result: run.stdout.replaceAll(bag, '<bag>'),
        stderr: run.stderr.replaceAll(bag, '<bag>'),
      })
    }

    expect(runs[1]).to.deep.equal(runs[0])
    return runs
  }

  it('makes the same bag for every kind of line, and every record is archived or rejected', async () => {
    const [run] = await bothWays('mixed.jsonl', mixedLines().join('\n') + '\n')
    const result = JSON.parse(run!.result as string) as {records: Record<string, number>; shards: number}
    expect(result.records).to.deep.include({archived: 394, read: 401, rejected: 7})
    expect(result.shards).to.be.greaterThan(5)
    const idMap = Buffer.from((run!.bag as Record<string, string>)['data/id-map.jsonl']!, 'base64').toString()
    expect(idMap.trim().split('\n')).to.have.length(401)
  })

  it('makes the same bag when the pool hands the input back to the single-threaded reader part way', async () => {
    const lines = mixedLines()
    lines[380] = lines[380]!.slice(0, 500) // a line cut short, in the last chunk: the pool's pass is discarded
    await bothWays('cut.jsonl', lines.join('\n') + '\n')
  })

  it('archives the mixed input on the pool itself, without handing it back', async () => {
    const input = join(tmp.dir, 'direct.jsonl')
    await writeFile(input, mixedLines().join('\n'))
    const {from, to} = await resolveSides({from: 'liveperson', to: 'neutral'})
    const task = makeRecordTask({redact: ['email']})
    const convert = makeChunkConverter(makeConverter(from, to), from, DEFAULT_LIMITS, task)
    let archived = 0
    let chunks = 0
    for await (const piece of newlinePieces(input, DEFAULT_LIMITS.maxRecordBytes)) {
      if ('tooLong' in piece) throw new Error('unexpected long line')
      const result = convert({...piece, seq: chunks++})
      if (result.fallback !== undefined) throw new Error(`fell back: ${result.fallback}`)
      archived += result.emitted!.length
    }

    expect(chunks).to.be.greaterThan(3)
    expect(archived).to.equal(394)
  })
})
