import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {readdir, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {removeStaleTemps} from '../../src/io/stale-temps.js'
import {useTempDir} from '../helpers/tmp.js'

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await once(child, 'exit')
  return child.pid!
}

describe('io/stale-temps', () => {
  const tmp = useTempDir('each')

  it("removes a dead writer's temp files of that output only, and keeps a live writer's", async () => {
    // Given temp files of out.jsonl by a dead process and by this (live) one, and others that are not its temps
    const dead = await deadPid()
    const names = {
      dead: `.out.jsonl.${dead}.0a1b2c3d.tmp`,
      live: `.out.jsonl.${process.pid}.00000000.tmp`,
      otherOutput: `.other.jsonl.${dead}.0a1b2c3d.tmp`,
      userFile: `.out.jsonl.${dead}.notours.tmp`,
    }
    for (const name of Object.values(names)) await writeFile(join(tmp.dir, name), 'partial')

    // When the next run opens out.jsonl
    const removed = await removeStaleTemps(join(tmp.dir, 'out.jsonl'))

    // Then only the dead writer's temp file of out.jsonl is gone
    expect(removed).to.equal(1)
    expect((await readdir(tmp.dir)).sort()).to.deep.equal([names.live, names.otherOutput, names.userFile].sort())
  })

  it('removes a temp file older than the live process that now has its pid (pid reuse)', async function () {
    if (process.platform !== 'linux') this.skip() // the start time of another process comes from /proc
    // Given a live process, and a temp file under its pid written an hour before it started
    const sleeper = spawn('sleep', ['30'])
    try {
      const name = `.out.jsonl.${sleeper.pid}.0a1b2c3d.tmp`
      const fresh = `.out.jsonl.${sleeper.pid}.ffffffff.tmp`
      await writeFile(join(tmp.dir, name), 'left by an earlier process with the same pid')
      await writeFile(join(tmp.dir, fresh), 'the live process writing')
      const anHourAgo = new Date(Date.now() - 3_600_000)
      await utimes(join(tmp.dir, name), anHourAgo, anHourAgo)

      // When the output is opened again
      await removeStaleTemps(join(tmp.dir, 'out.jsonl'))

      // Then the old one is gone and the live process's own file stays
      expect(await readdir(tmp.dir)).to.deep.equal([fresh])
    } finally {
      sleeper.kill()
    }
  })
})
