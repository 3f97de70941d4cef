import {CHUNK, FileSource, gunzipSource} from '../../io/byte-source.js'

/** Input bytes up to and including a newline, in a buffer of their own (so it can be transferred to a worker). */
export interface Piece {
  bytes: ArrayBuffer
  length: number
}

const GZIP = [0x1f, 0x8b]
const BOM = [0xef, 0xbb, 0xbf]
const NEWLINE = 0x0a

/**
 * Reads a JSON Lines file (gzip decompressed here) as pieces of about CHUNK bytes cut after a newline: all the main
 * thread does with the input. A UTF-8 BOM is dropped, as the single-threaded reader drops it. The last piece may lack
 * its newline. Yields `tooLong` instead when no newline comes within `longest` bytes: such a line is streamed the
 * document way by the single-threaded reader, and buffering it here would cost its size in memory.
 *
 * @yields the pieces, in input order
 */
export async function* newlinePieces(
  path: string,
  longest: number,
  /** Receives the open file, for progress (its position). */
  reading: {file?: FileSource} = {},
): AsyncGenerator<Piece | {tooLong: true}> {
  const file = await FileSource.open(path)
  reading.file = file
  let source = file as Pick<FileSource, 'close' | 'read'>
  try {
    let carry = Buffer.allocUnsafeSlow(CHUNK)
    let held = await file.read(carry, 0, CHUNK)
    if (held >= 2 && carry[0] === GZIP[0] && carry[1] === GZIP[1]) {
      source = gunzipSource(file, Buffer.from(carry.subarray(0, held)), path)
      held = 0
    }

    // The first three bytes decide about a BOM.
    while (held < 3) {
      const read = await source.read(carry, held, CHUNK - held)
      if (read === 0) break
      held += read
    }

    if (held >= 3 && BOM.every((b, i) => carry[i] === b)) {
      carry.copy(carry, 0, 3, held)
      held -= 3
    }

    for (;;) {
      const buffer = Buffer.allocUnsafeSlow(held + CHUNK)
      carry.copy(buffer, 0, 0, held)
      const end = held + (await source.read(buffer, held, CHUNK))
      if (end === held) {
        if (end > 0) yield {bytes: buffer.buffer as ArrayBuffer, length: end}
        return
      }

      const newline = buffer.lastIndexOf(NEWLINE, end - 1)
      if (newline === -1) {
        if (end > longest) {
          yield {tooLong: true}
          return
        }

        carry = buffer
        held = end
        continue
      }

      carry = Buffer.allocUnsafeSlow(CHUNK)
      held = end - newline - 1
      if (held > carry.length) carry = Buffer.allocUnsafeSlow(held)
      buffer.copy(carry, 0, newline + 1, end)
      yield {bytes: buffer.buffer as ArrayBuffer, length: newline + 1}
    }
  } finally {
    await source.close()
  }
}
