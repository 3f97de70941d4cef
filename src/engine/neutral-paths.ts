import type {z} from 'zod'

import {NeutralConversation, Timestamp, TIMESTAMP_PATTERN} from '../schemas/neutral.js'
import {type PathSegment} from './paths.js'

/**
 * Resolves neutral paths against the zod model once, at compile time, so a mapping with a typo'd neutral
 * path fails to load, and each rule gets a cheap type guard instead of a per-record zod parse.
 */
type ZodDef = {
  element?: z.ZodType
  entries?: Record<string, unknown>
  getter?: () => z.ZodType
  innerType?: z.ZodType
  shape?: Record<string, z.ZodType>
  type: string
  valueType?: z.ZodType
  values?: unknown[]
}

function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as {_zod: {def: ZodDef}})._zod.def
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  for (;;) {
    const def = defOf(current)
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType)
      current = def.innerType
    else if (def.type === 'lazy' && def.getter) current = def.getter()
    else return current
  }
}

export type Guard = (value: unknown) => boolean

export interface NeutralField {
  guard: Guard
  kind: string
  schema: z.ZodType
}

/** The schema for a collection element when `segments` names a neutral array (e.g. `messages`). */
export function resolveNeutral(
  segments: readonly PathSegment[],
  root: z.ZodType = NeutralConversation,
): NeutralField | string {
  let current = unwrap(root)
  for (const segment of segments) {
    const def = defOf(current)
    if (segment.kind === 'root') {
      // A reference into the whole record: only the neutral root has a schema here.
      if (segment.side === 'vendor') return {guard: (v) => v !== undefined, kind: 'unknown', schema: current}
      current = unwrap(NeutralConversation)
    } else if (segment.kind === 'key') {
      if (def.type === 'object' && def.shape) {
        const next = def.shape[segment.key]
        if (!next) return `"${segment.key}" is not a field of the neutral model here`
        current = unwrap(next)
      } else if (def.type === 'record' && def.valueType) {
        current = unwrap(def.valueType)
      } else if (def.type === 'unknown') {
        return {guard: (v) => v !== undefined, kind: 'unknown', schema: current}
      } else {
        return `"${segment.key}" cannot be read from a ${def.type}`
      }
    } else if (def.type === 'array' && def.element) {
      current = unwrap(def.element)
    } else {
      return `an index cannot be used on a ${def.type}`
    }
  }

  return {guard: guardFor(current), kind: defOf(current).type, schema: current}
}

function guardFor(schema: z.ZodType): Guard {
  const def = defOf(schema)
  switch (def.type) {
    case 'boolean': {
      return (v) => typeof v === 'boolean'
    }

    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}))
      return (v) => values.has(v)
    }

    case 'number': {
      return (v) => typeof v === 'number' && Number.isFinite(v)
    }

    case 'string': {
      // Timestamps get the model's own pattern (a per-value zod parse would dominate the mapping's cost).
      if (schema === Timestamp) return (v) => typeof v === 'string' && TIMESTAMP_PATTERN.test(v)
      const {checks} = (schema as unknown as {_zod: {def: {checks?: unknown[]}}})._zod.def
      if (checks && checks.length > 0) return (v) => typeof v === 'string' && schema.safeParse(v).success
      return (v) => typeof v === 'string'
    }

    case 'unknown': {
      return (v) => v !== undefined
    }

    default: {
      return (v) => schema.safeParse(v).success
    }
  }
}

/** The element schema of the neutral array at `segments` (for collections); a free-form field's is free-form. */
export function resolveNeutralArray(
  segments: readonly PathSegment[],
  root: z.ZodType = NeutralConversation,
): string | z.ZodType {
  const field = resolveNeutral(segments, root)
  if (typeof field === 'string') return field
  const def = defOf(field.schema)
  // A free-form field (`quickReplies`, parsed JSON) may hold a list: its elements are free-form too.
  if (def.type === 'unknown') return field.schema
  if (def.type !== 'array' || !def.element) return `is a ${def.type}, not an array`
  return unwrap(def.element)
}

/** Names of the required (non-optional) fields of a neutral object schema. */
export function requiredFields(schema: z.ZodType): string[] {
  const def = defOf(unwrap(schema))
  if (def.type !== 'object' || !def.shape) return []
  return Object.entries(def.shape)
    .filter(([, field]) => defOf(field).type !== 'optional')
    .map(([name]) => name)
}

/** The neutral paths a rule at one level can name without an index or a filter (for the mapping JSON Schema). */
export interface LevelPaths {
  /** The arrays of this level (collections fill them), with the schema of their elements. */
  arrays: Array<{element: z.ZodType; path: string}>
  /** Fields and nested fields, e.g. `customer.id`; arrays, records and free objects included. */
  fields: string[]
  /** Fields under which any key may follow (`customData`, `metadata`): records and free values. */
  open: string[]
  /** The free values among them (`quickReplies`): a collection may fill one with a list of free elements. */
  free: string[]
}

/** Walks a neutral object schema (the conversation, or an array's element) into the paths of its level. */
export function levelPaths(root: z.ZodType = NeutralConversation): LevelPaths {
  const paths: LevelPaths = {arrays: [], fields: [], free: [], open: []}
  const walk = (schema: z.ZodType, prefix: string): void => {
    for (const [key, field] of Object.entries(defOf(schema).shape ?? {})) {
      const path = prefix + key
      const inner = unwrap(field)
      const def = defOf(inner)
      paths.fields.push(path)
      if (def.type === 'object') walk(inner, `${path}.`)
      else if (def.type === 'record' || def.type === 'unknown') paths.open.push(path)
      if (def.type === 'unknown') paths.free.push(path)
      else if (def.type === 'array' && def.element) paths.arrays.push({element: unwrap(def.element), path})
    }
  }

  walk(unwrap(root), '')
  return paths
}
