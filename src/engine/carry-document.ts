/**
 * The carry document: what a conversation from another record shape cannot hold natively in this one.
 *
 * Converting neutral → B for a conversation that came from A, the engine maps B's record back to neutral (what B
 * shows natively) and diffs that against the input. The difference is written into B's free-form field; B → neutral
 * applies it again and gets the input back. The diff is computed, never declared, so it is right whatever B's rules do.
 *
 * Two rules make the document safe to apply to a target someone may have edited since:
 * - **The native value wins.** Where the target held a value of its own, the document records its fingerprint
 *   (`native`); the carried value is applied only while the target still holds exactly that value. Where the target
 *   held nothing, the carried value is applied only while it still holds nothing. Anything else is a conflict: the
 *   native value stays and the caller reports the pointer.
 * - **Array elements are addressed by id**, never by position, wherever both sides' elements have distinct string ids
 *   (messages, participants, dialogs): the token `~=<id>` (RFC 6901 escaping inside). A raw JSON Pointer token never
 *   starts with `~=` (a `~` in a key is written `~0`), so the two cannot be confused. An element the target dropped
 *   is then simply absent: nothing is recreated from what the document says about it.
 */
import {createHash} from 'node:crypto'

import {stableStringify} from '../util/stable-json.js'
import {childPointer, deepEqual, hasOwn, isPlainObject, type JsonObject, setOwn} from './json.js'

export const CARRY_VERSION = 2

export interface CarryDocument {
  convoshift: 1 | 2
  /** Where the target held a native value: pointer → its fingerprint when the document was written. */
  native?: Record<string, string>
  /** Arrays whose elements the target orders otherwise: pointer → the element ids in the input's order. */
  order?: Record<string, string[]>
  /** Pointers of neutral fields the target adds, to remove when restoring. */
  remove?: string[]
  /** Pointer → neutral value to restore. A pointer ending in an id token inserts that whole element. */
  set?: JsonObject
}

export function isCarryDocument(value: unknown): value is CarryDocument {
  if (!isPlainObject(value) || (value.convoshift !== 1 && value.convoshift !== 2)) return false
  if (value.set !== undefined && !isPlainObject(value.set)) return false
  if (value.native !== undefined && !isPlainObject(value.native)) return false
  if (value.order !== undefined && !isPlainObject(value.order)) return false
  return value.remove === undefined || (Array.isArray(value.remove) && value.remove.every((p) => typeof p === 'string'))
}

/** What the target's own value must still be for a carried value to apply (16 characters of a SHA-256). */
export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(stableStringify(value ?? null))
    .digest('base64url')
    .slice(0, 16)
}

// ---------------------------------------------------------------- pointers with id tokens

const ID_TOKEN = '~='
/** An element of the record at any depth, or the record itself. */
const ELEMENT = /^(?:\/[^/]+\/(?:\d+|~=[^/]*))*$/
/** The `extensions` of the record or of such an element. */
const EXTENSIONS = /^(?:\/[^/]+\/(?:\d+|~=[^/]*))*\/extensions$/

function escapeToken(text: string): string {
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text
}

function unescapeToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token
}

export function elementPointer(arrayPointer: string, id: string): string {
  return `${arrayPointer}/${ID_TOKEN}${escapeToken(id)}`
}

type Token = {id: string; key?: undefined} | {id?: undefined; key: string}

function tokensOf(pointer: string): Token[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => (raw.startsWith(ID_TOKEN) ? {id: unescapeToken(raw.slice(2))} : {key: unescapeToken(raw)}))
}

/** `/messages/~=m-3/attachments/0/url` → `messages[].attachments[].url`; extensions are counted per shape. */
export function residualPath(pointer: string): string {
  const tokens = tokensOf(pointer)
  if (tokens[0]?.key === 'extensions')
    return tokens
      .slice(0, 2)
      .map((t) => t.key ?? t.id)
      .join('.')
  let path = ''
  for (const token of tokens) {
    if (token.id !== undefined || /^\d+$/.test(token.key)) path += '[]'
    else path += path === '' ? token.key : `.${token.key}`
  }

  return path
}

/** The distinct string ids of an array's elements, in order; undefined unless every element has one. */
function idsOf(items: readonly unknown[]): Map<string, number> | undefined {
  const ids = new Map<string, number>()
  for (const [index, item] of items.entries()) {
    if (!isPlainObject(item) || typeof item.id !== 'string' || ids.has(item.id)) return undefined
    ids.set(item.id, index)
  }

  return ids
}

// ---------------------------------------------------------------- the residual (writing side)

/** Neutral keys that name the record's own shape rather than the conversation. */
const OWN_SHAPE_KEYS = new Set(['format', 'schemaVersion', 'vendor'])

export interface Residual {
  native: Record<string, string>
  order: Record<string, string[]>
  remove: string[]
  /** Pointers whose values name the same instant in another spelling (carried for exactness, not a loss). */
  respelled: Set<string>
  set: JsonObject
}

/** The document body that turns `mapped` (what B's record maps to natively) back into `wanted` (the neutral input). */
export function neutralResidual(wanted: JsonObject, mapped: JsonObject, format: string, derived?: string): Residual {
  const out: Residual = {native: {}, order: {}, remove: [], respelled: new Set(), set: {}}
  const skip = (pointer: string, key: string): boolean =>
    (pointer === '' && OWN_SHAPE_KEYS.has(key)) || ((key === format || key === derived) && EXTENSIONS.test(pointer))
  diffObject(wanted, mapped, '', {out, skip})
  return out
}

/** The residual being built, and which keys it leaves out. */
interface Diff {
  out: Residual
  skip: (pointer: string, key: string) => boolean
}

function diffObject(wanted: JsonObject, mapped: JsonObject, pointer: string, diff: Diff): void {
  const {out, skip} = diff
  for (const key of Object.keys(wanted)) {
    const value = wanted[key]
    if (value === undefined || skip(pointer, key)) continue
    // Extensions (of the record and of each element) are compared per shape even where `mapped` has none, so
    // skipped shapes stay out.
    const other = hasOwn(mapped, key) ? mapped[key] : key === 'extensions' && ELEMENT.test(pointer) ? {} : undefined
    diffValue(value, other, childPointer(pointer, key), diff)
  }

  for (const key of Object.keys(mapped)) {
    if (hasOwn(wanted, key) || skip(pointer, key)) continue
    const here = childPointer(pointer, key)
    out.remove.push(here)
    out.native[here] = fingerprint(mapped[key])
  }
}

function diffValue(value: unknown, other: unknown, pointer: string, diff: Diff): void {
  const {out} = diff
  if (other === undefined) {
    out.set[pointer] = value
    return
  }

  if (isPlainObject(value) && isPlainObject(other)) {
    diffObject(value, other, pointer, diff)
    return
  }

  if (Array.isArray(value) && Array.isArray(other)) {
    diffArray(value, other, pointer, diff)
    return
  }

  if (deepEqual(value, other)) return
  replace(value, other, pointer, out)
  if (sameInstant(value, other)) out.respelled.add(pointer)
}

function replace(value: unknown, other: unknown, pointer: string, out: Residual): void {
  out.set[pointer] = value
  out.native[pointer] = fingerprint(other)
}

function diffArray(value: unknown[], other: unknown[], pointer: string, diff: Diff): void {
  const {out} = diff
  if (deepEqual(value, other)) return
  // A list the target holds none of (Ada has no dialogs) is carried whole.
  if (other.length === 0) {
    replace(value, other, pointer, out)
    return
  }

  const wantedIds = idsOf(value)
  const mappedIds = wantedIds && idsOf(other)
  if (wantedIds && mappedIds) {
    const kept: string[] = []
    const inserted: string[] = []
    for (const [id, index] of wantedIds) {
      const at = mappedIds.get(id)
      const here = elementPointer(pointer, id)
      if (at === undefined) {
        out.set[here] = value[index]
        inserted.push(id)
      } else {
        diffObject(value[index] as JsonObject, other[at] as JsonObject, here, diff)
      }
    }

    for (const [id, at] of mappedIds) {
      if (wantedIds.has(id)) {
        kept.push(id)
        continue
      }

      const here = elementPointer(pointer, id)
      out.remove.push(here)
      out.native[here] = fingerprint(other[at])
    }

    // Applying keeps the target's order and appends insertions in the document's key order (stable JSON sorts it), so
    // the order is stated whenever anything is inserted or the target orders the rest otherwise.
    const wantedOrder = [...wantedIds.keys()]
    if (inserted.length > 0 || !deepEqual(kept, wantedOrder)) out.order[pointer] = wantedOrder
    return
  }

  // Elements without distinct ids (attachments, transfers, quick replies, an agent listed once per assignment) are
  // addressed by position, and only where the target holds as many of them: an element is never created or removed
  // by position.
  if (value.length === other.length) {
    for (const [i, element] of value.entries()) {
      const here = `${pointer}/${i}`
      const otherElement = other[i]
      if (isPlainObject(element) && isPlainObject(otherElement)) diffObject(element, otherElement, here, diff)
      else if (!deepEqual(element, otherElement)) replace(element, otherElement, here, out)
    }

    return
  }

  replace(value, other, pointer, out)
}

const INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d*?))?0*Z$/

/** `…:20Z` and `…:20.000Z` name the same instant: carried for exactness, but not a loss worth reporting. */
function sameInstant(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false
  const x = INSTANT.exec(a)
  const y = INSTANT.exec(b)
  return x !== null && y !== null && x[1] === y[1] && (x[2] ?? '') === (y[2] ?? '')
}

// ---------------------------------------------------------------- applying (reading side)

/** Where a pointer lands: the container and the key or index in it; undefined when the path is not there. */
interface Place {
  container: JsonObject | unknown[]
  key: number | string
}

/**
 * The place of `tokens` in `root`. Objects missing on the way are created when `create` is set (a restored field may
 * need its parent); array elements never are: an element the target does not hold is not there.
 */
function locate(root: JsonObject, tokens: Token[], create: boolean): Place | undefined {
  let current: unknown = root
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = step(current, tokens[i]!, create)
    if (next === undefined) return undefined
    current = next
  }

  const last = tokens.at(-1)
  if (!last) return undefined
  if (Array.isArray(current)) {
    if (last.id !== undefined) {
      const index = current.findIndex((e) => isPlainObject(e) && e.id === last.id)
      return {container: current, key: index === -1 ? current.length : index}
    }

    return /^\d+$/.test(last.key) && Number(last.key) < current.length
      ? {container: current, key: Number(last.key)}
      : undefined
  }

  if (!isPlainObject(current)) return undefined
  return {container: current, key: last.id ?? last.key}
}

function step(current: unknown, token: Token, create: boolean): unknown {
  if (Array.isArray(current)) {
    if (token.id !== undefined) return current.find((e) => isPlainObject(e) && e.id === token.id)
    return /^\d+$/.test(token.key) ? current[Number(token.key)] : undefined
  }

  if (!isPlainObject(current)) return undefined
  const key = token.id ?? token.key
  if (hasOwn(current, key) && typeof current[key] === 'object' && current[key] !== null) return current[key]
  if (!create || hasOwn(current, key)) return undefined
  const child: JsonObject = {}
  setOwn(current, key, child)
  return child
}

function valueAt(place: Place): unknown {
  const {container, key} = place
  if (Array.isArray(container)) return container[key as number]
  return hasOwn(container, key as string) ? container[key as string] : undefined
}

/**
 * Applies a carry document to the neutral record B's own fields mapped to, keeping every native value the document
 * did not expect. Returns the pointers where the target's own value won over the carried one (conflicts).
 */
export function applyCarry(neutral: JsonObject, document: CarryDocument): string[] {
  const conflicts: string[] = []
  const native = document.native ?? {}
  // Version 1 documents predate native fingerprints: they apply as written.
  const expected = (pointer: string, current: unknown): boolean =>
    document.convoshift === 1 ||
    (hasOwn(native, pointer) ? fingerprint(current) === native[pointer] : current === undefined)

  for (const pointer of document.remove ?? []) {
    const place = locate(neutral, tokensOf(pointer), false)
    if (!place) continue
    const current = valueAt(place)
    if (current === undefined) continue
    if (!expected(pointer, current)) {
      conflicts.push(pointer)
      continue
    }

    if (Array.isArray(place.container)) place.container.splice(place.key as number, 1)
    else delete place.container[place.key as string]
  }

  for (const [pointer, value] of Object.entries(document.set ?? {})) {
    const place = locate(neutral, tokensOf(pointer), true)
    if (!place) continue
    const current = valueAt(place)
    if (!expected(pointer, current)) {
      conflicts.push(pointer)
      continue
    }

    if (Array.isArray(place.container)) place.container[place.key as number] = value
    else setOwn(place.container, place.key as string, value)
  }

  for (const [pointer, ids] of Object.entries(document.order ?? {})) {
    const place = locate(neutral, tokensOf(pointer), false)
    const list = place && valueAt(place)
    if (Array.isArray(list)) reorder(list, ids)
  }

  return conflicts
}

/** Puts the elements named in `ids` in that order, where they stand among the others. */
function reorder(list: unknown[], ids: readonly string[]): void {
  const rank = new Map(ids.map((id, index) => [id, index]))
  const slots: number[] = []
  const named: unknown[] = []
  for (const [index, element] of list.entries()) {
    if (isPlainObject(element) && typeof element.id === 'string' && rank.has(element.id)) {
      slots.push(index)
      named.push(element)
    }
  }

  named.sort((a, b) => rank.get((a as JsonObject).id as string)! - rank.get((b as JsonObject).id as string)!)
  for (const [i, slot] of slots.entries()) list[slot] = named[i]
}
