import {type MappingRule} from '../schemas/mapping.js'
import {makeGetter, makeSetter} from './accessors.js'
import {MappingCompileError} from './errors.js'
import {deepEqual, type JsonObject} from './json.js'
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

/** One field rule of a mapping: its vendor accessors and its value conversion both ways (transform, map, guard). */
export function compileFieldRule(rule: MappingRule, at: string, fieldGuard: Guard, timestampField: boolean): FieldRule {
  const segments = segmentsOf(rule.vendor!, at)
  const {name, options, transform} = transformOf(rule.transform, at)
  const optionProblem = transform.checkOptions?.(options)
  if (optionProblem) throw new MappingCompileError(`${at}: transform ${name}: ${optionProblem}`)
  // A timestamp transform's output needs no second check against the timestamp pattern.
  const guard: Guard = timestampField && transform.producesTimestamp && !rule.map ? () => true : fieldGuard

  const {map, missing, otherwise, reverseMap} = rule
  const forwardMap = map ? new Map(Object.entries(map)) : undefined
  const backMap = new Map<unknown, unknown>()
  if (map) {
    for (const [vendorValue, neutralValue] of Object.entries(map)) {
      if (!backMap.has(neutralValue)) backMap.set(neutralValue, vendorValue)
    }
  }

  for (const [neutralValue, vendorValue] of Object.entries(reverseMap ?? {})) backMap.set(neutralValue, vendorValue)
  const missingSet = missing ? new Set(missing) : undefined

  const toNeutral = (raw: unknown): unknown => {
    if (missingSet?.has(raw)) return undefined
    let value = transform.toNeutral(raw, options)
    if (value === DECLINE) return DECLINE
    if (forwardMap) {
      const key =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined
      if (key !== undefined && forwardMap.has(key)) value = forwardMap.get(key)
      else if (otherwise === undefined) return DECLINE
      else value = otherwise
    }

    return guard(value) ? value : DECLINE
  }

  const writable = compileWriteWhen(rule.writeWhen, at)
  const fromNeutral = (value: unknown, element: JsonObject): unknown => {
    if (writable && !writable(element)) return DECLINE
    let out = value
    if (forwardMap || reverseMap) {
      if (!backMap.has(out)) return DECLINE
      out = backMap.get(out)
    }

    return transform.fromNeutral(out, options)
  }

  return {
    segments,
    aliases: (rule.aliases ?? []).map((alias) => {
      const aliasSegments = segmentsOf(alias, at)
      return {getter: makeGetter(aliasSegments), pointer: pointerOf(aliasSegments)}
    }),
    direction: rule.direction ?? 'both',
    fromNeutral,
    getter: makeGetter(segments),
    label: rule.vendor!,
    missing,
    origin: rule,
    pointer: pointerOf(segments),
    setter: makeSetter(segments),
    toNeutral,
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
  if (segments.some((s) => s.kind === 'each')) return ''
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
