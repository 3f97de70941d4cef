/**
 * Bag tampers finished the way a careful forger finishes them (test/archive/forge.ts: manifests, Payload-Oxum,
 * Bag-Size, External-Identifier and tag manifests recomputed), so only convoshift's own cross-checks can find them:
 * `archive verify` exits 9 for each. A forger who also rewrites a record's index entry is beyond an unsigned bag's checks
 * (docs/archive.md says so); on a signed bag --key catches them.
 * Hostile bags for `archive export`: one line, exit 9, nothing read from outside the bag, and a requested id is never
 * dropped without a word.
 */
import {createHash, generateKeyPairSync, sign} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {stableStringify} from '../../src/util/stable-json.js'
import {editLines, editRecord, forge, removeEverywhere, retag, SHARD} from '../archive/forge.js'
import {type Attack, broken, type Check, exits, noStackTrace, oneErrorLine} from './attack.js'
import {copy, pristineBag, signedBag} from './shared.js'

type Tamper = (bag: string) => Promise<void>

const removeLabel =
  (label: string): Tamper =>
  (bag) =>
    editLines(join(bag, 'bag-info.txt'), (lines) => {
      lines.splice(
        lines.findIndex((line) => line.startsWith(`${label}:`)),
        1,
      )
    })

const setLabel =
  (label: string, value: string): Tamper =>
  (bag) =>
    editLines(join(bag, 'bag-info.txt'), (lines) => {
      lines[lines.findIndex((line) => line.startsWith(`${label}:`))] = `${label}: ${value}`
    })

const editJsonLine =
  (file: string, line: number, edit: (entry: Record<string, any>) => void): Tamper =>
  (bag) =>
    editLines(join(bag, file), (lines) => {
      const entry = JSON.parse(lines[line - 1]!) as Record<string, any>
      edit(entry)
      lines[line - 1] = stableStringify(entry)
    })

/** The record at `line` of the first shard, edited, with its index entry's SHA-256 made to match. */
const rewriteRecordAndIndex: Tamper = async (bag) => {
  const {text} = await editRecord(bag, 1)
  await editJsonLine('data/index.jsonl', 1, (entry) => {
    entry.sha256 = createHash('sha256').update(text).digest('hex')
  })(bag)
}

const then =
  (...tampers: Tamper[]): Tamper =>
  async (bag) => {
    for (const tamper of tampers) await tamper(bag)
  }

/** Each tamper, and whether the forger then recomputes everything (`forge`) or only the tag manifests (`retag`). */
const TAMPERS: Array<{finish?: 'forge' | 'none' | 'retag'; name: string; tamper: Tamper}> = [
  {name: 'a record edited', tamper: (bag) => editRecord(bag, 2).then(() => {})},
  {
    name: 'a record edited, manifests left as they were',
    finish: 'none',
    tamper: (bag) => editRecord(bag, 2).then(() => {}),
  },
  {name: 'the layout label removed', tamper: removeLabel('Convoshift-Archive-Layout')},
  {
    name: 'the layout label removed and a record edited',
    tamper: then(removeLabel('Convoshift-Archive-Layout'), (bag) => editRecord(bag, 2).then(() => {})),
  },
  {
    name: 'bag-info.txt emptied and a record edited',
    tamper: then(
      (bag) => writeFile(join(bag, 'bag-info.txt'), ''),
      (bag) => editRecord(bag, 1).then(() => {}),
    ),
  },
  {
    name: 'an original edited',
    async tamper(bag) {
      const path = join(bag, 'data/originals/export.jsonl')
      await writeFile(path, (await readFile(path, 'utf8')).replace('"startTime": "x"', '"startTime": "y"'))
    },
  },
  {name: 'the originals deleted', tamper: (bag) => rm(join(bag, 'data/originals'), {recursive: true})},
  {
    name: 'an id in the id map edited',
    tamper: editJsonLine('data/id-map.jsonl', 4, (entry) => {
      entry.id = 'someone-else'
    }),
  },
  {
    name: 'a rejected reason edited',
    tamper: editJsonLine('data/rejected.jsonl', 1, (entry) => {
      entry.reason = 'nothing wrong with it'
    }),
  },
  {
    name: 'a rejected record removed from the rejected file and the id map',
    tamper: then(
      (bag) => writeFile(join(bag, 'data/rejected.jsonl'), ''),
      (bag) =>
        editLines(join(bag, 'data/id-map.jsonl'), (lines) => {
          lines.splice(1, 1)
        }),
    ),
  },
  {name: 'a conversation removed everywhere, counts fixed', tamper: (bag) => removeEverywhere(bag).then(() => {})},
  {
    finish: 'retag',
    name: 'BagIt-Version: 0.97',
    tamper: (bag) => writeFile(join(bag, 'bagit.txt'), 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n'),
  },
  {
    finish: 'retag',
    name: 'a count in bag-info.txt (Convoshift-Messages)',
    tamper: setLabel('Convoshift-Messages', '1'),
  },
  {
    name: 'an index path outside the bag',
    tamper: editJsonLine('data/index.jsonl', 2, (entry) => {
      entry.shard = '../../outside.jsonl'
    }),
  },
  {name: 'a file added to data/', tamper: (bag) => writeFile(join(bag, 'data/notes.txt'), 'added later\n')},
  {
    name: 'two records swapped in the shard',
    tamper: (bag) =>
      editLines(join(bag, SHARD), (lines) => {
        ;[lines[0], lines[1]] = [lines[1]!, lines[0]!]
      }),
  },
  {
    name: 'a record removed from the shard only',
    tamper: (bag) =>
      editLines(join(bag, SHARD), (lines) => {
        lines.splice(2, 1)
      }),
  },
  {
    name: 'a record duplicated in the shard and the index',
    async tamper(bag) {
      await editLines(join(bag, SHARD), (lines) => {
        lines.splice(1, 0, lines[0]!)
      })
      await editLines(join(bag, 'data/index.jsonl'), (lines) => {
        const first = JSON.parse(lines[0]!) as {line: number}
        lines.splice(1, 0, stableStringify({...first, line: 2}))
        for (let i = 2; i < lines.length - 1; i++) {
          const entry = JSON.parse(lines[i]!) as {line: number}
          lines[i] = stableStringify({...entry, line: entry.line + 1})
        }
      })
    },
  },
  {
    finish: 'retag',
    name: 'Convoshift-Originals: omitted while they are there',
    tamper: setLabel('Convoshift-Originals', 'omitted'),
  },
  {
    finish: 'retag',
    name: 'Convoshift-Source-SHA256 changed',
    tamper: setLabel('Convoshift-Source-SHA256', '0'.repeat(64)),
  },
]

const invalid: Check[] = [
  exits(9),
  noStackTrace,
  ({run}) => broken(/^(INVALID|UNSIGNED): /m.test(run.stdout), `no INVALID verdict: ${run.stdout.slice(-300)}`),
]

const tamperAttacks: Attack[] = TAMPERS.map(({finish = 'forge', name, tamper}) => ({
  class: 'bag tampers',
  command: (dir) => ['archive', 'verify', join(dir, 'bag')],
  invariant: invalid,
  name,
  async setup(dir) {
    const bag = await copy(await pristineBag(), join(dir, 'bag'))
    await writeFile(join(dir, 'outside.jsonl'), 'outside the bag\n')
    await tamper(bag)
    if (finish === 'forge') await forge(bag)
    if (finish === 'retag') await retag(bag)
  },
}))

/** A forger with a key of their own: signs the forged tag manifest as convoshift does (Ed25519 over it, minus the signature line). */
const resign: Tamper = async (bag) => {
  const {privateKey} = generateKeyPairSync('ed25519')
  const content = (await readFile(join(bag, 'tagmanifest-sha512.txt'), 'utf8'))
    .split('\n')
    .filter((line) => !line.endsWith(' convoshift-signature.txt'))
    .join('\n')
  const path = join(bag, 'convoshift-signature.txt')
  const text = await readFile(path, 'utf8')
  await writeFile(
    path,
    text.replace(/^Signature: \S+$/m, `Signature: ${sign(null, Buffer.from(content), privateKey).toString('base64')}`),
  )
  await retag(bag)
}

const SIGNED: Array<{args?: string[]; name: string; tamper: Tamper}> = [
  {name: 'signed: a record, the index and every manifest rewritten', tamper: then(rewriteRecordAndIndex, forge)},
  {
    name: 'signed: the same forgery, re-signed with the forger’s key',
    tamper: then(rewriteRecordAndIndex, forge, resign),
  },
  {
    args: ['--require-signature'],
    name: 'signed: the signature removed, --require-signature',
    tamper: then((bag) => rm(join(bag, 'convoshift-signature.txt')), retag),
  },
  {
    name: 'signed: bag-info.txt edited, tag manifests recomputed',
    tamper: then(setLabel('Convoshift-Redaction', 'email'), retag),
  },
]

const signedAttacks: Attack[] = SIGNED.map(({args = [], name, tamper}) => ({
  class: 'bag tampers',
  command: (dir) => ['archive', 'verify', join(dir, 'bag'), '--key', join(dir, 'public.pem'), ...args],
  invariant: invalid,
  name,
  async setup(dir) {
    const signed = await signedBag()
    await copy(signed.keys.public, join(dir, 'public.pem'))
    await tamper(await copy(signed.bag, join(dir, 'bag')))
  },
}))

export const bagTampers = [...tamperAttacks, ...signedAttacks]

// ---- hostile bags for archive export ------------------------------------------------------------------------------

const OUTSIDE = 'a secret outside the bag'
/** The first conversation of the pristine bag (the same in every copy), asked for by id. */
let firstId = ''

const outsideNeverRead: Check = async ({dir, run}) => {
  broken(!(run.stdout + run.stderr).includes(OUTSIDE), 'text from outside the bag was printed')
  const output = join(dir, 'out.jsonl')
  broken(
    !existsSync(output) || !(await readFile(output, 'utf8')).includes(OUTSIDE),
    'text from outside the bag was exported',
  )
}

const HOSTILE: Array<{name: string; tamper: Tamper}> = [
  {
    name: 'a shard path outside the bag',
    tamper: editJsonLine('data/index.jsonl', 1, (entry) => {
      entry.shard = '../../outside.jsonl'
    }),
  },
  {
    name: 'an absolute shard path',
    tamper: editJsonLine('data/index.jsonl', 1, (entry) => {
      entry.shard = '/etc/passwd'
    }),
  },
  {
    name: 'a shard symlinked to a file outside the bag',
    async tamper(bag) {
      await copy(join(bag, SHARD), join(bag, '..', 'outside-shard.jsonl'))
      await rm(join(bag, SHARD))
      await symlink(join(bag, '..', 'outside-shard.jsonl'), join(bag, SHARD))
    },
  },
  {
    name: 'the conversations directory symlinked outside the bag',
    async tamper(bag) {
      await copy(join(bag, 'data/conversations'), join(bag, '..', 'elsewhere'))
      await rm(join(bag, 'data/conversations'), {recursive: true})
      await symlink(join(bag, '..', 'elsewhere'), join(bag, 'data/conversations'))
    },
  },
  {
    name: 'the index symlinked outside the bag',
    async tamper(bag) {
      await copy(join(bag, 'data/index.jsonl'), join(bag, '..', 'index.jsonl'))
      await rm(join(bag, 'data/index.jsonl'))
      await symlink(join(bag, '..', 'index.jsonl'), join(bag, 'data/index.jsonl'))
    },
  },
  {
    name: 'a shard replaced by a directory',
    async tamper(bag) {
      await rm(join(bag, SHARD))
      await mkdir(join(bag, SHARD))
    },
  },
  {
    name: 'an index entry past the end of its shard',
    tamper: editJsonLine('data/index.jsonl', 1, (entry) => {
      entry.line = 999
    }),
  },
  {
    name: 'an index entry pointing at another record',
    tamper: editJsonLine('data/index.jsonl', 1, (entry) => {
      entry.line = 2
    }),
  },
  {
    name: 'a malformed index line',
    tamper: (bag) =>
      editLines(join(bag, 'data/index.jsonl'), (lines) => {
        lines[0] = '{"id": "x",'
      }),
  },
  {name: 'the index missing', tamper: (bag) => rm(join(bag, 'data/index.jsonl'))},
]

const hostileAttacks: Attack[] = HOSTILE.map(({name, tamper}) => ({
  class: 'hostile bags',
  command: (dir) => [
    'archive',
    'export',
    join(dir, 'bag'),
    '--to',
    'neutral',
    '--id',
    firstId,
    '--output',
    join(dir, 'out.jsonl'),
  ],
  invariant: [exits(9), noStackTrace, oneErrorLine(), outsideNeverRead],
  name: `archive export --id: ${name}`,
  async setup(dir) {
    const bag = await copy(await pristineBag(), join(dir, 'bag'))
    firstId = (JSON.parse((await readFile(join(bag, 'data/index.jsonl'), 'utf8')).split('\n')[0]!) as {id: string}).id
    await writeFile(join(dir, 'outside.jsonl'), `${OUTSIDE}\n`)
    await tamper(bag)
    await forge(bag)
  },
}))

/** On a sound bag, an id it does not hold is named, never dropped silently. */
const unknownId: Attack = {
  class: 'hostile bags',
  command: (dir) => [
    'archive',
    'export',
    join(dir, 'bag'),
    '--to',
    'neutral',
    '--id',
    'no-such-id',
    '--id',
    firstId,
    '--output',
    join(dir, 'out.jsonl'),
  ],
  invariant: [
    exits(0),
    noStackTrace,
    ({run}) =>
      broken(
        (run.stdout + run.stderr).includes('not in the archive: no-such-id'),
        `the missing id is not named: ${run.stdout.slice(-300)}`,
      ),
    async ({dir}) =>
      broken(
        (await readFile(join(dir, 'out.jsonl'), 'utf8')).includes(firstId),
        'the id the bag holds was not exported',
      ),
  ],
  name: 'archive export --id of an id the bag does not hold, beside one it does',
  async setup(dir) {
    const bag = await copy(await pristineBag(), join(dir, 'bag'))
    firstId = (JSON.parse((await readFile(join(bag, 'data/index.jsonl'), 'utf8')).split('\n')[0]!) as {id: string}).id
  },
}

export const hostileBags = [...hostileAttacks, unknownId]
