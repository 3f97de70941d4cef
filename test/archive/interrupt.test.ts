import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {createWriteStream, existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {finished} from 'node:stream/promises'

import {ExitCode} from '../../src/errors.js'
import {sampleGenerators} from '../../src/sample/index.js'
import {useTempDir} from '../helpers/tmp.js'
import {ROOT} from './helpers.js'

describe('archive create, interrupted', () => {
  const tmp = useTempDir('each')

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 130 on ${signal} and leaves neither the bag nor its partial directory`, async function () {
      this.timeout(120_000)
      const input = join(tmp.dir, 'big.jsonl')
      const sink = createWriteStream(input)
      for (const record of sampleGenerators.liveperson!(2500, {seed: 3})) sink.write(JSON.stringify(record) + '\n')
      sink.end()
      await finished(sink)
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
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      )
      const exited = new Promise<null | number>((resolve) => {
        child.once('exit', (code) => resolve(code))
      })
      // Signal once the bag is being assembled (its hidden partial directory exists).
      const deadline = Date.now() + 60_000
      while (Date.now() < deadline && !(await readdir(tmp.dir)).some((name) => name.endsWith('.partial'))) {
        await new Promise((resolve) => {
          setTimeout(resolve, 20)
        })
      }

      expect(
        (await readdir(tmp.dir)).some((name) => name.endsWith('.partial')),
        'the run got going',
      ).to.equal(true)
      child.kill(signal)
      expect(await exited).to.equal(ExitCode.Interrupted)
      expect(existsSync(output)).to.equal(false)
      expect((await readdir(tmp.dir)).sort()).to.deep.equal(['big.jsonl'])
    })
  }
})
