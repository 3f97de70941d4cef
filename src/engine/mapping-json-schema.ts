import {z} from 'zod'

import {MappingFile} from '../schemas/mapping.js'
import {NeutralConversation} from '../schemas/neutral.js'
import {hooks} from './hooks/index.js'
import {isPlainObject, type JsonObject} from './json.js'
import {levelPaths} from './neutral-paths.js'
import {transforms} from './transforms.js'

/** A path with an index, `[]` or a filter (`[k=v]`), or a reference (`$vendor.x`, `@x`): checked by the loader. */
const INDEXED_OR_FILTERED = String.raw`\[`
const REFERENCE = String.raw`^[$@]`

/**
 * schemas/mapping.schema.json: the zod model of the mapping file, with what an editor should offer filled in from the
 * engine itself, never from hand-written lists: transform names (transforms.ts), hook names (hooks/index.ts), and the
 * neutral paths of each level (from NeutralConversation): the conversation's for top-level rules, an element's for the
 * rules of the collection whose `neutral` names its array (`if`/`then` on that name). A path that may hold an index,
 * a filter or a reference stays a free string matched by a pattern.
 */
export function mappingJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(MappingFile, {io: 'input', target: 'draft-2020-12'}) as JsonObject
  const transformNames = Object.keys(transforms).sort()
  const hookNames = Object.keys(hooks).sort()
  visit(schema, (key, node) => {
    if (key === 'transform') {
      for (const branch of stringBranches(node)) branch.enum = transformNames
      for (const branch of objectBranches(node))
        for (const name of stringBranches(branch.properties.name)) name.enum = transformNames
    }

    if (key === 'hooks' && isPlainObject(node.items)) node.items.enum = hookNames
  })

  const defs = schema.$defs as JsonObject
  const root = levelPaths()
  restrictRules(schema, {defs, name: 'neutral-paths', paths: root})
  const collection = collectionSchema(schema)
  const arrays = arraysByName()
  for (const branch of stringBranches(collection.properties.neutral)) {
    branch.anyOf = [{enum: [...arrays.keys()].sort()}, {pattern: INDEXED_OR_FILTERED}]
  }

  collection.allOf = [...arrays.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, paths]) => {
      const rules: JsonObject = {properties: {rules: {items: {}}}}
      restrictRules(rules, {defs, name: `neutral-paths-${name}`, paths})
      // JSON Schema's own if/then keywords (not a promise).
      // eslint-disable-next-line unicorn/no-thenable
      return {if: {properties: {neutral: {const: name}}, required: ['neutral']}, then: rules}
    })
  return schema
}

type SchemaNode = JsonObject & {properties: Record<string, JsonObject>}

/** The neutral paths of the rules (and their `when`) of one level, defined once under `$defs` as `name`. */
function restrictRules(
  level: JsonObject,
  definition: {defs: JsonObject; name: string; paths: {fields: string[]; open: string[]}},
): void {
  const {defs, name, paths} = definition
  // In a collection, "." is the element itself (a list of plain values: tags, summary strings).
  const element = name === 'neutral-paths' ? [] : ['.']
  defs[name] = {
    anyOf: [
      {enum: [...element, ...[...paths.fields].sort()]},
      ...paths.open.map((prefix) => ({pattern: `^${prefix.replaceAll('.', String.raw`\.`)}[.[]`})),
      ...(paths.open.includes('') ? [{pattern: '^'}] : []),
      {pattern: INDEXED_OR_FILTERED},
      {pattern: REFERENCE},
    ],
    description:
      'A neutral path at this level; with an index, a filter or a reference, any path (the loader checks it).',
  }
  const rule = ((level.properties as JsonObject).rules as JsonObject).items as JsonObject
  rule.properties ??= {}
  const properties = rule.properties as Record<string, JsonObject>
  for (const key of ['neutral', 'when']) {
    const branches = stringBranches(properties[key])
    if (branches.length === 0) properties[key] = {$ref: `#/$defs/${name}`}
    for (const branch of branches) branch.allOf = [{$ref: `#/$defs/${name}`}]
  }
}

/** Every array name a collection can fill, at any level, with the paths of its elements (merged across levels). */
function arraysByName(): Map<string, {fields: string[]; open: string[]}> {
  const out = new Map<string, {fields: string[]; open: string[]}>()
  const seen = new Set<z.ZodType>()
  const walk = (element: z.ZodType): void => {
    const level = levelPaths(element)
    for (const {element: inner, path} of level.arrays) {
      const paths = levelPaths(inner)
      const entry = out.get(path) ?? {fields: [], open: []}
      entry.fields = [...new Set([...entry.fields, ...paths.fields])]
      entry.open = [...new Set([...entry.open, ...paths.open])]
      out.set(path, entry)
      if (!seen.has(inner)) {
        seen.add(inner)
        walk(inner)
      }
    }

    // A free value filled by a collection: its elements are free too (any path, written '' here: every prefix).
    for (const path of level.free) if (!out.has(path)) out.set(path, {fields: [], open: ['']})
  }

  walk(NeutralConversation)
  return out
}

function collectionSchema(schema: JsonObject): SchemaNode {
  const items = ((schema.properties as JsonObject).collections as JsonObject).items as JsonObject
  const ref = typeof items.$ref === 'string' ? items.$ref.replace('#/$defs/', '') : undefined
  return (ref ? (schema.$defs as JsonObject)[ref] : items) as SchemaNode
}

/** The node itself when it is a string schema, or its string branches (anyOf, oneOf). */
function stringBranches(node: unknown): JsonObject[] {
  if (!isPlainObject(node)) return []
  if (node.type === 'string') return [node]
  const branches = [...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])]
  return branches.filter((b): b is JsonObject => isPlainObject(b) && b.type === 'string')
}

function objectBranches(node: JsonObject): SchemaNode[] {
  const branches = [node, ...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])]
  return branches.filter((b): b is SchemaNode => isPlainObject(b) && isPlainObject(b.properties))
}

/** Calls `fn` with every property schema of the tree, by its property name. */
function visit(node: unknown, fn: (key: string, node: JsonObject) => void): void {
  if (Array.isArray(node)) for (const item of node) visit(item, fn)
  if (!isPlainObject(node)) return
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isPlainObject(value)) {
      for (const [name, property] of Object.entries(value)) if (isPlainObject(property)) fn(name, property)
    }

    visit(value, fn)
  }
}
