import {IdLedger} from '../engine/id-ledger.js'

export interface ConvertIds {
  duplicated: {count: number; ids: Array<{copies: number; id: string}>}
  empty: number
}

/** Ids listed in the result and the summary; the count covers them all. */
const LISTED = 10

/**
 * The conversation ids of the converted records, tallied so that `convert` can say which occur more than once and how
 * many records have none: verify pairs conversations by id, and a target vendor keys them by it. Memory is bounded
 * as verify's is (the ledger spills to hash partitions in a temporary directory past a million ids).
 */
export class IdTally {
  private empty = 0
  private readonly ledger = new IdLedger(LISTED)

  add(id: unknown): void {
    if ((typeof id === 'string' && id.trim() !== '') || typeof id === 'number') this.ledger.add('source', String(id))
    else this.empty++
  }

  /** Removes the ledger's temporary files; safe to call twice. */
  dispose(): void {
    this.ledger.dispose()
  }

  summary(): ConvertIds {
    const {duplicated} = this.ledger.findings()
    return {
      duplicated: {count: duplicated.count, ids: duplicated.ids.map(({id, source}) => ({copies: source, id}))},
      empty: this.empty,
    }
  }
}
