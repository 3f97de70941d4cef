import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type ConvertResult} from '../../src/convert/index.js'
import {ExitCode} from '../../src/errors.js'
import {type MappingCheckResult} from '../../src/mapping-check/index.js'
import {MappingCheckResult as MappingCheckResultSchema} from '../../src/schemas/results.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')

/** A consultant's mapping: a tag that matches, the same tag misspelled, and a misspelled message field. */
const USER_MAPPING = `{
  "extends": "liveperson",
  "version": 1,
  "rules": [
    {"tag": {"prefix": "campaign:"}, "vendor": "campaign.campaignName"},
    {"tag": {"prefix": "c:"}, "vendor": "campaign.campaignNmae"}
  ],
  "collections": [
    {"vendor": "messageRecords", "neutral": "messages", "rules": [
      {"neutral": "metadata.sequence", "vendor": "seqq"}
    ]}
  ]
}
`

describe('mapping check', () => {
  const tmp = useTempDir('each')
  let mapping: string

  beforeEach(async () => {
    mapping = join(tmp.dir, 'my-liveperson.json')
    await writeFile(mapping, USER_MAPPING)
  })

  it('validates a user mapping with its extends chain', async () => {
    const {error, stdout} = await runCommand(['mapping', 'check', mapping])
    expect(error).to.equal(undefined)
    expect(stdout.split('\n')[0]).to.equal(`${mapping} (extends mappings/liveperson.json): 3 rules, valid`)
  })

  it('reports an invalid mapping on one line with its location, exit 5', async () => {
    await writeFile(mapping, USER_MAPPING.replace('"campaign:"}', '"campaign:"'))
    const {error, stderr} = await runCommand(['mapping', 'check', mapping])
    expect(error?.oclif?.exit).to.equal(ExitCode.InvalidMapping)
    expect(stderr.split('\n')[0]).to.match(
      new RegExp(`^Error: ${mapping}:6:5: not valid JSON: unexpected character '{'$`),
    )
  })

  it('counts per rule what a sample matched, never-matched rules first, with the nearest paths', async () => {
    const {result} = await runCommand<MappingCheckResult>(['mapping', 'check', mapping, '--sample', PAGE, '--json'])
    // The --json contract published as schemas/mapping-check-result.schema.json.
    expect(MappingCheckResultSchema.safeParse(result).success).to.be.true
    const [first, second, third, fourth] = result!.rules
    expect(first).to.include({does: 'campaign.campaignNmae → tag c:', matched: 0, of: 2, rule: 'rule 2'})
    expect(first!.location).to.equal(`${mapping}:6:5`)
    expect(first!.hint).to.contain('campaign.campaignName')
    expect(second).to.include({matched: 0, of: 9, per: 'element', rule: 'collection "messageRecords" rule 1'})
    expect(second!.hint).to.contain('messageRecords[].seq')
    // Only one of the two sample conversations has a campaign.
    expect(third).to.include({matched: 1, of: 2, rule: 'rule 1'})
    // Then the base's rules, in the base file's own numbering.
    expect(fourth!.rule).to.match(/^base liveperson /)
    const sourceId = result!.rules.find((rule) => rule.does === 'info.conversationId → sourceId')
    expect(sourceId).to.include({matched: 2, of: 2, rule: 'base liveperson rule 1'})
  })

  it('gives the coverage of a sample, and the same counts for its records as JSON Lines', async () => {
    const page = await runCommand<MappingCheckResult>(['mapping', 'check', mapping, '--sample', PAGE, '--json'])
    const {sample} = page.result!
    expect(sample!.records).to.equal(2)
    expect(sample!.mapped + sample!.unmapped + sample!.original).to.be.closeTo(100, 0.2)
    expect(sample!.unmapped).to.be.greaterThan(0)
    expect(sample!.topUnmapped.length).to.be.within(1, 10)
    for (const {path} of sample!.topUnmapped) expect(path).not.to.match(/\[\d+\]/)
    expect(sample!.topUnmapped.map(({path}) => path)).to.include('info.newVendorField.flags[]')

    const records = (JSON.parse(await readFile(PAGE, 'utf8')) as {conversationHistoryRecords: unknown[]})
      .conversationHistoryRecords
    const lines = join(tmp.dir, 'export.jsonl')
    await writeFile(lines, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const jsonl = await runCommand<MappingCheckResult>(['mapping', 'check', mapping, '--sample', lines, '--json'])
    expect(jsonl.result!.rules).to.deep.equal(page.result!.rules)
    expect({...jsonl.result!.sample, input: PAGE}).to.deep.equal(sample)
  })

  it('prints the never-matched rule with its hint, and the coverage line', async () => {
    const {stdout} = await runCommand(['mapping', 'check', mapping, '--sample', PAGE])
    const lines = stdout.split('\n')
    expect(lines[1]).to.equal(`sample ${PAGE}: 2 records`)
    expect(lines[2]).to.match(/^ {2}rule 2 +campaign\.campaignNmae → tag c: {2}never matched$/)
    expect(lines[3]).to.match(/^ +\(the sample has campaign\.campaignName, /)
    expect(stdout).to.match(/\n {2}rule 1 +campaign\.campaignName → tag campaign: {2}1 of 2 records\n/)
    expect(stdout).to.match(/\ncoverage: [\d.]+% mapped, [\d.]+% in extensions \(unmapped\), [\d.]+% kept as original/)
  })

  it("flags the issue's misspelled SDE filter rule as never matched, and counts the right one", async () => {
    // Issue 18's example: the CUSTOMER_INFO event's field is customerType; customerStatus is the misspelling.
    const sde = 'sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo'
    await writeFile(
      mapping,
      JSON.stringify({
        extends: 'liveperson',
        rules: [
          {tag: {prefix: 'tier:'}, vendor: `${sde}.customerType`},
          {tag: {prefix: 'status:'}, vendor: `${sde}.customerStatus`},
        ],
        version: 1,
      }),
    )
    const {result} = await runCommand<MappingCheckResult>(['mapping', 'check', mapping, '--sample', PAGE, '--json'])
    const [first, second] = result!.rules
    expect(first).to.include({does: `${sde}.customerStatus → tag status:`, matched: 0, of: 2, rule: 'rule 2'})
    expect(first!.hint).to.contain('customerType')
    expect(second).to.include({does: `${sde}.customerType → tag tier:`, matched: 1, of: 2, rule: 'rule 1'})
  })

  it('checks the built-in Intercom mapping on its sample: only a fallback never matched, rules written back skipped', async () => {
    const sample = join(FIXTURES, 'intercom', 'conversations.jsonl')
    const {result} = await runCommand<MappingCheckResult>([
      'mapping',
      'check',
      join('mappings', 'intercom.json'),
      '--sample',
      sample,
      '--json',
    ])
    const never = result!.rules.filter((rule) => rule.matched === 0)
    expect(never.map((rule) => [rule.rule, rule.does, rule.hint])).to.deep.equal([
      ['rule 7', 'open → status', 'a fallback: an earlier rule for status found a value first'],
    ])
    // A `from` rule that fills the Intercom record (neutral → vendor) is not read from a sample, so not counted.
    const written = result!.rules.filter((rule) => rule.does.startsWith('from $vendor.'))
    expect(written.length).to.be.greaterThan(0)
    for (const rule of written) expect(rule.matched, rule.does).to.equal(null)
  })
})

describe('convert with a user mapping', () => {
  const tmp = useTempDir('each')

  it('warns once about the rules of the user mapping that matched no record', async () => {
    const mapping = join(tmp.dir, 'my-liveperson.json')
    await writeFile(mapping, USER_MAPPING)
    const args = ['convert', '--from', 'liveperson', '--to', 'neutral', '--input', PAGE, '--dry-run']
    const {error, stderr} = await runCommand([...args, '--mapping', mapping])
    expect(error).to.equal(undefined)
    const warnings = stderr.split('\n').filter((line) => line.startsWith('Warning: '))
    expect(warnings).to.deep.equal([
      `Warning: ${mapping}: rule 2 (campaign.campaignNmae), collection "messageRecords" rule 1 (seqq) each matched no record; \`mapping check ${mapping} --sample ${PAGE}\` shows the nearest vendor paths`,
    ])
    const json = await runCommand<ConvertResult>([...args, '--mapping', mapping, '--json'])
    expect(json.result!.warnings).to.have.length(1)
    // The built-in mapping alone is not the user's: no warning about its rules.
    const builtIn = await runCommand<ConvertResult>([...args, '--json'])
    expect(builtIn.result!.warnings).to.equal(undefined)
  })
})
