#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: V8 doubles its young generation (up to 16 MB per semi-space) once a streaming run has gone on
// for a while, so longer runs peaked higher than short ones (LivePerson consumer 82 → 95 MB, verify 128 → 152 MB) with
// nothing accumulating. Capped at a size every run reaches within its first records, peak memory no longer depends on
// input length, and is lower; speed is the same within noise.
// bench/run.js runs its measurements with the flags of this line.

import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
