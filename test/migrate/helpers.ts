import {spawn, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync} from 'node:fs'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

import {sampleGenerators} from '../../src/sample/index.js'

/** Every file of a workspace (relative path → bytes), except the run log (the one file with times). */
export async function snapshot(dir: string, {withLog = false} = {}): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')
    if (path === 'run.log' && !withLog) continue
    files.set(path, await readFile(join(dir, path)))
  }

  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Paths whose bytes differ between two snapshots (or exist in one only). */
export function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()])
  return [...paths].filter((path) => !a.get(path) || !b.get(path) || !a.get(path)!.equals(b.get(path)!)).sort()
}

/** LivePerson records from the deterministic generator, as JSON Lines. */
export async function writeLivePerson(
  path: string,
  count: number,
  seed: string,
  edit?: (records: Array<Record<string, any>>) => void,
): Promise<Array<Record<string, any>>> {
  const records = [...sampleGenerators.liveperson!(count, {seed})] as Array<Record<string, any>>
  edit?.(records)
  await writeFile(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n')
  return records
}

export async function writeLines(path: string, records: unknown[]): Promise<void> {
  const out = createWriteStream(path)
  for (const record of records) out.write(JSON.stringify(record) + '\n')
  await new Promise((resolve) => {
    out.end(resolve)
  })
}

export async function jsonLines(path: string): Promise<Array<Record<string, any>>> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>)
}

const BIN = join(process.cwd(), 'bin', 'run.js')

/** The built binary, as a user runs it (tests that need dist/ build it first: `npx tsc -b`). */
export function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): {status: null | number; stderr: string; stdout: string} {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', ...env},
  })
  return {status: run.status, stderr: run.stderr, stdout: run.stdout}
}

/**
 * Starts the binary and kills it (SIGKILL: no cleanup at all, the worst case) as soon as the run log shows `step`
 * started. Resolves with whether the kill landed before the step finished, and the exit signal/code.
 */
export async function killDuring(
  args: string[],
  runLog: string,
  step: string,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{killedInStep: boolean; signal: null | string; status: null | number}> {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, NO_COLOR: '1'}, stdio: 'ignore'})
  const exited = new Promise<{signal: null | string; status: null | number}>((resolve) => {
    child.on('exit', (status, sig) => resolve({signal: sig, status}))
  })
  let killedInStep = false
  const state = {done: false}
  exited.then(() => {
    state.done = true
  })
  while (!state.done) {
    const log = existsSync(runLog) ? await readFile(runLog, 'utf8') : ''
    const events = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as {event: string; step?: string})
    const lastRunStart = events.map((e) => e.event).lastIndexOf('run-started')
    const current = events.slice(lastRunStart)
    if (current.some((e) => e.event === 'started' && e.step === step)) {
      killedInStep = !current.some((e) => e.event === 'done' && e.step === step)
      child.kill(signal)
      break
    }

    await new Promise((resolve) => {
      setTimeout(resolve, 5)
    })
  }

  return {killedInStep, ...(await exited)}
}
