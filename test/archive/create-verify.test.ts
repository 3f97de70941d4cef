import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {appendFile, cp, mkdir, readdir, readFile, rm, truncate, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createArchive, exportArchive, verifyArchive} from '../../src/archive/index.js'
import {type ConvoshiftError, ExitCode} from '../../src/errors.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {useTempDir} from '../helpers/tmp.js'
import {forge} from './forge.js'
import {EXAMPLES, jsonLines, snapshot, validateIndependently} from './helpers.js'

const LIVEPERSON = EXAMPLES[0]!
const DATE = '2026-11-21'

async function rejection(promise: Promise<unknown>): Promise<ConvoshiftError> {
  try {
    await promise
  } catch (error) {
    return error as ConvoshiftError
  }

  throw new Error('expected a rejection')
}

describe('archive create + verify', () => {
  const tmp = useTempDir('each')

  for (const example of EXAMPLES) {
    it(`archives the ${example.from} example export as a bag that passes verify and an independent validator`, async () => {
      const output = join(tmp.dir, 'bag')
      const result = await createArchive({date: DATE, from: example.from, input: example.input, output})
      expect(result.records.read).to.be.greaterThan(0)
      expect(result.records.read).to.equal(result.records.archived + result.records.rejected)
      expect(result.records.rejected).to.equal(0)
      const verified = await verifyArchive({dir: output})
      expect(verified.problems).to.deep.equal([])
      expect(verified).to.include({convoshift: true, valid: true})
      expect(verified.checked.records).to.equal(result.conversations)
      const independent = await validateIndependently(output)
      expect(independent.code, independent.output).to.equal(0)
      // The original export is in the bag byte for byte.
      const original = await readFile(join(output, 'data', 'originals', example.input.split('/').at(-1)!))
      expect(original.equals(await readFile(example.input))).to.equal(true)
    })
  }

  it('writes bagit.txt, bag-info.txt and the manifests exactly as RFC 8493 lays them out', async () => {
    const output = join(tmp.dir, 'bag')
    const result = await createArchive({date: DATE, from: LIVEPERSON.from, input: LIVEPERSON.input, output})
    expect(await readFile(join(output, 'bagit.txt'), 'utf8')).to.equal(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    )
    expect((await readdir(output)).sort()).to.deep.equal([
      'bag-info.txt',
      'bagit.txt',
      'data',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      'tagmanifest-sha256.txt',
      'tagmanifest-sha512.txt',
    ])
    const info = await readFile(join(output, 'bag-info.txt'), 'utf8')
    expect(info).to.not.contain('\r')
    for (const line of info.split('\n').filter(Boolean)) {
      // Every line is a label line or a continuation (leading whitespace); folded lines stay within 79 characters
      // unless they hold a single unbreakable value.
      expect(line, line).to.match(/^([A-Za-z][A-Za-z0-9-]*: \S.*|[ \t]\S.*)$/)
      if (line.length > 79) expect(line, line).to.match(/^[^ ]+: [^ ]+$|^ [^ ]+$/)
    }

    expect(info).to.contain(`Bagging-Date: ${DATE}\n`)
    expect(info).to.contain(`Payload-Oxum: ${result.payload.bytes}.${result.payload.files}\n`)
    expect(info).to.match(/^Bag-Software-Agent: convoshift \d+\.\d+\.\d+$/m)
    expect(info).to.not.match(/^Bag-Count:/m)
    expect(info).to.contain('Convoshift-Source-Vendor: liveperson\n')
    expect(info).to.contain('Convoshift-Neutral-Schema-Version: 1.0\n')
    expect(info).to.match(/^Convoshift-Mapping-SHA256: mappings\/liveperson\.json\n [0-9a-f]{64}$/m)
    expect(info).to.contain(`Convoshift-Conversations: ${result.conversations}\n`)
    expect(info).to.contain(`Convoshift-Messages: ${result.messages}\n`)
    const manifest = await readFile(join(output, 'manifest-sha256.txt'), 'utf8')
    expect(
      manifest
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[1]),
    ).to.deep.equal([
      'data/conversations/part-000001.jsonl',
      'data/id-map.jsonl',
      'data/index.jsonl',
      'data/originals/conversations-page.json',
    ])
    for (const line of manifest.split('\n').filter(Boolean)) expect(line).to.match(/^[0-9a-f]{64} data\/\S+$/)
    const sha512 = await readFile(join(output, 'manifest-sha512.txt'), 'utf8')
    for (const line of sha512.split('\n').filter(Boolean)) expect(line).to.match(/^[0-9a-f]{128} data\/\S+$/)
    const tags = await readFile(join(output, 'tagmanifest-sha256.txt'), 'utf8')
    expect(
      tags
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[1]),
    ).to.deep.equal(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', 'manifest-sha512.txt'])
  })

  it('indexes every conversation by shard, line and the SHA-256 of its stable JSON, and maps every input record', async () => {
    const output = join(tmp.dir, 'bag')
    await createArchive({date: DATE, from: LIVEPERSON.from, input: LIVEPERSON.input, output})
    const index = await jsonLines<{id: string; line: number; sha256: string; shard: string}>(
      join(output, 'data', 'index.jsonl'),
    )
    const shard = (await readFile(join(output, 'data', 'conversations', 'part-000001.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
    expect(index).to.have.length(shard.length)
    const {createHash} = await import('node:crypto')
    for (const [i, entry] of index.entries()) {
      const record = JSON.parse(shard[i]!) as {sourceId: string}
      expect(entry).to.include({id: record.sourceId, line: i + 1, shard: 'data/conversations/part-000001.jsonl'})
      expect(entry.sha256).to.equal(createHash('sha256').update(stableStringify(record)).digest('hex'))
    }

    const idMap = await jsonLines(join(output, 'data', 'id-map.jsonl'))
    expect(idMap.map((entry) => entry.id)).to.deep.equal(index.map((entry) => entry.id))
    expect(idMap.every((entry) => entry.outcome === 'archived' && typeof entry.inputLine === 'number')).to.equal(true)
  })

  it('gives a byte-identical bag for the same input and options, and takes the date from SOURCE_DATE_EPOCH', async () => {
    const env = {SOURCE_DATE_EPOCH: String(Date.UTC(2024, 1, 29, 23, 59) / 1000)}
    const first = join(tmp.dir, 'one')
    const second = join(tmp.dir, 'two')
    const a = await createArchive({
      env,
      from: 'ada',
      input: EXAMPLES[2]!.input,
      output: first,
      redact: ['email,phone'],
      shardBytes: 20_000,
    })
    const b = await createArchive({
      env,
      from: 'ada',
      input: EXAMPLES[2]!.input,
      output: second,
      redact: ['email,phone'],
      shardBytes: 20_000,
    })
    expect(a.baggingDate).to.equal('2024-02-29')
    expect(a.shards).to.be.greaterThan(1)
    expect(await snapshot(first)).to.deep.equal(await snapshot(second))
    expect(a.identifier).to.equal(b.identifier)
  })

  it('splits conversations into shards of at most --shard-size bytes, never splitting a record', async () => {
    const output = join(tmp.dir, 'bag')
    const result = await createArchive({
      date: DATE,
      from: LIVEPERSON.from,
      input: LIVEPERSON.input,
      output,
      shardBytes: 50_000,
    })
    const shards = (await readdir(join(output, 'data', 'conversations'))).sort()
    expect(shards.length).to.equal(result.shards)
    expect(result.shards).to.be.greaterThan(2)
    let lines = 0
    for (const name of shards) {
      const text = await readFile(join(output, 'data', 'conversations', name), 'utf8')
      const records = text.split('\n').filter(Boolean)
      lines += records.length
      // Only a shard holding a single oversized record may exceed the limit.
      if (records.length > 1) expect(Buffer.byteLength(text)).to.be.at.most(50_000)
    }

    expect(lines).to.equal(result.conversations)
    expect((await verifyArchive({dir: output})).valid).to.equal(true)
    expect((await validateIndependently(output)).code).to.equal(0)
  })

  it('keeps rejected records in data/rejected.jsonl with line and reason, counted in bag-info and the id map', async () => {
    const records = (JSON.parse(await readFile(LIVEPERSON.input, 'utf8')) as {conversationHistoryRecords: unknown[]})
      .conversationHistoryRecords
    const input = join(tmp.dir, 'mixed.jsonl')
    await writeFile(
      input,
      [JSON.stringify(records[0]), JSON.stringify({info: {startTime: 'x'}}), JSON.stringify(records[1])].join('\n') +
        '\n',
    )
    const output = join(tmp.dir, 'bag')
    const result = await createArchive({date: DATE, from: 'liveperson', input, output})
    expect(result.records).to.deep.equal({archived: 2, read: 3, rejected: 1})
    const rejected = await jsonLines(join(output, 'data', 'rejected.jsonl'))
    expect(rejected).to.have.length(1)
    expect(rejected[0]).to.include({line: 2})
    expect(rejected[0]!.reason).to.match(/conversationId/)
    const info = await readFile(join(output, 'bag-info.txt'), 'utf8')
    expect(info).to.contain('Convoshift-Records-Read: 3\n')
    expect(info).to.contain('Convoshift-Records-Rejected: 1\n')
    const idMap = await jsonLines(join(output, 'data', 'id-map.jsonl'))
    expect(idMap.map((entry) => entry.outcome)).to.deep.equal(['archived', 'rejected', 'archived'])
    expect((await verifyArchive({dir: output})).valid).to.equal(true)
    expect((await validateIndependently(output)).code).to.equal(0)
  })

  it('archives an empty export: an empty index, Payload-Oxum counting the empty files, valid for both validators', async () => {
    const input = join(tmp.dir, 'empty.json')
    await writeFile(input, '{"_metadata": {"count": 0}, "conversationHistoryRecords": []}\n')
    const output = join(tmp.dir, 'bag')
    const result = await createArchive({date: DATE, from: 'liveperson', input, keepOriginals: false, output})
    expect(result).to.deep.include({conversations: 0, payload: {bytes: 0, files: 2}, shards: 0})
    expect(await readFile(join(output, 'bag-info.txt'), 'utf8')).to.contain('Payload-Oxum: 0.2\n')
    expect((await verifyArchive({dir: output})).problems).to.deep.equal([])
    expect((await validateIndependently(output)).code).to.equal(0)
  })

  it('verifies a minimal RFC 8493 bag with an empty payload written by hand', async () => {
    const bag = join(tmp.dir, 'minimal')
    await mkdir(join(bag, 'data'), {recursive: true})
    await writeFile(join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
    await writeFile(join(bag, 'manifest-sha256.txt'), '')
    const result = await verifyArchive({dir: bag})
    expect(result).to.include({convoshift: false, valid: true})
    expect((await validateIndependently(bag)).code).to.equal(0)
  })

  it('percent-encodes CR, LF and % in manifest paths (an input file named with them) and verifies them back', async () => {
    const name = 'export 100%\nline\rtwo é \\ back.json'
    const input = join(tmp.dir, name)
    await cp(LIVEPERSON.input, input)
    const output = join(tmp.dir, 'bag')
    await createArchive({date: DATE, from: 'liveperson', input, output})
    const manifest = await readFile(join(output, 'manifest-sha256.txt'), 'utf8')
    expect(manifest).to.contain(' data/originals/export 100%25%0Aline%0Dtwo é \\ back.json\n')
    expect(manifest.split('\n').filter(Boolean)).to.have.length(4)
    expect(await readFile(join(output, 'bag-info.txt'), 'utf8')).to.contain(
      'Convoshift-Source-File: export 100%25%0Aline%0Dtwo é \\ back.json\n',
    )
    expect((await verifyArchive({dir: output})).problems).to.deep.equal([])
    const independent = await validateIndependently(output)
    expect(independent.code, independent.output).to.equal(0)
  })

  it('records lineage: a second bag names the first, shares its group and increments the version', async () => {
    const first = join(tmp.dir, 'bag-v1')
    const second = join(tmp.dir, 'bag-v2')
    const v1 = await createArchive({date: DATE, from: LIVEPERSON.from, input: LIVEPERSON.input, output: first})
    const v2 = await createArchive({
      date: DATE,
      from: 'liveperson-consumer',
      input: EXAMPLES[1]!.input,
      output: second,
      previous: first,
    })
    expect(v2).to.include({previous: v1.identifier, version: 2})
    const info = await readFile(join(second, 'bag-info.txt'), 'utf8')
    expect(info).to.contain(`Convoshift-Previous-Bag: ${v1.identifier}\n`)
    expect(info).to.contain(`Bag-Group-Identifier: ${v1.identifier}\n`)
    expect(info).to.contain('Convoshift-Bag-Version: 2\n')
    expect((await verifyArchive({dir: second})).valid).to.equal(true)
  })

  it('refuses to write over an existing directory, and leaves nothing behind when the input is of another format', async () => {
    const output = join(tmp.dir, 'bag')
    await mkdir(output)
    const exists = await rejection(createArchive({from: 'liveperson', input: LIVEPERSON.input, output}))
    expect(exists.code).to.equal('OUTPUT_EXISTS')
    expect(exists.exitCode).to.equal(ExitCode.Io)
    await rm(output, {recursive: true})
    const wrong = await rejection(createArchive({from: 'liveperson', input: EXAMPLES[2]!.input, output}))
    expect(wrong.message).to.match(/conversations-page\.json:\d+: this is an ada API page/)
    expect(existsSync(output)).to.equal(false)
    expect((await readdir(tmp.dir)).filter((name) => name.includes('partial'))).to.deep.equal([])
  })

  it('rejects a bad --date and SOURCE_DATE_EPOCH with one line', async () => {
    const output = join(tmp.dir, 'bag')
    expect(
      (await rejection(createArchive({date: '2026-02-30', from: 'ada', input: EXAMPLES[2]!.input, output}))).message,
    ).to.equal('--date: expected a date as YYYY-MM-DD, got "2026-02-30"')
    const env = {SOURCE_DATE_EPOCH: 'yesterday'}
    expect((await rejection(createArchive({env, from: 'ada', input: EXAMPLES[2]!.input, output}))).code).to.equal(
      'USAGE',
    )
  })
})

async function problemsOf(dir: string): Promise<string[]> {
  const result = await verifyArchive({dir})
  expect(result.valid).to.equal(false)
  expect((await validateIndependently(dir)).code, 'the independent validator agrees').to.not.equal(0)
  return result.problems.map(
    (p) => `${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.record ? ` (${p.record})` : ''}: ${p.problem}`,
  )
}

describe('archive verify: tamper cases', () => {
  const tmp = useTempDir('all')
  let pristine = ''
  let bag = ''
  let counter = 0

  before(async () => {
    pristine = join(tmp.dir, 'pristine')
    await createArchive({
      date: DATE,
      from: LIVEPERSON.from,
      input: LIVEPERSON.input,
      output: pristine,
      shardBytes: 120_000,
    })
  })

  beforeEach(async () => {
    bag = join(tmp.dir, `copy-${++counter}`)
    await cp(pristine, bag, {recursive: true})
  })

  const shard = 'data/conversations/part-000001.jsonl'

  it('a flipped byte in a shard: the file checksums and the record it is in', async () => {
    const path = join(bag, shard)
    const bytes = await readFile(path)
    const lines = bytes.toString('utf8').split('\n')
    const secondLineStart = Buffer.byteLength(lines[0]!) + 1
    const at = bytes.indexOf('"text":"', secondLineStart) + 8
    bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61 // one byte changed, same size
    await writeFile(path, bytes)
    const problems = await problemsOf(bag)
    const id = (JSON.parse(lines[1]!) as {sourceId: string}).sourceId
    expect(problems).to.include(`${shard}: sha256 checksum does not match manifest-sha256.txt (the file was changed)`)
    expect(problems).to.include(`${shard}: sha512 checksum does not match manifest-sha512.txt (the file was changed)`)
    expect(problems).to.include(
      `${shard}:2 (${id}): record does not match its SHA-256 in data/index.jsonl (the record was edited)`,
    )
    expect(problems.some((p) => p.startsWith('bag-info.txt'))).to.equal(false) // same size: Payload-Oxum cannot see it
  })

  it('a flipped byte in the evidence copy of the export', async () => {
    const path = join(bag, 'data/originals/conversations-page.json')
    const bytes = await readFile(path)
    bytes[100] = bytes[100] === 0x20 ? 0x09 : 0x20
    await writeFile(path, bytes)
    const problems = await problemsOf(bag)
    expect(problems.slice(0, 2)).to.deep.equal([
      'data/originals/conversations-page.json: sha256 checksum does not match manifest-sha256.txt (the file was changed)',
      'data/originals/conversations-page.json: sha512 checksum does not match manifest-sha512.txt (the file was changed)',
    ])
    expect(problems.slice(2)).to.have.length(1)
    expect(problems[2]).to.match(
      /^data\/originals\/conversations-page\.json: its SHA-256 is [0-9a-f]{64}, but bag-info\.txt Convoshift-Source-SHA256 is [0-9a-f]{64} \(the export was changed\)$/,
    )
  })

  it('a missing file', async () => {
    await rm(join(bag, 'data/index.jsonl'))
    const problems = await problemsOf(bag)
    expect(problems).to.include('data/index.jsonl: listed in manifest-sha256.txt but missing')
    expect(problems).to.include('data/index.jsonl: listed in manifest-sha512.txt but missing')
    expect(problems.some((p) => p.startsWith('bag-info.txt: Payload-Oxum'))).to.equal(true)
  })

  it('an extra file in data/', async () => {
    await writeFile(join(bag, 'data/conversations/notes.txt'), 'added later\n')
    const problems = await problemsOf(bag)
    expect(problems).to.include(
      'data/conversations/notes.txt: not listed in manifest-sha256.txt (a file added to the bag?)',
    )
    expect(problems.some((p) => p.startsWith('bag-info.txt: Payload-Oxum'))).to.equal(true)
    const fast = await verifyArchive({dir: bag, fast: true})
    expect(fast.valid).to.equal(false)
    expect(fast.problems.map((p) => p.file)).to.deep.equal(['bag-info.txt'])
  })

  it('an edited record, with its manifests and tag manifests recomputed to hide it: the index still names it', async () => {
    const path = join(bag, shard)
    const lines = (await readFile(path, 'utf8')).split('\n')
    const record = JSON.parse(lines[0]!) as {sourceId: string; tags: string[]}
    record.tags = [...record.tags, 'edited']
    lines[0] = stableStringify(record)
    await writeFile(path, lines.join('\n'))
    await forge(bag)
    const problems = (await verifyArchive({dir: bag})).problems.map(
      (p) => `${p.file}:${p.line} (${p.record}): ${p.problem}`,
    )
    expect(problems).to.deep.equal([
      `${shard}:1 (${record.sourceId}): record does not match its SHA-256 in data/index.jsonl (the record was edited)`,
    ])
  })

  it('a record that is no longer a valid neutral conversation', async () => {
    const path = join(bag, shard)
    const lines = (await readFile(path, 'utf8')).split('\n')
    const record = JSON.parse(lines[0]!) as {messages: Array<{sentAt?: string}>; sourceId: string}
    record.messages[0]!.sentAt = 'yesterday'
    lines[0] = stableStringify(record)
    await writeFile(path, lines.join('\n'))
    const problems = await problemsOf(bag)
    expect(
      problems.some((p) =>
        p.startsWith(`${shard}:1 (${record.sourceId}): not a valid neutral conversation: messages[0].sentAt`),
      ),
    ).to.equal(true, problems.join('\n'))
  })

  it('a truncated shard', async () => {
    const path = join(bag, shard)
    const text = await readFile(path, 'utf8')
    await truncate(path, Buffer.byteLength(text) - 200)
    const problems = await problemsOf(bag)
    const complete = text.split('\n').filter(Boolean).length - 1
    expect(problems).to.include(`${shard}:${complete + 1}: truncated: the last line has no newline`)
    expect(problems).to.include(
      `${shard}: truncated: data/index.jsonl lists ${complete + 1} records in it, it has ${complete} complete lines`,
    )
    expect(problems.some((p) => p.startsWith('bag-info.txt: Payload-Oxum'))).to.equal(true)
  })

  it('an edited bag-info.txt and an edited bagit.txt: the tag manifests catch them', async () => {
    await appendFile(join(bag, 'bag-info.txt'), 'Source-Organization: Someone Else\n')
    await writeFile(join(bag, 'bagit.txt'), 'BagIt-Version: 0.96\nTag-File-Character-Encoding: UTF-8\n')
    const problems = await problemsOf(bag)
    expect(problems).to.include(
      'bag-info.txt: sha256 checksum does not match tagmanifest-sha256.txt (the file was changed)',
    )
    expect(problems).to.include('bagit.txt: BagIt-Version is 0.96, expected 1.0')
    expect(problems).to.include(
      'bagit.txt: sha512 checksum does not match tagmanifest-sha512.txt (the file was changed)',
    )
  })

  it('passes again once the bag is restored, and --fast only reads sizes', async () => {
    expect((await verifyArchive({dir: bag})).valid).to.equal(true)
    const fast = await verifyArchive({dir: bag, fast: true})
    expect(fast).to.include({fast: true, valid: true})
    expect(fast.checked.bytes).to.equal(0)
  })

  it('export refuses a record that does not match the index', async () => {
    const path = join(bag, shard)
    const lines = (await readFile(path, 'utf8')).split('\n')
    const record = JSON.parse(lines[0]!) as {tags: string[]}
    record.tags.push('x')
    lines[0] = stableStringify(record)
    await writeFile(path, lines.join('\n'))
    const error = await rejection(exportArchive({dir: bag, output: join(tmp.dir, 'out.jsonl'), to: 'neutral'}))
    expect(error.exitCode).to.equal(ExitCode.ArchiveInvalid)
    expect(error.message).to.match(
      /part-000001\.jsonl:1 \(conversation .+\): does not match its SHA-256 in data\/index\.jsonl/,
    )
    expect(existsSync(join(tmp.dir, 'out.jsonl'))).to.equal(false)
  })
})
