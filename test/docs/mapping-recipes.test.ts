import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Json = Record<string, unknown>

/**
 * The "How do I…" recipes of mappings/README.md, run as a reader would: each rule in a mapping of their own that
 * extends liveperson, converted through the built CLI. The README's `→` line is the assertion, so the guide cannot
 * drift from what the tool does.
 */
interface Recipe {
  expected: unknown[]
  path: string
  rule: Json
}

const README = join('mappings', 'README.md')
const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')

function recipes(): Recipe[] {
  const text = readFileSync(README, 'utf8')
  const found: Recipe[] = []
  const pattern = /<!-- recipe -->\n```json\n(.+)\n```\n→ `([^`]+)`: (.+)\n/g
  for (const [, rule, path, values] of text.matchAll(pattern)) {
    const expected = [...values!.matchAll(/`([^`]*)`/g)].map(([, value]) => JSON.parse(value!) as unknown)
    found.push({expected, path: path!, rule: JSON.parse(rule!) as Json})
  }

  return found
}

function cli(args: string[]): void {
  const run = spawnSync(process.execPath, ['bin/run.js', ...args], {encoding: 'utf8', env: {...process.env}})
  expect(run.status, run.stderr).to.equal(0)
}

function valueAt(record: Json, path: string): unknown {
  let current: unknown = record
  for (const key of path.split('.')) current = (current as Json | undefined)?.[key]
  return current ?? null
}

async function lines(path: string): Promise<Json[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json)
}

describe('mappings/README.md recipes', () => {
  const tmp = useTempDir('each')
  const all = recipes()

  it('has the recipes the guide promises, each with its expected values', () => {
    const text = readFileSync(README, 'utf8')
    expect(all).to.have.length(text.split('<!-- recipe -->').length - 1)
    expect(all.length).to.be.at.least(8)
    for (const recipe of all) expect(recipe.expected, recipe.path).to.have.length(2)
  })

  for (const recipe of all) {
    it(`${JSON.stringify(recipe.rule).slice(0, 90)} gives ${recipe.path} as written, and converts back exactly`, async () => {
      const mapping = join(tmp.dir, 'my-liveperson.json')
      await writeFile(mapping, JSON.stringify({extends: 'liveperson', rules: [recipe.rule], version: 1}))
      const neutral = join(tmp.dir, 'neutral.jsonl')
      cli(['convert', '--from', 'liveperson', '--to', 'neutral', '--mapping', mapping, '-i', PAGE, '-o', neutral])
      const records = await lines(neutral)
      expect(records.map((record) => valueAt(record, recipe.path))).to.deep.equal(recipe.expected)

      const back = join(tmp.dir, 'back.jsonl')
      cli(['convert', '--from', 'neutral', '--to', 'liveperson', '--mapping', mapping, '-i', neutral, '-o', back])
      const page = JSON.parse(await readFile(PAGE, 'utf8')) as {conversationHistoryRecords: Json[]}
      expect(await lines(back)).to.deep.equal(page.conversationHistoryRecords)
    })
  }
})
