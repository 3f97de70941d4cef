import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {finished} from 'node:stream/promises'

import {ExitCode} from '../../src/errors.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {useTempDir} from '../helpers/tmp.js'
import {ROOT} from './helpers.js'

async function writeBigInput(input: string): Promise<void> {
  const sink = createWriteStream(input)
  for (const record of sampleGenerators.liveperson!(2500, {seed: 3})) sink.write(JSON.stringify(record) + '\n')
  sink.end()
  await finished(sink)
}

/** Waits until the run is assembling its bag (the hidden partial directory exists). */
async function untilPartial(dir: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && !(await readdir(dir)).some((name) => name.endsWith('.partial'))) {
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
  }

  expect(
    (await readdir(dir)).some((name) => name.endsWith('.partial')),
    'the run got going',
  ).to.equal(true)
}

describe('archive create, interrupted', () => {
  const tmp = useTempDir('each')

  it("after a kill -9, the next run on the same output removes the dead run's partial bag", async function () {
    this.timeout(120_000)
    const input = join(tmp.dir, 'big.jsonl')
    await writeBigInput(input)
    const output = join(tmp.dir, 'bag')
    const args = [join(ROOT, 'bin', 'run.js'), 'archive', 'create', '--from', 'liveperson', '--input', input]
    const child = spawn(process.execPath, [...args, '--output', output], {stdio: 'ignore'})
    const exited = new Promise((resolve) => {
      child.once('exit', resolve)
    })
    await untilPartial(tmp.dir)
    child.kill('SIGKILL')
    await exited
    expect((await readdir(tmp.dir)).filter((name) => name.endsWith('.partial'))).to.have.length(1)
    const again = spawnSync(process.execPath, [...args, '--output', output, '--shard-size', '1MiB'])
    expect(again.status, again.stderr.toString()).to.equal(0)
    expect((await readdir(tmp.dir)).sort()).to.deep.equal(['bag', 'big.jsonl'])
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 130 on ${signal} and leaves neither the bag nor its partial directory`, async function () {
      this.timeout(120_000)
      const input = join(tmp.dir, 'big.jsonl')
      await writeBigInput(input)
      const output = join(tmp.dir, 'bag')
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin', 'run.js'),
          'archive',
          'create',
          '--from',
          'liveperson',
          '--input',
          input,
          '--output',
          output,
        ],
        {stdio: ['ignore', 'ignore', 'pipe']},
      )
      const exited = new Promise<null | number>((resolve) => {
        child.once('exit', (code) => resolve(code))
      })
      await untilPartial(tmp.dir)
      child.kill(signal)
      expect(await exited).to.equal(ExitCode.Interrupted)
      expect(existsSync(output)).to.equal(false)
      expect((await readdir(tmp.dir)).sort()).to.deep.equal(['big.jsonl'])
    })
  }
})
