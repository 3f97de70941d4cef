import {deepEqual, type JsonObject, setOwn} from './json.js'
import {type FilterCondition, type FilterSegment, type PathSegment} from './paths.js'

/**
 * Path accessors are built once per rule when a mapping compiles. Reads never walk into strings or
 * inherited properties; writes create the containers they need.
 */
export type Getter = (source: unknown, scope?: Scope) => unknown
export type Setter = (target: JsonObject, value: unknown, scope?: Scope) => void

/**
 * What a path's references read, per record: `@x` reads `current` (the element the rule is about; the getter's
 * own source when no scope is given), `$.` the root of the side being read, `$vendor.`/`$neutral.` either side,
 * `$parent.` (and a filter's `$parent.x`) the enclosing element on the side being read.
 */
export interface Scope {
  current: unknown
  neutral?: JsonObject | undefined
  parent?: unknown
  same?: JsonObject | undefined
  vendor?: JsonObject | undefined
}

function step(container: unknown, segment: PathSegment): unknown {
  if (typeof container !== 'object' || container === null) return undefined
  if (segment.kind === 'index') return Array.isArray(container) ? container[segment.index] : undefined
  if (Array.isArray(container)) return undefined
  const value = (container as JsonObject)[(segment as {key: string}).key]
  return typeof value === 'function' ? undefined : value
}

export function makeGetter(segments: readonly PathSegment[]): Getter {
  if (segments.some((s) => s.kind === 'filter' || s.kind === 'root')) return filterGetter(segments)
  const eachAt = segments.findIndex((s) => s.kind === 'each')
  if (eachAt !== -1) {
    // `tags[].name`: project every element of the array.
    const head = makeGetter(segments.slice(0, eachAt))
    const tail = segments.length > eachAt + 1 ? makeGetter(segments.slice(eachAt + 1)) : (v: unknown) => v
    return (source) => {
      const array = head(source)
      if (!Array.isArray(array)) return
      return array.map((element) => tail(element))
    }
  }

  if (segments.every((s) => s.kind === 'key')) return keyGetter(segments.map((s) => (s as {key: string}).key))
  if (segments.length === 1) {
    const [a] = segments as [PathSegment]
    return (source) => step(source, a)
  }

  if (segments.length === 2) {
    const [a, b] = segments as [PathSegment, PathSegment]
    return (source) => step(step(source, a), b)
  }

  return (source) => {
    let current = source
    for (const segment of segments) {
      current = step(current, segment)
      if (current === undefined) return
    }

    return current
  }
}

function value(found: unknown): unknown {
  return typeof found === 'function' ? undefined : found
}

function child(container: unknown, key: string): unknown {
  return typeof container === 'object' && container !== null && !Array.isArray(container)
    ? (container as JsonObject)[key]
    : undefined
}

/** A path of object keys only (the common case): a plain object at every step, and data, not an inherited method. */
function keyGetter(keys: string[]): Getter {
  if (keys.length === 1) {
    const [a] = keys as [string]
    return (source) => value(child(source, a))
  }

  if (keys.length === 2) {
    const [a, b] = keys as [string, string]
    return (source) => value(child(value(child(source, a)), b))
  }

  return (source) => {
    let current = source
    for (const key of keys) {
      current = value(child(current, key))
      if (current === undefined) return
    }

    return current
  }
}

export function makeSetter(segments: readonly PathSegment[]): Setter {
  if (segments.some((s) => s.kind === 'root')) {
    return () => {
      throw new Error('a path starting at a root ($) is read, never written')
    }
  }

  if (segments.some((s) => s.kind === 'filter')) return filterSetter(segments)
  const eachAt = segments.findIndex((s) => s.kind === 'each')
  if (eachAt !== -1) {
    // Writing `tags[].name` from an array of values builds one element per value.
    const head = makeSetter(segments.slice(0, eachAt))
    const rest = segments.slice(eachAt + 1)
    const tail = rest.length > 0 ? makeSetter(rest) : undefined
    return (target, value) => {
      if (!Array.isArray(value)) return
      head(
        target,
        value.map((v) => {
          if (!tail) return v
          const element: JsonObject = {}
          if (v !== undefined) tail(element, v)
          return element
        }),
      )
    }
  }

  // Mapping paths never hold `__proto__` (parsePath refuses it), so plain assignment is safe here.
  const allKeys = segments.every((s) => s.kind === 'key')
  if (allKeys && segments.length === 1) {
    const [a] = segments.map((s) => (s as {key: string}).key) as [string]
    return (target, value) => {
      target[a] = value
    }
  }

  if (allKeys && segments.length === 2) {
    const [a, b] = segments.map((s) => (s as {key: string}).key) as [string, string]
    return (target, value) => {
      let child = target[a]
      if (typeof child !== 'object' || child === null) {
        child = {}
        target[a] = child
      }

      ;(child as JsonObject)[b] = value
    }
  }

  return (target, value) => {
    let current: JsonObject | unknown[] = target
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i]!
      const next = segments[i + 1]!
      const key = segment.kind === 'index' ? segment.index : (segment as {key: string}).key
      let child = (current as Record<number | string, unknown>)[key]
      if (typeof child !== 'object' || child === null) {
        child = next.kind === 'key' ? {} : []
        ;(current as Record<number | string, unknown>)[key] = child
      }

      current = child as JsonObject | unknown[]
    }

    const last = segments.at(-1)!
    if (last.kind === 'index') (current as unknown[])[last.index] = value
    else setOwn(current as JsonObject, (last as {key: string}).key, value)
  }
}

type Step = (value: unknown, scope: Scope) => unknown
const identity: Step = (v) => v

/** A compiled filter: does an element meet every condition (references read from `scope`)? */
export type Matcher = (element: unknown, scope: Scope) => boolean

function fieldOf(element: unknown, keys: readonly string[]): unknown {
  let current = element
  for (const key of keys) {
    current = value(child(current, key))
    if (current === undefined) return undefined
  }

  return current
}

/** The value of a filter's `@x` (the element's field) or `$parent.x` (the enclosing element's). */
function reference(v: {parent?: true; ref: string[]}, scope: Scope): unknown {
  return fieldOf(v.parent ? scope.parent : scope.current, v.ref)
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && deepEqual(a, b))
}

function compileCondition(condition: FilterCondition): Matcher {
  const {field, op, values} = condition
  if (op === 'present') return (element) => fieldOf(element, field) !== undefined
  const equal = (element: unknown, scope: Scope): boolean => {
    const actual = fieldOf(element, field)
    if (actual === undefined) return false
    for (const v of values) {
      const expected = 'ref' in v ? reference(v, scope) : v.literal
      if (expected !== undefined && sameValue(actual, expected)) return true
    }

    return false
  }

  return op === 'eq' ? equal : (element, scope) => !equal(element, scope)
}

/** A filter segment compiled once: every condition holds. */
export function compileMatcher(filter: FilterSegment): Matcher {
  const conditions = filter.conditions.map((c) => compileCondition(c))
  if (conditions.length === 1) return conditions[0]!
  return (element, scope) => conditions.every((c) => c(element, scope))
}

/** Elements a filter looks at: an array's, or an object as a list of one (`source.author[type=user]`). */
function candidates(container: unknown): readonly unknown[] {
  if (Array.isArray(container)) return container
  return typeof container === 'object' && container !== null ? [container] : []
}

function rootOf(side: 'neutral' | 'parent' | 'same' | 'vendor', scope: Scope): unknown {
  return scope[side]
}

/**
 * Read (→) of a path with filters or a root, compiled right to left into closures: `[k=v]` continues with the first
 * element that matches (undefined when none does), `[?k=v]` projects every match like `[]`.
 */
function filterGetter(segments: readonly PathSegment[]): Getter {
  let next: Step = identity
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!
    const then = next
    switch (segment.kind) {
      case 'each': {
        next = (v, scope) => (Array.isArray(v) ? v.map((element) => then(element, scope)) : undefined)

        break
      }

      case 'filter': {
        const matches = compileMatcher(segment)
        next = segment.all
          ? (v, scope) => {
              if (typeof v !== 'object' || v === null) return
              const out: unknown[] = []
              for (const element of candidates(v)) if (matches(element, scope)) out.push(then(element, scope))
              return out
            }
          : (v, scope) => {
              for (const element of candidates(v)) if (matches(element, scope)) return then(element, scope)
            }

        break
      }

      case 'root': {
        const {side} = segment
        next = (_v, scope) => then(rootOf(side, scope), scope)

        break
      }

      default: {
        next = (v, scope) => {
          const found = step(v, segment)
          return found === undefined ? undefined : then(found, scope)
        }
      }
    }
  }

  const run = next
  return (source, scope) => run(source, scope ?? {current: source, same: source as JsonObject})
}

/** The fields `[k=v]` sets on an element it appends: each equality's first value that is a literal. */
function seedOf(filter: FilterSegment, scope: Scope): unknown {
  const scalar = filter.conditions.find((c) => c.op === 'eq' && c.field.length === 0)
  const seed: JsonObject = {}
  for (const {field, op, values} of filter.conditions) {
    if (op !== 'eq' || field.length === 0) continue
    const first = values[0]!
    const v = 'ref' in first ? reference(first, scope) : first.literal
    if (v === undefined) continue
    let target = seed
    for (const key of field.slice(0, -1)) target = (target[key] ??= {}) as JsonObject
    target[field.at(-1)!] = v
  }

  if (scalar) {
    const first = scalar.values[0]!
    return 'ref' in first ? reference(first, scope) : first.literal
  }

  return seed
}

type Write = (container: unknown, value: unknown, scope: Scope) => void

/**
 * Constructive write (←) of a path with filters: `[k=v]` writes into the first element that matches, or appends one
 * with `k: v` set (the first alternative); `[?k=v]` appends one element per value of an array; `[=v]` on a scalar
 * array appends v unless present. Containers are created as needed; a non-object in the way is left alone.
 */
function filterSetter(segments: readonly PathSegment[]): Setter {
  const write = writerFrom(segments, 0)
  return (target, v, scope) => write(target, v, scope ?? {current: target, same: target})
}

function writerFrom(segments: readonly PathSegment[], at: number): Write {
  const segment = segments[at]!
  const last = at === segments.length - 1
  const rest = last ? undefined : writerFrom(segments, at + 1)
  const nextIsKey = !last && segments[at + 1]!.kind === 'key'
  const fresh = (): unknown => (nextIsKey || segments[at + 1]?.kind === undefined ? {} : [])
  if (segment.kind === 'filter') {
    const filter = segment
    const matches = compileMatcher(filter)
    const append = (array: unknown[], item: unknown, scope: Scope): void => {
      if (!rest) {
        array.push(item)
        return
      }

      const seed = seedOf(filter, scope)
      if (typeof seed !== 'object' || seed === null) return
      rest(seed, item, scope)
      array.push(seed)
    }

    return (array, v, scope) => {
      if (!Array.isArray(array)) return
      if (filter.all) {
        if (Array.isArray(v)) for (const item of v) append(array, item, scope)
        return
      }

      const index = array.findIndex((element) => matches(element, scope))
      if (index === -1) append(array, v, scope)
      else if (rest) rest(array[index], v, scope)
      else array[index] = v
    }
  }

  if (segment.kind === 'each') {
    return (array, v, scope) => {
      if (!Array.isArray(array) || !Array.isArray(v)) return
      for (const item of v) {
        if (!rest) {
          array.push(item)
          continue
        }

        const element = fresh()
        rest(element, item, scope)
        array.push(element)
      }
    }
  }

  const key = segment.kind === 'index' ? segment.index : (segment as {key: string}).key
  return (container, v, scope) => {
    if (typeof container !== 'object' || container === null) return
    const holder = container as Record<number | string, unknown>
    if (!rest) {
      if (typeof key === 'number') holder[key] = v
      else setOwn(holder as JsonObject, key, v)
      return
    }

    let child = holder[key]
    if (typeof child !== 'object' || child === null) {
      child = fresh()
      holder[key] = child
    }

    rest(child, v, scope)
  }
}
