import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type ArchiveCreateResult, type ArchiveExportResult, type ArchiveVerifyResult} from '../../src/archive/index.js'
import {ExitCode} from '../../src/errors.js'
import {useTempDir} from '../helpers/tmp.js'
import {EXAMPLES, jsonLines, validateIndependently} from './helpers.js'

type Conversation = {
  customer?: {email?: string}
  participants: Array<{email?: string; id: string; role: string}>
  sourceId: string
}

const LIVEPERSON = EXAMPLES[0]!

describe('archive commands', () => {
  const tmp = useTempDir('each')

  it('create, verify and export through the CLI: the export comes back as the original vendor records', async () => {
    const bag = join(tmp.dir, 'bag')
    const created = await runCommand<ArchiveCreateResult>([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      bag,
      '--date',
      '2026-11-21',
    ])
    expect(created.error).to.equal(undefined)
    expect(created.stdout).to.contain('12 read = 12 archived + 0 rejected (liveperson)')
    const verified = await runCommand<ArchiveVerifyResult>(['archive', 'verify', bag])
    expect(verified.result?.valid).to.equal(true)
    expect(verified.stdout).to.match(/^valid: .*\(4 files, \d+ bytes hashed \(sha256, sha512\), 12 records\)/m)
    const back = join(tmp.dir, 'back.jsonl')
    const exported = await runCommand<ArchiveExportResult>([
      'archive',
      'export',
      bag,
      '--to',
      'liveperson',
      '--output',
      back,
    ])
    expect(exported.result).to.include({exported: 12, rejected: 0, selected: 12})
    const page = JSON.parse(await readFile(LIVEPERSON.input, 'utf8')) as {conversationHistoryRecords: unknown[]}
    const {default: stringify} = await import('fast-json-stable-stringify')
    expect((await jsonLines(back)).map((r) => stringify(r))).to.deep.equal(
      page.conversationHistoryRecords.map((r) => stringify(r)),
    )
  })

  it('exports one conversation by id, and everything one person took part in', async () => {
    const bag = join(tmp.dir, 'bag')
    await runCommand(['archive', 'create', '--from', 'liveperson', '--input', LIVEPERSON.input, '--output', bag])
    const all = await jsonLines<Conversation>(join(bag, 'data', 'conversations', 'part-000001.jsonl'))
    const byId = join(tmp.dir, 'one.jsonl')
    const one = await runCommand<ArchiveExportResult>([
      'archive',
      'export',
      bag,
      '--to',
      'ada',
      '--id',
      all[3]!.sourceId,
      '--id',
      'no-such-id',
      '--output',
      byId,
    ])
    expect(one.result).to.deep.include({exported: 1, notFound: ['no-such-id']})
    expect(one.stdout).to.contain('not in the archive: no-such-id')
    expect((await jsonLines<{_id: string}>(byId)).map((r) => r._id)).to.deep.equal([all[3]!.sourceId])

    // An agent who took part in more than one conversation, but not in all of them.
    const ids = all.flatMap((c) => c.participants.filter((p) => p.role === 'agent').map((p) => p.id))
    const person = ids.find((id) => ids.filter((other) => other === id).length > 1)!
    const expected = all.filter((c) => c.participants.some((p) => p.id === person)).map((c) => c.sourceId)
    expect(expected.length).to.be.within(2, all.length - 1)
    const dsar = join(tmp.dir, 'dsar.jsonl')
    const byPerson = await runCommand<ArchiveExportResult>([
      'archive',
      'export',
      bag,
      '--to',
      'neutral',
      '--participant',
      person,
      '--output',
      dsar,
    ])
    expect(byPerson.result?.exported).to.equal(expected.length)
    expect((await jsonLines<Conversation>(dsar)).map((c) => c.sourceId)).to.deep.equal(expected)
  })

  it('redacts the neutral records, leaves the originals out, and records the counts in bag-info.txt', async () => {
    const bag = join(tmp.dir, 'bag')
    const created = await runCommand<ArchiveCreateResult>([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      bag,
      '--redact',
      'email,phone',
      '--json',
    ])
    const result = JSON.parse(created.stdout) as ArchiveCreateResult
    expect(result.originals).to.equal('omitted')
    expect(result.redaction?.rules).to.deep.equal(['email', 'phone'])
    expect(result.redaction!.counts.email).to.be.greaterThan(0)
    expect(existsSync(join(bag, 'data', 'originals'))).to.equal(false)
    const info = await readFile(join(bag, 'bag-info.txt'), 'utf8')
    expect(info).to.contain('Convoshift-Redaction: email, phone\n')
    expect(info).to.contain(`Convoshift-Redacted-Email: ${result.redaction!.counts.email}\n`)
    expect(info).to.contain(`Convoshift-Redacted-Phone: ${result.redaction!.counts.phone}\n`)
    expect(info).to.contain('Convoshift-Originals: omitted\n')
    const payload = await readFile(join(bag, 'data', 'conversations', 'part-000001.jsonl'), 'utf8')
    expect(payload).to.not.match(/[\w.+-]+@[\w-]+\.[\w.]+/)
    expect(payload).to.contain('[EMAIL]')
    expect((await runCommand<ArchiveVerifyResult>(['archive', 'verify', bag])).result?.valid).to.equal(true)
    expect((await validateIndependently(bag)).code).to.equal(0)

    const kept = join(tmp.dir, 'kept')
    await runCommand([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      kept,
      '--redact',
      'email',
      '--originals',
    ])
    expect(await readFile(join(kept, 'bag-info.txt'), 'utf8')).to.contain(
      'Convoshift-Originals: included, not redacted\n',
    )
    expect(existsSync(join(kept, 'data', 'originals', 'conversations-page.json'))).to.equal(true)
  })

  it('records a custom pattern by its hash, not its text', async () => {
    const bag = join(tmp.dir, 'bag')
    const {error} = await runCommand([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      bag,
      '--redact',
      String.raw`regex:SecretProject\w+`,
    ])
    expect(error).to.equal(undefined)
    const info = await readFile(join(bag, 'bag-info.txt'), 'utf8')
    expect(info).to.match(/^Convoshift-Redaction: regex:sha256:[0-9a-f]{16}$/m)
    expect(info).to.not.contain('Secret')
  })

  it('exits 9 and names each problem when a bag was tampered with; --json carries them', async () => {
    const bag = join(tmp.dir, 'bag')
    await runCommand(['archive', 'create', '--from', 'liveperson', '--input', LIVEPERSON.input, '--output', bag])
    await writeFile(join(bag, 'data', 'extra.txt'), 'x\n')
    const human = await runCommand(['archive', 'verify', bag])
    expect(process.exitCode).to.equal(ExitCode.ArchiveInvalid)
    expect(human.stdout).to.contain('data/extra.txt: not listed in manifest-sha256.txt (a file added to the bag?)')
    expect(human.stdout).to.contain('data/extra.txt: not part of the convoshift layout (a file added to the bag?)')
    expect(human.stdout).to.match(/^INVALID: .*: 4 problem\(s\)/m)
    process.exitCode = undefined
    const json = await runCommand(['archive', 'verify', bag, '--json'])
    expect(process.exitCode).to.equal(ExitCode.ArchiveInvalid)
    const result = JSON.parse(json.stdout) as ArchiveVerifyResult
    expect(result.valid).to.equal(false)
    expect(result.problems.map((p) => p.file)).to.include('data/extra.txt')
    process.exitCode = undefined
    const fast = await runCommand<ArchiveVerifyResult>(['archive', 'verify', bag, '--fast'])
    expect(fast.result?.problems.map((p) => p.file)).to.deep.equal(['bag-info.txt'])
  })

  it('fails with one line for a missing bag, an existing output and an unknown redaction kind', async () => {
    const missing = await runCommand(['archive', 'verify', join(tmp.dir, 'nope')])
    expect(missing.error?.oclif?.exit).to.equal(ExitCode.Io)
    expect(missing.stderr).to.contain(`Error: ${join(tmp.dir, 'nope')}: no such bag directory`)
    const exists = await runCommand([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      tmp.dir,
    ])
    expect(exists.error?.oclif?.exit).to.equal(ExitCode.Io)
    expect(exists.stderr).to.contain('already exists; a bag is replaced only with --force')
    const kind = await runCommand([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      join(tmp.dir, 'b'),
      '--redact',
      'ssn',
    ])
    expect(kind.error?.oclif?.exit).to.equal(ExitCode.Usage)
    expect(kind.stderr).to.contain('Error: --redact: unknown kind "ssn"')
  })
})
