/**
 * Tampered and hostile bags, through the built CLI as a user meets them. Every tamper is finished the way a careful
 * forger finishes it (forge.ts: manifests, Payload-Oxum, Bag-Size, External-Identifier and tag manifests recomputed),
 * so only convoshift's own cross-checks can find it: exit 9 and one line naming what is wrong.
 */
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cp, mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {stableStringify} from '../../src/util/stable-json.js'
import {type CliRun, errorLine, runCli} from '../export/helpers.js'
import {useTempDir} from '../helpers/tmp.js'
import {editLines, editRecord, forge, removeEverywhere, retag, SHARD} from './forge.js'
import {EXAMPLES, validateIndependently} from './helpers.js'

const LIVEPERSON = EXAMPLES[0]!

/** The problem lines of a failed `archive verify` (every stdout line but the verdict). */
function problemLines(run: CliRun): string[] {
  expect(run.code, run.stdout + run.stderr).to.equal(9)
  const lines = run.stdout.split('\n').filter(Boolean)
  expect(lines.at(-1)).to.match(/^(INVALID|UNSIGNED): /)
  return lines.slice(0, -1)
}

/** Exactly one problem, and it is this one. */
async function expectOneProblem(bag: string, expected: RegExp | string, args: string[] = []): Promise<void> {
  const lines = problemLines(await runCli(['archive', 'verify', bag, ...args]))
  expect(lines, lines.join('\n')).to.have.length(1)
  if (typeof expected === 'string') expect(lines[0]).to.equal(expected)
  else expect(lines[0]).to.match(expected)
}

describe('archive verify: hostile bags, forged manifests (the built CLI)', () => {
  const tmp = useTempDir('all')
  let pristine = ''
  let bag = ''
  let counter = 0

  before(async function () {
    this.timeout(300_000)
    execFileSync('npx', ['tsc', '-b'], {stdio: 'ignore'})
    // An export with one record the mapping rejects, so the bag has data/rejected.jsonl.
    const page = JSON.parse(await readFile(LIVEPERSON.input, 'utf8')) as {conversationHistoryRecords: unknown[]}
    const records = page.conversationHistoryRecords.map((record) => JSON.stringify(record))
    const input = join(tmp.dir, 'export.jsonl')
    await writeFile(input, [records[0], '{"info": {"startTime": "x"}}', ...records.slice(1)].join('\n') + '\n')
    pristine = join(tmp.dir, 'pristine')
    const created = await runCli(['archive', 'create', '--from', 'liveperson', '--input', input, '--output', pristine])
    expect(created.code, created.stderr).to.equal(6)
  })

  beforeEach(async () => {
    bag = join(tmp.dir, `copy-${++counter}`)
    await cp(pristine, bag, {recursive: true})
  })

  it('the pristine bag is valid, and stays valid when only forged (the forger helper changes nothing by itself)', async () => {
    await forge(bag)
    const run = await runCli(['archive', 'verify', bag])
    expect(run.code, run.stdout).to.equal(0)
    expect(run.stdout).to.match(/^valid: .*12 records\); unsigned$/m)
  })

  it('Convoshift-Archive-Layout removed: still checked as a convoshift bag, and says the label is missing', async () => {
    await editLines(join(bag, 'bag-info.txt'), (lines) => {
      lines.splice(
        lines.findIndex((line) => line.startsWith('Convoshift-Archive-Layout:')),
        1,
      )
    })
    await forge(bag)
    await expectOneProblem(
      bag,
      'bag-info.txt: missing Convoshift-Archive-Layout, yet the bag is a convoshift archive (it holds data/index.jsonl): checked as one all the same',
    )
  })

  it('Convoshift-Archive-Layout removed and a record edited: the record checks still run and name it', async () => {
    await editLines(join(bag, 'bag-info.txt'), (lines) => {
      lines.splice(
        lines.findIndex((line) => line.startsWith('Convoshift-Archive-Layout:')),
        1,
      )
    })
    const {id} = await editRecord(bag, 2)
    await forge(bag)
    const lines = problemLines(await runCli(['archive', 'verify', bag]))
    expect(lines).to.include(
      `${SHARD}:2 (conversation ${id}): record does not match its SHA-256 in data/index.jsonl (the record was edited)`,
    )
    expect(lines.some((line) => line.startsWith('bag-info.txt: missing Convoshift-Archive-Layout,'))).to.equal(true)
  })

  it('bag-info.txt emptied and a record edited: the record checks still run, the missing labels are one line', async () => {
    await writeFile(join(bag, 'bag-info.txt'), '')
    const {id} = await editRecord(bag, 1)
    await forge(bag)
    const lines = problemLines(await runCli(['archive', 'verify', bag]))
    expect(lines).to.deep.equal([
      `${SHARD}:1 (conversation ${id}): record does not match its SHA-256 in data/index.jsonl (the record was edited)`,
      'bag-info.txt: missing 24 labels (Bag-Software-Agent, Bagging-Date, Payload-Oxum, Bag-Size, …), yet the bag is a convoshift archive (it holds data/index.jsonl): checked as one all the same',
    ])
  })

  it('an edited original: its SHA-256 no longer matches Convoshift-Source-SHA256', async () => {
    const path = join(bag, 'data/originals/export.jsonl')
    await writeFile(path, (await readFile(path, 'utf8')).replace('"startTime": "x"', '"startTime": "y"'))
    await forge(bag)
    await expectOneProblem(
      bag,
      /^data\/originals\/export\.jsonl: its SHA-256 is [0-9a-f]{64}, but bag-info\.txt Convoshift-Source-SHA256 is [0-9a-f]{64} \(the export was changed\)$/,
    )
  })

  it('data/originals/ deleted while bag-info.txt says included', async () => {
    await rm(join(bag, 'data/originals'), {recursive: true})
    await forge(bag)
    await expectOneProblem(
      bag,
      'data/originals/export.jsonl: missing, but bag-info.txt says Convoshift-Originals: included',
    )
  })

  it('an edited id in data/id-map.jsonl: the index says otherwise', async () => {
    let id = ''
    await editLines(join(bag, 'data/id-map.jsonl'), (lines) => {
      const entry = JSON.parse(lines[3]!) as {id: string}
      id = entry.id
      entry.id = 'someone-else'
      lines[3] = stableStringify(entry)
    })
    await forge(bag)
    await expectOneProblem(
      bag,
      `data/id-map.jsonl:4: says conversation someone-else is at ${SHARD}:3, but data/index.jsonl:3 has ${id} at ${SHARD}:3`,
    )
  })

  it('an edited reason in data/rejected.jsonl: it no longer matches its SHA-256 in the id map', async () => {
    await editLines(join(bag, 'data/rejected.jsonl'), (lines) => {
      const entry = JSON.parse(lines[0]!) as {reason: string}
      entry.reason = 'nothing wrong with it'
      lines[0] = stableStringify(entry)
    })
    await forge(bag)
    await expectOneProblem(
      bag,
      'data/rejected.jsonl:1: does not match its SHA-256 in data/id-map.jsonl:2 (the rejected record was edited)',
    )
  })

  it('a rejected record removed from both the rejected file and the id map: the gap and the counts say so', async () => {
    await writeFile(join(bag, 'data/rejected.jsonl'), '')
    await editLines(join(bag, 'data/id-map.jsonl'), (lines) => {
      lines.splice(1, 1)
    })
    await forge(bag)
    const lines = problemLines(await runCli(['archive', 'verify', bag]))
    expect(lines).to.include.members([
      'data/id-map.jsonl:2: inputIndex is 2, expected 1 (a line removed, added or moved)',
      'bag-info.txt: Convoshift-Records-Read is 13, but data/id-map.jsonl has 12',
      'bag-info.txt: Convoshift-Records-Rejected is 1, but data/id-map.jsonl has rejected records: 0',
    ])
  })

  it('a conversation removed from the shard, the index and the id map alike, counts fixed: the export still holds it', async () => {
    const removed = await removeEverywhere(bag)
    await forge(bag)
    await expectOneProblem(
      bag,
      `data/id-map.jsonl:5: says input record 4 (line 6) is ${removed.nextId}, but record 4 of data/originals/export.jsonl (line 5) is ${removed.id}`,
    )
  })

  it('BagIt-Version: 0.97 in bagit.txt: only 1.0 is accepted, as documented', async () => {
    await writeFile(join(bag, 'bagit.txt'), 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n')
    await retag(bag)
    await expectOneProblem(bag, 'bagit.txt: BagIt-Version is 0.97, expected 1.0')
  })

  it('a count in bag-info.txt that the records do not hold (Convoshift-Messages)', async () => {
    await editLines(join(bag, 'bag-info.txt'), (lines) => {
      const at = lines.findIndex((line) => line.startsWith('Convoshift-Messages:'))
      lines[at] = 'Convoshift-Messages: 1'
    })
    await retag(bag)
    await expectOneProblem(bag, /^bag-info\.txt: Convoshift-Messages is 1, but the records hold \d+$/)
  })

  it('a file added to data/ and listed in the manifests: not part of the layout', async () => {
    await writeFile(join(bag, 'data/notes.txt'), 'added later\n')
    await forge(bag)
    await expectOneProblem(bag, 'data/notes.txt: not part of the convoshift layout (a file added to the bag?)')
  })

  it('an index entry pointing outside the bag: named by verify, refused by export --id with one line', async () => {
    await writeFile(join(tmp.dir, 'outside.jsonl'), 'secret outside the bag\n')
    let id = ''
    await editLines(join(bag, 'data/index.jsonl'), (lines) => {
      const entry = JSON.parse(lines[1]!) as {id: string; shard: string}
      id = entry.id
      entry.shard = '../../outside.jsonl'
      lines[1] = stableStringify(entry)
    })
    await forge(bag)
    const lines = problemLines(await runCli(['archive', 'verify', bag]))
    expect(lines[0]).to.equal(
      'data/index.jsonl:2: not an index entry: shard: expected data/conversations/part-NNNNNN.jsonl (got "../../outside.jsonl")',
    )
    const out = join(tmp.dir, 'out.jsonl')
    const exported = await runCli(['archive', 'export', bag, '--to', 'neutral', '--id', id, '--output', out])
    expect(exported.code).to.equal(9)
    expect(errorLine(exported.stderr)).to.equal(
      `${bag}/data/index.jsonl:2: not an index entry: shard: expected data/conversations/part-NNNNNN.jsonl (got "../../outside.jsonl")`,
    )
    expect(exported.stdout + exported.stderr).to.not.contain('secret outside')
  })

  it('export --id says which ids the archive does not hold', async () => {
    const run = await runCli(['archive', 'export', bag, '--to', 'neutral', '--id', 'no-such-id', '--output', '-'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.equal('')
    expect(run.stderr).to.contain('not in the archive: no-such-id')
  })

  it('a shard replaced by a symlink to a file outside the bag: export never reads it', async () => {
    const outside = join(tmp.dir, 'outside-shard.jsonl')
    await cp(join(bag, SHARD), outside)
    await rm(join(bag, SHARD))
    await symlink(outside, join(bag, SHARD))
    const run = await runCli(['archive', 'export', bag, '--to', 'neutral', '--output', '-'])
    expect(run.code).to.equal(9)
    expect(errorLine(run.stderr)).to.equal(`${bag}/${SHARD}: not a regular file (a symlink?); the archive was altered`)
  })

  it('the index removed, bag-info.txt still ours: export says the archive was altered (exit 9), not "no archive"', async () => {
    await rm(join(bag, 'data/index.jsonl'))
    await forge(bag)
    const run = await runCli(['archive', 'export', bag, '--to', 'neutral', '--id', 'any', '--output', '-'])
    expect(run.code).to.equal(9)
    expect(errorLine(run.stderr)).to.equal(
      `${bag}/data/index.jsonl: missing, yet bag-info.txt says the bag is a convoshift archive; the archive was altered`,
    )
  })
})

describe('signed bags (the built CLI)', () => {
  const tmp = useTempDir('all')
  let privateKey = ''
  let publicKey = ''
  let otherPublic = ''
  let signed = ''
  let bag = ''
  let counter = 0

  /** The key pair made as docs/archive.md says, with openssl. */
  function makeKeys(name: string): {privatePath: string; publicPath: string} {
    const privatePath = join(tmp.dir, `${name}-private.pem`)
    const publicPath = join(tmp.dir, `${name}-public.pem`)
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', privatePath])
    execFileSync('openssl', ['pkey', '-in', privatePath, '-pubout', '-out', publicPath])
    return {privatePath, publicPath}
  }

  before(async function () {
    this.timeout(300_000)
    execFileSync('npx', ['tsc', '-b'], {stdio: 'ignore'})
    ;({privatePath: privateKey, publicPath: publicKey} = makeKeys('ours'))
    otherPublic = makeKeys('other').publicPath
    signed = join(tmp.dir, 'signed')
    const run = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      signed,
      '--sign',
      privateKey,
    ])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.match(/^signed: convoshift-signature\.txt \(public key sha256:[0-9a-f]{64}\)$/m)
  })

  beforeEach(async () => {
    bag = join(tmp.dir, `copy-${++counter}`)
    await cp(signed, bag, {recursive: true})
  })

  it('verifies with the public key, stays valid BagIt, and openssl checks the signature as docs/archive.md shows', async () => {
    const run = await runCli(['archive', 'verify', bag, '--key', publicKey, '--require-signature'])
    expect(run.code, run.stdout).to.equal(0)
    expect(run.stdout).to.match(/^valid: .*; signature verified \(key sha256:[0-9a-f]{64}\)$/m)
    const independent = await validateIndependently(bag)
    expect(independent.code, independent.output).to.equal(0)
    // Independently: the signed content is tagmanifest-sha512.txt without the signature file's line.
    const signature = /^Signature: (\S+)$/m.exec(await readFile(join(bag, 'convoshift-signature.txt'), 'utf8'))![1]!
    await writeFile(join(tmp.dir, 'sig.bin'), Buffer.from(signature, 'base64'))
    const content = (await readFile(join(bag, 'tagmanifest-sha512.txt'), 'utf8'))
      .split('\n')
      .filter((line) => !line.endsWith(' convoshift-signature.txt'))
      .join('\n')
    await writeFile(join(tmp.dir, 'signed.txt'), content)
    const openssl = execFileSync('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      publicKey,
      '-rawin',
      '-in',
      join(tmp.dir, 'signed.txt'),
      '-sigfile',
      join(tmp.dir, 'sig.bin'),
    ]).toString()
    expect(openssl).to.contain('Signature Verified Successfully')
  })

  it('a forger who rewrites a record, the index and every manifest: undetectable unsigned, caught with --key', async () => {
    const {text} = await editRecord(bag, 1)
    await editLines(join(bag, 'data/index.jsonl'), (lines) => {
      const entry = JSON.parse(lines[0]!) as {sha256: string}
      entry.sha256 = createHash('sha256').update(text).digest('hex')
      lines[0] = stableStringify(entry)
    })
    await forge(bag)
    // Without the key nothing can tell: the documented limit of an unsigned check.
    const unkeyed = await runCli(['archive', 'verify', bag])
    expect(unkeyed.code, unkeyed.stdout).to.equal(0)
    expect(unkeyed.stdout).to.match(
      /; signed \(key sha256:[0-9a-f]{64}\), but the signature was not checked: pass --key$/m,
    )
    await expectOneProblem(
      bag,
      'convoshift-signature.txt: the signature does not match tagmanifest-sha512.txt: the bag was changed after it was signed (or the signature is forged)',
      ['--key', publicKey],
    )
  })

  it('the signature removed: --require-signature says "unsigned", not valid', async () => {
    await rm(join(bag, 'convoshift-signature.txt'))
    await retag(bag)
    const run = await runCli(['archive', 'verify', bag, '--key', publicKey, '--require-signature'])
    expect(problemLines(run)).to.deep.equal([
      'convoshift-signature.txt: missing: the bag is unsigned, and --require-signature asks for a signature',
    ])
    expect(run.stdout).to.match(/^UNSIGNED: .*: no signature, and --require-signature asks for one/m)
    expect(run.stdout).to.not.match(/^valid/m)
    // Without --require-signature the bag checks out, and says it is unsigned.
    const lenient = await runCli(['archive', 'verify', bag, '--key', publicKey])
    expect(lenient.code).to.equal(0)
    expect(lenient.stdout).to.match(/^valid: .*; unsigned$/m)
  })

  it('checked with another key: says it was signed with another one', async () => {
    await expectOneProblem(
      bag,
      /^convoshift-signature\.txt: signed with another key \(sha256:[0-9a-f]{64}\); --key is sha256:[0-9a-f]{64}$/,
      ['--key', otherPublic],
    )
  })

  it('refuses key misuse with one line, and never prints the private key', async () => {
    const secret = (await readFile(privateKey, 'utf8')).split('\n')[1]!
    const runs: CliRun[] = []
    const asPublic = await runCli(['archive', 'verify', bag, '--key', privateKey])
    runs.push(asPublic)
    expect(asPublic.code).to.equal(2)
    expect(errorLine(asPublic.stderr)).to.match(/^--key .*: a private key; verify needs only the public key/)
    const asPrivate = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      join(tmp.dir, 'x'),
      '--sign',
      publicKey,
    ])
    runs.push(asPrivate)
    expect(errorLine(asPrivate.stderr)).to.match(/^--sign .*: a public key; --sign takes the private key$/)
    const garbled = join(tmp.dir, 'garbled.pem')
    await writeFile(garbled, (await readFile(privateKey, 'utf8')).replace(/[A-Za-z]{6}/, 'AAAAAA'))
    const broken = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      join(tmp.dir, 'y'),
      '--sign',
      garbled,
    ])
    runs.push(broken)
    expect(broken.code).to.equal(2)
    const needsKey = await runCli(['archive', 'verify', bag, '--require-signature'])
    runs.push(needsKey)
    expect(needsKey.code).to.equal(2)
    // Debug output of every kind, on a successful signed run.
    const debug = await runCli(
      [
        'archive',
        'create',
        '--from',
        'liveperson',
        '--input',
        LIVEPERSON.input,
        '--output',
        join(tmp.dir, 'z'),
        '--sign',
        privateKey,
      ],
      {DEBUG: '*'},
    )
    runs.push(debug)
    expect(debug.code, debug.stderr).to.equal(0)
    for (const run of runs) expect(run.stdout + run.stderr).to.not.contain(secret)
    for (const file of ['convoshift-signature.txt', 'bag-info.txt', 'tagmanifest-sha512.txt']) {
      expect(await readFile(join(tmp.dir, 'z', file), 'utf8')).to.not.contain(secret)
    }
  })

  it('a signed bag is byte-identical for the same input, options and key (Ed25519 is deterministic)', async () => {
    const again = join(tmp.dir, `again-${counter}`)
    const date = (await readFile(join(signed, 'bag-info.txt'), 'utf8')).match(/^Bagging-Date: (.*)$/m)![1]!
    const run = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      again,
      '--sign',
      privateKey,
      '--date',
      date,
    ])
    expect(run.code, run.stderr).to.equal(0)
    for (const file of ['convoshift-signature.txt', 'tagmanifest-sha512.txt', 'tagmanifest-sha256.txt']) {
      expect(await readFile(join(again, file), 'utf8')).to.equal(await readFile(join(signed, file), 'utf8'))
    }
  })
})

describe('archive create after a kill -9 (the built CLI)', () => {
  const tmp = useTempDir('each')

  it('removes the partial bag a dead process left beside the same output, never one of a live process', async () => {
    const output = join(tmp.dir, 'bag')
    const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString()
    const stale = join(tmp.dir, `.bag.${dead}.partial`)
    const live = join(tmp.dir, `.bag.${process.pid}.partial`)
    const other = join(tmp.dir, `.other.${dead}.partial`)
    for (const dir of [stale, live, other]) {
      await mkdir(join(dir, 'data'), {recursive: true})
      await writeFile(join(dir, 'data', 'part.jsonl'), 'x\n')
    }

    const run = await runCli([
      'archive',
      'create',
      '--from',
      'liveperson',
      '--input',
      LIVEPERSON.input,
      '--output',
      output,
    ])
    expect(run.code, run.stderr).to.equal(0)
    const {readdir} = await import('node:fs/promises')
    expect((await readdir(tmp.dir)).sort()).to.deep.equal([
      `.bag.${process.pid}.partial`,
      `.other.${dead}.partial`,
      'bag',
    ])
  })
})
