/**
 * A directory that appears whole or not at all (a bag), the directory counterpart of AtomicFile. It is assembled in
 * `.<name>.<pid>.partial` beside the target and renamed into place by `commit`; replacing, the old directory is first
 * moved aside to `.<name>.<pid>.replaced`, so the target always names a whole directory. `abort`, and SIGINT or
 * SIGTERM, remove what this run made (and put a replaced directory back); the next run removes what a killed run
 * left (`removeStaleDirectories`).
 *
 * The run writing into the directory is synchronous between records, so a signal's cleanup can race a file the run
 * is creating: files are created through `file` and `writeFile`, which refuse once the process is interrupted, and the
 * cleanup removes the directory, waits (2 s at most) for the run to stop, and removes it again.
 */
import {once} from 'node:events'
import {lstat, mkdir, readdir, rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {FileWriter, type FileWriterOptions} from './file-writer.js'
import {registerCleanup, throwIfInterrupted} from './interrupt.js'
import {writerGone} from './stale-temps.js'

/** How long an interrupt's cleanup waits for the run to stop writing before its second removal. */
const STOP_WAIT_MS = 2000
/** Retries: a file the run was writing when the signal came may still be closing while the directory goes. */
const RM_OPTIONS = {force: true, maxRetries: 5, recursive: true, retryDelay: 20} as const

export class AtomicDirectory {
  /** Set by `commit` or `abort`: an interrupt's cleanup need not wait for the run any longer. */
  private readonly ended = new AbortController()
  /** Set once the directory is being renamed into place: an interrupt from then on removes what this run made. */
  private renaming: Promise<boolean> | undefined
  private readonly replaced: string
  private readonly target: string
  private readonly unregister: () => void

  /** `path` as the user gave it (for messages); the temp directory is `temp`. */
  private constructor(
    readonly path: string,
    readonly temp: string,
  ) {
    this.target = resolve(path)
    this.replaced = siblingOf(this.target, 'replaced')
    // Registered before the directory exists: a signal while it is being created must not leave it behind.
    this.unregister = registerCleanup(async () => {
      await this.removeTemp()
      if (!this.ended.signal.aborted) await Promise.race([once(this.ended.signal, 'abort'), sleep(STOP_WAIT_MS)])
      await this.removeTemp()
    })
  }

  /** An empty temp directory for `path` (with `subdirectory` made inside); OUTPUT_UNWRITABLE when it cannot be made. */
  static async create(path: string, subdirectory = ''): Promise<AtomicDirectory> {
    const directory = new AtomicDirectory(path, siblingOf(resolve(path), 'partial'))
    try {
      await rm(directory.temp, {force: true, recursive: true})
      await mkdir(join(directory.temp, subdirectory), {recursive: true})
    } catch (error) {
      await directory.abort()
      throw new ConvoshiftError(`${path}: cannot create (${(error as NodeJS.ErrnoException).code})`, {
        code: 'OUTPUT_UNWRITABLE',
        exitCode: ExitCode.Io,
      })
    }

    return directory
  }

  /** Removes what this run made (and puts a replaced directory back). Idempotent. */
  async abort(): Promise<void> {
    try {
      await this.removeTemp()
    } finally {
      this.ended.abort()
      this.unregister()
    }
  }

  /**
   * Renames the directory into place, over an existing one when `replace`. A failure between the two renames of a
   * replacement moves the old directory back.
   */
  async commit(): Promise<void> {
    throwIfInterrupted(this.path)
    this.renaming = this.putInPlace()
    const didReplace = await this.renaming
    this.ended.abort()
    this.unregister()
    // Only after a replacement: without one, nothing is awaited between the cleanup's end and the exit, so a late
    // signal finds either the whole run undone (exit 130) or nothing left to undo.
    if (didReplace) await rm(this.replaced, RM_OPTIONS)
  }

  /** A new file inside (`relative` with `/`), written through the one FileWriter; refused once interrupted. */
  file(relative: string, options: FileWriterOptions = {}): FileWriter {
    const path = join(this.temp, relative)
    // After a signal the cleanup is removing this directory: a file created now could outlive it.
    throwIfInterrupted(this.path)
    return FileWriter.open(path, 'wx', (error) => error, options)
  }

  async mkdir(relative: string): Promise<void> {
    await mkdir(join(this.temp, relative))
  }

  /** A new small file inside, written whole; refused once interrupted. */
  async writeFile(relative: string, text: string): Promise<void> {
    // A file written after the cleanup began could make a directory renamed into place with part of it gone.
    throwIfInterrupted(this.path)
    await writeFile(join(this.temp, relative), text, {flag: 'wx'})
  }

  private async putInPlace(): Promise<boolean> {
    const replacing = await lstat(this.target).then(
      () => true,
      () => false,
    )
    if (!replacing) {
      await rename(this.temp, this.target)
      return false
    }

    await rename(this.target, this.replaced)
    try {
      await rename(this.temp, this.target)
    } catch (error) {
      await rename(this.replaced, this.target)
      throw error
    }

    return true
  }

  private async removeTemp(): Promise<void> {
    if (this.renaming) {
      const {renaming} = this
      this.renaming = undefined // once: a second call must not remove the old directory put back below
      await renaming.catch(() => {})
      await rm(this.target, RM_OPTIONS)
      // An interrupted replacement keeps the old directory, whole, under its name.
      await rename(this.replaced, this.target).catch(() => {})
    }

    await rm(this.temp, RM_OPTIONS)
  }
}

/** `.<name>.<pid>.<role>` beside `target`. */
function siblingOf(target: string, role: 'partial' | 'replaced'): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${role}`)
}

/**
 * Removes `.<name>.<pid>.partial` directories beside `path` whose process is gone: a run killed with SIGKILL runs no
 * cleanup. One of a live process (another run assembling the same directory right now) is left alone. A killed
 * replacement's `.replaced` directory goes back in place when the target is missing, and is removed otherwise.
 */
export async function removeStaleDirectories(path: string): Promise<void> {
  const target = resolve(path)
  const prefix = `.${basename(target)}.`
  for (const name of await readdir(dirname(target)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue
    const match = /^(\d+)\.(partial|replaced)$/.exec(name.slice(prefix.length))
    const pid = Number(match?.[1])
    const stale = join(dirname(target), name)
    if (!match || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue
    // A live pid may be a new process that reused the number: the same rule as for temp files (io/stale-temps.ts).
    const modified = await lstat(stale).then(
      (stats) => stats.mtimeMs,
      () => {},
    )
    if (modified === undefined || !writerGone(pid, modified)) continue
    await (match[2] === 'replaced' && !(await lstat(target).catch(() => {}))
      ? rename(stale, target)
      : rm(stale, {force: true, maxRetries: 5, recursive: true}))
  }
}
