import {readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'

import {ScratchDirectory} from '../io/scratch-directory.js'
import {partitionOf} from './partition.js'

/**
 * How many times each conversation id occurs on each side, with bounded memory: a map until it holds `memoryLimit`
 * ids, then hash partitions on disk counted one at a time. Missing and duplicated ids are read off the counts.
 */

export interface IdFindings {
  duplicated: {count: number; ids: Array<{id: string; source: number; target: number}>}
  missingInSource: {count: number; ids: string[]}
  missingInTarget: {count: number; ids: string[]}
}

const PARTITIONS = 64
const FLUSH_BYTES = 64 * 1024
/** Source and target counts share one number: source in the low 26 bits. */
const TARGET_UNIT = 2 ** 26

export class IdLedger {
  private counts = new Map<string, number>()
  /** The partitions on disk, once the map has outgrown memoryLimit; removed by `dispose` or on interrupt. */
  private spill: undefined | {scratch: ScratchDirectory; used: Set<number>}

  constructor(
    private readonly listLimit: number,
    private readonly memoryLimit = 1_000_000,
    private readonly tempDir = tmpdir(),
  ) {}

  add(side: 'source' | 'target', id: string): void {
    const unit = side === 'source' ? 1 : TARGET_UNIT
    this.counts.set(id, (this.counts.get(id) ?? 0) + unit)
    if (this.counts.size >= this.memoryLimit) this.flushMap()
  }

  /** Removes any files; safe to call twice. */
  dispose(): void {
    this.spill?.scratch.remove()
    this.spill = undefined
  }

  findings(): IdFindings {
    const found: IdFindings = {
      duplicated: {count: 0, ids: []},
      missingInSource: {count: 0, ids: []},
      missingInTarget: {count: 0, ids: []},
    }
    const visit = (counts: Map<string, number>): void => {
      for (const [id, packed] of counts) {
        const source = packed % TARGET_UNIT
        const target = Math.floor(packed / TARGET_UNIT)
        if (source > 1 || target > 1) {
          found.duplicated.count++
          found.duplicated.ids.push({id, source, target})
        }

        if (target === 0) {
          found.missingInTarget.count++
          found.missingInTarget.ids.push(id)
        } else if (source === 0) {
          found.missingInSource.count++
          found.missingInSource.ids.push(id)
        }
      }

      // Keep only the first ids in id order, so the lists stay short and deterministic.
      found.duplicated.ids = found.duplicated.ids.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, this.listLimit)
      found.missingInSource.ids = found.missingInSource.ids.sort().slice(0, this.listLimit)
      found.missingInTarget.ids = found.missingInTarget.ids.sort().slice(0, this.listLimit)
    }

    if (!this.spill) {
      visit(this.counts)
      return found
    }

    this.flushMap()
    const {scratch, used} = this.spill
    scratch.closeFiles()
    for (let p = 0; p < PARTITIONS; p++) {
      if (!used.has(p)) continue
      const counts = new Map<string, number>()
      const text = readFileSync(scratch.pathOf(`${p}`), 'utf8')
      let start = 0
      for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
        const tab = text.indexOf('\t', start)
        const id = JSON.parse(text.slice(tab + 1, end)) as string
        counts.set(id, (counts.get(id) ?? 0) + Number(text.slice(start, tab)))
      }

      visit(counts)
    }

    return found
  }

  private flushMap(): void {
    this.spill ??= {scratch: new ScratchDirectory('convoshift-ids-', this.tempDir), used: new Set()}
    const {scratch, used} = this.spill
    for (const [id, packed] of this.counts) {
      const p = partitionOf(id, PARTITIONS)
      used.add(p)
      // JSON-quoted, so an id holding a newline or tab stays on its line.
      scratch.appender(`${p}`, {bufferBytes: FLUSH_BYTES}).write(`${packed}\t${JSON.stringify(id)}\n`)
    }

    this.counts = new Map()
  }
}
