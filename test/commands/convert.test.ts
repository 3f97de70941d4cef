import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import stringify from 'fast-json-stable-stringify'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {type ConvertResult} from '../../src/convert/index.js'
import {ExitCode} from '../../src/errors.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')
const CONSUMER_PAGE = join(FIXTURES, 'liveperson', 'consumer-page.json')

async function pageRecords(path: string, key: string): Promise<Any[]> {
  return (JSON.parse(await readFile(path, 'utf8')) as Record<string, Any[]>)[key]!
}

/** The one error line a user sees (the base command prints it unwrapped on stderr). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
  expect(lines, stderr).to.have.length(1)
  return lines[0]!.slice('Error: '.length)
}

async function jsonl(path: string): Promise<Any[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Any)
}

describe('convert', () => {
  const tmp = useTempDir('each')

  it('converts a LivePerson API page to neutral and back to identical records', async () => {
    const neutral = join(tmp.dir, 'neutral.jsonl')
    const back = join(tmp.dir, 'back.jsonl')
    const first = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      neutral,
    ])
    expect(first.error).to.equal(undefined)
    expect(first.result?.records).to.deep.equal({converted: 2, read: 2, rejected: 0})
    expect(first.stdout).to.contain('2 read = 2 converted + 0 rejected')
    const second = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'neutral',
      '--to',
      'liveperson',
      '--input',
      neutral,
      '--output',
      back,
    ])
    expect(second.result?.records.converted).to.equal(2)
    const original = await pageRecords(PAGE, 'conversationHistoryRecords')
    const roundTripped = await jsonl(back)
    expect(roundTripped.map((r) => stringify(r))).to.deep.equal(original.map((r) => stringify(r)))
    expect(existsSync(`${neutral}.rejected.jsonl`)).to.equal(false)
  })

  it('writes byte-identical output for the same input, whatever the input layout', async () => {
    const records = await pageRecords(PAGE, 'conversationHistoryRecords')
    const asJsonl = join(tmp.dir, 'in.jsonl')
    await writeFile(asJsonl, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const asGzipArray = join(tmp.dir, 'in.json.gz')
    await writeFile(asGzipArray, gzipSync(JSON.stringify(records, null, 1)))
    const outputs: string[] = []
    for (const [i, input] of [PAGE, PAGE, asJsonl, asGzipArray].entries()) {
      const output = join(tmp.dir, `out-${i}.jsonl`)
      const {result} = await runCommand<ConvertResult>([
        'convert',
        '--from',
        'liveperson',
        '--to',
        'neutral',
        '--input',
        input,
        '--output',
        output,
      ])
      expect(result?.records.converted).to.equal(2)
      outputs.push(await readFile(output, 'utf8'))
    }

    expect(new Set(outputs).size).to.equal(1)
  })

  it('prints only the result as JSON on stdout with --json', async () => {
    const {stdout} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--dry-run',
      '--json',
    ])
    const result = JSON.parse(stdout) as ConvertResult
    expect(result).to.include({dryRun: true, layout: 'json-document', output: null, rejectedFile: null})
    expect(result.records).to.deep.equal({converted: 2, read: 2, rejected: 0})
  })

  it('creates the output directory when it does not exist', async () => {
    const output = join(tmp.dir, 'reports', '2024', 'neutral.jsonl')
    const {result} = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      output,
    ])
    expect(result?.records.converted).to.equal(2)
    expect(await jsonl(output)).to.have.length(2)
  })

  it('writes nothing on --dry-run', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    const {result} = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      output,
      '--dry-run',
    ])
    expect(result?.records.read).to.equal(2)
    expect(existsSync(output)).to.equal(false)
  })

  it('rejects invalid records with line and reason, converts the rest, and exits 6', async () => {
    const [good] = await pageRecords(PAGE, 'conversationHistoryRecords')
    const input = join(tmp.dir, 'mixed.jsonl')
    const noId = {info: {startTime: '2021-01-01 00:00:00.000+0000'}}
    const badMessage = {info: {conversationId: 'c-2'}, messageRecords: [{seq: 1, time: '2021-01-01 00:00:00.000+0000'}]}
    await writeFile(
      input,
      [JSON.stringify(good), '', JSON.stringify(noId), JSON.stringify(badMessage)].join('\n') + '\n',
    )
    const output = join(tmp.dir, 'out.jsonl')
    const {result, stdout} = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      output,
    ])
    expect(process.exitCode).to.equal(ExitCode.Rejected)
    expect(result?.records).to.deep.equal({converted: 1, read: 3, rejected: 2})
    expect(stdout).to.contain('3 read = 1 converted + 2 rejected')
    expect(await jsonl(output)).to.have.length(1)
    const rejected = await jsonl(`${output}.rejected.jsonl`)
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [3, 'info.conversationId: missing (expected string)'],
      [4, 'messageRecords[0].messageId: missing or not usable (needed for the neutral id)'],
    ])
    expect(rejected[1]!.id).to.equal('c-2')
    expect(rejected[1]!.record).to.deep.equal(badMessage)
  })

  it('rejects a record its target vendor would not accept, naming the field, instead of writing it', async () => {
    // A user's rule writes an undocumented Ada platform: the record must land in the rejected file, not the output.
    const mapping = join(tmp.dir, 'fax-ada.json')
    await writeFile(
      mapping,
      JSON.stringify({
        extends: 'ada',
        rules: [{const: 'fax-machine', direction: 'fromNeutral', vendor: 'platform'}],
        version: 1,
      }),
    )
    const output = join(tmp.dir, 'ada.jsonl')
    const {result} = await runCommand<ConvertResult>([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'ada',
      '--mapping',
      mapping,
      '--input',
      PAGE,
      '--output',
      output,
    ])
    expect(process.exitCode).to.equal(ExitCode.Rejected)
    expect(result?.records).to.deep.equal({converted: 0, read: 2, rejected: 2})
    expect(await readFile(output, 'utf8')).to.equal('')
    const rejected = await jsonl(`${output}.rejected.jsonl`)
    expect(rejected.map((r) => r.reason)).to.deep.equal(
      Array.from(
        {length: 2},
        () =>
          'not a valid ada record (check the rules of fax-ada.json): platform: expected a documented Ada platform, got "fax-machine"',
      ),
    )
  })

  it('fails on malformed JSON with one line naming file, line and column, and leaves no output', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    const input = join(FIXTURES, 'liveperson', 'msgint-typographic-quotes.json')
    const {error, stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      output,
    ])
    expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
    expect(errorLine(stderr)).to.match(
      /msgint-typographic-quotes\.json:\d+:\d+: malformed JSON: unexpected character '“'$/,
    )
    expect(existsSync(output)).to.equal(false)
  })

  it('keeps an existing output intact when a run fails part-way', async () => {
    const output = join(tmp.dir, 'out.jsonl')
    await writeFile(output, 'previous good output\n')
    const [good] = await pageRecords(PAGE, 'conversationHistoryRecords')
    // A JSON document (a JSON Lines file would have its bad line rejected, and the run would go on)
    const input = join(tmp.dir, 'truncated.json')
    await writeFile(input, `[${JSON.stringify(good)},\n${JSON.stringify(good).slice(0, 500)}\n`)
    const {error, stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      input,
      '--output',
      output,
    ])
    expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
    expect(errorLine(stderr)).to.match(/truncated\.json:2(:\d+)?: malformed JSON/)
    expect(await readFile(output, 'utf8')).to.equal('previous good output\n')
  })

  it('names the right format when given another vendor shape', async () => {
    const {error, stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      CONSUMER_PAGE,
      '--dry-run',
    ])
    expect(error?.oclif?.exit).to.equal(ExitCode.InvalidInput)
    expect(errorLine(stderr)).to.equal(
      `${CONSUMER_PAGE}:1: this is a liveperson-consumer API page ("conversationHistoryMetadataRecords"), not liveperson`,
    )
  })

  it('says so when a neutral file is given as vendor input', async () => {
    const neutral = join(tmp.dir, 'neutral.jsonl')
    await runCommand(['convert', '--from', 'liveperson', '--to', 'neutral', '--input', PAGE, '--output', neutral])
    const {stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson-consumer',
      '--to',
      'neutral',
      '--input',
      neutral,
      '--dry-run',
    ])
    expect(errorLine(stderr)).to.match(/neutral\.jsonl:1: this is a neutral record, not liveperson-consumer/)
  })

  it('fails with exit 3 on a missing input and exit 2 on an unknown shape, with the closest one', async () => {
    const missing = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      join(tmp.dir, 'nope.jsonl'),
      '--dry-run',
    ])
    expect(missing.error?.oclif?.exit).to.equal(ExitCode.Io)
    expect(errorLine(missing.stderr)).to.match(/nope\.jsonl: no such file/)
    const unknown = await runCommand([
      'convert',
      '--from',
      'livepersn',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--dry-run',
    ])
    expect(unknown.error?.oclif?.exit).to.equal(ExitCode.Usage)
    expect(errorLine(unknown.stderr)).to.equal('unknown record shape "livepersn"')
    expect(unknown.stderr).to.match(/did you mean liveperson\?/)
  })

  it('applies a user mapping that extends the built-in one, and still round-trips', async () => {
    const mappingPath = join(tmp.dir, 'my-liveperson.json')
    await writeFile(
      mappingPath,
      JSON.stringify({
        extends: 'liveperson',
        rules: [
          {tag: {prefix: 'campaign:'}, vendor: 'campaign.campaignName'},
          {neutral: 'externalId', vendor: 'campaign.campaignEngagementId'},
        ],
        version: 1,
      }),
    )
    const neutral = join(tmp.dir, 'neutral.jsonl')
    await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--output',
      neutral,
      '--mapping',
      mappingPath,
    ])
    const [first] = await jsonl(neutral)
    expect(first!.tags).to.deep.equal(['campaign:Web chat'])
    expect(first!.externalId).to.equal('998877')
    // Back with the built-in mapping and with the extended one: both restore the records exactly.
    const original = await pageRecords(PAGE, 'conversationHistoryRecords')
    for (const extra of [[], ['--mapping', mappingPath]]) {
      const back = join(tmp.dir, 'back.jsonl')
      await runCommand([
        'convert',
        '--from',
        'neutral',
        '--to',
        'liveperson',
        '--input',
        neutral,
        '--output',
        back,
        ...extra,
      ])
      const same = (await jsonl(back)).map((r, i) => stringify(r) === stringify(original[i]))
      expect(same, `round trip ${extra.join(' ') || 'with the built-in mapping'}`).to.deep.equal([true, true])
    }
  })

  it('reports an invalid mapping file with exit 5 and the offending path', async () => {
    const mappingPath = join(tmp.dir, 'bad.json')
    await writeFile(
      mappingPath,
      JSON.stringify({extends: 'liveperson', rules: [{neutral: 'startedAtt', vendor: 'info.x'}], version: 1}),
    )
    const {error, stderr} = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--dry-run',
      '--mapping',
      mappingPath,
    ])
    expect(error?.oclif?.exit).to.equal(ExitCode.InvalidMapping)
    expect(errorLine(stderr)).to.match(
      /bad\.json:1:\d+: rule 1: neutral path startedAtt: "startedAtt" is not a field of the neutral model/,
    )
    const typo = join(tmp.dir, 'typo.json')
    await writeFile(typo, JSON.stringify({extends: 'liveperson', rules: [{nuetral: 'x'}], version: 1}))
    const second = await runCommand([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      PAGE,
      '--dry-run',
      '--mapping',
      typo,
    ])
    expect(second.error?.oclif?.exit).to.equal(ExitCode.InvalidMapping)
    expect(errorLine(second.stderr)).to.match(
      /typo\.json:1:\d+: rule 1: unknown key "nuetral" \(did you mean "neutral"\?\)/,
    )
  })
})
