// Child process for the interrupt tests in test/io/output.test.ts:
//   node --loader ts-node/esm interrupt-child.ts <mode> <output-path> <marker-path>
// mode "open": opens an atomic output, writes to it, registers a cleanup that writes <marker-path>, prints "ready",
//   then waits to be signalled. The parent checks the exit code (130), that the temp file is gone and that the cleanup
//   ran once.
// mode "scratch": writes a spill file into a ScratchDirectory beside <output-path>, registers the marker cleanup, prints
//   "ready" and waits to be signalled. The parent checks that the directory is gone.
// mode "during-open": starts an atomic write and delivers SIGINT to itself while the temp file is being created (the
//   race a checkpoint write hits when Ctrl-C lands at that moment); records in <marker-path> how the write ended.
import {appendFile, stat} from 'node:fs/promises'
import {dirname} from 'node:path'

import {registerCleanup} from '../../src/io/interrupt.js'
import {openOutput, writeFileAtomic} from '../../src/io/output.js'
import {ScratchDirectory} from '../../src/io/scratch-directory.js'

const [mode, output, marker] = process.argv.slice(2)
if (!output || !marker) throw new Error('usage: interrupt-child.ts open|scratch|during-open <output> <marker>')

if (mode === 'during-open') {
  // This cleanup keeps the process alive until the write below has settled and its outcome is recorded.
  let recorded = (): void => {}
  const done = new Promise<void>((resolve) => {
    recorded = resolve
  })
  registerCleanup(() => done)
  const writing = writeFileAtomic(output, 'record\n'.repeat(1000))
  // writeFileAtomic first stats the output, then opens its temp file. A stat of our own, started just after, completes
  // just after: the signal then lands while the temp file is being opened.
  await stat(output).catch(() => {})
  process.emit('SIGINT', 'SIGINT')
  try {
    await writing
    await appendFile(marker, 'written\n')
  } catch (error) {
    const {code, message} = error as {code?: string; message: string}
    await appendFile(marker, `${code ?? message}\n`)
  } finally {
    recorded()
  }
} else if (mode === 'scratch') {
  const scratch = new ScratchDirectory('convoshift-verify-', dirname(output))
  const spill = scratch.appender('source-0.jsonl')
  spill.write('{"id":"c-1"}\n'.repeat(10_000))
  spill.flush()
  registerCleanup(async () => {
    await appendFile(marker, 'cleaned\n')
  })
  process.stdout.write('ready\n')
  setInterval(() => {}, 1000)
} else {
  const sink = await openOutput(output)
  await sink.write('partial output\n'.repeat(10_000))
  registerCleanup(async () => {
    await appendFile(marker, 'cleaned\n')
  })
  process.stdout.write('ready\n')
  setInterval(() => {}, 1000)
}
