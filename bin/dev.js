#!/usr/bin/env -S node --loader ts-node/esm --disable-warning=ExperimentalWarning

import '@oclif/core/command'
import {execute} from '@oclif/core/execute'

// eslint-disable-next-line n/no-unpublished-import -- dev mode runs from src/
import {guardStdout} from '../src/io/stdout.js'

// As bin/run.js does.
guardStdout()
// eslint-disable-next-line n/no-unpublished-import -- dev mode runs from src/
if (process.env.DEBUG) await (await import('../src/io/redact.js')).redactDebugOutput(process.argv.slice(2))
await execute({development: true, dir: import.meta.url})
