import type {z} from 'zod'

import {type MappingCollection, type MappingFile, type MappingRule} from '../schemas/mapping.js'
import {NEUTRAL_SCHEMA_VERSION, NeutralConversation, Timestamp, UNORDERED_LISTS} from '../schemas/neutral.js'
import {type Getter, makeGetter, makeSetter, type Setter} from './accessors.js'
import {
  applyCarry,
  CARRY_VERSION,
  type CarryDocument,
  isCarryDocument,
  neutralResidual,
  residualPath,
} from './carry-document.js'
import {entrySlot, objectSlot} from './carry.js'
import {
  type ForwardFn,
  generateForward,
  generateRebuild,
  type GenLevel,
  type GenRule,
  type RebuildFn,
} from './codegen.js'
import {hooks as hookRegistry} from './hooks/index.js'
import {count, type Hook, type HookContext, newStats} from './hooks/types.js'
import {
  childPointer,
  cloneJson,
  deepEqual,
  describeKind,
  hasOwn,
  isPlainObject,
  type JsonObject,
  removeAt,
  setAt,
  setOwn,
} from './json.js'
import {type Guard, requiredFields, resolveNeutral, resolveNeutralArray} from './neutral-paths.js'
import {formatPath, fromPointer, parsePath, type PathSegment, toPointer} from './paths.js'
import {DECLINE, type TransformOptions, transforms} from './transforms.js'

/**
 * Compiles a mapping file once into plain functions for both directions.
 *
 * Losslessness is an invariant, not a hope: after mapping a vendor record forward, the engine rebuilds the
 * vendor record from the neutral one and diffs the two. Whatever the rebuild lacks (`unmapped`), gets wrong
 * (`original`) or adds (`absent`) is stored in the neutral record's `extensions.<format>`, per collection
 * element, and applied when converting back. A round trip therefore returns the input whatever the rules
 * and hooks do; good rules just keep the extension small.
 */
export class MappingCompileError extends Error {}

export interface CompiledMapping {
  readonly definition: MappingFile
  readonly format: string
  /** Neutral → vendor record. Extensions recorded for this format are applied. */
  fromNeutral(neutral: JsonObject, context: HookContext): JsonObject
  /** Vendor → neutral record, with the lossless remainder in `extensions[format]`. Throws RecordError. */
  toNeutral(record: JsonObject, context: HookContext): JsonObject
  /**
   * Vendor → neutral as the vendor itself shows the record (`native`: the carry field ignored) and as convoshift can
   * recover it (`recoverable`: the carry applied where the native values are still the ones it was written beside),
   * without extensions. `conflicts`: pointers where a native value won over the carried one. Throws RecordError.
   */
  toNeutralViews(record: JsonObject, context: HookContext): NeutralViews
  readonly vendor: string
}

export interface NeutralViews {
  conflicts: string[]
  native: JsonObject
  recoverable: JsonObject
}

/** A record-level problem: the record is rejected with this reason, the run goes on. */
export class RecordError extends Error {}

/** A field rule compiled to its accessors and conversions (the shape the code generator reads). */
type FieldRule = GenRule

interface FieldGroup {
  segments: PathSegment[]
  defaultValue: unknown
  getter: Getter
  neutralPath: string
  rules: FieldRule[]
  setter: Setter
}

interface NeutralConst {
  getter: Getter
  setter: Setter
  value: unknown
  when: Getter | undefined
}

interface VendorConst {
  setter: Setter
  value: unknown
}

interface TagRule {
  getter: Getter
  prefix: string
  setter: Setter
}

interface CompiledCollection {
  aliases: Array<{getter: Getter; key: string[]; pointer: string}>
  getter: Getter
  level: Level
  neutralGetter: Getter
  neutralPath: string
  neutralSetter: Setter
  path: string[]
  pointer: string
  route: undefined | {field: Getter; values: Set<unknown>}
  setter: Setter
}

interface CollectionNode {
  children: Map<string, CollectionNode>
  collection?: CompiledCollection
}

interface Level {
  forward: ForwardFn
  rebuild: RebuildFn
  /** Required neutral fields of this level's element and the vendor fields that feed them (for rejections). */
  required: Array<{field: string; sources: string}>
  collections: CompiledCollection[]
  collectionTree: Map<string, CollectionNode>
  groups: FieldGroup[]
  hooks: Hook[]
  neutralConsts: NeutralConst[]
  skeleton: () => JsonObject
  tagRules: TagRule[]
  vendorConsts: VendorConst[]
}

interface Extension {
  absent?: string[]
  original?: JsonObject
  renamed?: Record<string, string>
  unmapped?: JsonObject
}

const ROOT_ARRAYS = ['participants', 'dialogs', 'messages', 'transfers', 'tags'] as const

/**
 * `base` is the built-in mapping an extended one derives from. Its rebuild is diffed too, so a neutral record
 * made with the extended mapping converts back exactly with either mapping.
 */
export function compileMapping(definition: MappingFile, base?: MappingFile): CompiledMapping {
  const {format} = definition
  const compileRoot = (spec: MappingFile): Level =>
    compileLevel(
      {collections: spec.collections, hooks: spec.hooks, rules: spec.rules},
      NeutralConversation,
      `${format}`,
      () => {
        const out: JsonObject = {format, schemaVersion: NEUTRAL_SCHEMA_VERSION, vendor: definition.vendor}
        for (const key of ROOT_ARRAYS) out[key] = []
        return out
      },
    )
  const root = compileRoot(definition)
  const baseRoot = base ? compileRoot(base) : undefined
  const carry = definition.carry ? compileCarry(definition.carry, format) : undefined
  const rebuildContext: HookContext = {format, stats: newStats()}

  /**
   * Rebuild the vendor record, map the rebuild forward again, and keep what differs from the input in the carry
   * field (or count it as having no home). See carry-document.ts.
   */
  const withResidual = (neutral: JsonObject, context: HookContext): JsonObject => {
    const scratch: HookContext = {format, stats: newStats()}
    const out = root.rebuild(neutral, scratch, format, true)
    // Map forward exactly what B → neutral will see once a document is written: the record without it.
    const probe = carry?.probe(out)
    let mapped: JsonObject
    try {
      mapped = root.forward(probe ?? out, scratch, format)
    } catch (error) {
      if (error instanceof RecordError) throw new RecordError(`cannot be written as ${format}: ${error.message}`)
      throw error
    }

    const residual = neutralResidual(neutral, mapped, format, derivedExtension(neutral, format))
    const {native, order, remove, respelled, set} = residual
    const lost = Object.keys(set)
    const reordered = Object.keys(order)
    if (lost.length === 0 && remove.length === 0 && reordered.length === 0) return out
    // The user's own data already in the carry slot is never overwritten; the residual then has no home.
    const stats = probe ? context.stats.carried : context.stats.noHome
    for (const pointer of lost) if (!respelled.has(pointer)) count(stats, residualPath(pointer))
    for (const pointer of reordered) {
      const path = residualPath(pointer)
      if (!UNORDERED_LISTS.has(path)) count(stats, `${path} (order)`)
    }

    if (probe) {
      const document: CarryDocument = {convoshift: CARRY_VERSION, set}
      if (remove.length > 0) document.remove = remove
      if (Object.keys(native).length > 0) document.native = native
      if (reordered.length > 0) document.order = order
      return carry!.write(out, document)
    }

    return out
  }

  return {
    definition,
    format,
    // With a carry field, a conversation of this shape that came back with another's data restores it into the
    // field again; without one, only conversations from other shapes can have anything without a home.
    fromNeutral: (neutral, context) =>
      carry || neutral.format !== format
        ? withResidual(neutral, context)
        : root.rebuild(neutral, context, format, true),
    toNeutral(input, context) {
      const carried = carry?.read(input)
      // The carry key is not part of the record's own data: the lossless diff below is taken without it.
      const record = carried ? carried.stripped : input
      const neutral = root.forward(record, context, format)
      if (carried) {
        for (const pointer of applyCarry(neutral, carried.document))
          count(context.stats.conflicts, residualPath(pointer))
      }

      if (context.withoutExtensions) return neutral
      // Rebuild from the neutral record and keep the difference. These rebuilds apply only the alias renames
      // recorded by forward, so a diff attached by the first does not change what the second rebuilds.
      // The rebuild is a check, not an output: what it could not write (a value the residual restored) is not a loss,
      // so its counts go to a scratch context that is never reported.
      for (const level of baseRoot ? [root, baseRoot] : [root]) {
        attachDiff(level, record, level.rebuild(neutral, rebuildContext, format, false), neutral, format)
      }

      return neutral
    },
    toNeutralViews(input, context) {
      const carried = carry?.read(input)
      const native = root.forward(carried ? carried.stripped : input, context, format)
      if (!carried) return {conflicts: [], native, recoverable: native}
      const recoverable = cloneJson(native)
      return {conflicts: applyCarry(recoverable, carried.document), native, recoverable}
    },
    vendor: definition.vendor,
  }
}

// ---------------------------------------------------------------- compile

/**
 * A neutral record that holds `target`'s extension came from (or through) `target`: the extension of the shape
 * it is in now only describes that shape's rendering of it, so it is not carried back (A → B → A stays A).
 */
function derivedExtension(neutral: JsonObject, target: string): string | undefined {
  const {extensions, format} = neutral
  if (typeof format !== 'string' || format === target || !isPlainObject(extensions) || !hasOwn(extensions, target))
    return undefined
  return format
}

interface CompiledCarry {
  /** The carry document in a record, and the record without it (as `probe` makes it); undefined when absent. */
  read(record: JsonObject): undefined | {document: CarryDocument; stripped: JsonObject}
  /**
   * The record as `read` will strip it once a document is written, or undefined when a document cannot be written
   * without overwriting the record's own data.
   */
  probe(record: JsonObject): JsonObject | undefined
  /** The record with the document written in (a copy: the record is not modified). */
  write(record: JsonObject, document: CarryDocument): JsonObject
}

function compileCarry(spec: NonNullable<MappingFile['carry']>, format: string): CompiledCarry {
  const at = `${format} carry (${spec.vendor})`
  const keys = keyPath(segmentsOf(spec.vendor, at), at)
  const slot = spec.entry ? entrySlot(keys, spec.entry) : objectSlot(keys)
  const ref = spec.transform ?? 'identity'
  const name = typeof ref === 'string' ? ref : ref.name
  const options: TransformOptions = (typeof ref === 'string' ? undefined : ref.options) ?? {}
  const transform = transforms[name]
  if (!transform) throw new MappingCompileError(`${at}: unknown transform "${name}"`)
  return {
    probe: (record) => (slot.canPut(record) ? slot.strip(slot.with(record, null)) : undefined),
    read(record) {
      const raw = slot.get(record)
      if (raw === undefined) return
      const decoded = transform.toNeutral(raw, options)
      // Anything else under the key is the user's own data: it stays in the record like any unmapped field.
      if (!isCarryDocument(decoded)) return
      // A document parsed from a string is already a fresh value; a raw object is the input's own, so copied.
      return {document: typeof raw === 'string' ? decoded : cloneJson(decoded), stripped: slot.strip(record)}
    },
    write: (record, document) => slot.with(record, transform.fromNeutral(document, options)),
  }
}

function segmentsOf(path: string, where: string): PathSegment[] {
  try {
    return parsePath(path)
  } catch (error) {
    throw new MappingCompileError(`${where}: ${(error as Error).message}`)
  }
}

function keyPath(segments: readonly PathSegment[], where: string): string[] {
  return segments.map((s) => {
    if (s.kind !== 'key') throw new MappingCompileError(`${where}: a collection path must name object keys only`)
    return s.key
  })
}

function compileLevel(
  spec: {collections?: MappingCollection[] | undefined; hooks?: string[] | undefined; rules: MappingRule[]},
  schema: z.ZodType,
  where: string,
  skeleton: () => JsonObject,
): Level {
  const groups = new Map<string, FieldGroup>()
  const level: Level = {
    forward: () => ({}),
    rebuild: () => ({}),
    required: [],
    collections: [],
    collectionTree: new Map(),
    groups: [],
    hooks: [],
    neutralConsts: [],
    skeleton,
    tagRules: [],
    vendorConsts: [],
  }

  for (const [index, rule] of spec.rules.entries()) {
    const at = `${where} rule ${index + 1}${rule.neutral ? ` (${rule.neutral})` : rule.vendor ? ` (${rule.vendor})` : ''}`
    if (rule.tag) {
      if (!rule.vendor) throw new MappingCompileError(`${at}: a tag rule needs "vendor"`)
      const segments = segmentsOf(rule.vendor, at)
      level.tagRules.push({
        getter: makeGetter(segments),
        prefix: rule.tag.prefix,
        setter: makeSetter(segments),
      })
      continue
    }

    if (rule.const !== undefined) {
      if (rule.neutral && !rule.vendor) {
        const segments = segmentsOf(rule.neutral, at)
        const field = resolveNeutral(segments, schema)
        if (typeof field === 'string') throw new MappingCompileError(`${at}: neutral path ${rule.neutral}: ${field}`)
        if (!field.guard(rule.const)) throw new MappingCompileError(`${at}: const does not fit neutral ${rule.neutral}`)
        level.neutralConsts.push({
          getter: makeGetter(segments),
          setter: makeSetter(segments),
          value: rule.const,
          when: rule.when ? makeGetter(segmentsOf(rule.when, at)) : undefined,
        })
        continue
      }

      if (rule.vendor && !rule.neutral) {
        level.vendorConsts.push({setter: makeSetter(segmentsOf(rule.vendor, at)), value: rule.const})
        continue
      }

      throw new MappingCompileError(`${at}: const needs exactly one of "neutral" or "vendor"`)
    }

    if (!rule.neutral || !rule.vendor) throw new MappingCompileError(`${at}: a rule needs "neutral" and "vendor"`)
    const neutralSegments = segmentsOf(rule.neutral, at)
    const field = resolveNeutral(neutralSegments, schema)
    if (typeof field === 'string') throw new MappingCompileError(`${at}: neutral path ${rule.neutral}: ${field}`)
    const key = formatPath(neutralSegments)
    let group = groups.get(key)
    if (!group) {
      group = {
        segments: neutralSegments,
        defaultValue: rule.default,
        getter: makeGetter(neutralSegments),
        neutralPath: key,
        rules: [],
        setter: makeSetter(neutralSegments),
      }
      groups.set(key, group)
    } else if (rule.default !== undefined) {
      group.defaultValue = rule.default
    }

    group.rules.push(compileFieldRule(rule, at, field.guard, field.schema === Timestamp))
  }

  level.groups = [...groups.values()]

  for (const [index, collection] of (spec.collections ?? []).entries()) {
    const at = `${where} collection ${index + 1} (${collection.neutral} ⇄ ${collection.vendor})`
    const neutralSegments = segmentsOf(collection.neutral, at)
    const element = resolveNeutralArray(neutralSegments, schema)
    if (typeof element === 'string') throw new MappingCompileError(`${at}: neutral ${collection.neutral} ${element}`)
    if (typeof resolveNeutral(parsePath('extensions'), element) === 'string') {
      // Every element may need a lossless remainder, so it must be able to carry one.
      throw new MappingCompileError(`${at}: neutral ${collection.neutral} elements cannot carry extensions`)
    }

    const vendorSegments = segmentsOf(collection.vendor, at)
    const path = keyPath(vendorSegments, at)
    const compiled: CompiledCollection = {
      aliases: (collection.aliases ?? []).map((alias) => {
        const segments = segmentsOf(alias, at)
        const aliasKey = keyPath(segments, at)
        return {getter: makeGetter(segments), key: aliasKey, pointer: toPointer(aliasKey)}
      }),
      getter: makeGetter(vendorSegments),
      level: compileLevel(collection, element, `${at} >`, () => ({})),
      neutralGetter: makeGetter(neutralSegments),
      neutralPath: formatPath(neutralSegments),
      neutralSetter: makeSetter(neutralSegments),
      path,
      pointer: toPointer(path),
      route: collection.route
        ? {field: makeGetter(segmentsOf(collection.route.field, at)), values: new Set(collection.route.values)}
        : undefined,
      setter: makeSetter(vendorSegments),
    }
    level.collections.push(compiled)
    registerCollection(level.collectionTree, path, compiled)
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

  const generated = generatorInput(level)
  level.forward = generateForward(generated)
  level.rebuild = generateRebuild(generated)
  return level
}

function generatorInput(level: Level): GenLevel {
  return {
    collections: level.collections.map((collection) => ({
      aliases: collection.aliases,
      childForward: (source, context, format) => collection.level.forward(source, context as HookContext, format),
      childRebuild: (neutral, context, format, applyAll) =>
        collection.level.rebuild(neutral, context as HookContext, format, applyAll),
      getter: collection.getter,
      label: collection.path.join('.'),
      neutralGetter: collection.neutralGetter,
      neutralSetter: collection.neutralSetter,
      pointer: collection.pointer,
      routed: (neutral) => routed(collection, neutral),
      setter: collection.setter,
    })),
    declined: (context, label) => count((context as HookContext).stats.declined, label),
    elementError(collection, index, element, error) {
      if (error === undefined)
        throw new RecordError(`${collection}[${index}]: expected an object, got ${describeKind(element)}`)
      if (error instanceof RecordError) throw new RecordError(`${collection}[${index}].${error.message}`)
      throw error
    },
    finishForward: (source, out, context, format, renamed) =>
      finishForward(
        level,
        source as JsonObject,
        out,
        context as HookContext,
        format,
        renamed as Record<string, string> | undefined,
      ),
    finishRebuild: (neutral, out, context, format, applyAll) =>
      finishRebuild(level, neutral as JsonObject, out, context as HookContext, format, applyAll),
    groups: level.groups,
    noHome: (context, path) => count((context as HookContext).stats.noHome, path),
    skeleton: level.skeleton,
  }
}

/** Collections that feed one neutral array must route its elements back to disjoint vendor arrays. */
function checkRoutes(collections: CompiledCollection[], where: string): void {
  for (const c of collections) {
    const shared = collections.filter((other) => other !== c && other.neutralPath === c.neutralPath)
    if (shared.length === 0) continue
    if (!c.route) throw new MappingCompileError(`${where}: collections sharing ${c.neutralPath} each need a "route"`)
    for (const other of shared) {
      for (const value of c.route.values) {
        if (other.route?.values.has(value)) {
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

function compileFieldRule(rule: MappingRule, at: string, fieldGuard: Guard, timestampField: boolean): FieldRule {
  const segments = segmentsOf(rule.vendor!, at)
  const ref = rule.transform ?? 'identity'
  const name = typeof ref === 'string' ? ref : ref.name
  const options: TransformOptions = (typeof ref === 'string' ? undefined : ref.options) ?? {}
  const transform = transforms[name]
  if (!transform) throw new MappingCompileError(`${at}: unknown transform "${name}"`)
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

// ---------------------------------------------------------------- vendor → neutral

function extensionOf(neutral: JsonObject, format: string, create: boolean): Extension | undefined {
  let extensions = neutral.extensions as Record<string, Extension> | undefined
  if (!extensions) {
    if (!create) return undefined
    extensions = {}
    neutral.extensions = extensions
  }

  let extension = extensions[format]
  if (!extension && create) {
    extension = {}
    setOwn(extensions as JsonObject, format, extension)
  }

  return extension
}

/** The rare parts of vendor → neutral, after the generated rules and collections. */
function finishForward(
  level: Level,
  source: JsonObject,
  out: JsonObject,
  context: HookContext,
  format: string,
  renamed: Record<string, string> | undefined,
): void {
  for (const tag of level.tagRules) {
    const raw = tag.getter(source)
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
      const tags = (out.tags as string[] | undefined) ?? []
      tags.push(`${tag.prefix}${String(raw)}`)
      out.tags = tags
    }
  }

  for (const constant of level.neutralConsts) {
    if (constant.getter(out) !== undefined) continue
    if (constant.when && constant.when(out) === undefined) continue
    constant.setter(out, cloneJson(constant.value))
  }

  for (const hook of level.hooks) hook.toNeutral?.(source, out, context)

  for (const {field, sources} of level.required) {
    if (out[field] === undefined)
      throw new RecordError(`${sources}: missing or not usable (needed for the neutral ${field})`)
  }

  if (renamed && !context.withoutExtensions) extensionOf(out, format, true)!.renamed = renamed
}

// ---------------------------------------------------------------- neutral → vendor

/** The rare parts of neutral → vendor, after the generated rules and collections. */
function finishRebuild(
  level: Level,
  neutral: JsonObject,
  out: JsonObject,
  context: HookContext,
  format: string,
  applyAll: boolean,
): void {
  for (const constant of level.vendorConsts) constant.setter(out, cloneJson(constant.value))

  if (level.tagRules.length > 0) {
    const tags = Array.isArray(neutral.tags) ? (neutral.tags as unknown[]) : []
    for (const tag of level.tagRules) {
      if (tag.prefix === '') continue // an unprefixed tag cannot be told apart; the diff keeps the source value
      const found = tags.find((t): t is string => typeof t === 'string' && t.startsWith(tag.prefix))
      if (found !== undefined) tag.setter(out, found.slice(tag.prefix.length))
    }
  }

  for (const hook of level.hooks) hook.fromNeutral?.(neutral, out, context)

  const extension = extensionOf(neutral, format, false)
  if (extension)
    applyExtension(out, applyAll ? extension : {...(extension.renamed ? {renamed: extension.renamed} : {})})
}

function routed(collection: CompiledCollection, neutral: JsonObject): JsonObject[] {
  const all = collection.neutralGetter(neutral)
  if (!Array.isArray(all)) return []
  const elements = all.filter((e): e is JsonObject => isPlainObject(e))
  if (!collection.route) return elements
  const {field, values} = collection.route
  return elements.filter((element) => values.has(field(element)))
}

function applyExtension(out: JsonObject, extension: Extension): void {
  if (extension.renamed) {
    for (const [from, to] of Object.entries(extension.renamed)) {
      const value = removeAt(out, fromPointer(from))
      if (value !== undefined) setAt(out, fromPointer(to), value)
    }
  }

  if (extension.unmapped) mergeInto(out, extension.unmapped)
  if (extension.original) {
    for (const [pointer, value] of Object.entries(extension.original))
      setAt(out, fromPointer(pointer), cloneJson(value))
  }

  if (extension.absent) {
    for (const pointer of extension.absent) removeAt(out, fromPointer(pointer))
  }
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) {
    const value = source[key]
    const existing = hasOwn(target, key) ? target[key] : undefined
    if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value)
    else setOwn(target, key, cloneJson(value))
  }
}

// ---------------------------------------------------------------- the lossless diff

/**
 * Compare the source record with its rebuild and store the difference in the neutral record's extension.
 * Collection elements are paired with the neutral elements they were rebuilt from, so each element's
 * remainder travels with it.
 */
function attachDiff(level: Level, source: JsonObject, rebuilt: JsonObject, neutral: JsonObject, format: string): void {
  const diff: Extension = {}
  walk(level.collectionTree, source, rebuilt, '', undefined, neutral, format, diff)
  if (diff.unmapped || diff.original || diff.absent) {
    const extension = extensionOf(neutral, format, true)!
    // A second diff (against a base mapping's rebuild) only adds corrections; all carry source values.
    if (diff.unmapped) {
      if (extension.unmapped) {
        // The first diff's unmapped values are the input's own objects: merge into a copy, never into the input.
        const merged = cloneJson(extension.unmapped)
        mergeInto(merged, diff.unmapped)
        extension.unmapped = merged
      } else {
        extension.unmapped = diff.unmapped
      }
    }

    if (diff.original) extension.original = {...extension.original, ...diff.original}
    if (diff.absent) extension.absent = [...new Set([...(extension.absent ?? []), ...diff.absent])]
  }
}

interface UnmappedParent {
  key: string
  unmapped: () => JsonObject
}

/**
 * Walks the source and its rebuild side by side. `pointer` is the JSON Pointer of `source`; the object in
 * `diff.unmapped` that mirrors `source` is created only when something below needs it.
 */
function walk(
  tree: Map<string, CollectionNode> | undefined,
  source: JsonObject,
  rebuilt: JsonObject,
  pointer: string,
  parent: undefined | UnmappedParent,
  neutral: JsonObject,
  format: string,
  diff: Extension,
): void {
  let unmappedHere: JsonObject | undefined
  const unmapped = (): JsonObject => {
    if (unmappedHere) return unmappedHere
    if (parent) {
      const container = parent.unmapped()
      const existing = hasOwn(container, parent.key) ? container[parent.key] : undefined
      if (isPlainObject(existing)) {
        unmappedHere = existing
      } else {
        unmappedHere = {}
        setOwn(container, parent.key, unmappedHere)
      }
    } else {
      diff.unmapped ??= {}
      unmappedHere = diff.unmapped
    }

    return unmappedHere
  }

  let shared = 0
  for (const key of Object.keys(source)) {
    const value = source[key]
    const other = rebuilt[key]
    // A rebuilt value is JSON data, never a function: a function or nothing here means the key is not its own (an
    // inherited toString), which only hasOwn can tell apart. `__proto__` always reads the prototype, so always asks.
    if ((other === undefined || typeof other === 'function' || key === '__proto__') && !hasOwn(rebuilt, key)) {
      setOwn(unmapped(), key, value)
      continue
    }

    shared++
    if (value === other) continue
    if (typeof value !== 'object' || value === null) {
      // Two different scalars, or a scalar and a container: unequal either way.
      ;(diff.original ??= {})[childPointer(pointer, key)] = value
      continue
    }

    const node = tree?.get(key)
    if (node?.collection && Array.isArray(value) && Array.isArray(other)) {
      if (!pairElements(node.collection, value, other, neutral, format)) {
        ;(diff.original ??= {})[childPointer(pointer, key)] = value
      }

      continue
    }

    if (isPlainObject(value) && isPlainObject(other)) {
      walk(node?.children, value, other, childPointer(pointer, key), {key, unmapped}, neutral, format, diff)
      continue
    }

    if (!deepEqual(value, other)) (diff.original ??= {})[childPointer(pointer, key)] = value
  }

  // Every rebuilt key the source also has was counted above; only when some are left is there anything absent.
  const rebuiltKeys = Object.keys(rebuilt)
  if (rebuiltKeys.length === shared) return
  for (const key of rebuiltKeys) {
    if (!hasOwn(source, key)) (diff.absent ??= []).push(childPointer(pointer, key))
  }
}

function pairElements(
  collection: CompiledCollection,
  source: unknown[],
  rebuilt: unknown[],
  neutral: JsonObject,
  format: string,
): boolean {
  const elements = routed(collection, neutral)
  if (elements.length !== source.length || rebuilt.length !== source.length) return false
  for (const [i, element] of elements.entries()) {
    const from = source[i]
    const to = rebuilt[i]
    if (!isPlainObject(from) || !isPlainObject(to)) return false
    attachDiff(collection.level, from, to, element, format)
  }

  return true
}
