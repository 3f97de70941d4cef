import {readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ConvoshiftError, ExitCode, unknownShape} from '../errors.js'
import {type MappingCollection, MappingFile, type MappingFileInput, type MappingRule} from '../schemas/mapping.js'
import {type CompiledMapping, compileMapping} from './compile.js'
import {MappingCompileError} from './errors.js'

/** The folder of built-in mapping files, whether running from src/ (dev, tests) or dist/. */
export const BUILT_IN_MAPPINGS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'mappings')

/** Built-in record shapes, from the mapping files shipped in mappings/. */
export function builtInFormats(): string[] {
  return readdirSync(BUILT_IN_MAPPINGS)
    .filter((name) => name.endsWith('.json'))
    .map((name) => basename(name, '.json'))
    .sort()
}

async function readMappingFile(path: string, label: string): Promise<MappingFileInput> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new ConvoshiftError(
      `${label}: ${code === 'ENOENT' ? 'no such mapping file' : `cannot read mapping file (${code})`}`,
      {
        code: 'MAPPING_NOT_FOUND',
        exitCode: ExitCode.InvalidMapping,
        suggestions: [`built-in formats: ${builtInFormats().join(', ')}`],
      },
    )
  }

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConvoshiftError(`${label}: mapping file is not valid JSON (${(error as Error).message})`, {
      code: 'MAPPING_INVALID',
      exitCode: ExitCode.InvalidMapping,
    })
  }

  const parsed = MappingFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)'
    throw new ConvoshiftError(`${label}: invalid mapping at ${where}: ${issue.message}`, {
      code: 'MAPPING_INVALID',
      exitCode: ExitCode.InvalidMapping,
      suggestions: ['see schemas/mapping.schema.json and mappings/README.md'],
    })
  }

  return parsed.data
}

/**
 * Read a mapping by built-in format name or file path, resolve `extends`, validate and compile it.
 * A rule in an extending file replaces the base rule with the same vendor path (and neutral path); others
 * are added. Collections merge by vendor path the same way.
 */
export async function loadMapping(nameOrPath: string, seen: string[] = []): Promise<CompiledMapping> {
  const definition = await resolveDefinition(nameOrPath, seen)
  try {
    const base = definition.format === nameOrPath ? undefined : await resolveDefinition(definition.format, [])
    return compileMapping(definition, base)
  } catch (error) {
    if (error instanceof MappingCompileError) {
      throw new ConvoshiftError(`${labelOf(nameOrPath)}: ${error.message}`, {
        code: 'MAPPING_INVALID',
        exitCode: ExitCode.InvalidMapping,
      })
    }

    throw error
  }
}

function isBuiltIn(nameOrPath: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(nameOrPath)
}

function labelOf(nameOrPath: string): string {
  return isBuiltIn(nameOrPath) ? `mappings/${nameOrPath}.json` : nameOrPath
}

async function resolveDefinition(nameOrPath: string, seen: string[]): Promise<MappingFile> {
  const path = isBuiltIn(nameOrPath) ? join(BUILT_IN_MAPPINGS, `${nameOrPath}.json`) : resolve(nameOrPath)
  if (seen.includes(path)) {
    throw new ConvoshiftError(`${labelOf(nameOrPath)}: "extends" forms a cycle`, {
      code: 'MAPPING_INVALID',
      exitCode: ExitCode.InvalidMapping,
    })
  }

  if (isBuiltIn(nameOrPath) && !builtInFormats().includes(nameOrPath)) {
    throw unknownShape(nameOrPath, ['neutral', ...builtInFormats()])
  }

  const file = await readMappingFile(path, labelOf(nameOrPath))
  if (!file.extends) {
    if (!file.format || !file.vendor) {
      throw new ConvoshiftError(
        `${labelOf(nameOrPath)}: a mapping needs "format" and "vendor" unless it "extends" another`,
        {
          code: 'MAPPING_INVALID',
          exitCode: ExitCode.InvalidMapping,
        },
      )
    }

    return {...file, format: file.format, vendor: file.vendor}
  }

  const base = await resolveDefinition(file.extends, [...seen, path])
  return extendMapping(base, file)
}

function ruleKey(rule: MappingRule): string {
  const side = (path: MappingRule['neutral']): string =>
    typeof path === 'object' ? JSON.stringify(path) : (path ?? '')
  return `${side(rule.vendor)}\u0000${rule.tag ? 'tag' : side(rule.neutral)}${rule.from ? `\u0000${rule.from}` : ''}`
}

function mergeRules(base: MappingRule[], extra: MappingRule[]): MappingRule[] {
  const replaced = new Map(extra.map((rule) => [ruleKey(rule), rule]))
  const merged = base.map((rule) => replaced.get(ruleKey(rule)) ?? rule)
  const baseKeys = new Set(base.map((rule) => ruleKey(rule)))
  return [...merged, ...extra.filter((rule) => !baseKeys.has(ruleKey(rule)))]
}

function mergeCollections(base: MappingCollection[] = [], extra: MappingCollection[] = []): MappingCollection[] {
  const out = base.map((collection) => {
    const over = extra.find((c) => sameCollection(c, collection))
    if (!over) return collection
    return {
      ...collection,
      collections: mergeCollections(collection.collections, over.collections),
      hooks: [...new Set([...(collection.hooks ?? []), ...(over.hooks ?? [])])],
      rules: mergeRules(collection.rules, over.rules),
    }
  })
  return [...out, ...extra.filter((c) => !base.some((b) => sameCollection(c, b)))]
}

/** An extending collection names the base one by its vendor path, and by its route where several share the path. */
function sameCollection(extra: MappingCollection, base: MappingCollection): boolean {
  return (
    extra.vendor === base.vendor &&
    (extra.route === undefined || JSON.stringify(extra.route) === JSON.stringify(base.route))
  )
}

/** The format stays the base's, so extensions written with an extended mapping read back with the built-in one. */
export function extendMapping(base: MappingFile, extra: MappingFileInput): MappingFile {
  return {
    ...base,
    assumptions: [...(base.assumptions ?? []), ...(extra.assumptions ?? [])],
    collections: mergeCollections(base.collections, extra.collections),
    envelope: extra.envelope ?? base.envelope,
    hooks: [...new Set([...(base.hooks ?? []), ...(extra.hooks ?? [])])],
    identity: extra.identity ?? base.identity,
    require: {...base.require, ...extra.require},
    rules: mergeRules(base.rules, extra.rules),
    unsupported: [...new Set([...(base.unsupported ?? []), ...(extra.unsupported ?? [])])],
  }
}
