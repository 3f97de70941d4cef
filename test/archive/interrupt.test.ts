import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync} from 'node:fs'
import {readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {finished} from 'node:stream/promises'

import {ExitCode} from '../../src/errors.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {useTempDir} from '../helpers/tmp.js'
import {ROOT} from './helpers.js'

async function writeBigInput(input: string, count = 2500): Promise<void> {
  const sink = createWriteStream(input)
  for (const record of sampleGenerators.liveperson!(count, {seed: 3})) sink.write(JSON.stringify(record) + '\n')
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

  it('a SIGTERM late in the run (manifests, tag files, the rename): exit 130 and no bag, never part of one', async function () {
    // The campaign's finding: a signal while the tag files were written let the rename go ahead with data/ already
    // removed by the cleanup, leaving a bag without its records under the output's name, and exit 130.
    this.timeout(300_000)
    const input = join(tmp.dir, 'big.jsonl')
    await writeBigInput(input, 600)
    const args = [join(ROOT, 'bin', 'run.js'), 'archive', 'create', '--from', 'liveperson', '--input', input]
    let finished = 0
    for (const delay of [100, 300, 500, 700, 900, 1100]) {
      const output = join(tmp.dir, `bag-${delay}`)
      const child = spawn(process.execPath, [...args, '--output', output], {stdio: 'ignore'})
      const exited = new Promise<null | number>((resolve) => {
        child.once('exit', (code) => resolve(code))
      })
      await untilPartial(tmp.dir)
      await new Promise((resolve) => {
        setTimeout(resolve, delay)
      })
      child.kill('SIGTERM')
      const code = await exited
      const left = (await readdir(tmp.dir)).filter((name) => name !== 'big.jsonl')
      if (code === 0) {
        // Finished before the signal: the bag is whole
        finished++
        expect(left).to.deep.equal([`bag-${delay}`])
        expect(spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'archive', 'verify', output]).status).to.equal(
          0,
        )
        await rm(output, {recursive: true})
      } else {
        expect(code, `SIGTERM after ${delay} ms`).to.equal(ExitCode.Interrupted)
        expect(left, `SIGTERM after ${delay} ms`).to.deep.equal([])
      }
    }

    expect(finished, 'every run finished before its signal: the input is too small to test anything').to.be.lessThan(6)
  })
})
