#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: V8 doubles its young generation (up to 16 MB per semi-space) once a streaming run has gone on
// for a while, so longer runs peaked higher than short ones (LivePerson consumer 82 → 95 MB, verify 128 → 152 MB) with
// nothing accumulating. Capped at a size every run reaches within its first records, peak memory no longer depends on
// input length, and is lower; speed is the same within noise.
// bench/run.js runs its measurements with the flags of this line.

// @oclif/core by its parts, never its index: the index loads every part and all of semver (~30 ms of every start).
// `command` installs a stdout listener of its own, which guardStdout replaces, so it is loaded first.
import '@oclif/core/command'
import {execute} from '@oclif/core/execute'

import {guardStdout} from '../dist/io/stdout.js'

guardStdout()
// oclif's debug output prints argv, secrets and all: redacted before oclif starts (only loaded when DEBUG is set).
if (process.env.DEBUG) await (await import('../dist/io/redact.js')).redactDebugOutput(process.argv.slice(2))
await execute({dir: import.meta.url})
