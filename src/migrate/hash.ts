import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

/** SHA-256 of a file's bytes, streamed (memory stays flat whatever the size). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * SHA-256 of a file, or of a directory tree (its files' relative paths and hashes, in sorted order), or null when the
 * path does not exist. A directory's hash changes when any file in it is added, removed, renamed or edited.
 */
export async function hashPath(path: string): Promise<null | string> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }

  if (!info.isDirectory()) return hashFile(path)
  const files = (await readdir(path, {recursive: true, withFileTypes: true}))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(path, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort()
  const tree = createHash('sha256')
  for (const file of files) tree.update(`${file}\0${await hashFile(join(path, file))}\n`)
  return `tree:${tree.digest('hex')}`
}

/** A short digest of one text (a JSON Lines line): 128 bits, enough to tell a changed record from an unchanged one. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22)
}
