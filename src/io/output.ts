/**
 * Atomic output: text goes to a temp file in the target's directory and is renamed over the target on commit, so a
 * reader never sees a partial file under the final name, and an aborted or interrupted run leaves nothing behind.
 * Temp files a killed run left beside the target are removed when the target is next opened (io/stale-temps.ts).
 * Bytes go out through the one FileWriter (io/file-writer.ts: batched, synchronous); stdout honours 'drain', so
 * `write` may return a promise there.
 */
import type {FileHandle} from 'node:fs/promises'

import {randomBytes} from 'node:crypto'
import {once} from 'node:events'
import {lstat, open, rename, stat, unlink} from 'node:fs/promises'
import {dirname} from 'node:path'

import {ConvoshiftError, ExitCode, isConvoshiftError} from '../errors.js'
import {FileWriter} from './file-writer.js'
import {interrupted, interruptedError, registerCleanup, throwIfInterrupted} from './interrupt.js'
import {removeStaleTemps, tempPathFor} from './stale-temps.js'

export interface OutputSink {
  /** The final path, or '-' for stdout. */
  readonly path: string
  /** Queues text; returns a promise only when the caller must wait (backpressure) before writing more. */
  write(text: string): Promise<void> | void
  /** Queues text and a newline (one JSON Lines record), without building the concatenated string. */
  writeLine(text: string): Promise<void> | void
  /** Queues bytes already encoded (UTF-8 text from a worker thread). */
  writeBytes(bytes: Uint8Array): Promise<void> | void
  /** Flushes, closes and renames the temp file over the final path (no fsync). For stdout: flushes, leaves it open. */
  commit(): Promise<void>
  /** Closes and deletes the temp file. Idempotent, never throws, and a no-op after commit. */
  abort(): Promise<void>
}

/** Names of an open descriptor: written through, whatever the descriptor is (a rename would replace the name). */
const DESCRIPTOR = /^\/(?:dev\/(?:fd\/\d+|stderr|stdout)|proc\/self\/fd\/\d+)$/
const STDOUT = /^(?:-|\/dev\/stdout|\/dev\/fd\/1|\/proc\/self\/fd\/1)$/

/** '-' or a name of stdout (/dev/stdout): records go to the stdout stream, so summaries must go elsewhere. */
export function isStdout(path: string | undefined): boolean {
  return path !== undefined && STDOUT.test(path)
}

/** Characters gathered before they are handed to the stream. */
const BATCH_CHARS = 64 * 1024

/**
 * Opens `path` for atomic writing ('-' = stdout). Fails early with OUTPUT_UNWRITABLE when the directory is missing or
 * not writable, or when `path` is a directory. A file sink registers its own `abort` with `registerCleanup`, so an
 * interrupted run removes its temp file. A device or pipe (/dev/null, a fifo) and a descriptor's name (/dev/fd/3) are
 * written directly, and /dev/stdout is stdout: a rename would replace them with a regular file.
 */
export async function openOutput(path: string, options: {stdout?: NodeJS.WritableStream} = {}): Promise<OutputSink> {
  if (isStdout(path)) return new StreamSink(options.stdout ?? process.stdout)

  let direct = false
  try {
    const stats = await stat(path)
    if (stats.isDirectory()) throw outputError(path, Object.assign(new Error('is a directory'), {code: 'EISDIR'}))
    direct = !stats.isFile() || DESCRIPTOR.test(path)
  } catch (error) {
    if (isConvoshiftError(error)) throw error
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw outputError(path, error)
  }

  throwIfInterrupted(path)
  if (direct) {
    // Appending: a device or pipe ignores it, and a descriptor redirected to a file (`3>> log`) keeps what it holds.
    const handle = await open(path, 'a').catch(async (error: unknown) => {
      throw await openError(path, error)
    })
    return new FileSink(path, undefined, handle)
  }

  await removeStaleTemps(path)
  const temp = tempPathFor(path, randomBytes(4).toString('hex'))
  const opening = open(temp, 'wx')
  const removeTemp = async (): Promise<void> => {
    const handle = await opening.catch(() => {})
    await handle?.close().catch(() => {})
    await unlink(temp).catch(() => {})
  }

  // A signal while the file is being created must not leave it behind: until a sink owns it, this cleanup does.
  const unregister = registerCleanup(removeTemp)
  let handle: FileHandle
  try {
    handle = await opening
  } catch (error) {
    throw await openError(path, error)
  } finally {
    unregister()
  }

  // The signal came while the file was being created: the cleanup above owns it (it may be closing it right now), so
  // no sink may write to it.
  if (interrupted()) {
    await removeTemp()
    throw interruptedError(path)
  }

  return new FileSink(path, temp, handle)
}

/**
 * Removes what an earlier run left under `path` (a rejected file that would mislead beside a clean output), and the
 * temp files of its dead writers. Only a regular file or a link is removed: `--rejected /dev/null` names a device.
 */
export async function removeFormerOutput(path: string): Promise<void> {
  await removeStaleTemps(path)
  const stats = await lstat(path).catch(() => {})
  if (stats?.isFile() || stats?.isSymbolicLink()) await unlink(path).catch(() => {})
}

/** Writes `text` to `path` atomically (temp file + rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const sink = await openOutput(path)
  try {
    await sink.write(text)
    await sink.commit()
  } catch (error) {
    await sink.abort()
    throw error
  }
}

class FileSink implements OutputSink {
  private handleOpen = true
  private state: 'aborted' | 'committed' | 'open' = 'open'
  private readonly unregister: () => void
  private readonly writer: FileWriter

  /** `temp` undefined: written in place (a device or pipe), nothing to rename or remove. */
  constructor(
    readonly path: string,
    private readonly temp: string | undefined,
    private readonly handle: FileHandle,
  ) {
    this.writer = new FileWriter(handle.fd, (error) => outputError(path, error))
    this.unregister = registerCleanup(() => this.abort())
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return
    this.state = 'aborted'
    this.unregister()
    // Best effort: this runs on error paths and on interrupts, where a second error would only hide the first.
    await this.closeHandle().catch(() => {})
    if (this.temp) await unlink(this.temp).catch(() => {})
  }

  async commit(): Promise<void> {
    if (this.state === 'committed') return
    if (this.state === 'aborted') throw afterAbort(this.path, 'commit')
    try {
      this.writer.flush()
      await this.closeHandle().catch((error: unknown) => {
        throw outputError(this.path, error)
      })
      if (this.temp) {
        await rename(this.temp, this.path).catch((error: unknown) => {
          throw outputError(this.path, error)
        })
      }
    } catch (error) {
      await this.abort()
      throw error
    }

    this.state = 'committed'
    this.unregister()
  }

  write(text: string): void {
    this.checkOpen()
    this.writer.write(text)
  }

  writeBytes(bytes: Uint8Array): void {
    this.checkOpen()
    this.writer.writeBytes(bytes)
  }

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
}

/** stdout (or any writable stream): batched writes honouring 'drain'; commit flushes but never closes the stream. */
class StreamSink implements OutputSink {
  readonly path = '-'
  private error: ConvoshiftError | undefined
  private readonly onError = (error: unknown): void => {
    this.error ??= outputError('<stdout>', error)
  }
  private pending: string[] = []
  private pendingChars = 0
  private state: 'aborted' | 'committed' | 'open' = 'open'

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', this.onError)
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return
    this.state = 'aborted'
    this.pending = []
    this.stream.off('error', this.onError)
  }

  async commit(): Promise<void> {
    if (this.state === 'committed') return
    if (this.state === 'aborted') throw afterAbort('<stdout>', 'commit')
    try {
      const data = this.take()
      await new Promise<void>((resolve, reject) => {
        this.stream.write(data, (error) => (error ? reject(outputError('<stdout>', error)) : resolve()))
      })
      if (this.error) throw this.error
    } catch (error) {
      await this.abort()
      throw isConvoshiftError(error) ? error : outputError('<stdout>', error)
    }

    this.state = 'committed'
    this.stream.off('error', this.onError)
  }

  write(text: string): Promise<void> | void {
    this.checkOpen()
    this.pending.push(text)
    this.pendingChars += text.length
    if (this.pendingChars < BATCH_CHARS) return
    return this.send(this.take())
  }

  writeBytes(bytes: Uint8Array): Promise<void> | void {
    this.checkOpen()
    // Text queued before goes first; the bytes then go as they are (a worker's output is already a batch).
    const text = this.take()
    return this.send(text === '' ? bytes : Buffer.concat([Buffer.from(text), bytes]))
  }

  private checkOpen(): void {
    if (this.state === 'aborted') throw afterAbort('<stdout>', 'write')
    if (this.state === 'committed') throw new Error('<stdout>: write after commit')
    if (this.error) throw this.error
  }

  private send(data: string | Uint8Array): Promise<void> | void {
    if (this.stream.write(data)) return
    return once(this.stream, 'drain').then(
      () => {},
      (error: unknown) => {
        throw outputError('<stdout>', error)
      },
    )
  }

  writeLine(text: string): Promise<void> | void {
    return this.write(text + '\n')
  }

  private take(): string {
    const data = this.pending.join('')
    this.pending = []
    this.pendingChars = 0
    return data
  }
}

/** A sink aborted by an interrupt's cleanup is the interrupt's doing; any other use after abort is a bug. */
function afterAbort(path: string, what: 'commit' | 'write'): Error {
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

function outputError(path: string, error: unknown): ConvoshiftError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reasons: Record<string, string> = {
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
  const reason = (code && reasons[code]) ?? code ?? (error instanceof Error ? error.message : String(error))
  return new ConvoshiftError(`${path}: cannot write (${reason})`, {
    cause: error,
    code: 'OUTPUT_UNWRITABLE',
    exitCode: ExitCode.Io,
    ...(code === 'ENOENT' ? {suggestions: [`create the directory ${dirname(path)} first`]} : {}),
  })
}
