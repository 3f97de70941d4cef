import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** A fresh temp directory per test; `cleanup` removes it. */
export async function makeTempDir(): Promise<{cleanup: () => Promise<void>; dir: string}> {
  const dir = await mkdtemp(join(tmpdir(), 'convoshift-'))
  return {cleanup: () => rm(dir, {force: true, recursive: true}), dir}
}
