import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {ExportOptions, ExportStep} from '../../src/export/runner.js'
import type {FaultRule, Simulator} from '../simulators/base.js'

import {Random} from '../../src/sample/random.js'

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js')

export interface CliRun {
  code: null | number
  signal: NodeJS.Signals | null
  stderr: string
  stdout: string
}

/** Starts the built CLI (dist/) as a real child process. */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
): {child: ChildProcess; done: Promise<CliRun>} {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stderr, stdout}))
  })
  return {child, done}
}

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, env).done
}

/** The one `Error: …` line the CLI printed on stderr. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
  expect(lines, stderr).to.have.length(1)
  return lines[0]!.slice('Error: '.length)
}

/** Asserts that `secret` appears in none of `texts` and in no file under `dir`. */
export async function expectSecretNowhere(secret: string, dir: string, texts: string[] = []): Promise<void> {
  for (const text of texts) expect(text.includes(secret), `secret found in: ${text.slice(0, 300)}`).to.equal(false)
  for (const name of await readdir(dir, {recursive: true})) {
    const content = await readFile(join(dir, name)).catch(() => Buffer.alloc(0))
    expect(content.includes(secret), `secret found in ${name}`).to.equal(false)
  }
}

/** A deterministic pseudo-random source in [0, 1) for tests (the sample generators' PRNG). */
export function seeded(seed: number): () => number {
  const random = new Random(seed)
  return () => random.next()
}

/** Where an export is made to fail: a throw at a step of a page (`onStep`), or a fault the client does not retry. */
export interface Crash {
  fault?: FaultRule
  page?: number
  step?: ExportStep
}

/**
 * An uninterrupted export first; then for each crash an export that fails there and the same export with
 * `resume: true`, whose output must equal the uninterrupted one byte for byte. While interrupted, no file of that output
 * may hold any of `secrets()`.
 */
export async function expectResumeIdentical(options: {
  crashes: Crash[]
  dir: string
  run: (output: string, extra: Partial<ExportOptions>) => Promise<unknown>
  secrets: () => string[]
  simulator: Simulator
}): Promise<void> {
  const {crashes, dir, run, secrets, simulator} = options
  const reference = join(dir, 'reference.jsonl')
  simulator.plan([])
  await run(reference, {})
  const expected = await readFile(reference)
  for (const [i, crash] of crashes.entries()) {
    const output = join(dir, `resume-${i}.jsonl`)
    simulator.plan(crash.fault ? [crash.fault] : [])
    const onStep: ExportOptions['onStep'] = (step, page) => {
      if (step === crash.step && page === crash.page) throw new Error('simulated crash')
    }

    const outcome = await run(output, {onStep}).then(
      () => 'finished',
      () => 'crashed',
    )
    expect(outcome, `crash ${i}`).to.equal('crashed')
    for (const file of (await readdir(dir)).filter((name) => name.startsWith(`resume-${i}.`))) {
      const text = await readFile(join(dir, file), 'utf8')
      for (const secret of secrets()) expect(text.includes(secret), `crash ${i}: a secret in ${file}`).to.equal(false)
    }

    simulator.plan([])
    await run(output, {resume: true})
    expect((await readFile(output)).equals(expected), `crash ${i}: the resumed output differs`).to.equal(true)
  }
}
