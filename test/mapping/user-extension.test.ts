import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

/** The built binary as a user runs it (pretest builds dist/). */
function cli(args: string[]): {status: null | number; stderr: string} {
  const run = spawnSync(process.execPath, ['bin/run.js', ...args], {
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1'},
  })
  return {status: run.status, stderr: run.stderr}
}

async function records(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('a user mapping that extends liveperson (issue 18)', () => {
  const tmp = useTempDir('each')
  const page = join(FIXTURES, 'liveperson', 'msgint-page.json')

  async function convert(rule: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
    const mapping = join(tmp.dir, 'my-liveperson.json')
    await writeFile(mapping, JSON.stringify({extends: 'liveperson', rules: [rule], version: 1}))
    const neutral = join(tmp.dir, 'neutral.jsonl')
    const run = cli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--mapping',
      mapping,
      '--input',
      page,
      '--output',
      neutral,
    ])
    expect(run.status, run.stderr).to.equal(0)
    return records(neutral)
  }

  it('turns the CUSTOMER_INFO SDE event into a tier tag with a filter path, and converts back exactly', async () => {
    const neutral = await convert({
      tag: {prefix: 'tier:'},
      vendor: 'sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerType',
    })
    // The fixture's first record has the SDE (customerType gold); the second has no SDEs at all.
    expect(neutral.map((record) => record.tags)).to.deep.equal([['tier:gold'], []])

    const back = join(tmp.dir, 'back.jsonl')
    const run = cli([
      'convert',
      '--from',
      'neutral',
      '--to',
      'liveperson',
      '--mapping',
      join(tmp.dir, 'my-liveperson.json'),
      '--input',
      join(tmp.dir, 'neutral.jsonl'),
      '--output',
      back,
    ])
    expect(run.status, run.stderr).to.equal(0)
    const original = (JSON.parse(await readFile(page, 'utf8')) as {conversationHistoryRecords: unknown[]})
      .conversationHistoryRecords
    expect(await records(back)).to.deep.equal(original)
  })

  it('gives the misspelled field no tag (never matched), not a wrong one', async () => {
    const neutral = await convert({
      tag: {prefix: 'tier:'},
      vendor: 'sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerStatus',
    })
    expect(neutral.map((record) => record.tags)).to.deep.equal([[], []])
  })
})
