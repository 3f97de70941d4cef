import {type MappingRule} from '../schemas/mapping.js'
import {type Getter, makeGetter, makeSetter, type Setter} from './accessors.js'
import {MappingCompileError} from './errors.js'
import {compileCondition, compileExpression, readsValue} from './expressions.js'
import {cloneJson, deepEqual, hasOwn, isPlainObject, type JsonObject, setOwn} from './json.js'
import {type FieldRule} from './level.js'
import {type Guard} from './neutral-paths.js'
import {parsePath, type PathSegment, toPointer} from './paths.js'
import {DECLINE, type Transform, type TransformOptions, transforms} from './transforms.js'

/** A mapping path parsed, or a compile error naming the rule it is in. */
export function segmentsOf(path: string, where: string): PathSegment[] {
  try {
    return parsePath(path)
  } catch (error) {
    throw new MappingCompileError(`${where}: ${(error as Error).message}`)
  }
}

/** The object keys of a path that must name keys only (a collection, a carry field). */
export function keyPath(segments: readonly PathSegment[], where: string): string[] {
  return segments.map((s) => {
    if (s.kind !== 'key') throw new MappingCompileError(`${where}: a collection path must name object keys only`)
    return s.key
  })
}

/** A path or expression that refers to `@x` or `$…`, whose getter needs the record's scope. */
export function usesScope(side: MappingRule['neutral']): boolean {
  return /[$@]/.test(describeSide(side))
}

/** A rule's path or expression as written, for messages and labels. */
export function describeSide(side: MappingRule['neutral']): string {
  return typeof side === 'string' ? side : JSON.stringify(side)
}

/**
 * One field rule of a mapping: its vendor accessors and its value conversion both ways (transform, map, guard).
 * `exceptKeys` (with `except`) are the vendor object's keys left out on →; "mapped" fills them once the level is read.
 */
export function compileFieldRule(
  rule: MappingRule,
  at: string,
  field: {exceptKeys: Set<string> | undefined; guard: Guard; timestamp: boolean},
): FieldRule {
  const vendor = vendorSide(rule, at)
  const {segments} = vendor
  const {name, options, transform} = transformOf(rule.transform, at)
  const optionProblem = transform.checkOptions?.(options)
  if (optionProblem) throw new MappingCompileError(`${at}: transform ${name}: ${optionProblem}`)
  // A timestamp transform's output needs no second check against the timestamp pattern.
  const guard: Guard = field.timestamp && transform.producesTimestamp && !rule.map ? () => true : field.guard
  const {lookUp, reverse} = compileMaps(rule)
  const {missing} = rule
  const missingSet = missing ? new Set(missing) : undefined
  const {exceptKeys} = field
  const entries = rule.entries ? entriesOf(rule.entries) : undefined
  if (rule.append !== undefined && rule.direction !== 'fromNeutral')
    throw new MappingCompileError(`${at}: "append" writes the vendor record only: give "direction": "fromNeutral"`)
  let setter = exceptKeys ? mergingSetter(segments) : makeSetter(segments)
  if (rule.append !== undefined) setter = appendingSetter(segments, rule.append)

  const toNeutral = (given: unknown): unknown => {
    if (missingSet?.has(given)) return undefined
    const raw = entries ? entries.toObject(given) : given
    const kept = exceptKeys ? without(raw, exceptKeys) : raw
    if (kept === undefined) return undefined
    let value = transform.toNeutral(kept, options)
    if (value === DECLINE) return DECLINE
    if (lookUp) value = lookUp(value)
    return value !== DECLINE && guard(value) ? value : DECLINE
  }

  const writable = compileWriteWhen(rule.writeWhen, at)
  const fromNeutral = (value: unknown, element: JsonObject): unknown => {
    if (writable && !writable(element)) return DECLINE
    const out = reverse ? reverse(value) : value
    if (out === DECLINE || out === undefined) return out
    const written = transform.fromNeutral(out, options)
    return entries && written !== DECLINE ? entries.toList(written) : written
  }

  return {
    segments,
    aliases: (rule.aliases ?? []).map((alias) => {
      const aliasSegments = segmentsOf(alias, at)
      return {getter: makeGetter(aliasSegments), pointer: pointerOf(aliasSegments)}
    }),
    condition: rule.if ? compileCondition(rule.if, at) : undefined,
    conditionFirst: rule.if !== undefined && !readsValue(rule.if),
    direction: rule.direction ?? 'both',
    fromNeutral,
    getter: vendor.getter,
    label: describeSide(rule.vendor),
    missing,
    origin: rule,
    pointer: pointerOf(segments),
    scoped: usesScope(rule.vendor),
    setter,
    toNeutral,
  }
}

/** The vendor side of a rule: a path, or an expression (read-only; `first` writes back its first path). */
function vendorSide(rule: MappingRule, at: string): {getter: Getter; segments: PathSegment[]} {
  const {vendor} = rule
  if (typeof vendor === 'string') {
    const segments = segmentsOf(vendor, at)
    return {getter: makeGetter(segments), segments}
  }

  const {first, getter} = compileExpression(vendor!, at)
  if (!first && (rule.direction ?? 'both') !== 'toNeutral')
    throw new MappingCompileError(`${at}: a vendor expression is read only: give "direction": "toNeutral"`)
  return {getter, segments: first ?? []}
}

/**
 * `map` both ways: vendor → neutral by exact key, else by the longest prefix key (`"image/*"`), else `otherwise`;
 * neutral → vendor by `reverseMap`, else the first key mapping to the value, else `reverseOtherwise` (null: not written).
 */
function compileMaps(rule: MappingRule): {
  lookUp: ((value: unknown) => unknown) | undefined
  reverse: ((value: unknown) => unknown) | undefined
} {
  const {map, otherwise, reverseMap, reverseOtherwise} = rule
  if (!map && !reverseMap) return {lookUp: undefined, reverse: undefined}
  const exact = new Map<string, unknown>()
  const prefixes: Array<[string, unknown]> = []
  const backMap = new Map<unknown, unknown>()
  for (const [vendorValue, neutralValue] of Object.entries(map ?? {})) {
    if (vendorValue.endsWith('*')) prefixes.push([vendorValue.slice(0, -1), neutralValue])
    else {
      exact.set(vendorValue, neutralValue)
      if (!backMap.has(neutralValue)) backMap.set(neutralValue, vendorValue)
    }
  }

  prefixes.sort(([a], [b]) => b.length - a.length)
  for (const [neutralValue, vendorValue] of Object.entries(reverseMap ?? {})) backMap.set(neutralValue, vendorValue)
  const lookUp = map
    ? (value: unknown): unknown => {
        const key =
          typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : undefined
        if (key !== undefined && exact.has(key)) return exact.get(key)
        if (key !== undefined) for (const [prefix, mapped] of prefixes) if (key.startsWith(prefix)) return mapped
        return otherwise === undefined ? DECLINE : otherwise
      }
    : undefined
  const reverse = (value: unknown): unknown => {
    if (backMap.has(value)) return backMap.get(value)
    if (reverseOtherwise === undefined) return DECLINE
    return reverseOtherwise === null ? undefined : reverseOtherwise
  }

  return {lookUp, reverse}
}

/**
 * `entries` (§3.7): a vendor list of `{key, value}` objects ⇄ one neutral object. → the first entry of a key wins and
 * malformed entries are skipped (the diff keeps them); ← one entry per key, sorted by key with `sort`.
 */
function entriesOf(spec: NonNullable<MappingRule['entries']>): {
  toList: (value: unknown) => unknown
  toObject: (value: unknown) => unknown
} {
  const {key: keyName, scalars, sort, value: valueName} = spec
  const usable = (value: unknown): boolean =>
    value !== undefined && (!scalars || ['boolean', 'number', 'string'].includes(typeof value))
  return {
    toList(value) {
      if (!isPlainObject(value)) return DECLINE
      const keys = Object.keys(value)
      if (sort) keys.sort()
      return keys.filter((key) => usable(value[key])).map((key) => ({[keyName]: key, [valueName]: value[key]}))
    },
    toObject(value) {
      if (!Array.isArray(value)) return
      const object: JsonObject = {}
      for (const entry of value) {
        if (!isPlainObject(entry) || typeof entry[keyName] !== 'string' || !usable(entry[valueName])) continue
        const key = entry[keyName]
        // `__proto__` and friends are data here, not prototype writes.
        if (!hasOwn(object, key)) setOwn(object, key, entry[valueName])
      }

      return Object.keys(object).length > 0 ? object : undefined
    },
  }
}

/** A vendor object without some keys (`except`); nothing when no key is left. */
function without(raw: unknown, keys: Set<string>): unknown {
  if (!isPlainObject(raw)) return raw
  const out: JsonObject = {}
  for (const key of Object.keys(raw)) if (!keys.has(key)) setOwn(out, key, raw[key])
  return Object.keys(out).length > 0 ? out : undefined
}

/**
 * `except` on ←: the object's keys go in under what other rules wrote there, never over it. The value is copied:
 * later rules (`from`, constants) and the extension write into the same vendor object, never into the neutral one.
 */
function mergingSetter(segments: readonly PathSegment[]): Setter {
  const getter = makeGetter(segments)
  const setter = makeSetter(segments)
  return (target, value, scope) => {
    const existing = getter(target)
    if (!isPlainObject(existing) || !isPlainObject(value)) {
      if (existing === undefined) setter(target, cloneJson(value), scope)
      return
    }

    for (const key of Object.keys(value)) if (!hasOwn(existing, key)) setOwn(existing, key, cloneJson(value[key]))
  }
}

/**
 * `append` on ←: several rules build one vendor string (text, then lines for what the vendor has no structure for).
 * A value already in the field is not repeated; a field holding no string yet is simply set.
 */
function appendingSetter(segments: readonly PathSegment[], separator: string): Setter {
  const getter = makeGetter(segments)
  const setter = makeSetter(segments)
  return (target, value, scope) => {
    const existing = getter(target)
    if (typeof existing !== 'string' || existing === '') setter(target, value, scope)
    else if (typeof value === 'string' && !existing.includes(value))
      setter(target, `${existing}${separator}${value}`, scope)
  }
}

/** A rule's `writeWhen`: each neutral path holds one of its listed values (null: the path is empty). */
function compileWriteWhen(spec: MappingRule['writeWhen'], at: string): ((element: JsonObject) => boolean) | undefined {
  if (!spec) return undefined
  const conditions = Object.entries(spec).map(([path, values]) => ({
    getter: makeGetter(segmentsOf(path, `${at} writeWhen`)),
    values,
  }))
  return (element) =>
    conditions.every(({getter, values}) => {
      const value = getter(element)
      return values.some((allowed) => (allowed === null ? value === undefined : deepEqual(allowed, value)))
    })
}

/** Pointer of a key/index path; paths through `[]` have none (their array is compared whole). */
function pointerOf(segments: readonly PathSegment[]): string {
  if (segments.some((s) => s.kind === 'each' || s.kind === 'filter' || s.kind === 'root')) return ''
  return toPointer(segments.map((s) => (s.kind === 'index' ? s.index : (s as {key: string}).key)))
}

/** The transform a rule or carry field names (identity when none), with its options. */
export function transformOf(
  ref: MappingRule['transform'],
  at: string,
): {name: string; options: TransformOptions; transform: Transform} {
  const spec = ref ?? 'identity'
  const name = typeof spec === 'string' ? spec : spec.name
  const options: TransformOptions = (typeof spec === 'string' ? undefined : spec.options) ?? {}
  const transform = transforms[name]
  if (!transform) throw new MappingCompileError(`${at}: unknown transform "${name}"`)
  return {name, options, transform}
}
