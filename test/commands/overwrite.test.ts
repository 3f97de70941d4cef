import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {type CliRun, errorLine, runCli} from '../export/helpers.js'
import {useTempDir} from '../helpers/tmp.js'

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'liveperson', 'conversations-page.json')
const DATE = ['--date', '2024-06-30']

/** Every file under `dir` with its bytes, relative paths sorted: a directory's exact content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of (await readdir(dir, {recursive: true, withFileTypes: true})).filter((e) => e.isFile())) {
    const path = join(name.parentPath, name.name)
    files[path.slice(dir.length + 1)] = (await readFile(path)).toString('base64')
  }

  return files
}

/** archive create of the example page into `output`, with a fixed Bagging-Date. */
function create(output: string, ...extra: string[]): Promise<CliRun> {
  return runCli([
    'archive',
    'create',
    '--from',
    'liveperson',
    '--input',
    EXAMPLE,
    '--output',
    output,
    ...DATE,
    ...extra,
  ])
}

describe('one overwrite rule (the built CLI)', () => {
  const tmp = useTempDir()

  it('archive create refuses an existing bag without --force, and with it replaces the bag only once the new one is whole', async () => {
    const bag = join(tmp.dir, 'bag')
    expect((await create(bag, '--shard-size', '2000')).code).to.equal(0)
    const old = await snapshot(bag)

    const refused = await create(bag)
    expect(refused.code).to.equal(ExitCode.Io)
    expect(errorLine(refused.stderr)).to.equal(`${bag}: already exists; a bag is replaced only with --force`)
    expect(await snapshot(bag)).to.deep.equal(old)

    // Replaced by exactly the bag a fresh run writes, and nothing left beside it
    const replaced = await create(bag, '--force')
    expect(replaced.code, replaced.stderr).to.equal(0)
    expect((await create(join(tmp.dir, 'fresh'))).code).to.equal(0)
    expect(await snapshot(bag)).to.deep.equal(await snapshot(join(tmp.dir, 'fresh')))
    expect(await snapshot(bag)).not.to.deep.equal(old)
    expect((await readdir(tmp.dir)).sort()).to.deep.equal(['bag', 'fresh'])
    expect((await runCli(['archive', 'verify', bag])).code).to.equal(0)
  })

  it('archive create --force replaces only a bag or an empty directory, never other files', async () => {
    const notes = join(tmp.dir, 'notes')
    await mkdir(notes)
    await writeFile(join(notes, 'todo.txt'), 'keep me')
    const refused = await create(notes, '--force')
    expect(refused.code).to.equal(ExitCode.Io)
    expect(errorLine(refused.stderr)).to.equal(`${notes}: not a bag; --force replaces only a bag or an empty directory`)
    expect(await readFile(join(notes, 'todo.txt'), 'utf8')).to.equal('keep me')

    const empty = join(tmp.dir, 'empty')
    await mkdir(empty)
    expect((await create(empty, '--force')).code).to.equal(0)
    expect((await runCli(['archive', 'verify', empty])).code).to.equal(0)
  })

  it('an old bag a killed --force run had moved aside is put back by the next run', async () => {
    const bag = join(tmp.dir, 'bag')
    expect((await create(bag)).code).to.equal(0)
    const old = await snapshot(bag)
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    await rename(bag, join(tmp.dir, `.bag.${dead}.replaced`))

    const next = await create(bag)
    expect(next.code).to.equal(ExitCode.Io)
    expect(await snapshot(bag)).to.deep.equal(old)
    expect(await readdir(tmp.dir)).to.deep.equal(['bag'])
  })

  it('init refuses an existing project file with the same code and exit, and --force replaces it', async () => {
    const init = (to: string, ...extra: string[]) =>
      runCli(['init', '--from', 'liveperson', '--to', to, '--workspace', tmp.dir, ...extra, '--json'])
    expect((await init('ada')).code).to.equal(0)
    const again = await init('koreai')
    expect(again.code).to.equal(ExitCode.Io)
    const {error} = JSON.parse(again.stdout) as {error: {code: string; message: string}}
    expect(error.code).to.equal('OUTPUT_EXISTS')
    expect(error.message).to.equal(`${join(tmp.dir, 'convoshift.json')}: already exists`)
    expect((await init('koreai', '--force')).code).to.equal(0)
    expect(await readFile(join(tmp.dir, 'convoshift.json'), 'utf8')).to.contain('"koreai"')
  })

  it('convert replaces its output and rejected file when it completes, and removes a rejected file it no longer has', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    await writeFile(output, 'an older output\n')
    await writeFile(`${output}.rejected.jsonl`, 'older rejected records\n')
    const run = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      EXAMPLE,
      '--output',
      output,
    ])
    expect(run.code, run.stderr).to.equal(0)
    expect(await readFile(output, 'utf8')).to.match(/^\{"/)
    expect(await readdir(tmp.dir)).to.deep.equal(['out.jsonl'])
  })
})
