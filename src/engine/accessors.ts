import {type JsonObject, setOwn} from './json.js'
import {type PathSegment} from './paths.js'

/**
 * Path accessors are built once per rule when a mapping compiles. Reads never walk into strings or
 * inherited properties; writes create the containers they need.
 */
export type Getter = (source: unknown) => unknown
export type Setter = (target: JsonObject, value: unknown) => void

function step(container: unknown, segment: PathSegment): unknown {
  if (typeof container !== 'object' || container === null) return undefined
  if (segment.kind === 'index') return Array.isArray(container) ? container[segment.index] : undefined
  if (Array.isArray(container)) return undefined
  const value = (container as JsonObject)[(segment as {key: string}).key]
  return typeof value === 'function' ? undefined : value
}

export function makeGetter(segments: readonly PathSegment[]): Getter {
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
