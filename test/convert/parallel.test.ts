import {expect} from 'chai'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type ConvertResult, runConvert} from '../../src/convert/index.js'
import {livePersonRecords} from '../../src/sample/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

function withoutExtensionKeys(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'extensions' ? undefined : v)))
}

/**
 * Worker threads are an optimisation only: for any input, a parallel run must give the same bytes, the same
 * rejected file and the same errors as an in-process run.
 */
describe('convert on worker threads', () => {
  const tmp = useTempDir('all')

  async function both(input: string): Promise<Array<{output: string; rejected: string; result: ConvertResult}>> {
    const runs = []
    for (const jobs of [1, 2]) {
      const output = join(tmp.dir, `out-${jobs}.jsonl`)
      const result = await runConvert({from: 'liveperson', input, jobs, output, to: 'neutral'})
      const rejected = result.rejectedFile ? await readFile(result.rejectedFile, 'utf8') : ''
      runs.push({output: await readFile(output, 'utf8'), rejected, result})
    }

    return runs
  }

  it('writes the same bytes and the same rejected records as an in-process run', async () => {
    const lines = [...livePersonRecords(300, {messages: 6, seed: 'parallel'})].map((r) => JSON.stringify(r))
    // Records the validator rejects, a line holding an API page, and blank lines, spread across batches.
    lines.splice(150, 0, JSON.stringify({info: {}}), '')
    lines.splice(
      40,
      0,
      JSON.stringify({conversationHistoryRecords: [JSON.parse(lines[1]!), {info: {conversationId: 7}}]}),
    )
    lines.push(JSON.stringify({info: {conversationId: 'x'}, messageRecords: [{}]}))
    const input = join(tmp.dir, 'mixed.jsonl')
    await writeFile(input, lines.join('\n') + '\n')
    const [single, parallel] = await both(input)
    expect(parallel!.result.records).to.deep.equal(single!.result.records)
    expect(single!.result.records).to.deep.equal({converted: 301, read: 304, rejected: 3})
    expect(parallel!.output).to.equal(single!.output)
    expect(parallel!.rejected).to.equal(single!.rejected)
    expect(parallel!.result.declined).to.deep.equal(single!.result.declined)
  })

  it('leaves out the lossless remainder when asked (the bench measures its cost), in process and on workers alike', async () => {
    const input = join(tmp.dir, 'lean.jsonl')
    await writeFile(
      input,
      [...livePersonRecords(40, {messages: 4, seed: 'lean'})].map((r) => JSON.stringify(r)).join('\n') + '\n',
    )
    const full = join(tmp.dir, 'full.jsonl')
    await runConvert({from: 'liveperson', input, output: full, to: 'neutral'})
    const fullRecords = (await readFile(full, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(fullRecords.some((r) => r.extensions?.liveperson)).to.equal(true)
    const outputs = []
    for (const jobs of [1, 2]) {
      const output = join(tmp.dir, `lean-${jobs}.jsonl`)
      const result = await runConvert({from: 'liveperson', input, jobs, output, to: 'neutral', withoutExtensions: true})
      expect(result.records).to.deep.equal({converted: 40, read: 40, rejected: 0})
      outputs.push(await readFile(output, 'utf8'))
    }

    expect(outputs[1]).to.equal(outputs[0])
    const lean = outputs[0]!
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lean.some((r) => JSON.stringify(r).includes('"extensions"'))).to.equal(false)
    // Everything else is the same record.
    expect(lean).to.deep.equal(fullRecords.map((r) => withoutExtensionKeys(r)))
  })

  it('rejects a malformed line exactly as an in-process run does, and converts the rest', async () => {
    const lines = [...livePersonRecords(200, {messages: 4, seed: 'broken'})].map((r) => JSON.stringify(r))
    lines[170] = lines[170]!.slice(0, 300)
    lines[20] = lines[20]!.replace('{', '{,')
    const input = join(tmp.dir, 'broken.jsonl')
    await writeFile(input, lines.join('\n') + '\n')
    const [single, parallel] = await both(input)
    expect(parallel!.result.records).to.deep.equal(single!.result.records)
    expect(single!.result.records).to.deep.equal({converted: 198, read: 200, rejected: 2})
    expect(parallel!.output).to.equal(single!.output)
    expect(parallel!.rejected).to.equal(single!.rejected)
    expect(
      single!.rejected
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as {line: number}).line),
    ).to.deep.equal([21, 171])
  })

  it('still names the right format when the first record is of another shape', async () => {
    const input = join(tmp.dir, 'consumer.jsonl')
    await writeFile(input, `${JSON.stringify({convId: 'c1', participants: []})}\n`)
    const error = await runConvert({dryRun: true, from: 'liveperson', input, jobs: 2, to: 'neutral'}).catch(
      (error_: unknown) => error_ as Error,
    )
    expect((error as Error).message).to.equal(`${input}:1: this is a liveperson-consumer record, not liveperson`)
  })
})
