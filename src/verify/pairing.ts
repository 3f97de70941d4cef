import {readFileSync} from 'node:fs'

import {partitionOf} from '../engine/partition.js'
import {ScratchDirectory} from '../io/scratch-directory.js'
import {type NeutralEntry, type SideEntry} from './normalise.js'

/**
 * Pairs the two sides' conversations by id with bounded memory, whatever their order.
 *
 * Both files are read in lockstep, one record from each in turn, and each record waits in a small per-side table
 * until its partner from the other side arrives. When both files are in the same order (a target written by
 * `convert` from the source), partners arrive together and nothing waits: one pass, no disk. When the tables
 * outgrow `pendingLimit` (the files are in different orders), their contents are spilled to hash partitions on disk,
 * and every record not paired in the lockstep pass is paired afterwards one partition at a time, so memory is bounded
 * by the partition size, not by the input. Duplicates pair first-come with first-come; the surplus stays unpaired.
 */

export interface PairingHandlers {
  /** A paired conversation (called in a deterministic order for the same inputs). */
  pair(source: NeutralEntry, target: NeutralEntry): void
  /** A record whose id has no (remaining) partner on the other side. */
  unpaired(side: 'source' | 'target', entry: NeutralEntry): void
  /** Every record of each side, paired or not, before pairing: for entity counts and the id ledger. */
  seen(side: 'source' | 'target', item: SideEntry): void
}

export interface PairingOptions {
  /** Records waiting for a partner, both sides together, before spilling to disk. */
  pendingLimit?: number
  /** Expected total input size, to choose how many partitions keep each one small. */
  sizeHint: number
  /** Where partitions go; a private directory is made inside and removed at the end. */
  tempDir?: string
}

const DEFAULT_PENDING_LIMIT = 400
const PARTITION_TARGET_BYTES = 16 * 2 ** 20
const MAX_PARTITIONS = 1024
const FLUSH_BYTES = 64 * 1024

type Pending = Map<string, NeutralEntry[]>

interface SpilledEntry extends Omit<NeutralEntry, 'neutral'> {
  neutral: () => Record<string, unknown>
}

const restore = (entry: SpilledEntry): NeutralEntry => ({
  id: entry.id,
  line: entry.line,
  neutral: entry.neutral(),
  ordinal: entry.ordinal,
})

function take(table: Pending, id: string): NeutralEntry | undefined {
  const waiting = table.get(id)
  if (!waiting) return undefined
  const first = waiting.shift()!
  if (waiting.length === 0) table.delete(id)
  return first
}

function put(table: Pending, entry: NeutralEntry): void {
  const waiting = table.get(entry.id)
  if (waiting) waiting.push(entry)
  else table.set(entry.id, [entry])
}

/** Append-only partition files for one side, buffered, in a scratch directory. */
class Partitions {
  /** Partitions that hold an entry: a file is created when its first entry comes. */
  private readonly used = new Set<number>()

  constructor(
    private readonly scratch: ScratchDirectory,
    private readonly side: string,
    readonly count: number,
  ) {}

  add(entry: NeutralEntry): void {
    const p = partitionOf(entry.id, this.count)
    this.used.add(p)
    // A header the reader can split without parsing the record: JSON.stringify escapes any tab inside the id.
    this.scratch
      .appender(this.name(p), {bufferBytes: FLUSH_BYTES})
      .write(`${JSON.stringify(entry.id)}\t${entry.ordinal}\t${entry.line}\t${JSON.stringify(entry.neutral)}\n`)
  }

  name(p: number): string {
    return `${this.side}-${p}.jsonl`
  }

  /** The partition's entries in input order, each parsed only when asked for: memory holds the text, not objects. */
  read(p: number): SpilledEntry[] {
    if (!this.used.has(p)) return []
    const text = readFileSync(this.scratch.pathOf(this.name(p)), 'utf8')
    const entries: SpilledEntry[] = []
    let start = 0
    for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
      const idEnd = text.indexOf('\t', start)
      const ordinalEnd = text.indexOf('\t', idEnd + 1)
      const lineEnd = text.indexOf('\t', ordinalEnd + 1)
      const body = text.slice(lineEnd + 1, end)
      entries.push({
        id: JSON.parse(text.slice(start, idEnd)) as string,
        line: Number(text.slice(ordinalEnd + 1, lineEnd)),
        neutral: () => JSON.parse(body) as Record<string, unknown>,
        ordinal: Number(text.slice(idEnd + 1, ordinalEnd)),
      })
    }

    return entries.sort((a, b) => a.ordinal - b.ordinal)
  }
}

export interface PairingStats {
  /** Records that went through the disk partitions (0 when both files were in the same order). */
  spilled: number
}

export async function pairConversations(
  sourceSide: AsyncIterable<SideEntry>,
  targetSide: AsyncIterable<SideEntry>,
  handlers: PairingHandlers,
  options: PairingOptions,
): Promise<PairingStats> {
  const limit = options.pendingLimit ?? DEFAULT_PENDING_LIMIT
  const waiting = {source: new Map() as Pending, target: new Map() as Pending}
  let pendingCount = 0
  let spill: undefined | {scratch: ScratchDirectory; source: Partitions; target: Partitions}
  let spilled = 0

  const spillAll = (): void => {
    if (!spill) {
      // Removed at the end, or by the interrupt's cleanup.
      const scratch = new ScratchDirectory('convoshift-verify-', options.tempDir)
      const count = Math.min(MAX_PARTITIONS, Math.max(1, Math.ceil(options.sizeHint / PARTITION_TARGET_BYTES)))
      spill = {
        scratch,
        source: new Partitions(scratch, 'source', count),
        target: new Partitions(scratch, 'target', count),
      }
    }

    for (const side of ['source', 'target'] as const) {
      for (const entries of waiting[side].values()) for (const entry of entries) spill[side].add(entry)
      spilled += [...waiting[side].values()].reduce((n, list) => n + list.length, 0)
      waiting[side].clear()
    }

    pendingCount = 0
  }

  const accept = (side: 'source' | 'target', item: SideEntry): void => {
    handlers.seen(side, item)
    const {entry} = item
    if (!entry) return
    const other = side === 'source' ? 'target' : 'source'
    const partner = take(waiting[other], entry.id)
    if (partner) {
      pendingCount--
      if (side === 'source') handlers.pair(entry, partner)
      else handlers.pair(partner, entry)
      return
    }

    put(waiting[side], entry)
    if (++pendingCount > limit) spillAll()
  }

  try {
    const sources = sourceSide[Symbol.asyncIterator]()
    const targets = targetSide[Symbol.asyncIterator]()
    let sourceDone = false
    let targetDone = false
    while (!sourceDone || !targetDone) {
      if (!sourceDone) {
        const next = await sources.next()
        if (next.done) sourceDone = true
        else accept('source', next.value)
      }

      if (!targetDone) {
        const next = await targets.next()
        if (next.done) targetDone = true
        else accept('target', next.value)
      }
    }

    if (!spill) {
      // Everything left waiting has no partner; report in input order.
      for (const side of ['source', 'target'] as const) {
        const left = [...waiting[side].values()].flat().sort((a, b) => a.ordinal - b.ordinal)
        for (const entry of left) handlers.unpaired(side, entry)
      }

      return {spilled: 0}
    }

    spillAll()
    const partitions = spill as unknown as {scratch: ScratchDirectory; source: Partitions; target: Partitions}
    partitions.scratch.closeFiles()
    for (let p = 0; p < partitions.source.count; p++) {
      const targetsHere = new Map<string, SpilledEntry[]>()
      for (const entry of partitions.target.read(p)) {
        const list = targetsHere.get(entry.id)
        if (list) list.push(entry)
        else targetsHere.set(entry.id, [entry])
      }

      for (const entry of partitions.source.read(p)) {
        const list = targetsHere.get(entry.id)
        const partner = list?.shift()
        if (list?.length === 0) targetsHere.delete(entry.id)
        if (partner) handlers.pair(restore(entry), restore(partner))
        else handlers.unpaired('source', restore(entry))
      }

      const left = [...targetsHere.values()].flat().sort((a, b) => a.ordinal - b.ordinal)
      for (const entry of left) handlers.unpaired('target', restore(entry))
    }

    return {spilled}
  } finally {
    spill?.scratch.remove()
  }
}
