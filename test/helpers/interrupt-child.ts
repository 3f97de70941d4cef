// Child process for the interrupt tests in test/io/output.test.ts:
//   node --loader ts-node/esm interrupt-child.ts <output-path> <marker-path>
// Opens an atomic output, writes to it, registers a cleanup that writes <marker-path>, prints "ready", then waits to be
// signalled. The parent checks the exit code (130), that the temp file is gone and that the cleanup ran once.
import {appendFile} from 'node:fs/promises'

import {openOutput, registerCleanup} from '../../src/io/output.js'

const [output, marker] = process.argv.slice(2)
if (!output || !marker) throw new Error('usage: interrupt-child.ts <output> <marker>')

const sink = await openOutput(output)
await sink.write('partial output\n'.repeat(10_000))
registerCleanup(async () => {
  await appendFile(marker, 'cleaned\n')
})
process.stdout.write('ready\n')
setInterval(() => {}, 1000)
