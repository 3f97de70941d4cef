import {z} from 'zod'

import {type MappingCollection, type MappingFile} from '../schemas/mapping.js'
import {parsePath} from './paths.js'

/**
 * A zod schema for one vendor record, derived from its mapping: the `require`d paths with their JSON
 * types, and every collection an array of objects. Everything else is open (vendors add fields).
 */
export type RecordCheck = (record: unknown) => string | undefined

/**
 * A leaf of the record shape: its zod schema (the boundary check and its error message) and a plain predicate that
 * accepts only values the schema accepts. The predicate runs on every record; zod runs only when it says no, to find
 * the first problem (or to overrule it: the predicate may be stricter, never looser).
 */
interface Leaf {
  schema: z.ZodType
  test: (value: unknown) => boolean
}

type Shape = {children: Map<string, Shape>; leaf?: Leaf; optional: boolean}
type Test = (value: unknown) => boolean

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value)

const TYPES: Record<string, () => Leaf> = {
  array: () => ({schema: z.array(z.unknown()), test: Array.isArray}),
  boolean: () => ({schema: z.boolean(), test: (value) => typeof value === 'boolean'}),
  number: () => ({schema: z.number(), test: isNumber}),
  object: () => ({schema: z.looseObject({}), test: isObject}),
  string: () => ({schema: z.string(), test: (value) => typeof value === 'string'}),
  'string|number': () => ({
    schema: z.union([z.string(), z.number()]),
    test: (value) => typeof value === 'string' || isNumber(value),
  }),
}

function node(): Shape {
  return {children: new Map(), optional: true}
}

function insert(root: Shape, path: string, leaf: Leaf, optional: boolean): void {
  let current = root
  for (const segment of parsePath(path)) {
    if (segment.kind !== 'key') return // requirements through arrays are checked by the mapping itself
    let child = current.children.get(segment.key)
    if (!child) {
      child = node()
      current.children.set(segment.key, child)
    }

    if (!optional) child.optional = false
    current = child
  }

  current.leaf = leaf
}

/**
 * What a collection's vendor path must hold: an array of objects, or with `one` the object itself (its own nested
 * collections checked). The other shapes (`zip`, `distinct`, `parse`, the record itself) are read as they come, and
 * so is a list only some elements have (`omitEmpty`): a bot's options inside an outMsg that may be a plain string.
 */
function collectionLeaf(collection: MappingCollection): Leaf | undefined {
  if (collection.zip || collection.distinct || collection.parse || collection.vendor === '$' || collection.omitEmpty)
    return undefined
  const element = node()
  for (const nested of collection.collections ?? []) {
    const leaf = collectionLeaf(nested)
    if (leaf) insert(element, nested.vendor, leaf, true)
  }

  const {schema, test} = build(element)
  if (collection.one) return {schema, test}
  // A plain placeholder the collection declares (`missing`: GraphQL's null for an empty list) stands for no elements.
  const literals = (collection.missing ?? []).filter(
    (m) => m === null || typeof m !== 'object',
  ) as z.core.util.Literal[]
  return {
    schema: literals.length > 0 ? z.union([z.array(schema), ...literals.map((m) => z.literal(m))]) : z.array(schema),
    test(value) {
      if (!Array.isArray(value)) return literals.includes(value as z.core.util.Literal)
      for (const item of value) if (!test(item)) return false
      return true
    },
  }
}

function build(shape: Shape): Leaf {
  if (shape.children.size === 0) return shape.leaf ?? {schema: z.unknown(), test: () => true}
  const fields: Record<string, z.ZodType> = {}
  const tests: Array<{key: string; optional: boolean; test: Test}> = []
  for (const [key, child] of shape.children) {
    const {schema, test} = build(child)
    fields[key] = child.optional ? schema.optional() : schema
    tests.push({key, optional: child.optional, test})
  }

  // A path both required as a leaf type and walked into: the object form wins (it implies the type).
  return {
    schema: z.looseObject(fields),
    test(value) {
      if (!isObject(value)) return false
      for (const {key, optional, test} of tests) {
        // Own data only: an inherited property (`toString`) is not a field of the record.
        const field = Object.hasOwn(value, key) ? value[key] : undefined
        if (field === undefined ? !optional : !test(field)) return false
      }

      return true
    },
  }
}

/** `quick: false` checks with zod alone (for tests comparing the two paths). */
export function compileRecordCheck(mapping: MappingFile, options: {quick?: boolean} = {}): RecordCheck {
  const root = node()
  for (const [path, type] of Object.entries(mapping.require ?? {})) insert(root, path, TYPES[type]!(), false)
  for (const collection of mapping.collections ?? []) {
    const leaf = collectionLeaf(collection)
    if (!leaf) continue
    insert(root, collection.vendor, leaf, true)
    for (const alias of collection.aliases ?? []) insert(root, alias, leaf, true)
  }

  const {schema, test} = build(root)
  const objectSchema = schema instanceof z.ZodObject ? schema : z.looseObject({})
  const quick: Test = options.quick === false ? () => false : schema instanceof z.ZodObject ? test : isObject
  return (record) => {
    if (quick(record)) return
    const result = objectSchema.safeParse(record, {reportInput: true})
    return result.success ? undefined : describeIssue(result.error.issues[0]!)
  }
}

/** One line, e.g. `info.conversationId: missing (expected string)`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  // A list or its placeholder (a collection's `missing`): say what the list needed.
  const [first] = issue.code === 'invalid_union' ? (issue.errors[0] ?? []) : []
  if (first) return describeIssue({...first, path: [...issue.path, ...first.path]} as z.core.$ZodIssue)
  const where = formatIssuePath(issue.path)
  if (issue.code === 'invalid_type') {
    const received = (issue as {input?: unknown}).input
    const got = received === undefined ? 'missing' : `got ${kindOf(received)}`
    return `${where}: ${got} (expected ${issue.expected})`
  }

  return `${where}: ${issue.message}`
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`
}

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return 'record'
  let out = ''
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : (out ? '.' : '') + String(part)
  }

  return out
}
