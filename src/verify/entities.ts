import {type VerifyReport} from '../schemas/verify.js'
import {type Classifier, DIFF_CLASSES, type DiffClass, LISTED_ONCE} from './compare.js'

/**
 * Entities counted on each side: totals over every record, and, in paired conversations, what the target shows
 * missing, extra or more than once. Elements with ids (messages, participants, dialogs) and tags are matched by id or
 * value, so one message replaced by another is one missing and one extra, not "the same count"; the rest by count.
 */
interface Entity {
  entity: string
  field: string
  /** The elements of one conversation, matched by key (id, or value for tags); undefined: matched by count only. */
  keyed?: (conversation: Record<string, unknown>) => Array<{element: unknown; key: string}>
  size: (conversation: Record<string, unknown>) => number
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const byId =
  (field: string) =>
  (conversation: Record<string, unknown>): Array<{element: unknown; key: string}> =>
    list(conversation[field]).map((element) => ({
      element,
      key:
        typeof element === 'object' && element !== null && 'id' in element
          ? String(element.id)
          : JSON.stringify(element),
    }))

export const ENTITIES: readonly Entity[] = [
  {entity: 'messages', field: 'messages', keyed: byId('messages'), size: (n) => list(n.messages).length},
  {
    entity: 'participants',
    field: 'participants',
    keyed: byId('participants'),
    size: (n) => list(n.participants).length,
  },
  {entity: 'dialogs', field: 'dialogs', keyed: byId('dialogs'), size: (n) => list(n.dialogs).length},
  {entity: 'transfers', field: 'transfers', size: (n) => list(n.transfers).length},
  {
    entity: 'tags',
    field: 'tags',
    keyed: (n) => list(n.tags).map((tag) => ({element: tag, key: String(tag)})),
    size: (n) => list(n.tags).length,
  },
  {entity: 'CSAT present', field: 'csat', size: (n) => (n.csat === undefined ? 0 : 1)},
  {entity: 'NPS present', field: 'nps', size: (n) => (n.nps === undefined ? 0 : 1)},
]

/** What is missing, extra or duplicated, by the worst class the target mapping gives each element. */
interface Found {
  duplicated: number
  extra: number
  missing: number
  /** The worst verdict of a missing or extra element, and of a missing or extra count. */
  verdicts: Array<{class: DiffClass; reason: string; status: EntityRow['status']}>
}

export interface EntityCounts {
  found: Found[]
  totals: {source: number[]; target: number[]}
}

export function newEntityCounts(): EntityCounts {
  return {
    found: ENTITIES.map(() => ({duplicated: 0, extra: 0, missing: 0, verdicts: []})),
    totals: {source: ENTITIES.map(() => 0), target: ENTITIES.map(() => 0)},
  }
}

type EntityRow = VerifyReport['entities'][number]

const unexpected = (reason: string): {class: DiffClass; reason: string} => ({class: 'unexpected', reason})
const severity = (c: DiffClass): number => DIFF_CLASSES.indexOf(c)

/** Keeps the worst verdict per status: one line per kind of finding, however many elements share it. */
function note(found: Found, verdict: {class: DiffClass; reason: string}, status: EntityRow['status']): void {
  const same = found.verdicts.find((v) => v.status === status)
  if (!same) found.verdicts.push({...verdict, status})
  else if (severity(verdict.class) < severity(same.class)) Object.assign(same, verdict)
}

/**
 * Adds one paired conversation's missing, extra and duplicated entities (the target as its vendor shows it). Each
 * missing or extra element is judged on its own: a declaration may name it (`{"field": "messages[]", "where":
 * {"contentType": "event"}}` for a target without events).
 */
export function countEntities(
  counts: EntityCounts,
  source: Record<string, unknown>,
  target: Record<string, unknown>,
  classify: Classifier,
): void {
  for (const [i, entity] of ENTITIES.entries()) {
    const found = counts.found[i]!
    if (!entity.keyed) {
      const difference = entity.size(target) - entity.size(source)
      if (difference === 0) continue
      const kind = difference > 0 ? 'added' : 'lost'
      const verdict = classify(entity.field, kind) ?? unexpected(UNDECLARED[kind])
      if (difference > 0) found.extra += difference
      else found.missing -= difference
      note(found, verdict, difference > 0 ? 'extra' : 'missing')
      continue
    }

    const have = new Map<string, number>()
    for (const {key} of entity.keyed(source)) have.set(key, (have.get(key) ?? 0) + 1)
    const shown = new Map<string, number>()
    for (const {key} of entity.keyed(target)) shown.set(key, (shown.get(key) ?? 0) + 1)
    const shownAtAll = new Set(shown.keys())
    const field = `${entity.field}[]`
    for (const {element, key} of entity.keyed(source)) {
      const left = shown.get(key) ?? 0
      if (left > 0) {
        shown.set(key, left - 1)
        continue
      }

      found.missing++
      // Listed again in the source (a participant once per dialog), and once in the target: nobody is missing.
      const repeat = shownAtAll.has(key) ? LISTED_ONCE : undefined
      note(found, repeat ?? classify(field, 'lost', [{source: element}]) ?? unexpected(UNDECLARED.lost), 'missing')
    }

    for (const {element, key} of entity.keyed(target)) {
      const left = shown.get(key) ?? 0
      if (left === 0) continue
      shown.set(key, left - 1)
      if (have.has(key)) {
        found.duplicated++
        note(found, unexpected('the target shows an entity more than once'), 'duplicated')
      } else {
        found.extra++
        note(found, classify(field, 'added', [{target: element}]) ?? unexpected(UNDECLARED.added), 'extra')
      }
    }
  }
}

const UNDECLARED = {added: 'the source has no such entity', lost: 'the target mapping declares no loss here'}

/** The entity rows of the report, the conversations' first. */
export function entityRows(
  conversations: Omit<EntityRow, 'class' | 'reason' | 'status'>,
  counts: EntityCounts,
): EntityRow[] {
  const conversationVerdicts: Found['verdicts'] = []
  if (conversations.missing > 0)
    conversationVerdicts.push({...unexpected('conversations missing in the target'), status: 'missing'})
  if (conversations.extra > 0)
    conversationVerdicts.push({...unexpected('conversations the source does not have'), status: 'extra'})
  const rows: EntityRow[] = [judge(conversations, conversationVerdicts)]
  for (const [i, {entity}] of ENTITIES.entries()) {
    const {verdicts, ...found} = counts.found[i]!
    rows.push(judge({entity, source: counts.totals.source[i]!, target: counts.totals.target[i]!, ...found}, verdicts))
  }

  return rows
}

function judge(row: Omit<EntityRow, 'class' | 'reason' | 'status'>, verdicts: Found['verdicts']): EntityRow {
  if (verdicts.length === 0) return {...row, status: 'match'}
  const worst = verdicts.reduce((a, b) => (severity(b.class) < severity(a.class) ? b : a))
  return {
    ...row,
    class: worst.class,
    reason: verdicts.map((v) => v.reason).join('; '),
    status: verdicts.length === 1 ? worst.status : 'differs',
  }
}
