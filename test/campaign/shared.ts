/**
 * What several attacks start from, made once per campaign (on first use) in a directory of its own: a bag with a
 * rejected record, a signed bag and its keys, large inputs, and the loopback DeepConverse API. `finish()` stops the
 * servers and removes the directory.
 */
import {generateKeyPairSync} from 'node:crypto'
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EXAMPLES} from '../archive/helpers.js'
import {runCli} from '../export/helpers.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {type Simulator} from '../simulators/base.js'
import {DC_EPOCH_S, deepConverseData, deepConverseSimulator} from '../simulators/deepconverse.js'

/** A small LivePerson page (two conversations). */
export const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')
export const LIVEPERSON = EXAMPLES[0]!.input

const stops: Array<() => Promise<void>> = []
const base = mkdtemp(join(tmpdir(), 'convoshift-campaign-shared-'))

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => {
    made ??= make()
    return made
  }
}

async function cli(args: string[], ...codes: number[]): Promise<void> {
  const run = await runCli(args)
  if (!codes.includes(run.code ?? -1))
    throw new Error(`campaign fixture: ${args.join(' ')}: exit ${run.code}: ${run.stderr}`)
}

let scratches = 0
/** A fresh directory of the campaign's own (for reference runs). */
export async function scratch(): Promise<string> {
  const dir = join(await base, `scratch-${++scratches}`)
  await mkdir(dir)
  return dir
}

/** A copy of `source` (a file or a directory) at `target`. */
export async function copy(source: string, target: string): Promise<string> {
  await cp(source, target, {recursive: true, verbatimSymlinks: true})
  return target
}

/** The LivePerson example export with one record the mapping rejects, archived: the bag has data/rejected.jsonl. */
export const pristineBag = once(async () => {
  const dir = await base
  const page = JSON.parse(await readFile(LIVEPERSON, 'utf8')) as {conversationHistoryRecords: unknown[]}
  const records = page.conversationHistoryRecords.map((record) => JSON.stringify(record))
  const input = join(dir, 'export.jsonl')
  await writeFile(input, [records[0], '{"info": {"startTime": "x"}}', ...records.slice(1)].join('\n') + '\n')
  const bag = join(dir, 'pristine')
  await cli(['archive', 'create', '--from', 'liveperson', '--input', input, '--output', bag], 6)
  return bag
})

/** An Ed25519 key pair in PEM files (PKCS#8 and SPKI, what openssl genpkey writes) and a bag signed with it. */
export const signedBag = once(async () => {
  const dir = await base
  const {privateKey, publicKey} = generateKeyPairSync('ed25519')
  const keys = {private: join(dir, 'private.pem'), public: join(dir, 'public.pem')}
  await writeFile(keys.private, privateKey.export({format: 'pem', type: 'pkcs8'}))
  await writeFile(keys.public, publicKey.export({format: 'pem', type: 'spki'}))
  const bag = join(dir, 'signed')
  await cli(
    ['archive', 'create', '--from', 'liveperson', '--input', LIVEPERSON, '--output', bag, '--sign', keys.private],
    0,
  )
  return {bag, keys}
})

/** The small page converted to neutral (a verify target). */
export const neutralPage = once(async () => {
  const output = join(await base, 'page.neutral.jsonl')
  await cli(['convert', '--from', 'liveperson', '--to', 'neutral', '--input', PAGE, '--output', output], 0)
  return output
})

/** `count` synthetic LivePerson conversations (about 17 kB each): an input that takes a while to convert. */
const bigInputs = new Map<number, Promise<string>>()
export function bigInput(count: number): Promise<string> {
  if (!bigInputs.has(count)) {
    bigInputs.set(
      count,
      base.then(async (dir) => {
        const output = join(dir, `big-${count}.jsonl`)
        await cli(['sample', 'liveperson', '--count', String(count), '--seed', '19', '--output', output], 0)
        return output
      }),
    )
  }

  return bigInputs.get(count)!
}

/**
 * The DeepConverse API simulator on 127.0.0.1: `slow` (40 conversations, 25 ms a request) keeps an export running for
 * a few seconds, to be interrupted; `fast` (12 conversations, no delay) is for runs that only need an API to talk to.
 */
export const DEEPCONVERSE_RANGE = {
  since: new Date(DC_EPOCH_S * 1000 - 1000),
  until: new Date((DC_EPOCH_S + 60 * 4 * 3600) * 1000),
}
const simulators = new Map<'fast' | 'slow', Promise<Simulator>>()
export function deepConverse(speed: 'fast' | 'slow'): Promise<Simulator> {
  if (!simulators.has(speed)) {
    const sim = deepConverseSimulator(
      speed === 'slow'
        ? {latencyMs: 25, records: deepConverseData({count: 40})}
        : {records: deepConverseData({count: 12})},
    )
    simulators.set(
      speed,
      sim.start().then(() => sim),
    )
    stops.push(() => sim.stop())
  }

  return simulators.get(speed)!
}

export async function finish(): Promise<void> {
  for (const stop of stops) await stop()
  await rm(await base, {force: true, recursive: true})
}
