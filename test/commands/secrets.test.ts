import {expect} from 'chai'

import {ExitCode} from '../../src/errors.js'
import {runCli} from '../export/helpers.js'

const SECRET = 'tok_9f8e7d6c5b4a39281706'
/** An export that fails on its own flags (the range is backwards): no request is made, argv is printed anyway. */
const EXPORT = [
  'export',
  'ada',
  '--handle',
  'acme',
  '--since',
  '2024-02-01',
  '--until',
  '2024-01-01',
  '--output',
  'x.jsonl',
]

function expectHidden(run: {stderr: string; stdout: string}, what: string): void {
  expect(run.stdout.includes(SECRET), `${what}: the secret is on stdout: ${run.stdout.slice(0, 400)}`).to.equal(false)
  const at = run.stderr.indexOf(SECRET)
  expect(at, `${what}: the secret is on stderr: …${run.stderr.slice(Math.max(0, at - 200), at + 50)}`).to.equal(-1)
}

describe('secrets on the command line (through the CLI)', () => {
  it('DEBUG=*: oclif prints argv, with every credential flag and its environment variable redacted', async () => {
    const cases: Array<[string, string[], Record<string, string>]> = [
      ['--token value', [...EXPORT, '--token', SECRET], {}],
      ['--token=value', [...EXPORT, `--token=${SECRET}`], {}],
      ['--client-secret (koreai)', [...EXPORT, '--client-secret', SECRET], {}],
      ['--password= (iadvize)', [...EXPORT, `--password=${SECRET}`], {}],
      ['CONVOSHIFT_TOKEN', EXPORT, {CONVOSHIFT_TOKEN: SECRET}],
      ['a mistyped flag', [...EXPORT, '--tokn', SECRET], {}],
      ['a mistyped command', ['exprt', 'ada', `--token=${SECRET}`], {}],
    ]
    for (const [what, args, env] of cases) {
      const run = await runCli(args, {DEBUG: '*', ...env})
      expect(run.stderr, `${what}: debug output is on`).to.contain('oclif:')
      expectHidden(run, what)
    }

    // The debug lines are still there to read, with the value replaced
    const run = await runCli([...EXPORT, '--token', SECRET], {DEBUG: '*'})
    expect(run.code).to.equal(ExitCode.Usage)
    expect(run.stderr).to.match(/runCommand export .*'--token', '<redacted>'/)
  })

  it('a mistyped flag carrying a token is not echoed by the parse error, in text or --json', async () => {
    for (const typo of [[`--tokn=${SECRET}`], ['--tokn', SECRET], [`--client-secert=${SECRET}`], [`-T${SECRET}`]]) {
      for (const json of [[], ['--json']]) {
        const run = await runCli([...EXPORT, ...typo, ...json])
        expect(run.code, run.stderr).to.equal(ExitCode.Usage)
        expect(run.stdout + run.stderr).to.contain('Nonexistent flag')
        expectHidden(run, `${typo.join(' ')} ${json.join(' ')}`)
      }
    }

    // --json prints the error, not the whole parse (argv, flag definitions, the configuration)
    const run = await runCli([...EXPORT, `--tokn=${SECRET}`, '--json'])
    const {error} = JSON.parse(run.stdout) as {error: Record<string, unknown>}
    expect(error.message).to.equal('Nonexistent flag: --tokn=<redacted>')
    expect(error).not.to.have.property('parse')
  })
})
