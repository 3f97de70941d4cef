import {diffWordsWithSpace} from 'diff'

import {deepEqual} from '../engine/json.js'
import {TIMESTAMP_PATTERN, UNORDERED_LISTS} from '../schemas/neutral.js'

/**
 * Field-level comparison of two neutral conversations: the source's, and the target's read back through the target
 * mapping. Every difference gets a neutral field pattern (`messages[].text`), a concrete path naming the element
 * (`messages[id=m-3].text`), a kind and a class; every field the source holds is tallied for the fidelity matrix.
 */

export type DiffKind = 'added' | 'changed' | 'lost' | 'reordered'
export type DiffClass = 'expected' | 'transformed' | 'unexpected'
export const DIFF_CLASSES: readonly DiffClass[] = ['unexpected', 'transformed', 'expected']

export interface FieldDiff {
  after?: unknown
  before?: unknown
  /** Native differences: the carry field holds the source value (recoverable, not visible in the target). */
  carried?: boolean
  class: DiffClass
  fidelity: Lens
  /** The neutral field pattern, with `[]` for array elements: what the fidelity matrix and mappings speak of. */
  field: string
  kind: DiffKind
  /** The concrete path: array elements by id where they have one (`messages[id=m-3]`), else by index. */
  path: string
  reason: string
  /** A word diff of two long strings: `[-removed-]{+added+}`. */
  textDiff?: string
}

export interface Verdict {
  class: DiffClass
  reason: string
}

/** The array elements a difference is inside, outermost first, on each side (either may be absent). */
export type Elements = ReadonlyArray<{source?: unknown; target?: unknown}>

/** Decides the class of a difference at a field: built from the target mapping's declarations (see expectations.ts). */
export type Classifier = (field: string, kind: DiffKind, elements?: Elements) => undefined | Verdict

/** Fields whose values are opaque JSON (parsed vendor content): compared whole, one row in the matrix. */
const OPAQUE_KEYS = new Set(['answer', 'metadata', 'richContent'])
/** Free-form maps: each key is one field (`customData.sdes`, `extensions.liveperson`), compared whole. */
const MAP_KEYS = new Set(['customData', 'extensions'])
/** Envelope facts that name the record's origin, not its content. */
const ROOT_IGNORED = new Set(['format', 'schemaVersion', 'vendor'])
export const LISTED_ONCE: Verdict = {
  class: 'transformed',
  reason: 'the source lists it more than once (once per dialog); the target lists it once',
}
/** Strings at least this long get a word diff in the report. */
const TEXT_DIFF_MIN = 60

/**
 * How a target is read: `native`, as its vendor shows it; `recoverable`, with what convoshift carried for it in the
 * vendor's free-form field. For a target of the source's own shape (or neutral) the two are the same.
 */
export type Lens = 'native' | 'recoverable'
export const LENSES: readonly Lens[] = ['native', 'recoverable']

/** Where a field did not survive, in one lens: conversations, and by the worst class of its differences. */
export class Losses {
  readonly byClass: Record<DiffClass, number> = {expected: 0, transformed: 0, unexpected: 0}
  count = 0
  private lastConversation = -1

  mark(conversation: number, verdict: DiffClass): void {
    if (this.lastConversation === conversation) return
    this.lastConversation = conversation
    this.count++
    this.byClass[verdict]++
  }
}

/** One field pattern, with what the fidelity matrix needs: in how many conversations it was present and survived. */
export class FieldNode {
  readonly lost: Record<Lens, Losses> = {native: new Losses(), recoverable: new Losses()}
  present = 0
  private readonly children = new Map<string, FieldNode>()
  private element?: FieldNode
  private seenIn = -1

  constructor(
    readonly field: string,
    private readonly shape: 'map' | 'node' | 'opaque',
    private readonly registry: Map<string, FieldNode>,
  ) {
    registry.set(field, this)
  }

  get opaque(): boolean {
    return this.shape === 'opaque'
  }

  child(key: string): FieldNode {
    let node = this.children.get(key)
    if (!node) {
      const field = this.field ? `${this.field}.${key}` : key
      const shape = this.shape === 'map' || OPAQUE_KEYS.has(key) ? 'opaque' : MAP_KEYS.has(key) ? 'map' : 'node'
      node = this.registry.get(field) ?? new FieldNode(field, shape, this.registry)
      this.children.set(key, node)
    }

    return node
  }

  item(): FieldNode {
    this.element ??= this.registry.get(`${this.field}[]`) ?? new FieldNode(`${this.field}[]`, 'node', this.registry)
    return this.element
  }

  markPresent(conversation: number): void {
    if (this.seenIn === conversation) return
    this.seenIn = conversation
    this.present++
  }
}

/** A concrete path, built only when a difference needs naming. */
interface Trail {
  parent?: Trail | undefined
  segment: string
}

function joinTrail(trail: Trail | undefined): string {
  const segments: string[] = []
  for (let at = trail; at; at = at.parent) segments.push(at.segment)
  let text = ''
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!
    text += segment.startsWith('[') || text === '' ? segment : `.${segment}`
  }

  return text
}

/** A non-empty list of objects (messages, attachments), not of scalars (tags). */
function objectList(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every((item) => isObject(item))
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Empty containers hold no data: `tags: []` and no `tags` are the same conversation. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return value === undefined
  if (Array.isArray(value)) return value.length === 0
  if (isObject(value)) {
    for (const key in value) if (value[key] !== undefined) return false
    return true
  }

  return false
}

function fractionDigits(timestamp: string): number {
  const dot = timestamp.indexOf('.')
  return dot === -1 ? 0 : timestamp.length - dot - 2
}

/** `…:20.5Z` and `…:20.500000Z`: one instant, spelled with more zeros. No information differs. */
function sameInstant(a: string, b: string): boolean {
  return TIMESTAMP_PATTERN.test(a) && TIMESTAMP_PATTERN.test(b) && withoutTrailingZeros(a) === withoutTrailingZeros(b)
}

function withoutTrailingZeros(timestamp: string): string {
  const text = timestamp.slice(0, -1)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** Both are timestamps naming the same instant at the coarser of their two precisions. */
function samePrecisionCut(a: string, b: string): number | undefined {
  if (!TIMESTAMP_PATTERN.test(a) || !TIMESTAMP_PATTERN.test(b)) return undefined
  const digits = Math.min(fractionDigits(a), fractionDigits(b))
  const cut = (t: string): string => {
    const dot = t.indexOf('.')
    const whole = dot === -1 ? t.slice(0, -1) : t.slice(0, dot)
    const fraction = dot === -1 ? '' : t.slice(dot + 1, -1)
    return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, '0').slice(0, digits)}`
  }

  return cut(a) === cut(b) ? digits : undefined
}

function wordDiff(before: string, after: string): string {
  return diffWordsWithSpace(before, after)
    .map((part) => (part.added ? `{+${part.value}+}` : part.removed ? `[-${part.value}-]` : part.value))
    .join('')
}

/**
 * Aligns array elements by `id` when every element on both sides has one; otherwise by index. An id listed more than
 * once (an agent per assignment) is told apart by its occurrence: `u-1`, `u-1#2`.
 */
function idsOf(items: unknown[]): Map<string, number> | undefined {
  const ids = new Map<string, number>()
  for (const [index, item] of items.entries()) {
    if (!isObject(item)) return undefined
    const {id} = item
    if (typeof id !== 'string' && typeof id !== 'number') return undefined
    let key = String(id)
    for (let occurrence = 2; ids.has(key); occurrence++) key = `${String(id)}#${occurrence}`
    ids.set(key, index)
  }

  return ids
}

export interface CompareOptions {
  classify: Classifier
  /** Fields the user chose not to compare (--ignore): their differences are counted here instead, by field. */
  ignore?: {covers: (field: string) => boolean; onIgnored: (field: string) => void}
  /** Extension keys that are the target's own bookkeeping (its unmapped fields), not the source's data. */
  ignoredExtensions: ReadonlySet<string>
  /** The reading of the target being compared; a target with only one reading counts for both at once. */
  lenses: readonly Lens[]
}

/**
 * Compares one pair. `conversation` is a number unique to the pair, used to count each field once per conversation.
 * Returns the differences in a stable order (source key order, then target-only keys).
 */
export function compareConversations(
  source: Record<string, unknown>,
  target: Record<string, unknown>,
  root: FieldNode,
  conversation: number,
  options: CompareOptions,
): FieldDiff[] {
  const diffs: FieldDiff[] = []

  /** The elements the walk is inside (a message, its attachment…), for declarations that name an element's values. */
  const elements: Array<{source?: unknown; target?: unknown}> = []
  const inElement = (source: unknown, target: unknown, walkIt: () => void): void => {
    elements.push({source, target})
    walkIt()
    elements.pop()
  }

  const classify = (node: FieldNode, kind: DiffKind): Verdict =>
    options.classify(node.field, kind, elements) ?? {
      class: 'unexpected',
      reason: 'the target mapping declares no loss here',
    }

  const record = (
    node: FieldNode,
    trail: Trail | undefined,
    kind: DiffKind,
    before: unknown,
    after: unknown,
    verdict?: Verdict,
  ): void => {
    if (options.ignore?.covers(node.field)) {
      options.ignore.onIgnored(node.field)
      return
    }

    const decided = verdict ?? classify(node, kind)
    for (const lens of options.lenses) node.lost[lens].mark(conversation, decided.class)
    const diff: FieldDiff = {
      class: decided.class,
      fidelity: options.lenses[0]!,
      field: node.field,
      kind,
      path: joinTrail(trail),
      reason: decided.reason,
    }
    if (before !== undefined) diff.before = before
    if (after !== undefined) diff.after = after
    if (
      typeof before === 'string' &&
      typeof after === 'string' &&
      Math.max(before.length, after.length) >= TEXT_DIFF_MIN
    ) {
      diff.textDiff = wordDiff(before, after)
    }

    diffs.push(diff)
  }

  /** Marks every field of a subtree the source has as present (and, when lost, broken). */
  const markSubtree = (value: unknown, node: FieldNode, lost: DiffClass | undefined): void => {
    if (isEmpty(value)) return
    const mark = (): void => {
      node.markPresent(conversation)
      if (lost && !options.ignore?.covers(node.field)) {
        for (const lens of options.lenses) node.lost[lens].mark(conversation, lost)
      }
    }

    if (node.opaque || !(typeof value === 'object' && value !== null)) {
      mark()
      return
    }

    if (Array.isArray(value)) {
      if (value.every((item) => typeof item !== 'object' || item === null)) {
        mark()
        return
      }

      const item = node.item()
      for (const element of value) markSubtree(element, item, lost)
      return
    }

    for (const key of Object.keys(value)) markSubtree((value as Record<string, unknown>)[key], node.child(key), lost)
  }

  const walk = (a: unknown, b: unknown, node: FieldNode, trail?: Trail): void => {
    const aEmpty = isEmpty(a)
    const bEmpty = isEmpty(b)
    if (aEmpty && bEmpty) return
    // A whole object on one side only: each of its fields is judged on its own (`extensions.ada` may be an
    // expected loss where `extensions` is not a field at all). A whole array element (a message) is one difference.
    if (!node.opaque && !node.field.endsWith('[]') && (aEmpty ? isObject(b) : bEmpty && isObject(a))) {
      walkObject((a ?? {}) as Record<string, unknown>, (b ?? {}) as Record<string, unknown>, node, trail)
      return
    }

    // A list of elements on one side only: each element is judged on its own (a target may declare that it cannot
    // show a file attachment, or that its bot is another's), one difference each.
    if (!node.opaque && (aEmpty ? objectList(b) : bEmpty && objectList(a))) {
      walkArray((a ?? []) as unknown[], (b ?? []) as unknown[], node, trail)
      return
    }

    if (bEmpty) {
      const verdict = classify(node, 'lost')
      markSubtree(a, node, verdict.class)
      record(node, trail, 'lost', a, undefined, verdict)
      return
    }

    if (aEmpty) {
      record(node, trail, 'added', undefined, b)
      return
    }

    if (node.opaque || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
      node.markPresent(conversation)
      if (deepEqual(a, b)) return
      if (typeof a === 'string' && typeof b === 'string') {
        if (sameInstant(a, b)) return
        const digits = samePrecisionCut(a, b)
        if (digits !== undefined) {
          const declared = options.classify(node.field, 'changed', elements)
          const reason = `the same instant to ${digits === 0 ? 'the second' : `${digits} fractional digit${digits === 1 ? '' : 's'}`}: time precision differs`
          record(
            node,
            trail,
            'changed',
            a,
            b,
            declared?.class === 'expected' ? declared : {class: 'transformed', reason},
          )
          return
        }
      }

      record(node, trail, 'changed', a, b)
      return
    }

    if (Array.isArray(a) !== Array.isArray(b)) {
      node.markPresent(conversation)
      record(node, trail, 'changed', a, b)
      return
    }

    if (Array.isArray(a)) {
      walkArray(a, b as unknown[], node, trail)
      return
    }

    walkObject(a as Record<string, unknown>, b as Record<string, unknown>, node, trail)
  }

  const walkObject = (
    ao: Record<string, unknown>,
    bo: Record<string, unknown>,
    node: FieldNode,
    trail: Trail | undefined,
  ): void => {
    const atRoot = trail === undefined
    const ignored =
      node.field === 'extensions' || node.field.endsWith('.extensions') ? options.ignoredExtensions : undefined
    for (const key of Object.keys(ao)) {
      if ((atRoot && ROOT_IGNORED.has(key)) || ignored?.has(key)) continue
      walk(ao[key], bo[key], node.child(key), {parent: trail, segment: key})
    }

    for (const key of Object.keys(bo)) {
      if (key in ao || (atRoot && ROOT_IGNORED.has(key)) || ignored?.has(key)) continue
      walk(undefined, bo[key], node.child(key), {parent: trail, segment: key})
    }
  }

  const walkArray = (a: unknown[], b: unknown[], node: FieldNode, trail: Trail | undefined): void => {
    if ([...a, ...b].every((item) => typeof item !== 'object' || item === null)) {
      // A list of scalars (tags, participant ids) is one field.
      node.markPresent(conversation)
      if (deepEqual(a, b)) return
      const sorted = (list: unknown[]): string => JSON.stringify(list.map((x) => JSON.stringify(x)).sort())
      if (sorted(a) !== sorted(b)) record(node, trail, 'changed', a, b)
      else if (!UNORDERED_LISTS.has(node.field)) record(node, trail, 'reordered', a, b)
      return
    }

    const item = node.item()
    const aIds = idsOf(a)
    const bIds = aIds && idsOf(b)
    if (!aIds || !bIds) {
      const length = Math.max(a.length, b.length)
      for (let i = 0; i < length; i++) {
        inElement(a[i], b[i], () => walk(a[i], b[i], item, {parent: trail, segment: `[${i}]`}))
      }

      return
    }

    let previous = -1
    let ordered = true
    for (const [id, index] of aIds) {
      const at = bIds.get(id)
      const segment = {parent: trail, segment: `[id=${id}]`}
      if (at === undefined) {
        const base = id.replace(/#\d+$/, '')
        if (base !== id && bIds.has(base)) {
          // Listed again in the source (a participant once per dialog) and once in the target: nobody is missing.
          markSubtree(a[index], item, 'transformed')
          record(item, segment, 'lost', a[index], undefined, LISTED_ONCE)
          continue
        }

        inElement(a[index], undefined, () => walk(a[index], undefined, item, segment))
        continue
      }

      if (at < previous) ordered = false
      previous = at
      inElement(a[index], b[at], () => walk(a[index], b[at], item, segment))
    }

    for (const [id, index] of bIds) {
      if (!aIds.has(id)) {
        inElement(undefined, b[index], () => walk(undefined, b[index], item, {parent: trail, segment: `[id=${id}]`}))
      }
    }

    // Order carries meaning in messages and transfers (time order), not in lists of people, dialogs or labels.
    if (!ordered && !UNORDERED_LISTS.has(node.field)) {
      const order = (list: unknown[]): string[] => list.map((x) => String((x as {id: unknown}).id))
      record(node, trail, 'reordered', order(a), order(b))
    }
  }

  walk(source, target, root)
  return diffs
}

/** A fresh root of the field tree (one per verification). */
export function newFieldTree(): {nodes: Map<string, FieldNode>; root: FieldNode} {
  const nodes = new Map<string, FieldNode>()
  return {nodes, root: new FieldNode('', 'node', nodes)}
}
