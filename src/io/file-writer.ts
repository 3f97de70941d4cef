/**
 * The one place convoshift's bytes go to a file: text is encoded straight into a buffer (never joined first) and the
 * buffer written synchronously when full. Synchronous because every producer (a conversion, a bag's payload, an
 * export page) is synchronous CPU work that lets the event loop turn only now and then: asynchronous writes would
 * wait for those turns and leave the CPU idle in between, while a write into the page cache takes a fraction of the
 * time it took to produce the buffer. Where the file lives and its cleanup on interrupt belong to the three owners of
 * files: AtomicFile (an output renamed into place), AtomicDirectory (a bag) and ScratchDirectory (spill partitions).
 */
import {closeSync, openSync, writeSync} from 'node:fs'

export interface FileWriterOptions {
  /** Bytes gathered before a write. Default 1 MiB. */
  bufferBytes?: number
  /** Sees every run of bytes as it goes out, in order (a bag's files are hashed so, with no second read). */
  onBytes?: (bytes: Uint8Array) => void
  /** The file offset of the first write (an export resumed at its checkpoint); default: the descriptor's own. */
  position?: number
}

const NEWLINE = 0x0a

export class FileWriter {
  /** Bytes handed to the file so far (not counting what is still buffered). */
  written = 0
  private buffer: Buffer
  private failure: unknown
  private readonly onBytes: ((bytes: Uint8Array) => void) | undefined
  private position: null | number
  private used = 0
  /** Set when this writer opened the descriptor itself (`FileWriter.open`): `close` closes it. */
  private ownFd = false

  /** `describe` turns a failed write's error into the one the caller reports (it is thrown again on later writes). */
  constructor(
    private readonly fd: number,
    private readonly describe: (error: unknown) => unknown,
    options: FileWriterOptions = {},
  ) {
    this.buffer = Buffer.allocUnsafe(options.bufferBytes ?? 1024 * 1024)
    this.onBytes = options.onBytes
    this.position = options.position ?? null
  }

  /** A writer on a file it opens itself (`flags` as for fs.open: 'wx' a new file, 'a' to append); `close` closes it. */
  static open(
    path: string,
    flags: 'a' | 'wx',
    describe: (error: unknown) => unknown,
    options: FileWriterOptions = {},
  ): FileWriter {
    const writer = new FileWriter(openSync(path, flags), describe, options)
    writer.ownFd = true
    return writer
  }

  /** Writes out what is buffered and, when this writer opened the file, closes it. Idempotent. */
  close(): void {
    try {
      if (this.failure === undefined) this.flush()
    } finally {
      if (this.ownFd) {
        this.ownFd = false
        this.failure ??= new Error('write after close')
        closeSync(this.fd)
      }
    }
  }

  /** Closes the descriptor without writing what is buffered (error paths). Never throws. */
  discard(): void {
    this.used = 0
    if (!this.ownFd) return
    this.ownFd = false
    this.failure ??= new Error('write after close')
    try {
      closeSync(this.fd)
    } catch {}
  }

  /** Writes out what is buffered. */
  flush(): void {
    const bytes = this.used
    this.used = 0
    if (bytes > 0) this.out(this.buffer.subarray(0, bytes))
  }

  write(text: string): void {
    this.append(text, false)
  }

  writeBytes(bytes: Uint8Array): void {
    this.check()
    if (this.used + bytes.length <= this.buffer.length) {
      this.buffer.set(bytes, this.used)
      this.used += bytes.length
      return
    }

    this.flush()
    this.out(bytes)
  }

  /** `text` and a newline (one JSON Lines record), without building the concatenated string. */
  writeLine(text: string): void {
    this.append(text, true)
  }

  /** Encodes `text` into the buffer (with room for a newline), writing out first when it might not fit. */
  private append(text: string, newline: boolean): void {
    this.check()
    // At most 3 UTF-8 bytes per UTF-16 unit; the exact length would cost a pass over the text.
    const worst = text.length * 3 + 1
    if (this.used + worst > this.buffer.length) this.flush()
    if (worst <= this.buffer.length) {
      this.used += this.buffer.write(text, this.used)
      if (newline) this.buffer[this.used++] = NEWLINE
      return
    }

    // Larger than the buffer (a big report, a huge record): encoded on its own, at its exact size.
    this.out(Buffer.from(newline ? text + '\n' : text, 'utf8'))
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure
  }

  private out(bytes: Uint8Array): void {
    this.onBytes?.(bytes)
    try {
      let offset = 0
      while (offset < bytes.length) {
        const at = this.position === null ? null : this.position + offset
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset, at)
      }
    } catch (error) {
      this.failure = this.describe(error)
      throw this.failure
    }

    if (this.position !== null) this.position += bytes.length
    this.written += bytes.length
  }
}
