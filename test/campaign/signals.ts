/**
 * Signals at random points (delays drawn from the campaign's seeded PRNG, counted from the moment the command has
 * started writing): SIGINT and SIGTERM on convert, archive create, migrate and export end with exit 130 and leave no
 * temp file and no partial bag (export keeps its documented resume state, and `--resume` then finishes it byte for
 * byte). kill -9, then a rerun on the same output: the dead run's temp file or partial bag is removed and the rerun's
 * output is byte-identical to an uninterrupted run's.
 */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {snapshot} from '../archive/helpers.js'
import {type CliRun, runCli, startCli} from '../export/helpers.js'
import {differences, snapshot as workspaceSnapshot} from '../migrate/helpers.js'
import {type Attack, broken, type Check, exits, filesUnder, noStackTrace, noTemps, type Runner} from './attack.js'
import {bigInput, copy, deepConverse, DEEPCONVERSE_RANGE, scratch} from './shared.js'

/** Signalled once `started(dir)` holds (the command is writing), after `delay` ms more. */
function signalled(
  signal: NodeJS.Signals,
  delay: number,
  started: (dir: string) => Promise<boolean>,
  rerun?: (args: string[]) => string[],
): Runner {
  return async (args, context) => {
    const {child, done} = startCli(args, context.env)
    const state = {exited: false}
    done.then(() => {
      state.exited = true
    })
    for (let i = 0; i < 6000 && !state.exited && !(await started(context.dir)); i++) await sleep(10)
    await sleep(delay)
    const wasRunning = !state.exited
    child.kill(signal)
    const run = await done
    context.note = `${signal} ${delay} ms after it started writing${wasRunning ? '' : ' (it had already finished)'}`
    broken(wasRunning, `the command finished before the signal (${context.note}): make its input larger`)
    if (!rerun) return run
    broken(run.signal === 'SIGKILL', `not killed: exit ${run.code}`)
    return runCli(rerun(args), context.env)
  }
}

const hasFile = (pattern: RegExp) => async (dir: string) => (await filesUnder(dir)).some((name) => pattern.test(name))
const writingTemp = hasFile(/\.tmp$/)
const writingPartial = hasFile(/\.partial$/)

const noInternal: Check = ({run}) =>
  broken(!/INTERNAL|commit after abort/.test(run.stderr), `an internal error: ${run.stderr.slice(-300)}`)
const absent =
  (name: string): Check =>
  ({dir}) =>
    broken(!existsSync(join(dir, name)), `${name} exists after the interrupt`)
const noTmpFiles: Check = async ({dir}) => {
  const left = (await filesUnder(dir)).filter((name) => name.endsWith('.tmp'))
  broken(left.length === 0, `left behind: ${left.join(', ')}`)
}

/** The output equals the same command's uninterrupted output, made once in a directory of its own. */
function identical(name: string, reference: () => Promise<string>, compare: 'bag' | 'file' | 'workspace'): Check {
  return async ({dir}) => {
    const expected = await reference()
    const actual = join(dir, name)
    if (compare === 'file') {
      broken((await readFile(actual)).equals(await readFile(expected)), `${name} differs from an uninterrupted run's`)
    } else if (compare === 'bag') {
      const [a, b] = [await snapshot(actual), await snapshot(expected)]
      const differ = Object.keys({...a, ...b}).filter((path) => a[path] !== b[path])
      broken(differ.length === 0, `the bag differs from an uninterrupted run's: ${differ.join(', ')}`)
    } else {
      const differ = differences(await workspaceSnapshot(actual), await workspaceSnapshot(expected))
      broken(differ.length === 0, `the workspace differs from an uninterrupted run's: ${differ.join(', ')}`)
    }
  }
}

function memo(make: () => Promise<string>): () => Promise<string> {
  let made: Promise<string> | undefined
  return () => {
    made ??= make()
    return made
  }
}

/** What an uninterrupted run of `args(dir)` writes into a fresh directory of its own. */
function referenceOf(
  args: (dir: string) => string[],
  name: string,
  prepare?: (dir: string) => Promise<void>,
): () => Promise<string> {
  return memo(async () => {
    const dir = await scratch()
    await prepare?.(dir)
    const run = await runCli(args(dir))
    if (run.code !== 0) throw new Error(`reference run: exit ${run.code}: ${run.stderr}`)
    return join(dir, name)
  })
}

const CONVERT_SIZE = 400
const MIGRATE_SIZE = 60
const DATE = '2026-01-31'

let convertInput = ''
const inputs = async (): Promise<void> => {
  convertInput = await bigInput(CONVERT_SIZE)
}

const convert = (dir: string): string[] => [
  'convert',
  '--from',
  'liveperson',
  '--to',
  'neutral',
  '--input',
  convertInput,
  '--output',
  join(dir, 'out.jsonl'),
]
const archive = (dir: string): string[] => [
  'archive',
  'create',
  '--from',
  'liveperson',
  '--input',
  convertInput,
  '--output',
  join(dir, 'bag'),
  '--date',
  DATE,
]
// The workspace's project file holds the input's path relative to it: each run has its copy beside its workspace.
const migrate = (dir: string): string[] => [
  'migrate',
  '--from',
  'liveperson',
  '--to',
  'ada',
  '--input',
  join(dir, 'in.jsonl'),
  '--workspace',
  join(dir, 'ws'),
]
const migrateSetup = async (dir: string): Promise<void> => {
  await copy(await bigInput(MIGRATE_SIZE), join(dir, 'in.jsonl'))
}

let exportBase = ''
const exportArgs = (dir: string): string[] => [
  'export',
  'deepconverse',
  '--bot-name',
  'r3-218210',
  '--base-url',
  exportBase,
  '--since',
  DEEPCONVERSE_RANGE.since.toISOString(),
  '--until',
  DEEPCONVERSE_RANGE.until.toISOString(),
  '--page-size',
  '5',
  '--output',
  join(dir, 'dc.jsonl'),
]
const EXPORT_ENV = {CONVOSHIFT_TOKEN: 'dc-api-key-9b1e77c4d2'}
const withSimulator = async (): Promise<void> => {
  exportBase = (await deepConverse('slow')).baseUrl
}

const convertReference = referenceOf(convert, 'out.jsonl')
const archiveReference = referenceOf(archive, 'bag')
const exportReference = memo(async () => {
  await withSimulator()
  const dir = await scratch()
  const run = await runCli(exportArgs(dir), EXPORT_ENV)
  if (run.code !== 0) throw new Error(`reference export: exit ${run.code}: ${run.stderr}`)
  return join(dir, 'dc.jsonl')
})

/** After an interrupted export, `--resume` finishes it byte-identical to an uninterrupted one. */
const resumes: Check = async (outcome) => {
  const run: CliRun = await runCli([...outcome.args, '--resume'], EXPORT_ENV)
  broken(run.code === 0, `--resume: exit ${run.code}: ${run.stderr.slice(-300)}`)
  await identical('dc.jsonl', exportReference, 'file')(outcome)
}

const same = (args: string[]): string[] => args

export function signals(random: () => number): Attack[] {
  const delay = (max: number): number => Math.floor(random() * max)
  const interrupted = (name: string): Check[] => [exits(130), noStackTrace, noInternal, noTemps, absent(name)]
  const attacks: Attack[] = []
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    attacks.push(
      {
        class: 'signals',
        command: convert,
        invariant: interrupted('out.jsonl'),
        name: `${signal} on convert`,
        runner: signalled(signal, delay(500), writingTemp),
        setup: inputs,
      },
      {
        class: 'signals',
        command: archive,
        invariant: interrupted('bag'),
        name: `${signal} on archive create`,
        runner: signalled(signal, delay(500), writingPartial),
        setup: inputs,
      },
      {
        class: 'signals',
        command: migrate,
        invariant: [exits(130), noStackTrace, noInternal, noTemps],
        name: `${signal} on migrate`,
        runner: signalled(signal, delay(700), async (dir) => existsSync(join(dir, 'ws'))),
        setup: migrateSetup,
      },
      {
        class: 'signals',
        command: exportArgs,
        env: EXPORT_ENV,
        invariant: [exits(130), noStackTrace, noInternal, noTmpFiles, absent('dc.jsonl'), resumes],
        name: `${signal} on export (then --resume)`,
        runner: signalled(signal, delay(600), hasFile(/checkpoint\.json$/)),
        setup: withSimulator,
      },
    )
  }

  attacks.push(
    {
      class: 'signals',
      command: convert,
      invariant: [exits(0), noStackTrace, noTemps, identical('out.jsonl', convertReference, 'file')],
      name: 'kill -9 on convert, then the same convert',
      runner: signalled('SIGKILL', delay(500), writingTemp, same),
      setup: inputs,
    },
    {
      class: 'signals',
      command: archive,
      invariant: [exits(0), noStackTrace, noTemps, identical('bag', archiveReference, 'bag')],
      name: 'kill -9 on archive create, then the same archive create',
      runner: signalled('SIGKILL', delay(500), writingPartial, same),
      setup: inputs,
    },
    {
      class: 'signals',
      command: exportArgs,
      env: EXPORT_ENV,
      invariant: [exits(0), noStackTrace, noTmpFiles, identical('dc.jsonl', exportReference, 'file')],
      name: 'kill -9 on export, then --resume',
      runner: signalled('SIGKILL', delay(600), hasFile(/checkpoint\.json$/), (args) => [...args, '--resume']),
      setup: withSimulator,
    },
    {
      class: 'signals',
      command: migrate,
      invariant: [
        exits(0),
        noStackTrace,
        noTemps,
        identical('ws', referenceOf(migrate, 'ws', migrateSetup), 'workspace'),
      ],
      name: 'kill -9 on migrate, then the same migrate',
      runner: signalled('SIGKILL', delay(700), async (dir) => existsSync(join(dir, 'ws')), same),
      setup: migrateSetup,
    },
  )
  return attacks
}
