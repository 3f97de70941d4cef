/**
 * No write may land on an input. Every command declares the files it reads and the files it writes; before any work,
 * `checkWritePaths` refuses a write that is one of the inputs, that lies inside an input directory (a bag) or holds an
 * input (a workspace area), and two writes that are one file (--output X --rejected X would keep only one of them).
 *
 * Files are compared by what they are, not by how they are spelled: real paths (symlinks and `..` resolved by the
 * operating system, so `a/../x` through a symlinked `a` is where it really points), and device + inode (hard links).
 * A path that does not exist yet is its nearest existing ancestor's real path plus the rest. `-` is compared through
 * the descriptor (stdin, stdout) when the shell redirected it to a file: `--output - >> export.jsonl` is caught too.
 * Devices, pipes and sockets (/dev/null, a fifo) hold no data to destroy and are never compared.
 */
import {fstatSync, type Stats} from 'node:fs'
import {readdir, realpath, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve, sep} from 'node:path'

import {ConvoshiftError, ExitCode} from '../errors.js'

export interface PathUse {
  /** How the user gave it, for the message: '--input', '--report', 'the rejected file (<output>.rejected.jsonl)'. */
  flag: string
  /** Not given: nothing to check. */
  path: string | undefined
  /** A directory read as a whole (a bag) or written as a whole (a workspace area): nothing may be inside it. */
  directory?: boolean
}

export interface PathPlan {
  reads: readonly PathUse[]
  writes: readonly PathUse[]
}

interface Identity {
  /** `dev:ino` of an existing regular file or directory. */
  inode?: string
  /** Hard links to an existing regular file (more than 1: it may also be a file inside some directory). */
  links?: number
  real: string
  /** For '-': the stream it stands for. */
  stream?: 'stdin' | 'stdout'
  use: PathUse
}

/** Throws a usage error (exit 2) naming the first write that would land on an input or on another write. */
export async function checkWritePaths(plan: PathPlan): Promise<void> {
  const reads = await identify(plan.reads, 0)
  const writes = await identify(plan.writes, 1)
  const destroys = 'writing it would destroy the input'
  for (const write of writes) {
    for (const read of reads) {
      if (sameFile(write, read))
        throw conflict(`${name(write)} is the same file as ${name(read)}: ${destroys}`, anotherPath(write))
      if (read.use.directory && (inside(write, read) || (await linkedInside(write, read))))
        throw conflict(`${name(write)} is ${where(write, read)}: ${destroys}`, anotherPath(write))
      if (write.use.directory && (inside(read, write) || (await linkedInside(read, write)))) {
        throw conflict(`${name(read)} is ${where(read, write)}, which this command writes: ${destroys}`, [
          `move ${read.use.path} out of ${write.use.path}`,
        ])
      }
    }
  }

  for (const [i, first] of writes.entries()) {
    for (const second of writes.slice(i + 1)) {
      if (sameFile(first, second) || (first.use.directory && inside(second, first))) {
        const what = `${name(first)} and ${name(second)} are the same file: one would overwrite the other`
        throw conflict(what, anotherPath(second))
      }
    }
  }
}

function name({stream, use}: Identity): string {
  return stream ? `${use.flag} - (${stream}, redirected)` : `${use.flag} ${use.path}`
}

function anotherPath({use}: Identity): string[] {
  return [`choose another path for ${use.flag.split(' ')[0]}`]
}

function conflict(message: string, suggestions: string[]): ConvoshiftError {
  return new ConvoshiftError(message, {code: 'USAGE', exitCode: ExitCode.Usage, suggestions})
}

function sameFile(a: Identity, b: Identity): boolean {
  return (a.inode !== undefined && a.inode === b.inode) || a.real === b.real
}

/** How a path is inside a directory, for the message. */
function where(path: Identity, directory: Identity): string {
  return `${inside(path, directory) ? 'inside' : 'a hard link to a file inside'} ${name(directory)}`
}

function inside(path: Identity, directory: Identity): boolean {
  return path.real.startsWith(directory.real.endsWith(sep) ? directory.real : directory.real + sep)
}

/**
 * `path` is a hard link to a file inside `directory` (`ln bag/data/index.jsonl out.jsonl`): its real path is elsewhere,
 * so only the inodes can tell. The directory is walked only for a file with more than one link, which is rare.
 */
async function linkedInside(path: Identity, directory: Identity): Promise<boolean> {
  if (!path.inode || (path.links ?? 1) < 2 || !directory.inode) return false
  const entries = await readdir(directory.real, {recursive: true, withFileTypes: true}).catch(() => [])
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const stats = await stat(join(entry.parentPath, entry.name)).catch(() => {})
    if (stats && `${stats.dev}:${stats.ino}` === path.inode) return true
  }

  return false
}

/** `fd` is the descriptor '-' stands for: 0 for reads, 1 for writes. */
async function identify(uses: readonly PathUse[], fd: 0 | 1): Promise<Identity[]> {
  const identities: Identity[] = []
  for (const use of uses) {
    if (use.path === undefined) continue
    const identity = use.path === '-' ? descriptor(use, fd) : await resolvePath(use, use.path)
    if (identity) identities.push(identity)
  }

  return identities
}

function comparable(stats: Stats): boolean {
  return stats.isFile() || stats.isDirectory()
}

function descriptor(use: PathUse, fd: 0 | 1): Identity | undefined {
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return undefined
    const inode = `${stats.dev}:${stats.ino}`
    return {inode, real: `<fd ${fd}: ${inode}>`, stream: fd === 0 ? 'stdin' : 'stdout', use}
  } catch {
    return undefined
  }
}

async function resolvePath(use: PathUse, path: string): Promise<Identity | undefined> {
  try {
    const stats = await stat(path)
    if (!comparable(stats)) return undefined
    return {inode: `${stats.dev}:${stats.ino}`, links: stats.nlink, real: await realpath(path), use}
  } catch {
    // Not there yet (or not reachable): compare where it would be created.
  }

  // dirname/basename keep `..` as written, so the operating system resolves it against the real (symlinked) parent.
  const rest: string[] = []
  let existing = path
  for (;;) {
    rest.unshift(basename(existing))
    const parent = dirname(existing)
    if (parent === existing) return {real: resolve(path), use}
    existing = parent
    try {
      return {real: join(await realpath(existing), ...rest), use}
    } catch {
      // Keep climbing: missing directories are created, so what follows them is as written.
    }
  }
}
