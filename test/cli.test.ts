import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../src/errors.js'
import {FIXTURES} from './helpers/liveperson.js'
import {useTempDir} from './helpers/tmp.js'

/** The built binary as a user runs it (pretest builds dist/): real exit codes, real stdout/stderr separation. */
function cli(args: string[]): {status: null | number; stderr: string; stdout: string} {
  const run = spawnSync(process.execPath, ['bin/run.js', ...args], {
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1'},
  })
  return {status: run.status, stderr: run.stderr, stdout: run.stdout}
}

describe('convoshift binary', () => {
  const tmp = useTempDir('all')

  it('prints only the JSON result on stdout under --json, progress on stderr', () => {
    const page = join(FIXTURES, 'liveperson', 'msgint-page.json')
    const {status, stdout} = cli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      page,
      '--output',
      join(tmp.dir, 'n.jsonl'),
      '--json',
    ])
    expect(status).to.equal(0)
    expect(JSON.parse(stdout).records).to.deep.equal({converted: 2, read: 2, rejected: 0})
    const human = cli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      page,
      '--output',
      join(tmp.dir, 'n.jsonl'),
    ])
    expect(human.stderr).to.contain('Converting liveperson → neutral')
    expect(human.stdout).not.to.contain('Converting')
  })

  it('exits 6 when records were rejected, and 4 with one clean error line for malformed input', async () => {
    const input = join(tmp.dir, 'one-bad.jsonl')
    await writeFile(input, '{"info":{"conversationId":"ok"}}\n{"info":{}}\n')
    const rejected = cli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      join(tmp.dir, 'o.jsonl'),
    ])
    expect(rejected.status).to.equal(ExitCode.Rejected)
    const bad = join(FIXTURES, 'liveperson', 'msgint-typographic-quotes.json')
    const malformed = cli(['convert', '--from', 'liveperson', '--to', 'neutral', '--input', bad, '--dry-run'])
    expect(malformed.status).to.equal(ExitCode.InvalidInput)
    expect(malformed.stderr).to.match(/Error: .*msgint-typographic-quotes\.json:\d+:\d+: malformed JSON/)
    expect(malformed.stderr).not.to.match(/\n\s+at /) // no stack trace
  })

  it('keeps the documented exit code under --json, with the error as JSON', () => {
    const {status, stdout} = cli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      join(tmp.dir, 'missing.jsonl'),
      '--dry-run',
      '--json',
    ])
    expect(status).to.equal(ExitCode.Io)
    expect(JSON.parse(stdout).error).to.include({code: 'INPUT_NOT_FOUND'})
  })

  it('names the closest command for a typo, in a pipe too, with exit 2; --json gives one compact error', () => {
    const typo = cli(['conver', '--from', 'liveperson'])
    expect(typo.status).to.equal(ExitCode.Usage)
    expect(typo.stderr).to.contain('Error: conver is not a convoshift command')
    expect(typo.stderr).to.contain('Try this: did you mean convoshift convert?')
    const nested = cli(['archive', 'creat'])
    expect(nested.stderr).to.contain('did you mean convoshift archive create?')
    const json = cli(['xyzzy', '--json'])
    expect(json.status).to.equal(ExitCode.Usage)
    expect(json.stdout.trim().split('\n')).to.have.length(1)
    expect(JSON.parse(json.stdout).error).to.include({code: 'USAGE', exitCode: 2})
  })

  it('lists its commands, and prints shell completion setup', () => {
    const commands = cli(['commands', '--json'])
    expect(commands.status).to.equal(0)
    const ids = (JSON.parse(commands.stdout) as Array<{id: string}>).map((c) => c.id)
    expect(ids).to.include.members(
      ['archive create', 'convert', 'export', 'migrate', 'verify'].map((id) => id.replace(' ', ':')),
    )
    const completion = cli(['autocomplete', 'script', 'bash'])
    expect(completion.status).to.equal(0)
    expect(completion.stdout).to.contain('convoshift')
  })
})
