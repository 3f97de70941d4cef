#!/usr/bin/env -S node --min-semi-space-size=16
// --min-semi-space-size: V8 starts its young generation small and doubles it about a second into a streaming run, so
// short runs peaked lower than long ones. Sized from the start, peak memory is the same for every input length.
// bench/run.js runs its measurements with the flags of this line.

import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
