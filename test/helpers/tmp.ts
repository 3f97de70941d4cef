import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** A fresh temp directory per test; `cleanup` removes it. */
export async function makeTempDir(): Promise<{cleanup: () => Promise<void>; dir: string}> {
  const dir = await mkdtemp(join(tmpdir(), 'convoshift-'))
  return {cleanup: () => rm(dir, {force: true, recursive: true}), dir}
}

/**
 * Registers hooks that give each test (`each`) or the whole suite (`all`) a fresh temp directory, removed after.
 * Read `.dir` inside tests.
 */
export function useTempDir(scope: 'all' | 'each' = 'each'): {readonly dir: string} {
  const state = {async cleanup() {}, dir: ''}
  const setup = async (): Promise<void> => {
    const made = await makeTempDir()
    state.dir = made.dir
    state.cleanup = made.cleanup
  }

  const teardown = (): Promise<void> => state.cleanup()
  if (scope === 'each') {
    beforeEach(setup)
    afterEach(teardown)
  } else {
    before(setup)
    after(teardown)
  }

  return state
}
