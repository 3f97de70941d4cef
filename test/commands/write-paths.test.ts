import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, openSync} from 'node:fs'
import {copyFile, link, lstat, mkdir, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {BIN, type CliRun, errorLine, runCli} from '../export/helpers.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')
const LP = ['--from', 'liveperson', '--to', 'neutral']

/** Runs the CLI with stdin and stdout connected to files, as a shell redirection does (`< in`, `>> out`). */
async function runRedirected(args: string[], io: {stdin?: string; stdout?: string}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: [io.stdin ? openSync(io.stdin, 'r') : 'ignore', io.stdout ? openSync(io.stdout, 'a') : 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stderr, stdout: ''}))
  })
}

describe('no write lands on an input (through the CLI)', () => {
  const tmp = useTempDir('each')
  let input: string
  let original: Buffer

  beforeEach(async () => {
    input = join(tmp.dir, 'export.json')
    await copyFile(PAGE, input)
    original = await readFile(input)
  })

  /** The refusal a user must see: exit 2, one line naming both paths, the input byte for byte, nothing written. */
  async function expectRefused(run: CliRun, ...named: string[]): Promise<void> {
    expect(run.code, run.stderr).to.equal(ExitCode.Usage)
    const line = errorLine(run.stderr)
    for (const path of named) expect(line).to.contain(path)
    expect(run.stderr).not.to.match(/\n\s+at /)
    expect((await readFile(input)).equals(original), 'the input changed').to.equal(true)
    expect((await readdir(tmp.dir)).filter((name) => name.endsWith('.tmp'))).to.deep.equal([])
  }

  it('convert --output <input>: refused, however the same file is spelled', async () => {
    // Given the input reachable under other names: a symlink, a hard link, and `dir/../` through a symlinked dir
    await symlink(input, join(tmp.dir, 'symlink.json'))
    await link(input, join(tmp.dir, 'hardlink.json'))
    await mkdir(join(tmp.dir, 'elsewhere', 'deeper'), {recursive: true})
    await symlink(join(tmp.dir, 'elsewhere', 'deeper'), join(tmp.dir, 'jump'))
    await copyFile(PAGE, join(tmp.dir, 'elsewhere', 'export.json'))
    const spellings = ['export.json', 'symlink.json', 'hardlink.json', 'sub/../export.json']
    await mkdir(join(tmp.dir, 'sub'))

    for (const output of spellings) {
      // When the output is one of them
      const run = await runCli(['convert', ...LP, '--input', input, '--output', join(tmp.dir, output)])

      // Then nothing is written and the user is told why
      await expectRefused(run, join(tmp.dir, output), input)
      expect(errorLine(run.stderr)).to.contain('is the same file as --input')
    }

    // jump/../export.json is elsewhere/export.json for the file system, although it reads as ./export.json
    const viaJump = `${tmp.dir}/jump/../export.json`
    const refused = await runCli([
      'convert',
      ...LP,
      '--input',
      join(tmp.dir, 'elsewhere', 'export.json'),
      '-o',
      viaJump,
    ])
    expect(refused.code, refused.stderr).to.equal(ExitCode.Usage)
    expect(errorLine(refused.stderr)).to.contain('is the same file as --input')
    const allowed = await runCli(['convert', ...LP, '--input', input, '--output', viaJump])
    expect(allowed.code, allowed.stderr).to.equal(0)
    expect((await readFile(input)).equals(original)).to.equal(true)
  })

  it('convert --rejected <input>, and --output X --rejected X: refused before converting', async () => {
    await expectRefused(
      await runCli(['convert', ...LP, '--input', input, '--output', join(tmp.dir, 'n.jsonl'), '--rejected', input]),
      `--rejected ${input}`,
    )
    const same = join(tmp.dir, 'same.jsonl')
    const both = await runCli(['convert', ...LP, '--input', input, '--output', same, '--rejected', same])
    await expectRefused(both, `--output ${same} and --rejected ${same} are the same file`)
    expect(existsSync(same)).to.equal(false)

    // The default rejected file (<output>.rejected.jsonl) counts too
    const named = join(tmp.dir, 'x.rejected.jsonl')
    await copyFile(PAGE, named)
    const defaulted = await runCli(['convert', ...LP, '--input', named, '--output', join(tmp.dir, 'x')])
    expect(defaulted.code, defaulted.stderr).to.equal(ExitCode.Usage)
    expect(errorLine(defaulted.stderr)).to.contain('--rejected (default)')
    expect(await readFile(named, 'utf8')).to.equal(original.toString('utf8'))
  })

  it('convert --output - with stdout appended to the input, and --input - read from the output: refused', async () => {
    const appended = await runRedirected(['convert', ...LP, '--input', input, '--output', '-'], {stdout: input})
    await expectRefused(appended, '--output - (stdout, redirected) is the same file as --input')
    const output = join(tmp.dir, 'out.jsonl')
    await copyFile(PAGE, output)
    const fromStdin = await runRedirected(['convert', ...LP, '--input', '-', '--output', output], {stdin: output})
    expect(fromStdin.code, fromStdin.stderr).to.equal(ExitCode.Usage)
    expect(errorLine(fromStdin.stderr)).to.contain('is the same file as --input - (stdin, redirected)')
    expect(await readFile(output, 'utf8')).to.equal(original.toString('utf8'))
  })

  it('verify --diffs <source> and --report <target>: refused, both files intact', async () => {
    const target = join(tmp.dir, 'neutral.jsonl')
    expect((await runCli(['convert', ...LP, '--input', input, '--output', target])).code).to.equal(0)
    const converted = await readFile(target)
    const verify = ['verify', '--from', 'liveperson', '--source', input, '--to', 'neutral', '--target', target]
    await expectRefused(await runCli([...verify, '--diffs', input]), `--diffs ${input}`, `--source ${input}`)
    await expectRefused(await runCli([...verify, '--report', target]), `--report ${target}`, `--target ${target}`)
    expect((await readFile(target)).equals(converted)).to.equal(true)
  })

  it('archive: export into the bag and create over the input or inside the previous bag are refused', async () => {
    const bag = join(tmp.dir, 'bag')
    const created = await runCli(['archive', 'create', '--from', 'liveperson', '--input', input, '--output', bag])
    expect(created.code, created.stderr).to.equal(0)
    const index = join(bag, 'data', 'index.jsonl')
    const indexBytes = await readFile(index)

    await expectRefused(
      await runCli(['archive', 'export', bag, '--to', 'neutral', '--output', index]),
      `--output ${index} is inside the bag ${bag}`,
    )
    expect((await readFile(index)).equals(indexBytes)).to.equal(true)
    // A hard link to a file of the bag has its real path outside the bag: only the inode tells
    const linked = join(tmp.dir, 'linked-index.jsonl')
    await link(index, linked)
    await expectRefused(
      await runCli(['archive', 'export', bag, '--to', 'neutral', '--output', linked]),
      `--output ${linked} is a hard link to a file inside the bag ${bag}`,
    )
    expect((await readFile(linked)).equals(indexBytes)).to.equal(true)
    await expectRefused(
      await runCli(['archive', 'create', '--from', 'liveperson', '--input', input, '--output', input]),
      `--output ${input} is the same file as --input ${input}`,
    )
    await expectRefused(
      await runCli([
        'archive',
        'create',
        '--from',
        'liveperson',
        '--input',
        input,
        '--previous',
        bag,
        '-o',
        join(bag, 'v2'),
      ]),
      `--output ${join(bag, 'v2')} is inside --previous ${bag}`,
    )
    expect((await runCli(['archive', 'verify', bag])).code).to.equal(0)
  })

  it("migrate --input inside what the workspace writes: refused, the workspace's source intact", async () => {
    const workspace = join(tmp.dir, 'ws')
    const first = await runCli(['migrate', ...LP, '--input', input, '--workspace', workspace])
    expect(first.code, first.stderr).to.equal(0)
    const source = join(workspace, 'source', 'liveperson.jsonl')
    const bytes = await readFile(source)

    const run = await runCli(['migrate', '--workspace', workspace, '--input', source])
    expect(run.code, run.stderr).to.equal(ExitCode.Usage)
    expect(errorLine(run.stderr)).to.contain(`the workspace file ${source} is the same file as --input ${source}`)
    expect((await readFile(source)).equals(bytes)).to.equal(true)
  })

  it('export: a checkpoint that is a link to the output is refused before any request', async () => {
    const output = join(tmp.dir, 'lp.jsonl')
    await writeFile(output, 'previous export\n')
    await symlink(output, `${output}.checkpoint.json`)
    const run = await runCli([
      'export',
      'liveperson',
      '--account',
      '1',
      '--base-url',
      'http://127.0.0.1:9',
      '--token',
      't',
      '--since',
      '2024-01-01',
      '--until',
      '2024-01-02',
      '--output',
      output,
    ])
    expect(run.code, run.stderr).to.equal(ExitCode.Usage)
    expect(errorLine(run.stderr)).to.contain(`--output ${output} and the checkpoint ${output}.checkpoint.json`)
    expect(await readFile(output, 'utf8')).to.equal('previous export\n')
  })
})

describe('outputs that are not regular files (through the CLI)', () => {
  const tmp = useTempDir('each')

  it('a fifo as --output is written in place and stays a fifo; a fifo as --rejected is not deleted', async () => {
    // Given a named pipe with a reader
    const fifo = join(tmp.dir, 'pipe')
    const made = spawn('mkfifo', [fifo])
    await new Promise((resolve) => {
      made.on('close', resolve)
    })
    const reader = spawn('cat', [fifo])
    let received = ''
    reader.stdout.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8')
    })
    const readerDone = new Promise((resolve) => {
      reader.on('close', resolve)
    })

    // When convert writes to it
    const run = await runCli(['convert', ...LP, '--input', PAGE, '--output', fifo])
    // (had the fifo been replaced by a file, the reader would wait for a writer forever)
    const timer = setTimeout(() => reader.kill(), 5000)
    await readerDone
    clearTimeout(timer)

    // Then the reader got the records and the fifo is still a fifo (a rename would have replaced it with a file)
    expect(run.code, run.stderr).to.equal(0)
    expect(received.trimEnd().split('\n')).to.have.length(2)
    expect((await lstat(fifo)).isFIFO()).to.equal(true)
    const rejected = await runCli([
      'convert',
      ...LP,
      '--input',
      PAGE,
      '-o',
      join(tmp.dir, 'n.jsonl'),
      '--rejected',
      fifo,
    ])
    expect(rejected.code, rejected.stderr).to.equal(0)
    expect((await lstat(fifo)).isFIFO(), 'the fifo was deleted').to.equal(true)
  })

  it('--output - and --output /dev/stdout: stdout holds only the records, appended where the shell points it', async () => {
    // Given stdout appended to a log that already holds a line
    const log = join(tmp.dir, 'log.jsonl')
    for (const output of ['-', '/dev/stdout']) {
      await writeFile(log, '{"earlier":true}\n')

      // When convert writes its records there
      const run = await runRedirected(['convert', ...LP, '--input', PAGE, '--output', output], {stdout: log})

      // Then the log keeps its line, gains the two records and nothing else (the summary went to stderr)
      expect(run.code, run.stderr).to.equal(0)
      const lines = (await readFile(log, 'utf8')).trimEnd().split('\n')
      expect(lines, output).to.have.length(3)
      expect(lines[0]).to.equal('{"earlier":true}')
      for (const line of lines) JSON.parse(line)
      expect(run.stderr).to.contain('2 read = 2 converted + 0 rejected')
    }
  })

  it('--output /proc/version: the reason is the file system, not a missing directory', async function () {
    if (!existsSync('/proc/version')) this.skip()
    const run = await runCli(['convert', ...LP, '--input', PAGE, '--output', '/proc/version'])
    expect(run.code, run.stderr).to.equal(ExitCode.Io)
    expect(errorLine(run.stderr)).to.match(/^\/proc\/version: cannot write \(/)
    expect(run.stderr).not.to.contain('create the directory')
    expect((await stat('/proc/version')).isFile()).to.equal(true)
  })
})
