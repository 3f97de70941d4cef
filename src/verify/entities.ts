import {type VerifyReport} from '../schemas/verify.js'
import {type Classifier, DIFF_CLASSES, type DiffClass} from './compare.js'

/**
 * Entities counted on each side: totals over every record, and, in paired conversations, what the target shows
 * missing, extra or more than once. Elements with ids (messages, participants, dialogs) and tags are matched by id or
 * value, so one message replaced by another is one missing and one extra, not "the same count"; the rest by count.
 */
interface Entity {
  entity: string
  field: string
  /** The keys elements are matched by, in one conversation; undefined: matched by count only. */
  keys?: (conversation: Record<string, unknown>) => string[]
  size: (conversation: Record<string, unknown>) => number
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const idsIn =
  (field: string) =>
  (conversation: Record<string, unknown>): string[] =>
    list(conversation[field]).map((item) =>
      typeof item === 'object' && item !== null && 'id' in item ? String(item.id) : JSON.stringify(item),
    )

export const ENTITIES: readonly Entity[] = [
  {entity: 'messages', field: 'messages', keys: idsIn('messages'), size: (n) => list(n.messages).length},
  {
    entity: 'participants',
    field: 'participants',
    keys: idsIn('participants'),
    size: (n) => list(n.participants).length,
  },
  {entity: 'dialogs', field: 'dialogs', keys: idsIn('dialogs'), size: (n) => list(n.dialogs).length},
  {entity: 'transfers', field: 'transfers', size: (n) => list(n.transfers).length},
  {entity: 'tags', field: 'tags', keys: (n) => list(n.tags).map(String), size: (n) => list(n.tags).length},
  {entity: 'CSAT present', field: 'csat', size: (n) => (n.csat === undefined ? 0 : 1)},
  {entity: 'NPS present', field: 'nps', size: (n) => (n.nps === undefined ? 0 : 1)},
]

export interface EntityCounts {
  found: Array<{duplicated: number; extra: number; missing: number}>
  totals: {source: number[]; target: number[]}
}

export function newEntityCounts(): EntityCounts {
  return {
    found: ENTITIES.map(() => ({duplicated: 0, extra: 0, missing: 0})),
    totals: {source: ENTITIES.map(() => 0), target: ENTITIES.map(() => 0)},
  }
}

/** Adds one paired conversation's missing, extra and duplicated entities (the target as its vendor shows it). */
export function countEntities(
  counts: EntityCounts,
  source: Record<string, unknown>,
  target: Record<string, unknown>,
): void {
  for (const [i, entity] of ENTITIES.entries()) {
    const found = counts.found[i]!
    if (!entity.keys) {
      const difference = entity.size(target) - entity.size(source)
      if (difference > 0) found.extra += difference
      else found.missing -= difference
      continue
    }

    const have = new Map<string, number>()
    for (const key of entity.keys(source)) have.set(key, (have.get(key) ?? 0) + 1)
    const shown = new Map<string, number>()
    for (const key of entity.keys(target)) shown.set(key, (shown.get(key) ?? 0) + 1)
    for (const [key, n] of have) found.missing += Math.max(0, n - (shown.get(key) ?? 0))
    for (const [key, n] of shown) {
      const wanted = have.get(key) ?? 0
      if (wanted === 0) found.extra += n
      else found.duplicated += Math.max(0, n - wanted)
    }
  }
}

type EntityRow = VerifyReport['entities'][number]

const unexpected = (reason: string): {class: DiffClass; reason: string} => ({class: 'unexpected', reason})

/**
 * The entity rows of the report, the conversations' first. A missing entity is judged as a loss of its field, an
 * extra one as an addition, a duplicated one is always unexpected: a target that shows a message twice is wrong.
 */
export function entityRows(
  conversations: Omit<EntityRow, 'class' | 'reason' | 'status'>,
  counts: EntityCounts,
  classify: Classifier,
): EntityRow[] {
  const rows: EntityRow[] = [judge(conversations, 'conversations', classify)]
  for (const [i, {entity, field}] of ENTITIES.entries()) {
    const row = {
      entity,
      source: counts.totals.source[i]!,
      target: counts.totals.target[i]!,
      ...counts.found[i]!,
    }
    rows.push(judge(row, field, classify))
  }

  return rows
}

function judge(row: Omit<EntityRow, 'class' | 'reason' | 'status'>, field: string, classify: Classifier): EntityRow {
  const verdicts: Array<{class: DiffClass; reason: string; status: EntityRow['status']}> = []
  if (field === 'conversations') {
    if (row.missing > 0) verdicts.push({...unexpected('conversations missing in the target'), status: 'missing'})
    if (row.extra > 0) verdicts.push({...unexpected('conversations the source does not have'), status: 'extra'})
  } else {
    const fallback = unexpected('the target mapping declares no loss here')
    if (row.missing > 0) verdicts.push({...(classify(field, 'lost') ?? fallback), status: 'missing'})
    if (row.extra > 0)
      verdicts.push({...(classify(field, 'added') ?? unexpected('the source has no such entity')), status: 'extra'})
    if (row.duplicated > 0)
      verdicts.push({...unexpected('the target shows an entity more than once'), status: 'duplicated'})
  }

  if (verdicts.length === 0) return {...row, status: 'match'}
  const worst = verdicts.reduce((a, b) => (DIFF_CLASSES.indexOf(b.class) < DIFF_CLASSES.indexOf(a.class) ? b : a))
  return {
    ...row,
    class: worst.class,
    reason: verdicts.map((v) => v.reason).join('; '),
    status: verdicts.length === 1 ? worst.status : 'differs',
  }
}
