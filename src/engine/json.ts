/** Small helpers for untyped JSON values: plain-object checks, deep equality, prototype-safe writes. */
export type JsonObject = Record<string, unknown>

/** `null`, `an array`, `an object`, `a number`: what a value is, for messages (`typeof null` is 'object'). */
export function describeKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Define an own enumerable property even for keys like `__proto__`, which plain assignment would not. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, {configurable: true, enumerable: true, value, writable: true})
  else target[key] = value
}

export function hasOwn(target: object, key: string): boolean {
  return Object.hasOwn(target, key)
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }

  if (Array.isArray(b)) return false
  const ak = Object.keys(a)
  const bk = Object.keys(b)
  if (ak.length !== bk.length) return false
  for (const key of ak) {
    if (!hasOwn(b, key) || !deepEqual((a as JsonObject)[key], (b as JsonObject)[key])) return false
  }

  return true
}

/** Copy a JSON value (cheap for scalars; prototype-safe for odd keys). */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T
  const out: JsonObject = {}
  for (const key of Object.keys(value)) setOwn(out, key, cloneJson((value as JsonObject)[key]))
  return out as T
}

/** Write `value` at a path of keys, creating the containers it needs (arrays for numeric keys under arrays). */
export function setAt(target: JsonObject, parts: string[], value: unknown): void {
  let current: unknown = target
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!
    const container = current as Record<string, unknown>
    let child = hasOwn(container, key) ? container[key] : undefined
    if (typeof child !== 'object' || child === null) {
      child = /^\d+$/.test(parts[i + 1]!) && Array.isArray(container) ? [] : {}
      setOwn(container, key, child)
    }

    current = child
  }

  const last = parts.at(-1)
  if (last === undefined) return
  if (Array.isArray(current) && /^\d+$/.test(last)) current[Number(last)] = value
  else setOwn(current as JsonObject, last, value)
}

/** Remove and return the value at a path of keys (array elements are spliced out). */
export function removeAt(target: JsonObject, parts: string[]): unknown {
  let current: unknown = target
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof current !== 'object' || current === null) return undefined
    const key = parts[i]!
    current = hasOwn(current, key) ? (current as JsonObject)[key] : undefined
  }

  const last = parts.at(-1)
  if (last === undefined || typeof current !== 'object' || current === null || !hasOwn(current, last)) return undefined
  const value = (current as JsonObject)[last]
  if (Array.isArray(current)) current.splice(Number(last), 1)
  else delete (current as JsonObject)[last]
  return value
}

/** RFC 6901: `~` and `/` in a key are escaped. */
export function childPointer(pointer: string, key: string): string {
  return `${pointer}/${key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key}`
}

/** The value when it is a string, else undefined: for hooks reading vendor fields of uncertain type. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** A copy of `object` without its undefined members, so optional fields are absent rather than `undefined`. */
export function withoutUndefined(object: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(object)) if (value !== undefined) setOwn(out, key, value)
  return out
}

/** The plain-object elements of `value` when it is an array; [] otherwise. */
export function plainObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((element): element is JsonObject => isPlainObject(element)) : []
}
