import type {z} from 'zod'

import {type ConvoshiftError} from '../errors.js'
import {MappingCollection, MappingFile, type MappingFileInput, MappingRule} from '../schemas/mapping.js'
import {closest} from '../util/edit-distance.js'
import {hooks} from './hooks/index.js'
import {type JsonPath, mappingError, type MappingSource} from './mapping-source.js'
import {transforms} from './transforms.js'

/** Where a rule or collection object of a parsed mapping came from: its file and its JSON path there. */
export type Origins = WeakMap<object, {path: JsonPath; source: MappingSource}>

/**
 * Validates one mapping file on its own (before `extends` merges it into another), so each error is in the file's
 * own numbering: the schema, then the names it uses (transforms, hooks). Records each rule's and collection's origin.
 */
export function checkMappingFile(source: MappingSource, origins: Origins): MappingFileInput {
  const parsed = MappingFile.safeParse(source.value)
  if (!parsed.success) throw schemaError(source, parsed.error.issues[0]!)
  const file = parsed.data
  walkLevels(file, [], (level, path) => {
    for (const [index, rule] of level.rules.entries()) {
      origins.set(rule, {path: [...path, 'rules', index], source})
      checkRule(source, rule, [...path, 'rules', index])
    }

    for (const [index, name] of (level.hooks ?? []).entries()) {
      if (!Object.hasOwn(hooks, name))
        throw unknownName(source, [...path, 'hooks', index], {kind: 'hook', name, registry: hooks})
    }

    if (level !== file) origins.set(level, {path, source})
  })
  if (file.carry?.transform) checkTransform(source, file.carry.transform, ['carry', 'transform'])
  return file
}

interface LevelLike {
  collections?: MappingCollection[] | undefined
  hooks?: string[] | undefined
  rules: MappingRule[]
}

function walkLevels(level: LevelLike, path: JsonPath, visit: (level: LevelLike, path: JsonPath) => void): void {
  visit(level, path)
  for (const [index, collection] of (level.collections ?? []).entries())
    walkLevels(collection, [...path, 'collections', index], visit)
}

function checkRule(source: MappingSource, rule: MappingRule, path: JsonPath): void {
  if (rule.transform) checkTransform(source, rule.transform, [...path, 'transform'])
  // A tag takes one value: a path through [] reads a list, which the tag rule would skip on every record.
  if (rule.tag && typeof rule.vendor === 'string' && rule.vendor.includes('[]')) {
    throw mappingError(
      source,
      [...path, 'vendor'],
      `vendor path "${rule.vendor}" projects a list into a tag; pick one element with a filter, e.g. events[sdeType=CUSTOMER_INFO]`,
      {place: path},
    )
  }
}

function checkTransform(source: MappingSource, ref: NonNullable<MappingRule['transform']>, path: JsonPath): void {
  const name = typeof ref === 'string' ? ref : ref.name
  if (!Object.hasOwn(transforms, name)) {
    const at = typeof ref === 'string' ? path : [...path, 'name']
    throw unknownName(source, at, {kind: 'transform', name, registry: transforms})
  }
}

function unknownName(
  source: MappingSource,
  path: JsonPath,
  named: {kind: 'hook' | 'transform'; name: string; registry: object},
): ConvoshiftError {
  const {kind, name, registry} = named
  const near = closest(name, Object.keys(registry))
  return mappingError(source, path, `unknown ${kind} "${name}"${near ? ` (did you mean ${near}?)` : ''}`, {
    // A hook by its list (`"hooks"`), a transform by its rule (`rule 2`).
    place: kind === 'hook' ? path.slice(0, -1) : path.slice(0, path.lastIndexOf('transform')),
    suggestions: [`${kind}s: ${Object.keys(registry).join(', ')}`],
  })
}

/** Keys allowed where an unknown key was found, for "did you mean". */
function knownKeys(path: JsonPath): string[] {
  const parent = path.at(-2)
  if (path.length === 0) return Object.keys(MappingFile.shape)
  if (parent === 'rules') return Object.keys(MappingRule.shape)
  if (parent === 'collections') return Object.keys((MappingCollection as unknown as LazyObject).unwrap().shape)
  return []
}

type LazyObject = {unwrap(): {shape: Record<string, unknown>}}

function schemaError(source: MappingSource, issue: z.core.$ZodIssue): ConvoshiftError {
  const path = issue.path as JsonPath
  if (issue.code === 'unrecognized_keys') {
    const [key] = issue.keys
    const near = closest(key!, knownKeys(path))
    return mappingError(source, [...path, key!], `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}`, {
      key: true,
      place: path,
      suggestions: ['see schemas/mapping.schema.json and mappings/README.md'],
    })
  }

  const what = issue.message.replace(/^Invalid input: /, '')
  return mappingError(source, path, what.charAt(0).toLowerCase() + what.slice(1), {
    suggestions: ['see schemas/mapping.schema.json and mappings/README.md'],
  })
}
