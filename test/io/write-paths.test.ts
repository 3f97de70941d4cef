import {expect} from 'chai'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ConvoshiftError, ExitCode} from '../../src/errors.js'
import {checkWritePaths, type PathPlan} from '../../src/io/write-paths.js'
import {useTempDir} from '../helpers/tmp.js'

async function refusal(plan: PathPlan): Promise<string> {
  try {
    await checkWritePaths(plan)
  } catch (error) {
    expect(error).to.be.instanceOf(ConvoshiftError)
    expect((error as ConvoshiftError).exitCode).to.equal(ExitCode.Usage)
    return (error as ConvoshiftError).message
  }

  throw new Error('expected a refusal')
}

describe('io/write-paths', () => {
  const tmp = useTempDir('each')

  it('compares outputs that do not exist yet by where they will be created, through missing directories', async () => {
    const a = join(tmp.dir, 'new', 'out.jsonl')
    const b = `${tmp.dir}/new/deeper/../out.jsonl`
    expect(
      await refusal({
        reads: [],
        writes: [
          {flag: '--output', path: a},
          {flag: '--diffs', path: b},
        ],
      }),
    ).to.equal(`--output ${a} and --diffs ${b} are the same file: one would overwrite the other`)
    await checkWritePaths({
      reads: [],
      writes: [
        {flag: '--output', path: a},
        {flag: '--diffs', path: `${a}.x`},
      ],
    })
  })

  it('refuses a write inside an input directory, and an input inside a directory that is written', async () => {
    const bag = join(tmp.dir, 'bag')
    await mkdir(join(bag, 'data'), {recursive: true})
    await symlink(bag, join(tmp.dir, 'bag-link'))
    const inside = join(tmp.dir, 'bag-link', 'data', 'x.jsonl')
    expect(
      await refusal({
        reads: [{directory: true, flag: 'the bag', path: bag}],
        writes: [{flag: '--output', path: inside}],
      }),
    ).to.equal(`--output ${inside} is inside the bag ${bag}: writing it would destroy the input`)

    const input = join(tmp.dir, 'ws', 'report', 'export.json')
    await mkdir(join(tmp.dir, 'ws', 'report'), {recursive: true})
    await writeFile(input, '[]')
    const message = await refusal({
      reads: [{flag: '--input', path: input}],
      writes: [{directory: true, flag: 'the workspace directory', path: join(tmp.dir, 'ws', 'report')}],
    })
    expect(message).to.contain(`--input ${input} is inside the workspace directory`)
    // A sibling whose name merely starts the same is not inside
    await checkWritePaths({
      reads: [{directory: true, flag: 'the bag', path: bag}],
      writes: [{flag: '--output', path: join(tmp.dir, 'bag2', 'x.jsonl')}],
    })
  })

  it('never compares devices: /dev/null may take both the output and the rejected records', async () => {
    await checkWritePaths({
      reads: [{flag: '--input', path: '/dev/null'}],
      writes: [
        {flag: '--output', path: '/dev/null'},
        {flag: '--rejected', path: '/dev/null'},
      ],
    })
  })
})
