import {type z, z as zod} from 'zod'

import {type MappingCollection, type MappingRule} from '../schemas/mapping.js'
import {Timestamp} from '../schemas/neutral.js'
import {type Getter, makeGetter, makeSetter} from './accessors.js'
import {MappingCompileError} from './errors.js'
import {compileCondition, compileExpression, readsValue} from './expressions.js'
import {compileFieldRule, describeSide, keyPath, segmentsOf, usesScope} from './field-rule.js'
import {hooks as hookRegistry} from './hooks/index.js'
import {type JsonObject} from './json.js'
import {
  type CollectionNode,
  type CollectionShape,
  type CompiledCollection,
  type DerivedRule,
  type FieldGroup,
  type Level,
  type Route,
  SCALAR_KEY,
} from './level.js'
import {type NeutralField, requiredFields, resolveNeutral, resolveNeutralArray} from './neutral-paths.js'
import {formatPath, parsePath, type PathSegment, toPointer} from './paths.js'
import {forwardLevel, rebuildLevel} from './run.js'

/** The part of a mapping file that describes one level: the conversation, or a collection's elements. */
export interface LevelSpec {
  collections?: MappingCollection[] | undefined
  hooks?: string[] | undefined
  rules: MappingRule[]
  /** The rules as the file writes them, where `rules` are renamed copies (`"."`): counts and errors name these. */
  written?: MappingRule[] | undefined
}

/**
 * Compiles one level of a mapping (its rules, then its collections, each a level of its own) against the neutral
 * `schema` of its elements. `where` names the level in compile errors; `skeleton` makes an empty neutral element.
 */
export function compileLevel(
  spec: LevelSpec,
  neutral: {schema: z.ZodType; skeleton: () => JsonObject},
  where: string,
): Level {
  const {schema, skeleton} = neutral
  const level: Level = {
    collections: [],
    collectionTree: new Map(),
    derived: {fromNeutral: [], toNeutral: []},
    forward: (source, context, format, record) => forwardLevel(level, source, context, format, record),
    groups: [],
    hooks: [],
    leadingConsts: [],
    neutralConsts: [],
    rebuild: (element, context, format, applyAll, record) =>
      rebuildLevel(level, element, context, {applyAll, format, record}),
    required: [],
    skeleton,
    tagRules: [],
    vendorConsts: [],
  }

  const groups = new Map<string, FieldGroup>()
  for (const [index, rule] of spec.rules.entries()) {
    const named = rule.neutral
      ? ` (${describeSide(rule.neutral)})`
      : rule.vendor
        ? ` (${describeSide(rule.vendor)})`
        : ''
    const at = `${where} rule ${index + 1}${named}`
    const written = spec.written?.[index] ?? rule
    blame(written, at, () => addRule(level, groups, rule, {at, exceptKeys: exceptKeysOf(rule, spec.rules, at), schema}))
  }

  if (spec.written) ownOrigins(level, groups, new Map(spec.rules.map((rule, i) => [rule, spec.written![i]!])))

  level.groups = [...groups.values()]
  for (const [index, collection] of (spec.collections ?? []).entries()) {
    const at = `${where} collection ${index + 1} (${collection.neutral} ⇄ ${collection.vendor})`
    const compiled = blame(collection, at, () => compileCollection(collection, schema, at))
    level.collections.push(compiled)
    // Only plain arrays of objects pair with their neutral elements; the diff keeps other shapes at this level.
    if (!compiled.paired) continue
    registerCollection(level.collectionTree, compiled.path, compiled)
    for (const alias of compiled.aliases) registerCollection(level.collectionTree, alias.key, compiled)
  }

  checkRoutes(level.collections, where)

  // A required neutral field fed by rules makes its vendor field required too: without it the record is rejected.
  for (const field of requiredFields(schema)) {
    const group = level.groups.find((g) => g.neutralPath === field)
    if (group && group.defaultValue === undefined) {
      level.required.push({field, sources: group.rules.map((r) => r.label).join(' or ')})
    }
  }

  for (const name of spec.hooks ?? []) {
    const hook = hookRegistry[name]
    if (!hook) throw new MappingCompileError(`${where}: unknown hook "${name}"`)
    level.hooks.push(hook)
  }

  return level
}

/** Compiled rules of renamed copies name the rule as written (`mapping check` counts hits by it). */
function ownOrigins(level: Level, groups: Map<string, FieldGroup>, written: Map<object, object>): void {
  const compiled = [
    ...level.tagRules,
    ...level.neutralConsts,
    ...level.derived.fromNeutral,
    ...level.derived.toNeutral,
    ...[...groups.values()].flatMap((group) => group.rules),
  ]
  for (const rule of compiled) rule.origin = written.get(rule.origin) ?? rule.origin
}

/**
 * `except` (§3.7): the keys of the rule's vendor object it leaves out: the listed ones, or ("mapped") every key that
 * another rule of the level reads directly under that object (`metadata.channel` leaves out `channel`).
 */
function exceptKeysOf(rule: MappingRule, rules: MappingRule[], at: string): Set<string> | undefined {
  if (rule.except === undefined) return undefined
  if (typeof rule.vendor !== 'string') throw new MappingCompileError(`${at}: "except" needs a vendor path`)
  if (Array.isArray(rule.except)) return new Set(rule.except)
  const prefix = segmentsOf(rule.vendor, at)
  const keys = new Set<string>()
  for (const other of rules) {
    for (const path of [other.vendor, ...(other.aliases ?? [])]) {
      if (typeof path !== 'string' || other === rule) continue
      const segments = segmentsOf(path, at)
      const head = segments.slice(0, prefix.length)
      const next = segments[prefix.length]
      if (next?.kind === 'key' && formatPath(head) === formatPath(prefix)) keys.add(next.key)
    }
  }

  return keys
}

/** Runs `compile`, marking a compile error with the rule or collection it is about (the loader locates it). */
function blame<T>(subject: object, at: string, compile: () => T): T {
  try {
    return compile()
  } catch (error) {
    if (error instanceof MappingCompileError && !error.subject) {
      error.subject = subject
      error.detail = error.message.startsWith(at) ? error.message.slice(at.length).replace(/^:? /, '') : error.message
    }

    throw error
  }
}

/** A tag rule, a constant, a derived value, or a field rule (grouped with the other rules of its neutral field). */
function addRule(
  level: Level,
  groups: Map<string, FieldGroup>,
  rule: MappingRule,
  place: {at: string; exceptKeys: Set<string> | undefined; schema: z.ZodType},
): void {
  const {at, schema} = place
  if (rule.tag) {
    if (typeof rule.vendor !== 'string') throw new MappingCompileError(`${at}: a tag rule needs a "vendor" path`)
    const segments = segmentsOf(rule.vendor, at)
    level.tagRules.push({
      getter: makeGetter(segments),
      origin: rule,
      missing: rule.missing,
      prefix: rule.tag.prefix,
      setter: makeSetter(segments),
    })
    return
  }

  if (rule.const !== undefined) {
    addConst(level, rule, place)
    return
  }

  if (rule.from !== undefined) {
    const derived = compileDerived(rule, at, schema)
    level.derived[derived.direction].push(derived)
    return
  }

  if (!rule.neutral || !rule.vendor) throw new MappingCompileError(`${at}: a rule needs "neutral" and "vendor"`)
  const neutral = neutralSide(rule, at, schema)
  let group = groups.get(neutral.key)
  if (!group) {
    group = {
      defaultValue: rule.default,
      forwardRules: [],
      gated: false,
      placeholder: false,
      getter: neutral.getter,
      neutralPath: neutral.key,
      rebuildRules: [],
      rules: [],
      scoped: usesScope(rule.neutral),
      segments: neutral.segments,
      setter: makeSetter(neutral.segments),
    }
    groups.set(neutral.key, group)
  } else if (rule.default !== undefined) {
    group.defaultValue = rule.default
  }

  const compiled = compileFieldRule(rule, at, {
    exceptKeys: place.exceptKeys,
    guard: neutral.field.guard,
    timestamp: neutral.field.schema === Timestamp,
  })
  group.rules.push(compiled)
  if (compiled.direction !== 'fromNeutral') group.forwardRules.push(compiled)
  if (compiled.direction !== 'toNeutral') group.rebuildRules.push(compiled)
  group.gated = group.rebuildRules.every((r) => r.conditionFirst)
  group.placeholder = group.rebuildRules.some((r) => r.missing?.[0] !== undefined)
}

/**
 * The neutral side of a field rule: a path checked against the neutral model, or an expression (§3.2), which is
 * read only (`first` writes its first path on →; the others need `"direction": "fromNeutral"`).
 */
function neutralSide(
  rule: MappingRule,
  at: string,
  schema: z.ZodType,
): {field: NeutralField; getter: Getter; key: string; segments: PathSegment[]} {
  if (typeof rule.neutral === 'string') {
    const segments = segmentsOf(rule.neutral, at)
    return {
      field: resolved(segments, rule.neutral, at, schema),
      getter: makeGetter(segments),
      key: formatPath(segments),
      segments,
    }
  }

  const {first, getter} = compileExpression(rule.neutral!, at)
  if (!first && (rule.direction ?? 'both') !== 'fromNeutral')
    throw new MappingCompileError(`${at}: a neutral expression is read only: give "direction": "fromNeutral"`)
  const field = first ? resolved(first, formatPath(first), at, schema) : {guard: () => true, kind: 'unknown', schema}
  return {field, getter, key: JSON.stringify(rule.neutral), segments: first ?? []}
}

function resolved(segments: PathSegment[], path: string, at: string, schema: z.ZodType): NeutralField {
  const field = resolveNeutral(segments, schema)
  if (typeof field === 'string') throw new MappingCompileError(`${at}: neutral path ${path}: ${field}`)
  return field
}

/**
 * `from` (§3.3): a value of the record being written, read after the level's rules and collections. With `neutral`
 * the rule derives a neutral field (→), with `vendor` a vendor field (←); `$.` in `from` is that side's root.
 * `from` may be an expression (`{"count": "$.parts"}`) over that record.
 */
function compileDerived(rule: MappingRule, at: string, schema: z.ZodType): DerivedRule {
  const {neutral, vendor} = rule
  if ((neutral === undefined) === (vendor === undefined))
    throw new MappingCompileError(`${at}: "from" fills exactly one of "neutral" (→) or "vendor" (←)`)
  const target = (neutral ?? vendor)!
  if (typeof target !== 'string') throw new MappingCompileError(`${at}: "from" writes a path, not an expression`)
  const direction = neutral === undefined ? 'fromNeutral' : 'toNeutral'
  if (rule.direction && rule.direction !== direction)
    throw new MappingCompileError(`${at}: a "from" into "${neutral ? 'neutral' : 'vendor'}" runs ${direction} only`)
  const segments = segmentsOf(target, at)
  if (neutral !== undefined) resolved(segments, target, at, schema)
  return {
    ...splitCondition(rule.if, at),
    direction,
    getter:
      typeof rule.from === 'string' ? makeGetter(segmentsOf(rule.from, at)) : compileExpression(rule.from!, at).getter,
    origin: rule,
    overwrite: rule.overwrite ?? false,
    setter: makeSetter(segments),
    target: makeGetter(segments),
  }
}

/**
 * A derived rule's `if` in two parts: the keys that do not test the value, checked before the lookup is made, and
 * those that do (`.`, or an `any` that uses it), checked after.
 */
function splitCondition(spec: MappingRule['if'], at: string): Pick<DerivedRule, 'condition' | 'precondition'> {
  if (!spec) return {condition: undefined, precondition: undefined}
  const entries = Object.entries(spec)
  const before = entries.filter(([key, test]) => !readsValue({[key]: test}))
  const after = entries.filter(([key, test]) => readsValue({[key]: test}))
  return {
    condition: after.length > 0 ? compileCondition(Object.fromEntries(after), at) : undefined,
    precondition: before.length > 0 ? compileCondition(Object.fromEntries(before), at) : undefined,
  }
}

/**
 * A constant written on one side only: a neutral field's value when the vendor has none, or a vendor field's.
 * With `if` it applies only where the condition holds, and on ← a conditional constant, or one that follows another
 * constant for the same vendor field, fills the field only where nothing was written (the first that writes wins).
 */
function addConst(level: Level, rule: MappingRule, place: {at: string; schema: z.ZodType}): void {
  const {at, schema} = place
  const condition = rule.if ? compileCondition(rule.if, at) : undefined
  if (typeof rule.neutral === 'string' && !rule.vendor) {
    const segments = segmentsOf(rule.neutral, at)
    const field = resolved(segments, rule.neutral, at, schema)
    if (!field.guard(rule.const)) throw new MappingCompileError(`${at}: const does not fit neutral ${rule.neutral}`)
    level.neutralConsts.push({
      condition,
      getter: makeGetter(segments),
      origin: rule,
      setter: makeSetter(segments),
      value: rule.const,
      when: rule.when ? makeGetter(segmentsOf(rule.when, at)) : undefined,
    })
    return
  }

  if (typeof rule.vendor === 'string' && !rule.neutral) {
    const segments = segmentsOf(rule.vendor, at)
    const key = formatPath(segments)
    const follows = level.vendorConsts.some((c) => c.key === key)
    level.vendorConsts.push({
      condition,
      fill: condition || follows ? makeGetter(segments) : undefined,
      key,
      setter: makeSetter(segments),
      value: rule.const,
    })
    return
  }

  throw new MappingCompileError(`${at}: const needs exactly one of "neutral" or "vendor" (a path)`)
}

function compileCollection(collection: MappingCollection, schema: z.ZodType, at: string): CompiledCollection {
  const neutralSegments = segmentsOf(collection.neutral, at)
  const resolvedElement = resolveNeutralArray(neutralSegments, schema)
  if (typeof resolvedElement === 'string')
    throw new MappingCompileError(`${at}: neutral ${collection.neutral} ${resolvedElement}`)
  const {rules, scalar} = scalarRules(collection.rules)
  // A plain-value element is wrapped while its rules run; its vendor remainder stays with the enclosing element.
  const element = scalar.neutral ? zod.object({[SCALAR_KEY]: resolvedElement}) : resolvedElement
  // An element that cannot carry its own lossless remainder (a plain value, a summary, a free value such as a quick
  // reply) is diffed as part of the enclosing element, like every shape other than a plain array of objects, and so
  // are the elements of a collection whose `if` reads only some of the vendor array: they cannot be paired one to one.
  const extensions = resolveNeutral(parsePath('extensions'), element)
  const condition = collection.if ? sidesOf(collection.if, at) : undefined
  const paired =
    !condition?.toNeutral &&
    !scalar.neutral &&
    !scalar.vendor &&
    typeof extensions !== 'string' &&
    extensions.kind !== 'unknown' &&
    collection.one === undefined &&
    collection.zip === undefined &&
    collection.distinct === undefined &&
    collection.parse === undefined

  const whole = collection.vendor === '$'
  const vendorSegments = whole ? [] : segmentsOf(collection.vendor, at)
  const shape = shapeOf(collection, at, whole)
  // `remainder: "enclosing"`: not paired, so the diff keeps each element's remainder in the enclosing element, by
  // pointer where that is smaller (diff.ts, patchArray); only a plain vendor array of objects pairs by position.
  const enclosing = collection.remainder === 'enclosing'
  if (enclosing && (shape.kind !== 'array' || scalar.vendor))
    throw new MappingCompileError(`${at}: "remainder": "enclosing" needs a plain vendor array of objects`)
  const path = shape.kind === 'distinct' ? [] : keyPath(vendorSegments, at)
  const level = compileLevel(
    {...collection, rules, written: collection.rules},
    {schema: element, skeleton: () => ({})},
    `${at} >`,
  )
  // Inside a JSON string key order is data: there an element's constants are its first keys (see Level).
  if (shape.kind === 'parse') level.leadingConsts = level.vendorConsts.filter((c) => !c.condition && !c.fill)
  return {
    aliases: (collection.aliases ?? []).map((alias) => {
      const segments = segmentsOf(alias, at)
      const aliasKey = keyPath(segments, at)
      return {getter: makeGetter(segments), key: aliasKey, pointer: toPointer(aliasKey)}
    }),
    condition,
    first: collection.position === 'first',
    omitEmpty: collection.omitEmpty ?? false,
    getter: makeGetter(vendorSegments),
    label: whole ? '$' : collection.vendor,
    level,
    missing: collection.missing,
    neutralGetter: makeGetter(neutralSegments),
    neutralPath: formatPath(neutralSegments),
    neutralSetter: makeSetter(neutralSegments),
    optional: collection.optional ?? false,
    origin: collection,
    paired: paired && !enclosing,
    path,
    pointer: toPointer(path),
    route: routeOf(collection.route, at),
    scalar,
    setter: makeSetter(vendorSegments),
    shape,
    when: whenOf(collection.when, at),
  }
}

/** `when`: a condition on the enclosing element on either side, like a rule's `if` (no `.`: nothing is written). */
function whenOf(spec: MappingCollection['when'], at: string): CompiledCollection['when'] {
  if (!spec) return undefined
  if (readsValue(spec)) throw new MappingCompileError(`${at}: "when" tests the enclosing element: no "." key`)
  return compileCondition(spec, at)
}

/**
 * A collection's `if` as two conditions: → tests the vendor element (keys other than `neutral:`), ← the neutral one
 * (keys other than `vendor:`); `.` is the element on either side.
 */
function sidesOf(spec: Record<string, unknown>, at: string): CompiledCollection['condition'] {
  const side = (other: string) => {
    // An `any` that tests the other side anywhere inside it belongs to that side only.
    const entries = Object.entries(spec).filter(
      ([key, test]) => !key.startsWith(other) && !(key === 'any' && JSON.stringify(test).includes(`"${other}`)),
    )
    return entries.length > 0 ? compileCondition(Object.fromEntries(entries), at) : undefined
  }

  return {fromNeutral: side('vendor:'), toNeutral: side('neutral:')}
}

/** Rules whose `"."` side (a plain-value element) is renamed to the key the element is wrapped under. */
function scalarRules(rules: MappingRule[]): {rules: MappingRule[]; scalar: CompiledCollection['scalar']} {
  const scalar = {
    neutral: rules.some((rule) => rule.neutral === '.'),
    vendor: rules.some((rule) => rule.vendor === '.'),
  }
  if (!scalar.neutral && !scalar.vendor) return {rules, scalar}
  const renamed = rules.map((rule) => ({
    ...rule,
    ...(rule.neutral === '.' ? {neutral: SCALAR_KEY} : {}),
    ...(rule.vendor === '.' ? {vendor: SCALAR_KEY} : {}),
  }))
  return {rules: renamed, scalar}
}

/** How the vendor side holds a collection's elements (§3.6): at most one of `one`, `zip`, `distinct`, `parse`. */
function shapeOf(collection: MappingCollection, at: string, whole: boolean): CollectionShape {
  const {distinct, one, parse, zip} = collection
  // `distinct` with `zip`: the parallel arrays' elements, one per distinct key (the first); written back as zip.
  const named = [one && 'one', zip && 'zip', !zip && distinct !== undefined && 'distinct', parse && 'parse'].filter(
    Boolean,
  )
  if (named.length > 1) throw new MappingCompileError(`${at}: choose one of ${named.join(', ')}`)
  if (whole && !one && !zip) throw new MappingCompileError(`${at}: vendor "$" (the record itself) needs "one" or "zip"`)
  if ((collection.at === undefined) !== (parse === undefined))
    throw new MappingCompileError(`${at}: "parse" and "at" go together`)
  if (collection.document && !parse) throw new MappingCompileError(`${at}: "document" needs "parse"`)
  if (collection.missing && (one || zip || distinct !== undefined || parse))
    throw new MappingCompileError(`${at}: "missing" applies to a plain array`)
  if (one) return {kind: 'one', whole}
  if (distinct !== undefined && !zip) return {key: distinct, kind: 'distinct'}
  if (parse) {
    const segments = segmentsOf(collection.at!, at)
    const inside = {getter: makeGetter(segments), setter: makeSetter(segments)}
    return {at: inside, document: collection.document as JsonObject | undefined, kind: 'parse'}
  }

  if (zip) {
    const arrays = Object.entries(zip).map(([key, path]) => {
      const segments = segmentsOf(path, at)
      return {getter: makeGetter(segments), key, setter: makeSetter(segments)}
    })
    return {arrays, distinct, kind: 'zip', whole}
  }

  return {kind: 'array'}
}

function routeOf(route: MappingCollection['route'], at: string): Route | undefined {
  if (!route) return undefined
  if ('take' in route) return {take: route.take}
  if ('skip' in route) return {skip: route.skip}
  if ('if' in route) return {if: compileCondition(route.if, at)}
  return {field: makeGetter(segmentsOf(route.field, at)), values: new Set(route.values)}
}

/** Collections that feed one neutral array must route its elements back to disjoint vendor arrays. */
function checkRoutes(collections: CompiledCollection[], where: string): void {
  for (const c of collections) {
    const shared = collections.filter((other) => other !== c && other.neutralPath === c.neutralPath)
    if (shared.length === 0) continue
    if (c.shape.kind === 'distinct') continue // read only: nothing goes back
    if (!c.route) throw new MappingCompileError(`${where}: collections sharing ${c.neutralPath} each need a "route"`)
    if (!('values' in c.route)) continue // `take` and `if` routes are the mapping author's to keep apart
    for (const other of shared) {
      for (const value of c.route.values) {
        if (other.route && 'values' in other.route && other.route.values.has(value)) {
          throw new MappingCompileError(
            `${where}: ${c.neutralPath} routes ${JSON.stringify(value)} to two vendor arrays`,
          )
        }
      }
    }
  }
}

function registerCollection(tree: Map<string, CollectionNode>, path: string[], collection: CompiledCollection): void {
  let nodes = tree
  let node: CollectionNode | undefined
  for (const key of path) {
    node = nodes.get(key)
    if (!node) {
      node = {children: new Map()}
      nodes.set(key, node)
    }

    nodes = node.children
  }

  node!.collection = collection
}
