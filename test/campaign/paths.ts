/**
 * Path collisions: a write path that is an input under another name (itself, a symlink, a hard link, `dir/../name`),
 * or two writes of one file, across convert, verify, archive create, archive export and export. Each must be refused
 * before any work: exit 2, one line, and the directory exactly as it was (every byte of every file, nothing added).
 */
import {createHash} from 'node:crypto'
import {link, mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type Attack, broken, type Check, exits, filesUnder, noStackTrace, oneErrorLine} from './attack.js'
import {copy, neutralPage, PAGE, pristineBag} from './shared.js'

/** Each file under a directory with the SHA-256 of its bytes (symlinks by their target). */
async function fingerprint(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const name of (await filesUnder(dir)).sort()) {
    const bytes = await readFile(join(dir, name)).catch(() => Buffer.from('(a directory or dangling link)'))
    out.set(name, createHash('sha256').update(bytes).digest('hex'))
  }

  return out
}

const before = new Map<string, Map<string, string>>()

const unchanged: Check = async ({dir}) => {
  const was = before.get(dir)!
  const now = await fingerprint(dir)
  const added = [...now.keys()].filter((name) => !was.has(name))
  const changed = [...was.keys()].filter((name) => now.get(name) !== was.get(name))
  broken(added.length === 0, `files appeared: ${added.join(', ')}`)
  broken(changed.length === 0, `files changed or vanished: ${changed.join(', ')}`)
}

interface Collision {
  command: (dir: string) => string[]
  name: string
  /** Lays out the inputs (the page is always there as export.json). */
  setup?: (dir: string) => Promise<void>
}

const LP = ['--from', 'liveperson', '--to', 'neutral']
const convert = (dir: string, ...rest: string[]): string[] => [
  'convert',
  ...LP,
  '--input',
  join(dir, 'export.json'),
  ...rest,
]
const verify = (dir: string, ...rest: string[]): string[] => [
  'verify',
  ...LP,
  '--source',
  join(dir, 'export.json'),
  '--target',
  join(dir, 'neutral.jsonl'),
  ...rest,
]
const withTarget = async (dir: string): Promise<void> => {
  await copy(await neutralPage(), join(dir, 'neutral.jsonl'))
}

const withBag = async (dir: string): Promise<void> => {
  await copy(await pristineBag(), join(dir, 'bag'))
}

const archiveCreate = (dir: string, ...rest: string[]): string[] => [
  'archive',
  'create',
  '--from',
  'liveperson',
  '--input',
  join(dir, 'export.json'),
  ...rest,
]
const archiveExport = (dir: string, ...rest: string[]): string[] => [
  'archive',
  'export',
  join(dir, 'bag'),
  '--to',
  'neutral',
  ...rest,
]
const SHARD = 'bag/data/conversations/part-000001.jsonl'

const COLLISIONS: Collision[] = [
  {command: (dir) => convert(dir, '--output', join(dir, 'export.json')), name: 'convert --output = --input'},
  {
    command: (dir) => convert(dir, '-o', join(dir, 'out.jsonl'), '--rejected', join(dir, 'export.json')),
    name: 'convert --rejected = --input',
  },
  {
    command: (dir) => convert(dir, '--output', join(dir, 'link.json')),
    name: 'convert --output = a symlink to the input',
    setup: (dir) => symlink(join(dir, 'export.json'), join(dir, 'link.json')),
  },
  {
    command: (dir) => convert(dir, '--output', join(dir, 'hard.json')),
    name: 'convert --output = a hard link to the input',
    setup: (dir) => link(join(dir, 'export.json'), join(dir, 'hard.json')),
  },
  {
    command: (dir) => convert(dir, '--output', join(dir, 'sub') + '/../export.json'),
    name: 'convert --output = dir/../input',
    setup: (dir) => mkdir(join(dir, 'sub')),
  },
  {
    command: (dir) => convert(dir, '--output', join(dir, 'same.jsonl'), '--rejected', join(dir, 'same.jsonl')),
    name: 'convert --output = --rejected',
  },
  {
    command: (dir) => ['convert', ...LP, '--input', join(dir, 'x.rejected.jsonl'), '--output', join(dir, 'x')],
    name: 'convert: the default rejected file (<output>.rejected.jsonl) = --input',
    async setup(dir) {
      await copy(PAGE, join(dir, 'x.rejected.jsonl'))
    },
  },
  {
    command: (dir) => verify(dir, '--diffs', join(dir, 'export.json')),
    name: 'verify --diffs = --source',
    setup: withTarget,
  },
  {
    command: (dir) => verify(dir, '--report', join(dir, 'neutral.jsonl')),
    name: 'verify --report = --target',
    setup: withTarget,
  },
  {
    command: (dir) => verify(dir, '--diffs', join(dir, 'link.jsonl')),
    name: 'verify --diffs = a symlink to --target',
    async setup(dir) {
      await withTarget(dir)
      await symlink(join(dir, 'neutral.jsonl'), join(dir, 'link.jsonl'))
    },
  },
  {
    command: (dir) => verify(dir, '--report', join(dir, 'r.json'), '--diffs', join(dir, 'r.json')),
    name: 'verify --report = --diffs',
    setup: withTarget,
  },
  {
    command: (dir) => archiveCreate(dir, '--output', join(dir, 'export.json')),
    name: 'archive create --output = --input',
  },
  {
    command: (dir) => archiveCreate(dir, '--output', join(dir, 'sub') + '/../export.json'),
    name: 'archive create --output = dir/../input',
    setup: (dir) => mkdir(join(dir, 'sub')),
  },
  {
    command: (dir) => archiveCreate(dir, '--previous', join(dir, 'bag'), '--output', join(dir, 'bag', 'v2')),
    name: 'archive create --output inside --previous',
    setup: withBag,
  },
  {
    command: (dir) => archiveExport(dir, '--output', join(dir, SHARD)),
    name: 'archive export --output = a shard of the bag',
    setup: withBag,
  },
  {
    command: (dir) => archiveExport(dir, '--output', join(dir, 'index-link.jsonl')),
    name: 'archive export --output = a symlink to the bag index',
    async setup(dir) {
      await withBag(dir)
      await symlink(join(dir, 'bag', 'data', 'index.jsonl'), join(dir, 'index-link.jsonl'))
    },
  },
  {
    command: (dir) => archiveExport(dir, '--output', join(dir, 'shard-copy.jsonl')),
    name: 'archive export --output = a hard link to a shard',
    async setup(dir) {
      await withBag(dir)
      await link(join(dir, SHARD), join(dir, 'shard-copy.jsonl'))
    },
  },
  {
    command: (dir) => archiveExport(dir, '--output', join(dir, 'out.jsonl'), '--rejected', join(dir, 'out.jsonl')),
    name: 'archive export --output = --rejected',
    setup: withBag,
  },
  {
    command: (dir) => exportTo(join(dir, 'dc.jsonl')),
    name: 'export: the checkpoint is a symlink to the output',
    async setup(dir) {
      await writeFile(join(dir, 'dc.jsonl'), 'previous export\n')
      await symlink(join(dir, 'dc.jsonl'), join(dir, 'dc.jsonl.checkpoint.json'))
    },
  },
  {
    command: (dir) => exportTo(join(dir, 'dc.jsonl')),
    name: 'export: the partial output is a hard link to the output',
    async setup(dir) {
      await writeFile(join(dir, 'dc.jsonl'), 'previous export\n')
      await link(join(dir, 'dc.jsonl'), join(dir, 'dc.jsonl.partial'))
    },
  },
]

/** An export that is refused before its first request (the port is never listened on). */
function exportTo(output: string): string[] {
  return [
    'export',
    'deepconverse',
    '--bot-name',
    'b',
    '--token',
    't',
    '--base-url',
    'http://127.0.0.1:9',
    '--since',
    '2025-01-01',
    '--until',
    '2025-01-02',
    '--output',
    output,
  ]
}

export const pathCollisions: Attack[] = COLLISIONS.map((collision) => ({
  class: 'path collisions',
  command: collision.command,
  invariant: [exits(2), noStackTrace, oneErrorLine(), unchanged],
  name: collision.name,
  async setup(dir) {
    await copy(PAGE, join(dir, 'export.json'))
    await collision.setup?.(dir)
    before.set(dir, await fingerprint(dir))
  },
}))
