/**
 * What a careful forger does after editing a bag: recompute everything that needs no secret. Both payload manifests
 * (from the files now in data/), Payload-Oxum, Bag-Size, External-Identifier (the hash of manifest-sha256.txt), and
 * both tag manifests (every top-level file but the tag manifests). Written from the docs, not from convoshift's writer.
 */
import {createHash} from 'node:crypto'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

import {bagSize} from '../../src/util/size.js'
import {stableStringify} from '../../src/util/stable-json.js'

/** The first shard of a small bag. */
export const SHARD = 'data/conversations/part-000001.jsonl'

const ALGORITHMS = ['sha256', 'sha512'] as const

function encode(path: string): string {
  return path.replaceAll('%', '%25').replaceAll('\n', '%0A').replaceAll('\r', '%0D')
}

function digest(algorithm: string, bytes: Buffer | string): string {
  return createHash(algorithm).update(bytes).digest('hex')
}

async function payloadFiles(bag: string): Promise<string[]> {
  const entries = await readdir(join(bag, 'data'), {recursive: true, withFileTypes: true}).catch(() => [])
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(bag, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Sets a bag-info label's value (the first line of it; added at the end when absent). */
function setLabel(info: string, label: string, value: string): string {
  const pattern = new RegExp(`^${label}: .*$`, 'm')
  return pattern.test(info) ? info.replace(pattern, `${label}: ${value}`) : info
}

export async function forge(bag: string): Promise<void> {
  const files = await payloadFiles(bag)
  let bytes = 0
  const contents = new Map<string, Buffer>()
  for (const path of files) {
    const content = await readFile(join(bag, path))
    contents.set(path, content)
    bytes += content.length
  }

  for (const algorithm of ALGORITHMS) {
    const text = files.map((path) => `${digest(algorithm, contents.get(path)!)} ${encode(path)}\n`).join('')
    await writeFile(join(bag, `manifest-${algorithm}.txt`), text)
  }

  const infoPath = join(bag, 'bag-info.txt')
  let info = await readFile(infoPath, 'utf8').catch(() => '')
  const manifest = await readFile(join(bag, 'manifest-sha256.txt'))
  info = setLabel(info, 'Payload-Oxum', `${bytes}.${files.length}`)
  info = setLabel(info, 'Bag-Size', bagSize(bytes))
  info = setLabel(info, 'External-Identifier', `urn:sha256:${digest('sha256', manifest)}`)
  await writeFile(infoPath, info)
  await retag(bag)
}

/** Recomputes the tag manifests alone (after an edit of a tag file). */
export async function retag(bag: string): Promise<void> {
  const top = (await readdir(bag, {withFileTypes: true}))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('tagmanifest-'))
    .map((entry) => entry.name)
    .sort()
  for (const algorithm of ALGORITHMS) {
    const lines = await Promise.all(
      top.map(async (name) => `${digest(algorithm, await readFile(join(bag, name)))} ${encode(name)}\n`),
    )
    await writeFile(join(bag, `tagmanifest-${algorithm}.txt`), lines.join(''))
  }
}

/** Rewrites a text file line by line, in place. */
export async function editLines(path: string, edit: (lines: string[]) => void): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n')
  edit(lines)
  await writeFile(path, lines.join('\n'))
}

/** A forger's edit of one record of the first shard (a tag added); returns its id and new text. */
export async function editRecord(bag: string, line: number): Promise<{id: string; text: string}> {
  let result = {id: '', text: ''}
  await editLines(join(bag, SHARD), (lines) => {
    const record = JSON.parse(lines[line - 1]!) as {sourceId: string; tags: string[]}
    record.tags = [...record.tags, 'edited']
    lines[line - 1] = stableStringify(record)
    result = {id: record.sourceId, text: lines[line - 1]!}
  })
  return result
}

/**
 * The 4th conversation removed from the first shard, the index and the id map alike, with every count in bag-info.txt
 * lowered to match: a tamper only the export kept as evidence can reveal. Returns the removed id and the id map's id
 * that now stands in its place.
 */
export async function removeEverywhere(bag: string): Promise<{id: string; nextId: string}> {
  let removed = {id: '', messages: 0}
  await editLines(join(bag, SHARD), (lines) => {
    const record = JSON.parse(lines.splice(3, 1)[0]!) as {messages: unknown[]; sourceId: string}
    removed = {id: record.sourceId, messages: record.messages.length}
  })
  await editLines(join(bag, 'data/index.jsonl'), (lines) => {
    lines.splice(3, 1)
    for (let i = 3; i < lines.length - 1; i++) {
      const entry = JSON.parse(lines[i]!) as {line: number}
      lines[i] = stableStringify({...entry, line: entry.line - 1})
    }
  })
  let nextId = ''
  await editLines(join(bag, 'data/id-map.jsonl'), (lines) => {
    lines.splice(4, 1)
    for (let i = 4; i < lines.length - 1; i++) {
      const entry = JSON.parse(lines[i]!) as {id: string; inputIndex: number; line: number}
      nextId ||= entry.id
      lines[i] = stableStringify({...entry, inputIndex: entry.inputIndex - 1, line: entry.line - 1})
    }
  })
  await editLines(join(bag, 'bag-info.txt'), (lines) => {
    const less = (label: string, by: number): void => {
      const at = lines.findIndex((line) => line.startsWith(`${label}: `))
      lines[at] = `${label}: ${Number(lines[at]!.slice(label.length + 2)) - by}`
    }

    less('Convoshift-Records-Read', 1)
    less('Convoshift-Records-Archived', 1)
    less('Convoshift-Conversations', 1)
    less('Convoshift-Messages', removed.messages)
  })
  return {id: removed.id, nextId}
}
