/**
 * The campaign's vocabulary: an attack is a name, a class, a setup that lays out real files in the attack's own temp
 * directory, the command it runs against the built CLI (as a separate process), how it runs it (plainly, into a full
 * disk, signalled…) and the invariant its outcome must hold. Invariants are small checks that throw `Broken` with what
 * broke; the runner (run.ts) collects them per class.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {type CliRun, runCli} from '../export/helpers.js'

export const CLASSES = [
  'bad inputs',
  'path collisions',
  'signals',
  'bag tampers',
  'hostile bags',
  'secrets',
  'stdout',
] as const
export type AttackClass = (typeof CLASSES)[number]

/** What an attack's command left behind, for its invariant. */
export interface Outcome {
  args: string[]
  dir: string
  run: CliRun
}

/** How the command is run: by default as a plain child process; a full disk, a closed pipe or a signal otherwise. */
export type Runner = (args: string[], context: RunContext) => Promise<CliRun>

/** Where a runner runs the command; it may leave a note for the report (the delay before a signal). */
export interface RunContext {
  dir: string
  env: Record<string, string>
  note?: string
}

export type Check = (outcome: Outcome) => Promise<void> | void

export interface Attack {
  class: AttackClass
  /** Arguments of the command under attack (the attack's temp directory given). */
  command: (dir: string) => string[]
  env?: Record<string, string>
  invariant: Check[]
  name: string
  runner?: Runner
  /** Lays out the files the command needs in the attack's temp directory. */
  setup?: (dir: string) => Promise<void>
}

/** An invariant that did not hold. */
export class Broken extends Error {}

export function broken(condition: boolean, message: string): void {
  if (!condition) throw new Broken(message)
}

export const plain: Runner = (args, {env}) => runCli(args, env)

/** The first lines of a text, for a failure report. */
export function excerpt(text: string, lines = 3): string {
  const kept = text.trimEnd().split('\n').slice(-lines).join(' ⏎ ')
  return kept.length > 400 ? `${kept.slice(0, 400)}…` : kept
}

// ---- checks every class uses --------------------------------------------------------------------------------------

export function exits(...codes: number[]): Check {
  return ({run}) =>
    broken(
      run.code !== null && codes.includes(run.code),
      `exit ${run.code ?? run.signal}, expected ${codes.join(' or ')}: ${excerpt(run.stderr || run.stdout)}`,
    )
}

/** No stack trace and no raw JavaScript error name on either stream. */
export const noStackTrace: Check = ({run}) => {
  const text = run.stdout + run.stderr
  broken(
    !/\n\s+at \S|RangeError|TypeError|ReferenceError|Maximum call stack/.test(text),
    `a stack trace: ${excerpt(text, 6)}`,
  )
}

/** Exactly one `Error: …` line on stderr, naming `what` (a file, usually). */
export function oneErrorLine(what: (dir: string) => string = () => ''): Check {
  return ({dir, run}) => {
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('Error: '))
    broken(lines.length === 1, `${lines.length} error lines, expected one: ${excerpt(run.stderr)}`)
    const named = what(dir)
    broken(lines[0]!.includes(named), `the error line does not name ${named}: ${lines[0]}`)
  }
}

/** Every file under the attack's directory, relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, {recursive: true})).map(String)
}

/** No temp file (`*.tmp`) and no partial bag (`*.partial/`) anywhere under the attack's directory. */
export const noTemps: Check = async ({dir}) => {
  const left = (await filesUnder(dir)).filter((name) => /\.tmp$|\.partial$/.test(name))
  broken(left.length === 0, `left behind: ${left.join(', ')}`)
}

export function path(dir: string, ...names: string[]): string {
  return join(dir, ...names)
}
