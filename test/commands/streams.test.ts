import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js')
const PAGE = join(import.meta.dirname, '..', 'fixtures', 'liveperson', 'msgint-page.json')

function cli(args: string[], input?: string): {status: null | number; stderr: string; stdout: string} {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1'},
    input,
  })
  return {status: run.status, stderr: run.stderr, stdout: run.stdout}
}

describe('streams: stdout carries only the product', () => {
  it('convert --input - --output - writes only records to stdout; the summary and the --json result to stderr', () => {
    for (const extra of [[], ['--json']]) {
      const run = cli(
        ['convert', '--from', 'liveperson', '--to', 'neutral', '--input', '-', '--output', '-', ...extra],
        readFileSync(PAGE, 'utf8'),
      )
      expect(run.status, run.stderr).to.equal(0)
      const lines = run.stdout.split('\n').filter(Boolean)
      expect(lines).to.have.length(2)
      for (const line of lines) expect(JSON.parse(line)).to.include({format: 'liveperson', schemaVersion: '1.0'})
      expect(run.stderr).to.contain(extra.length > 0 ? '"converted": 2' : '2 read = 2 converted + 0 rejected')
    }
  })

  it('sample --output - and archive export --output - keep their summaries off stdout', () => {
    const sample = cli(['sample', 'ada', '--count', '3', '--output', '-'])
    expect(
      sample.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)._id),
    ).to.have.length(3)
    expect(sample.stderr).to.contain('3 ada conversations')
  })
})

describe('errors under --json: one compact document, for flag errors too', () => {
  const commands = (JSON.parse(cli(['commands', '--json']).stdout) as Array<{id: string; pluginName: string}>)
    .filter((command) => command.pluginName === 'convoshift')
    .map((command) => command.id.split(':'))

  it('covers every convoshift command', () => {
    expect(commands.length).to.be.greaterThan(8)
  })

  for (const id of commands) {
    it(`${id.join(' ')}: a flag that does not exist, and missing required input`, () => {
      for (const args of [
        [...id, '--bogus-flag', '--json'],
        [...id, '--json'],
      ]) {
        const run = cli(args)
        if (run.status === 0) continue // a command without required input (commands, init's defaults…)
        expect(run.status, `${args.join(' ')}: ${run.stderr}`).to.equal(ExitCode.Usage)
        const lines = run.stdout.split('\n').filter(Boolean)
        expect(lines, args.join(' ')).to.have.length(1)
        expect(lines[0]!.length, args.join(' ')).to.be.lessThan(1000)
        const {error} = JSON.parse(lines[0]!) as {error: Record<string, unknown>}
        expect(error, args.join(' ')).to.include({code: 'USAGE', exitCode: ExitCode.Usage})
        expect(error.message, args.join(' ')).to.be.a('string').and.not.contain('\n')
      }
    })
  }

  it('names the closest flag for a mistyped one, without the usage dump', () => {
    const run = cli(['convert', '--form', 'liveperson'])
    expect(run.status).to.equal(ExitCode.Usage)
    expect(run.stderr).to.contain('Error: Nonexistent flag: --form')
    expect(run.stderr).to.contain('Try this: did you mean --from?')
    expect(run.stderr).not.to.match(/^USAGE/m) // the usage section oclif printed
    expect(run.stdout).to.equal('')
  })
})
