/**
 * A file that appears whole or not at all, the one way convoshift writes a named output. Bytes go to a temp file
 * beside the target, named `.<name>.<pid>.<hex>.tmp` (io/stale-temps.ts: the next run removes a killed run's
 * leftovers by that name), through the one FileWriter (batched, synchronous); `commit` renames it over the target,
 * `abort` removes it, and SIGINT or SIGTERM aborts it (io/interrupt.ts). A reader never sees a partial file under the
 * final name.
 *
 * Two variants share the object: a device, pipe or descriptor's name (/dev/null, a fifo, /dev/fd/3) is written in
 * place, since a rename would replace it with a regular file; and the export's partial output (`resume`) has a fixed
 * temp name and survives an interrupt, so that `--resume` continues it.
 */
import type {FileHandle} from 'node:fs/promises'

import {randomBytes} from 'node:crypto'
import {copyFile, link, open, rename, stat, unlink} from 'node:fs/promises'
import {dirname} from 'node:path'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {FileWriter} from './file-writer.js'
import {interrupted, interruptedError, registerCleanup, throwIfInterrupted} from './interrupt.js'
import {removeStaleTemps, tempPathFor} from './stale-temps.js'

/** How the temp file goes away when the file is not committed. */
type Leftover = 'keep' | 'none' | 'remove'

export class AtomicFile {
  private handleOpen = true
  private state: 'aborted' | 'committed' | 'open' = 'open'
  private readonly unregister: () => void
  private readonly writer: FileWriter

  // eslint-disable-next-line max-params -- private: built only by the three openers below
  private constructor(
    /** The final path. */
    readonly path: string,
    /** Where the bytes go until commit; undefined when written in place. */
    private readonly temp: string | undefined,
    private readonly handle: FileHandle,
    private readonly leftover: Leftover,
    position?: number,
  ) {
    this.writer = new FileWriter(handle.fd, (error) => outputError(path, error), position ? {position} : {})
    // A resumable file is kept on interrupt: its owner's checkpoint says which of its bytes are final.
    this.unregister = leftover === 'keep' ? () => {} : registerCleanup(() => this.abort())
  }

  /** Bytes handed to the file so far (what is still buffered not counted; `flush` first for an exact figure). */
  get written(): number {
    return this.writer.written
  }

  /**
   * A device, pipe or descriptor's name, written in place. Opened for appending: a device or pipe ignores it, and a
   * descriptor redirected to a file (`3>> log`) keeps what it holds.
   */
  static async inPlace(path: string): Promise<AtomicFile> {
    throwIfInterrupted(path)
    const handle = await open(path, 'a').catch(async (error: unknown) => {
      throw await openError(path, error)
    })
    return new AtomicFile(path, undefined, handle, 'none')
  }

  /**
   * A new temp file beside `path`, after removing the temp files dead writers left there. Fails with
   * OUTPUT_UNWRITABLE when the directory is missing or does not accept files.
   */
  static async open(path: string): Promise<AtomicFile> {
    throwIfInterrupted(path)
    await removeStaleTemps(path)
    const temp = tempPathFor(path, randomBytes(4).toString('hex'))
    const opening = open(temp, 'wx')
    const removeTemp = async (): Promise<void> => {
      const handle = await opening.catch(() => {})
      await handle?.close().catch(() => {})
      await unlink(temp).catch(() => {})
    }

    // A signal while the file is being created must not leave it behind: until the object owns it, this cleanup does.
    const unregister = registerCleanup(removeTemp)
    let handle: FileHandle
    try {
      handle = await opening
    } catch (error) {
      throw await openError(path, error)
    } finally {
      unregister()
    }

    // The signal came while the file was being created: the cleanup above owns it (it may be closing it right now),
    // so nothing may write to it.
    if (interrupted()) {
      await removeTemp()
      throw interruptedError(path)
    }

    return new AtomicFile(path, temp, handle, 'remove')
  }

  /**
   * A resumable file: `temp` (a fixed name its owner finds again) is created empty, or cut back to `bytes` when an
   * interrupted run left it; writes continue there. An interrupt or `abort` keeps it; `commit` renames it into place.
   */
  static async resume(path: string, temp: string, bytes: number): Promise<AtomicFile> {
    const handle = await open(temp, bytes === 0 ? 'w' : 'r+').catch((error: unknown) => {
      throw outputError(path, error)
    })
    // Bytes after `bytes` were written by a run that never recorded them as final: they are written again.
    if (bytes > 0) await handle.truncate(bytes)
    return new AtomicFile(path, temp, handle, 'keep', bytes)
  }

  /**
   * Closes the file; the temp file is removed (or, for a resumable file, kept). Idempotent, never throws, and a no-op
   * after commit.
   */
  async abort(): Promise<void> {
    if (this.state !== 'open') return
    this.state = 'aborted'
    this.unregister()
    // Best effort: this runs on error paths and on interrupts, where a second error would only hide the first.
    if (this.leftover === 'keep') this.writer.discard()
    await this.closeHandle().catch(() => {})
    if (this.temp && this.leftover === 'remove') await unlink(this.temp).catch(() => {})
  }

  /**
   * Flushes, closes and renames the temp file over the final path (no fsync). `exclusive`: fail with OUTPUT_EXISTS
   * instead of replacing a file that exists (decided atomically, by a hard link).
   */
  async commit(options: {exclusive?: boolean} = {}): Promise<void> {
    if (this.state === 'committed') return
    if (this.state === 'aborted') throw afterAbort(this.path, 'commit')
    try {
      this.writer.flush()
      await this.closeHandle().catch((error: unknown) => {
        throw outputError(this.path, error)
      })
      if (this.temp) await this.putInPlace(this.temp, options.exclusive ?? false)
    } catch (error) {
      await this.abort()
      throw error
    }

    this.state = 'committed'
    this.unregister()
  }

  /** Writes out what is buffered (a page that must be on disk before its checkpoint). */
  flush(): void {
    this.checkOpen()
    this.writer.flush()
  }

  write(text: string): void {
    this.checkOpen()
    this.writer.write(text)
  }

  /** Bytes already encoded (UTF-8 text from a worker thread). */
  writeBytes(bytes: Uint8Array): void {
    this.checkOpen()
    this.writer.writeBytes(bytes)
  }

  /** `text` and a newline (one JSON Lines record), without building the concatenated string. */
  writeLine(text: string): void {
    this.checkOpen()
    this.writer.writeLine(text)
  }

  private checkOpen(): void {
    if (this.state === 'aborted') throw afterAbort(this.path, 'write')
    if (this.state === 'committed') throw new Error(`${this.path}: write after commit`)
  }

  private async closeHandle(): Promise<void> {
    if (!this.handleOpen) return
    this.handleOpen = false
    await this.handle.close()
  }

  private async putInPlace(temp: string, exclusive: boolean): Promise<void> {
    if (!exclusive) {
      await rename(temp, this.path).catch((error: unknown) => {
        throw outputError(this.path, error)
      })
      return
    }

    await link(temp, this.path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputError(this.path, error)
      throw new ConvoshiftError(`${this.path}: already exists`, {code: 'OUTPUT_EXISTS', exitCode: ExitCode.Io})
    })
    await unlink(temp).catch(() => {})
  }
}

/**
 * Puts `source` at `path` as a hard link (a copy where links are refused: another disk), atomically: the link is made
 * under a temp name beside `path`, as an AtomicFile's temp file, and renamed into place.
 */
export async function linkAtomic(source: string, path: string): Promise<void> {
  throwIfInterrupted(path)
  await removeStaleTemps(path)
  const temp = tempPathFor(path, randomBytes(4).toString('hex'))
  const removeTemp = async (): Promise<void> => unlink(temp).catch(() => {})
  const unregister = registerCleanup(removeTemp)
  try {
    await link(source, temp).catch(async () => copyFile(source, temp))
    await rename(temp, path)
  } finally {
    // rename() between two links of one file does nothing (POSIX), leaving the temp link behind.
    await removeTemp()
    unregister()
  }
}

/** A file aborted by an interrupt's cleanup is the interrupt's doing; any other use after abort is a bug. */
export function afterAbort(path: string, what: 'commit' | 'write'): Error {
  return interrupted() ? interruptedError(path) : new Error(`${path}: ${what} after abort`)
}

/**
 * Why a file could not be created, with a remedy that fits: ENOENT means a missing directory only when the directory
 * is missing; /proc and /sys say ENOENT for any new file in a directory that exists.
 */
async function openError(path: string, error: unknown): Promise<ConvoshiftError> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return outputError(path, error)
  const directory = dirname(path)
  const isDirectory = await stat(directory).then(
    (stats) => stats.isDirectory(),
    () => false,
  )
  if (!isDirectory) return outputError(path, error)
  return new ConvoshiftError(`${path}: cannot write (${directory} does not accept new files)`, {
    cause: error,
    code: 'OUTPUT_UNWRITABLE',
    exitCode: ExitCode.Io,
    suggestions: ['write to a regular directory (this one is a virtual file system, such as /proc or /sys)'],
  })
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOENT: 'no such directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'a parent is not a directory',
  EPERM: 'permission denied',
  EPIPE: 'broken pipe',
  EROFS: 'read-only file system',
}

/** `<path>: cannot write (<reason>)`, OUTPUT_UNWRITABLE, exit code Io. */
export function outputError(path: string, error: unknown): ConvoshiftError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = (code && REASONS[code]) ?? code ?? (error instanceof Error ? error.message : String(error))
  return new ConvoshiftError(`${path}: cannot write (${reason})`, {
    cause: error,
    code: 'OUTPUT_UNWRITABLE',
    exitCode: ExitCode.Io,
    ...(code === 'ENOENT' ? {suggestions: [`create the directory ${dirname(path)} first`]} : {}),
  })
}
