/**
 * Where a command's output goes: a file through AtomicFile (io/atomic-file.ts: temp file, rename on commit, removed
 * on abort or interrupt), or stdout, whose stream honours 'drain', so `write` may return a promise there.
 */
import {once} from 'node:events'
import {lstat, stat, unlink} from 'node:fs/promises'

import {type ConvoshiftError, isConvoshiftError} from '../errors.js'
import {afterAbort, AtomicFile, outputError} from './atomic-file.js'
import {removeStaleTemps} from './stale-temps.js'

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

  return direct ? AtomicFile.inPlace(path) : AtomicFile.open(path)
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

/**
 * Writes `text` to `path` atomically (temp file + rename). `exclusive`: never over an existing file (OUTPUT_EXISTS);
 * the file then appears whole or not at all, as a replaced one does.
 */
export async function writeFileAtomic(path: string, text: string, options: {exclusive?: boolean} = {}): Promise<void> {
  const file = options.exclusive ? await AtomicFile.open(path) : await openOutput(path)
  try {
    await file.write(text)
    await (file instanceof AtomicFile ? file.commit(options) : file.commit())
  } catch (error) {
    await file.abort()
    throw error
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
