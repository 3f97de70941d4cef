import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode} from '../../src/errors.js'
import {runCli, seeded, startCli} from '../export/helpers.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')
const LP = ['--from', 'liveperson', '--to', 'neutral']

/** The temp files beside the output. */
async function temps(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'))
}

/** Resolves once the running convert has written this many bytes to its temp file. */
async function untilWriting(dir: string, bytes: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    for (const name of await temps(dir)) {
      if ((await stat(join(dir, name)).catch(() => ({size: 0}))).size >= bytes) return
    }

    await sleep(10)
  }

  throw new Error('convert never started writing')
}

describe('convert interrupted (through the CLI)', () => {
  const tmp = useTempDir('all')
  let big: string

  before(async () => {
    // About 25 MB: a conversion that takes long enough to be interrupted in the middle
    big = join(tmp.dir, 'big.jsonl')
    const made = await runCli(['sample', 'liveperson', '--count', '1500', '--output', big])
    expect(made.code, made.stderr).to.equal(0)
  })

  it('SIGINT or SIGTERM at random points of the conversion: exit 130, no temp file, the old output intact', async () => {
    const random = seeded(19)
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM'] as const) {
      // Given a previous output and a conversion under way
      const dir = join(tmp.dir, `signal-${signal}-${random()}`)
      const output = join(dir, 'out.jsonl')
      await runCli(['convert', ...LP, '--input', PAGE, '--output', output])
      const previous = await readFile(output)
      const {child, done} = startCli(['convert', ...LP, '--input', big, '--output', output])
      await untilWriting(dir, 1)

      // When it is signalled at a random point
      const after = Math.floor(random() * 400)
      await sleep(after)
      child.kill(signal)
      const run = await done

      // Then it ends as interrupted, leaving exactly what was there before
      expect(run.code, `${signal} after ${after} ms: ${run.stderr}`).to.equal(ExitCode.Interrupted)
      expect(run.stderr).not.to.match(/INTERNAL|\n\s+at /)
      expect(await temps(dir)).to.deep.equal([])
      expect((await readFile(output)).equals(previous)).to.equal(true)
    }
  })

  it('kill -9 leaves its temp file; the next run writing that output removes it', async () => {
    // Given a conversion killed with SIGKILL while writing (nothing can clean up after it)
    const dir = join(tmp.dir, 'killed')
    const output = join(dir, 'out.jsonl')
    await runCli(['convert', ...LP, '--input', PAGE, '--output', join(dir, 'seed.jsonl')])
    const {child, done} = startCli(['convert', ...LP, '--input', big, '--output', output])
    await untilWriting(dir, 1024 * 1024)
    child.kill('SIGKILL')
    await done
    const left = await temps(dir)
    expect(left, 'the killed run left no temp file to clean').to.have.length(1)

    // When the same output is written again
    const next = await runCli(['convert', ...LP, '--input', PAGE, '--output', output])

    // Then the dead run's temp file is gone
    expect(next.code, next.stderr).to.equal(0)
    expect(await temps(dir)).to.deep.equal([])
    expect(existsSync(output)).to.equal(true)
  })

  it("never removes a live process's temp file, but does remove one older than the process now holding its pid", async () => {
    // Given a live process and two temp files named after it: one fresh, one from before it started
    const dir = join(tmp.dir, 'live')
    const output = join(dir, 'out.jsonl')
    await runCli(['convert', ...LP, '--input', PAGE, '--output', output])
    const sleeper = spawn('sleep', ['30'])
    try {
      const fresh = `.out.jsonl.${sleeper.pid}.0000abcd.tmp`
      const reused = `.out.jsonl.${sleeper.pid}.ffff0000.tmp`
      await writeFile(join(dir, fresh), 'work in progress')
      await writeFile(join(dir, reused), 'left by a dead process that had the same pid')
      const yesterday = new Date(Date.now() - 86_400_000)
      await utimes(join(dir, reused), yesterday, yesterday)

      // When a run writes the same output
      const run = await runCli(['convert', ...LP, '--input', PAGE, '--output', output])

      // Then the live process's file is still there (on Linux, the old one is gone)
      expect(run.code, run.stderr).to.equal(0)
      expect(await temps(dir)).to.deep.equal(process.platform === 'linux' ? [fresh] : [fresh, reused].sort())
    } finally {
      sleeper.kill()
    }
  })
})
