import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type ConvertResult} from '../../src/convert/index.js'
import {newStats} from '../../src/engine/hooks/types.js'
import {loadMapping} from '../../src/engine/load-mapping.js'
import {ExitCode} from '../../src/errors.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {type SampleResult} from '../../src/sample/write.js'
import {NeutralConversation} from '../../src/schemas/neutral.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'

async function lines(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('sample', () => {
  const tmp = useTempDir('each')

  it('gives byte-identical output for the same seed, and other conversations for another seed', async () => {
    const a = join(tmp.dir, 'a.jsonl')
    const b = join(tmp.dir, 'b.jsonl')
    const c = join(tmp.dir, 'c.jsonl')
    await runCommand(['sample', 'liveperson', '--count', '5', '--seed', '42', '--output', a])
    await runCommand(['sample', 'liveperson', '--count', '5', '--seed', '42', '--output', b])
    await runCommand(['sample', 'liveperson', '--count', '5', '--seed', '43', '--output', c])
    expect(await readFile(a, 'utf8')).to.equal(await readFile(b, 'utf8'))
    expect(await readFile(a, 'utf8')).not.to.equal(await readFile(c, 'utf8'))
    expect(await lines(a)).to.have.length(5)
  })

  it('writes an API page that convert reads and reconciles, and reports with --json', async () => {
    const page = join(tmp.dir, 'page.json')
    const {result} = await runCommand<SampleResult>([
      'sample',
      'liveperson-consumer',
      '--count',
      '7',
      '--page',
      '--output',
      page,
      '--json',
    ])
    expect(result).to.include({format: 'liveperson-consumer', layout: 'json-document', records: 7})
    const converted = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson-consumer',
      '--to',
      'neutral',
      '--input',
      page,
      '--dry-run',
      '--json',
    ])
    expect(converted.result?.records).to.deep.equal({converted: 7, read: 7, rejected: 0})
  })

  it('generates neutral conversations that satisfy the neutral schema', async () => {
    const out = join(tmp.dir, 'neutral.jsonl')
    await runCommand(['sample', 'neutral', '--count', '3', '--output', out])
    for (const record of await lines(out)) expect(NeutralConversation.safeParse(record).success).to.equal(true)
  })

  it('names the known shapes when given an unknown one, and writes nothing', async () => {
    const out = join(tmp.dir, 'x.jsonl')
    const {stderr} = await runCommand(['sample', 'zendesk', '--output', out])
    expect(stderr).to.match(/Error: unknown record shape "zendesk"/)
    expect(stderr).to.match(/record shapes: .*liveperson/)
    expect(process.exitCode).to.equal(ExitCode.Usage)
    expect(existsSync(out)).to.equal(false)
    process.exitCode = 0
  })

  describe('every registered record shape', () => {
    for (const format of Object.keys(sampleGenerators)) {
      it(`${format}: records are accepted by the mapping and round-trip exactly`, async () => {
        const out = join(tmp.dir, `${format}.jsonl`)
        await runCommand(['sample', format, '--count', '40', '--seed', 'every-shape', '--output', out])
        const records = await lines(out)
        expect(records).to.have.length(40)
        const mapping = await loadMapping(format)
        const freshContext = () => ({format, stats: newStats()})
        for (const record of records) {
          const neutral = mapping.toNeutral(record, freshContext())
          expect(NeutralConversation.safeParse(neutral).success).to.equal(true)
          const back = mapping.fromNeutral(JSON.parse(stableStringify(neutral)), freshContext())
          expect(back).to.deep.equal(record)
        }
      })
    }
  })
})
