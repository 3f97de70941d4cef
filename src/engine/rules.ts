import type {z} from 'zod'

import {type MappingCollection, type MappingRule} from '../schemas/mapping.js'
import {Timestamp} from '../schemas/neutral.js'
import {makeGetter, makeSetter} from './accessors.js'
import {MappingCompileError} from './errors.js'
import {compileFieldRule, keyPath, segmentsOf} from './field-rule.js'
import {hooks as hookRegistry} from './hooks/index.js'
import {type JsonObject} from './json.js'
import {type CollectionNode, type CompiledCollection, type FieldGroup, type Level} from './level.js'
import {requiredFields, resolveNeutral, resolveNeutralArray} from './neutral-paths.js'
import {formatPath, parsePath, toPointer} from './paths.js'
import {forwardLevel, rebuildLevel} from './run.js'

/** The part of a mapping file that describes one level: the conversation, or a collection's elements. */
export interface LevelSpec {
  collections?: MappingCollection[] | undefined
  hooks?: string[] | undefined
  rules: MappingRule[]
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
    forward: (source, context, format) => forwardLevel(level, source, context, format),
    groups: [],
    hooks: [],
    neutralConsts: [],
    rebuild: (element, context, format, applyAll) => rebuildLevel(level, element, context, {applyAll, format}),
    required: [],
    skeleton,
    tagRules: [],
    vendorConsts: [],
  }

  const groups = new Map<string, FieldGroup>()
  for (const [index, rule] of spec.rules.entries()) {
    const named = rule.neutral ? ` (${rule.neutral})` : rule.vendor ? ` (${rule.vendor})` : ''
    const at = `${where} rule ${index + 1}${named}`
    blame(rule, at, () => addRule(level, groups, rule, {at, schema}))
  }

  level.groups = [...groups.values()]
  for (const [index, collection] of (spec.collections ?? []).entries()) {
    const at = `${where} collection ${index + 1} (${collection.neutral} ⇄ ${collection.vendor})`
    const compiled = blame(collection, at, () => compileCollection(collection, schema, at))
    level.collections.push(compiled)
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

/** A tag rule, a constant, or a field rule (grouped with the other rules of its neutral field). */
function addRule(
  level: Level,
  groups: Map<string, FieldGroup>,
  rule: MappingRule,
  place: {at: string; schema: z.ZodType},
): void {
  const {at, schema} = place
  if (rule.tag) {
    if (!rule.vendor) throw new MappingCompileError(`${at}: a tag rule needs "vendor"`)
    const segments = segmentsOf(rule.vendor, at)
    level.tagRules.push({
      getter: makeGetter(segments),
      origin: rule,
      prefix: rule.tag.prefix,
      setter: makeSetter(segments),
    })
    return
  }

  if (rule.const !== undefined) {
    addConst(level, rule, place)
    return
  }

  if (!rule.neutral || !rule.vendor) throw new MappingCompileError(`${at}: a rule needs "neutral" and "vendor"`)
  const neutralSegments = segmentsOf(rule.neutral, at)
  const field = resolveNeutral(neutralSegments, schema)
  if (typeof field === 'string') throw new MappingCompileError(`${at}: neutral path ${rule.neutral}: ${field}`)
  const key = formatPath(neutralSegments)
  let group = groups.get(key)
  if (!group) {
    group = {
      defaultValue: rule.default,
      forwardRules: [],
      getter: makeGetter(neutralSegments),
      neutralPath: key,
      rebuildRules: [],
      rules: [],
      segments: neutralSegments,
      setter: makeSetter(neutralSegments),
    }
    groups.set(key, group)
  } else if (rule.default !== undefined) {
    group.defaultValue = rule.default
  }

  const compiled = compileFieldRule(rule, at, field.guard, field.schema === Timestamp)
  group.rules.push(compiled)
  if (compiled.direction !== 'fromNeutral') group.forwardRules.push(compiled)
  if (compiled.direction !== 'toNeutral') group.rebuildRules.push(compiled)
}

/** A constant written on one side only: a neutral field's value when the vendor has none, or a vendor field's. */
function addConst(level: Level, rule: MappingRule, place: {at: string; schema: z.ZodType}): void {
  const {at, schema} = place
  if (rule.neutral && !rule.vendor) {
    const segments = segmentsOf(rule.neutral, at)
    const field = resolveNeutral(segments, schema)
    if (typeof field === 'string') throw new MappingCompileError(`${at}: neutral path ${rule.neutral}: ${field}`)
    if (!field.guard(rule.const)) throw new MappingCompileError(`${at}: const does not fit neutral ${rule.neutral}`)
    level.neutralConsts.push({
      getter: makeGetter(segments),
      origin: rule,
      setter: makeSetter(segments),
      value: rule.const,
      when: rule.when ? makeGetter(segmentsOf(rule.when, at)) : undefined,
    })
    return
  }

  if (rule.vendor && !rule.neutral) {
    level.vendorConsts.push({setter: makeSetter(segmentsOf(rule.vendor, at)), value: rule.const})
    return
  }

  throw new MappingCompileError(`${at}: const needs exactly one of "neutral" or "vendor"`)
}

function compileCollection(collection: MappingCollection, schema: z.ZodType, at: string): CompiledCollection {
  const neutralSegments = segmentsOf(collection.neutral, at)
  const element = resolveNeutralArray(neutralSegments, schema)
  if (typeof element === 'string') throw new MappingCompileError(`${at}: neutral ${collection.neutral} ${element}`)
  if (typeof resolveNeutral(parsePath('extensions'), element) === 'string') {
    // Every element may need a lossless remainder, so it must be able to carry one.
    throw new MappingCompileError(`${at}: neutral ${collection.neutral} elements cannot carry extensions`)
  }

  const vendorSegments = segmentsOf(collection.vendor, at)
  const path = keyPath(vendorSegments, at)
  return {
    aliases: (collection.aliases ?? []).map((alias) => {
      const segments = segmentsOf(alias, at)
      const aliasKey = keyPath(segments, at)
      return {getter: makeGetter(segments), key: aliasKey, pointer: toPointer(aliasKey)}
    }),
    getter: makeGetter(vendorSegments),
    label: path.join('.'),
    level: compileLevel(collection, {schema: element, skeleton: () => ({})}, `${at} >`),
    neutralGetter: makeGetter(neutralSegments),
    neutralPath: formatPath(neutralSegments),
    neutralSetter: makeSetter(neutralSegments),
    origin: collection,
    path,
    pointer: toPointer(path),
    route: collection.route
      ? {field: makeGetter(segmentsOf(collection.route.field, at)), values: new Set(collection.route.values)}
      : undefined,
    setter: makeSetter(vendorSegments),
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
