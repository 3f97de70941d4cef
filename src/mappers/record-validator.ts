import {z} from 'zod'

import {type MappingCollection, type MappingFile} from '../schemas/mapping.js'
import {parsePath} from './paths.js'

/**
 * A zod schema for one vendor record, derived from its mapping: the `require`d paths with their JSON
 * types, and every collection an array of objects. Everything else is open (vendors add fields).
 */
export type RecordCheck = (record: unknown) => string | undefined

type Shape = {children: Map<string, Shape>; leaf?: z.ZodType; optional: boolean}

const TYPES: Record<string, () => z.ZodType> = {
  array: () => z.array(z.unknown()),
  boolean: () => z.boolean(),
  number: () => z.number(),
  object: () => z.looseObject({}),
  string: () => z.string(),
  'string|number': () => z.union([z.string(), z.number()]),
}

function node(): Shape {
  return {children: new Map(), optional: true}
}

function insert(root: Shape, path: string, leaf: z.ZodType, optional: boolean): void {
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

function collectionSchema(collection: MappingCollection): z.ZodType {
  const element = node()
  for (const nested of collection.collections ?? []) {
    insert(element, nested.vendor, collectionSchema(nested), true)
  }

  return z.array(build(element))
}

function build(shape: Shape): z.ZodType {
  if (shape.children.size === 0) return shape.leaf ?? z.unknown()
  const fields: Record<string, z.ZodType> = {}
  for (const [key, child] of shape.children) {
    const schema = build(child)
    fields[key] = child.optional ? schema.optional() : schema
  }

  // A path both required as a leaf type and walked into: the object form wins (it implies the type).
  return z.looseObject(fields)
}

export function compileRecordCheck(mapping: MappingFile): RecordCheck {
  const root = node()
  for (const [path, type] of Object.entries(mapping.require ?? {})) insert(root, path, TYPES[type]!(), false)
  for (const collection of mapping.collections ?? []) {
    insert(root, collection.vendor, collectionSchema(collection), true)
    for (const alias of collection.aliases ?? []) insert(root, alias, collectionSchema(collection), true)
  }

  const schema = build(root)
  const objectSchema = schema instanceof z.ZodObject ? schema : z.looseObject({})
  return (record) => {
    const result = objectSchema.safeParse(record, {reportInput: true})
    return result.success ? undefined : describeIssue(result.error.issues[0]!)
  }
}

/** One line, e.g. `info.conversationId: missing (expected string)`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
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
    out += typeof part === 'number' ? `[${part}]` : (out ? '.' : '') + String(part);
  }

  return out
}
