/**
 * The hostile-input campaign of issue 19, replayed against the built CLI (bin/run.js): every attack in its own temp
 * directory, two at a time. Prints one line per class (`class  attacks N  failures M`), then each failure with its
 * command and what broke; exits 1 on any failure.
 *
 *   npm run campaign                     (builds first)
 *   CAMPAIGN_SEED=7 npm run campaign     (replays the random signal points of a run that printed "seed 7")
 *   CAMPAIGN_ONLY=signals npm run campaign
 */
import {mkdir, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {seeded} from '../export/helpers.js'
import {type Attack, Broken, CLASSES, excerpt, plain, type RunContext} from './attack.js'
import {badInputs} from './bad-inputs.js'
import {bagTampers, hostileBags} from './bags.js'
import {pathCollisions} from './paths.js'
import {secrets} from './secrets.js'
import {finish} from './shared.js'
import {signals} from './signals.js'
import {stdout} from './stdout.js'

interface Failure {
  attack: Attack
  command: string
  what: string
}

const seed = Number(process.env.CAMPAIGN_SEED ?? Math.floor(Math.random() * 2 ** 31))
const only = process.env.CAMPAIGN_ONLY
const random = seeded(seed)
const attacks = [
  ...badInputs,
  ...pathCollisions,
  ...signals(random),
  ...bagTampers,
  ...hostileBags,
  ...secrets,
  ...stdout,
].filter((attack) => !only || attack.class === only || attack.name.includes(only))

const quote = (arg: string): string =>
  /^[\w./:=@,+-]*$/.test(arg) ? arg : `'${arg.replaceAll("'", String.raw`'\''`)}'`

async function execute(attack: Attack, root: string, index: number): Promise<Failure | undefined> {
  const dir = join(root, String(index).padStart(3, '0'))
  await mkdir(dir)
  let command = '(setup)'
  const context: RunContext = {dir, env: {NO_COLOR: '1', ...attack.env}}
  try {
    await attack.setup?.(dir)
    const args = attack.command(dir)
    command = `convoshift ${args.map((arg) => quote(arg)).join(' ')}`
    const run = await (attack.runner ?? plain)(args, context)
    for (const check of attack.invariant) await check({args, dir, run})
    return undefined
  } catch (error) {
    const what = error instanceof Broken ? error.message : `the attack itself failed: ${(error as Error).stack}`
    return {attack, command: context.note ? `${command}  (${context.note})` : command, what}
  } finally {
    await rm(dir, {force: true, recursive: true}).catch(() => {})
  }
}

/** Runs the attacks `jobs` at a time, in their listed order. */
async function pool(jobs: number, root: string): Promise<Failure[]> {
  const failures: Failure[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < attacks.length) {
      const index = next++
      const failure = await execute(attacks[index]!, root, index)
      if (failure) failures.push(failure)
    }
  }

  await Promise.all(Array.from({length: jobs}, () => worker()))
  return failures
}

const started = performance.now()
const root = await mkdtemp(join(tmpdir(), 'convoshift-campaign-'))
process.stdout.write(`campaign: ${attacks.length} attacks, seed ${seed} (CAMPAIGN_SEED=${seed} replays it)\n`)
let failures: Failure[] = []
try {
  failures = await pool(Number(process.env.CAMPAIGN_JOBS ?? 2), root)
} finally {
  await finish()
  await rm(root, {force: true, recursive: true})
}

for (const name of CLASSES) {
  const count = attacks.filter((attack) => attack.class === name).length
  const failed = failures.filter((failure) => failure.attack.class === name).length
  if (count > 0) process.stdout.write(`${name.padEnd(16)} attacks ${String(count).padStart(3)}  failures ${failed}\n`)
}

for (const {attack, command, what} of failures) {
  process.stdout.write(
    `\nFAILED ${attack.class}: ${attack.name}\n  command: ${command}\n  broke:   ${excerpt(what, 8)}\n`,
  )
}

const seconds = (performance.now() - started) / 1000
process.stdout.write(
  `\n${attacks.length} attacks, ${failures.length} failures in ${seconds.toFixed(1)} s (seed ${seed})\n`,
)
process.exitCode = failures.length > 0 ? 1 : 0
