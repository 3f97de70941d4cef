#!/usr/bin/env node
// The bare loop every figure of `npm run bench` is a ratio against: what any program converting JSON Lines has to do
// at the least, on one thread, as a whole process (node's start-up included, as the CLI's is):
//
//   node bench/bare-loop.js <input.jsonl> <output.jsonl>
//
// reads the file in 1 MiB chunks, splits lines with Buffer#indexOf, JSON.parse, JSON.stringify, and writes ~1 MiB
// batches to a write stream (so disk writes overlap parsing), respecting backpressure. Prints the record count.
import {once} from 'node:events'
import {createWriteStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {finished} from 'node:stream/promises'

const READ_CHUNK = 2 ** 20
const WRITE_BATCH_CHARS = 2 ** 20
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

/**
 * Reads `path` in 1 MiB chunks and calls `emit(view, start, stop)` for each line (the buffer and the line's byte range),
 * splitting on '\n' with Buffer#indexOf: no per-line promises, no readline, no Buffer.concat per chunk. When `emit`
 * returns false, waits for `drained()` before going on.
 */
async function scanLines(path, emit, drained) {
  const source = await open(path, 'r')
  let buffer = Buffer.allocUnsafe(READ_CHUNK)
  let end = 0
  try {
    for (;;) {
      if (end === buffer.length) {
        // One line is longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(bigger, 0, 0, end)
        buffer = bigger
      }

      const {bytesRead} = await source.read(buffer, end, buffer.length - end, null)
      if (bytesRead === 0) break
      end += bytesRead
      const view = buffer.subarray(0, end)
      let start = 0
      let newline = view.indexOf(NEWLINE, start)
      while (newline !== -1) {
        if (!emit(view, start, newline)) await drained()
        start = newline + 1
        newline = view.indexOf(NEWLINE, start)
      }

      // Keep the partial last line for the next read.
      buffer.copy(buffer, 0, start, end)
      end -= start
    }

    emit(buffer, 0, end)
  } finally {
    await source.close()
  }
}

/**
 * The bare loop every JSONL-to-JSONL command is measured against: read lines (scanLines), JSON.parse, JSON.stringify,
 * write ~1 MiB batches to a write stream (so disk writes overlap parsing), respecting backpressure.
 */
async function baseline(input, output) {
  const sink = createWriteStream(output, {highWaterMark: WRITE_BATCH_CHARS})
  let records = 0
  let batch = []
  let batchChars = 0

  const flush = () => {
    const ok = sink.write(`${batch.join('\n')}\n`)
    batch = []
    batchChars = 0
    return ok
  }

  // Returns false when the write stream wants the caller to wait for 'drain'.
  const emit = (view, start, stop) => {
    if (stop > start && view[stop - 1] === CARRIAGE_RETURN) stop--
    if (stop <= start) return true
    const line = JSON.stringify(JSON.parse(view.toString('utf8', start, stop)))
    batch.push(line)
    batchChars += line.length
    records++
    return batchChars < WRITE_BATCH_CHARS || flush()
  }

  try {
    await scanLines(input, emit, () => once(sink, 'drain'))
    if (batch.length > 0) flush()
    sink.end()
    await finished(sink)
  } finally {
    sink.destroy()
  }

  return records
}

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  process.stderr.write('usage: node bench/bare-loop.js <input.jsonl> <output.jsonl>\n')
  process.exitCode = 2
} else {
  process.stdout.write(`${await baseline(input, output)}\n`)
}
