import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {errorLine, runCli} from '../export/helpers.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {intoClosedPipe, intoFullDisk} from '../helpers/stdio.js'
import {useTempDir} from '../helpers/tmp.js'

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')
const LP = ['--from', 'liveperson', '--to', 'neutral']

describe('stdout that cannot be written (through the CLI)', () => {
  const tmp = useTempDir('all')
  let bag: string
  let neutral: string

  before(async function () {
    if (!existsSync('/dev/full')) this.skip()
    bag = join(tmp.dir, 'bag')
    neutral = join(tmp.dir, 'neutral.jsonl')
    expect(
      (await runCli(['archive', 'create', '--from', 'liveperson', '--input', PAGE, '--output', bag])).code,
    ).to.equal(0)
    expect((await runCli(['convert', ...LP, '--input', PAGE, '--output', neutral])).code).to.equal(0)
  })

  it('a full disk: one line, exit 3, no temp file, on every command that writes to stdout', async () => {
    const commands: Record<string, string[]> = {
      'archive export -': ['archive', 'export', bag, '--to', 'neutral', '--output', '-'],
      'archive verify': ['archive', 'verify', bag],
      'convert --json': ['convert', ...LP, '--input', PAGE, '--output', join(tmp.dir, 'n2.jsonl'), '--json'],
      'convert --output -': ['convert', ...LP, '--input', PAGE, '--output', '-'],
      init: ['init', '--from', 'liveperson', '--to', 'ada', '--workspace', join(tmp.dir, 'ws')],
      'sample --output -': ['sample', 'ada', '--count', '50', '--output', '-'],
      verify: ['verify', '--from', 'liveperson', '--source', PAGE, '--to', 'neutral', '--target', neutral],
    }
    for (const [name, args] of Object.entries(commands)) {
      const run = await intoFullDisk(args, tmp.dir)
      expect(run.code, `${name}: ${run.stderr}`).to.equal(ExitCode.Io)
      expect(errorLine(run.stderr), name).to.equal('<stdout>: cannot write (no space left on device)')
      expect(run.stderr, name).to.contain('Code: OUTPUT_UNWRITABLE')
      expect(run.stderr, name).not.to.match(/\n\s+at /)
    }

    const leftovers = (await readdir(tmp.dir, {recursive: true})).filter((name) => /\.tmp$|rejected/.test(name))
    expect(leftovers).to.deep.equal([])
  })

  it('a pipe closed by its reader (| head -1): stops quietly with 141, as SIGPIPE stops a Unix tool', async () => {
    const big = join(tmp.dir, 'big.jsonl')
    const sample = await intoClosedPipe(['sample', 'liveperson', '--count', '3000', '--output', '-'], tmp.dir)
    expect(sample.received).to.be.greaterThan(0)
    expect(sample.code, sample.stderr).to.equal(ExitCode.BrokenPipe)
    expect(sample.stderr).not.to.contain('Error')

    expect((await runCli(['sample', 'liveperson', '--count', '600', '--output', big])).code).to.equal(0)
    const convert = await intoClosedPipe(['convert', ...LP, '--input', big, '--output', '-'], tmp.dir)
    expect(convert.code, convert.stderr).to.equal(ExitCode.BrokenPipe)
    expect(convert.stderr).not.to.match(/Error|\n\s+at /)
    expect((await readdir(tmp.dir)).filter((name) => name.endsWith('.tmp'))).to.deep.equal([])
  })
})
