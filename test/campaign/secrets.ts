/**
 * Secrets: a token given by flag or by environment variable, under DEBUG=*, with --json, in a mistyped flag, in a
 * login the loopback API refuses, and through export --check. The token is never on stdout or stderr, nor in any file
 * the run wrote.
 */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {DC_BOT, DC_KEY} from '../simulators/deepconverse.js'
import {type Attack, broken, type Check, exits, filesUnder, noStackTrace} from './attack.js'
import {deepConverse, DEEPCONVERSE_RANGE} from './shared.js'

const WRONG = 'tok_wrong_5c0ffee9d1a7b3'

function nowhere(secret: string): Check {
  return async ({dir, run}) => {
    broken(!run.stdout.includes(secret), `the secret is on stdout: ${run.stdout.slice(0, 300)}`)
    const at = run.stderr.indexOf(secret)
    broken(at === -1, `the secret is on stderr: …${run.stderr.slice(Math.max(0, at - 150), at + 40)}`)
    for (const name of await filesUnder(dir)) {
      const bytes = await readFile(join(dir, name)).catch(() => Buffer.alloc(0))
      broken(!bytes.includes(secret), `the secret is in ${name}`)
    }
  }
}

let baseUrl = ''
const server = async (): Promise<void> => {
  baseUrl = (await deepConverse('fast')).baseUrl
}

/** A DeepConverse export against the loopback API; `rest` adds flags. */
const exportDc = (dir: string, ...rest: string[]): string[] => [
  'export',
  'deepconverse',
  '--bot-name',
  DC_BOT,
  '--base-url',
  baseUrl,
  '--since',
  DEEPCONVERSE_RANGE.since.toISOString(),
  '--until',
  DEEPCONVERSE_RANGE.until.toISOString(),
  '--page-size',
  '50',
  ...rest,
  ...(rest.includes('--check') ? [] : ['--output', join(dir, 'dc.jsonl')]),
]

/** An export refused on its own flags (the range is backwards): no request, argv printed all the same. */
const refused = (dir: string): string[] => [
  'export',
  'ada',
  '--handle',
  'acme',
  '--since',
  '2024-02-01',
  '--until',
  '2024-01-01',
  '--output',
  join(dir, 'x.jsonl'),
]

const CASES: Array<{
  args: (dir: string) => string[]
  code: number
  env?: Record<string, string>
  name: string
  secret: string
}> = [
  {
    args: (dir) => exportDc(dir, '--token', DC_KEY),
    code: 0,
    env: {DEBUG: '*'},
    name: 'export, --token, DEBUG=*',
    secret: DC_KEY,
  },
  {
    args: (dir) => exportDc(dir, `--token=${DC_KEY}`, '--json'),
    code: 0,
    env: {DEBUG: '*'},
    name: 'export, --token=, --json, DEBUG=*',
    secret: DC_KEY,
  },
  {
    args: (dir) => exportDc(dir),
    code: 0,
    env: {CONVOSHIFT_TOKEN: DC_KEY, DEBUG: '*'},
    name: 'export, CONVOSHIFT_TOKEN, DEBUG=*',
    secret: DC_KEY,
  },
  {args: (dir) => exportDc(dir, '--token', WRONG), code: 8, name: 'a login the API refuses (--token)', secret: WRONG},
  {
    args: (dir) => exportDc(dir, '--json'),
    code: 8,
    env: {CONVOSHIFT_TOKEN: WRONG, DEBUG: '*'},
    name: 'a login the API refuses (env, --json, DEBUG=*)',
    secret: WRONG,
  },
  {
    args: (dir) => exportDc(dir, '--check', '--token', DC_KEY),
    code: 0,
    env: {DEBUG: '*'},
    name: 'export --check, DEBUG=*',
    secret: DC_KEY,
  },
  {
    args: (dir) => exportDc(dir, '--check', '--json'),
    code: 0,
    env: {CONVOSHIFT_TOKEN: DC_KEY},
    name: 'export --check --json',
    secret: DC_KEY,
  },
  {
    args: (dir) => exportDc(dir, '--check', '--token', WRONG),
    code: 8,
    name: 'export --check, a refused token',
    secret: WRONG,
  },
  {
    args: (dir) => exportDc(dir, '--check', '--json', `--token=${WRONG}`),
    code: 8,
    env: {DEBUG: '*'},
    name: 'export --check --json, a refused token, DEBUG=*',
    secret: WRONG,
  },
  {args: (dir) => [...refused(dir), `--tokn=${WRONG}`], code: 2, name: 'mistyped --tokn=<t>', secret: WRONG},
  {args: (dir) => [...refused(dir), '--tokn', WRONG], code: 2, name: 'mistyped --tokn <t>', secret: WRONG},
  {
    args: (dir) => [...refused(dir), `--tokn=${WRONG}`, '--json'],
    code: 2,
    name: 'mistyped --tokn=<t> --json',
    secret: WRONG,
  },
  {
    args: (dir) => [...refused(dir), `--tokn=${WRONG}`],
    code: 2,
    env: {DEBUG: '*'},
    name: 'mistyped --tokn=<t>, DEBUG=*',
    secret: WRONG,
  },
  {args: (dir) => [...refused(dir), `-T${WRONG}`], code: 2, name: 'mistyped short flag -T<t>', secret: WRONG},
  {
    args: (dir) => [...refused(dir), `--client-secert=${WRONG}`],
    code: 2,
    name: 'mistyped --client-secert=<t>',
    secret: WRONG,
  },
  {
    args: () => ['exprt', 'ada', `--token=${WRONG}`],
    code: 2,
    env: {DEBUG: '*'},
    name: 'a mistyped command with --token=, DEBUG=*',
    secret: WRONG,
  },
  {
    args: (dir) => [...refused(dir), '--token', WRONG],
    code: 2,
    env: {DEBUG: '*'},
    name: 'refused flags, --token, DEBUG=*',
    secret: WRONG,
  },
  {
    args: (dir) => [
      'export',
      'koreai',
      '--since',
      '2024-02-01',
      '--until',
      '2024-01-01',
      '--output',
      join(dir, 'x.jsonl'),
      '--client-secret',
      WRONG,
    ],
    code: 2,
    env: {DEBUG: '*'},
    name: 'koreai --client-secret, DEBUG=*',
    secret: WRONG,
  },
  {
    args: (dir) => [
      'export',
      'iadvize',
      '--since',
      '2024-02-01',
      '--until',
      '2024-01-01',
      '--output',
      join(dir, 'x.jsonl'),
      `--password=${WRONG}`,
      '--json',
    ],
    code: 2,
    env: {DEBUG: '*'},
    name: 'iadvize --password=, --json, DEBUG=*',
    secret: WRONG,
  },
  {
    args: (dir) => [...refused(dir)],
    code: 2,
    env: {
      CONVOSHIFT_IADVIZE_PASSWORD: WRONG,
      CONVOSHIFT_KOREAI_CLIENT_SECRET: WRONG,
      CONVOSHIFT_TOKEN: WRONG,
      DEBUG: '*',
    },
    name: 'every credential variable set, DEBUG=*',
    secret: WRONG,
  },
]

export const secrets: Attack[] = CASES.map(({args, code, env, name, secret}) => ({
  class: 'secrets',
  command: args,
  ...(env ? {env} : {}),
  // Under DEBUG=* oclif's own debug lines include stack traces: asked for, and not what this class checks.
  invariant: [exits(code), ...(env?.DEBUG ? [] : [noStackTrace]), nowhere(secret)],
  name,
  setup: server,
}))
