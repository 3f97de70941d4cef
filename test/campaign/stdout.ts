/**
 * stdout that cannot be written: into a full disk (`> /dev/full`) each command that writes to stdout stops with one
 * line and exit 3; into a pipe its reader closes (`| head -1`) it stops quietly with exit 141. No temp file either way.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {intoClosedPipe, intoFullDisk} from '../helpers/stdio.js'
import {type Attack, broken, type Check, exits, noStackTrace, noTemps, oneErrorLine, type Runner} from './attack.js'
import {bigInput, copy, neutralPage, PAGE, pristineBag} from './shared.js'

const fullDisk: Runner = (args, {dir}) => intoFullDisk(args, dir)
const closedPipe: Runner = (args, {dir}) => intoClosedPipe(args, dir)
const quiet: Check = ({run}) => broken(!/Error/.test(run.stderr), `not quiet: ${run.stderr.slice(-300)}`)
const LP = ['--from', 'liveperson', '--to', 'neutral']
let big = ''

const withBag = async (dir: string): Promise<void> => {
  await copy(await pristineBag(), join(dir, 'bag'))
}

const withTarget = async (dir: string): Promise<void> => {
  await copy(await neutralPage(), join(dir, 'neutral.jsonl'))
}

const FULL: Array<{command: (dir: string) => string[]; name: string; setup?: (dir: string) => Promise<void>}> = [
  {command: () => ['convert', ...LP, '--input', PAGE, '--output', '-'], name: 'convert --output -'},
  {
    command: (dir) => ['convert', ...LP, '--input', PAGE, '--output', join(dir, 'n.jsonl'), '--json'],
    name: 'convert --json',
  },
  {command: () => ['sample', 'ada', '--count', '50', '--output', '-'], name: 'sample --output -'},
  {
    command: (dir) => ['archive', 'export', join(dir, 'bag'), '--to', 'neutral', '--output', '-'],
    name: 'archive export --output -',
    setup: withBag,
  },
  {command: (dir) => ['archive', 'verify', join(dir, 'bag')], name: 'archive verify', setup: withBag},
  {
    command: (dir) => ['verify', ...LP, '--source', PAGE, '--target', join(dir, 'neutral.jsonl')],
    name: 'verify',
    setup: withTarget,
  },
]

const fullDiskAttacks: Attack[] = FULL.map(({command, name, setup}) => ({
  class: 'stdout',
  command,
  invariant: [exits(3), noStackTrace, oneErrorLine(() => '<stdout>: cannot write (no space left on device)'), noTemps],
  name: `${name} > /dev/full`,
  runner: fullDisk,
  ...(setup ? {setup} : {}),
}))

const pipeAttacks: Attack[] = [
  {
    class: 'stdout',
    command: () => ['sample', 'liveperson', '--count', '3000', '--output', '-'],
    invariant: [exits(141), quiet, noTemps],
    name: 'sample --output - | head -1',
    runner: closedPipe,
  },
  {
    class: 'stdout',
    command: () => ['convert', ...LP, '--input', big, '--output', '-'],
    invariant: [exits(141), quiet, noTemps],
    name: 'convert --output - | head -1',
    runner: closedPipe,
    async setup() {
      big = await bigInput(400)
    },
  },
]

export const stdout: Attack[] = existsSync('/dev/full') ? [...fullDiskAttacks, ...pipeAttacks] : pipeAttacks
