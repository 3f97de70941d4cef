/**
 * Temp files left by a process that died without cleaning up (kill -9, a crash, a power cut). An atomic write names its
 * temp file after the writing process (`.<name>.<pid>.<hex>.tmp`, io/atomic-file.ts), so the next run writing the same
 * output can tell a dead writer's leftovers from a live writer's work in progress, and removes only the former.
 *
 * A pid is reused once its process is gone, so "a process with that pid is alive" is not enough to keep a file: the
 * file must also be newer than that process (its start time, from /proc on Linux). Elsewhere the start time is
 * unknown and a file whose pid is alive is kept. A process in another pid namespace (another container sharing the
 * directory) looks dead from here; writing one output from two containers at once is not supported.
 */
import {readFileSync} from 'node:fs'
import {readdir, stat, unlink} from 'node:fs/promises'
import {basename, dirname, sep} from 'node:path'

/** Slack for the start time read from /proc: boot time is whole seconds, and clock ticks are 10 ms. */
const START_SLACK_MS = 2000

/** The temp file an atomic write of `path` uses; it lives beside `path` so that the final rename stays on one disk. */
export function tempPathFor(path: string, hex: string): string {
  // Not path.join: it would resolve `dir/..` by spelling, where the file system follows a symlinked `dir`.
  return `${dirname(path)}${sep}.${basename(path)}.${process.pid}.${hex}.tmp`
}

/**
 * Removes the temp files of `path` (see tempPathFor) whose writing process is gone. Best effort: a file that cannot
 * be examined or removed is left alone; returns how many were removed.
 */
export async function removeStaleTemps(path: string): Promise<number> {
  let names: string[]
  try {
    names = await readdir(dirname(path))
  } catch {
    return 0
  }

  const prefix = `.${basename(path)}.`
  let removed = 0
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const match = /^(\d+)\.[\da-f]{8}\.tmp$/.exec(name.slice(prefix.length))
    if (!match) continue
    const file = `${dirname(path)}${sep}${name}`
    try {
      if (!writerGone(Number(match[1]), (await stat(file)).mtimeMs)) continue
      await unlink(file)
      removed++
    } catch {
      // Gone already (another run cleaned it), or not ours to remove.
    }
  }

  return removed
}

/** True when the process that last wrote a file at `mtimeMs` under `pid` no longer exists. */
export function writerGone(pid: number, mtimeMs: number): boolean {
  if (!processAlive(pid)) return true
  const started = pid === process.pid ? performance.timeOrigin : processStart(pid)
  return started !== undefined && mtimeMs < started - START_SLACK_MS
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** When `pid` started (ms since the epoch), from /proc; undefined where there is no /proc. */
function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22, starttime in clock ticks since boot; fields are counted after the command name, which may hold spaces.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))
    // USER_HZ is 100 on every Linux architecture: /proc reports in it whatever the kernel's own tick rate.
    return boot && Number.isFinite(ticks) ? Number(boot[1]) * 1000 + ticks * 10 : undefined
  } catch {
    return undefined
  }
}
