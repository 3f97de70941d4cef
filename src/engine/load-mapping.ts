import {existsSync, readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ConvoshiftError, ExitCode, unknownShape} from '../errors.js'
import {type MappingCollection, type MappingFile, type MappingFileInput, type MappingRule} from '../schemas/mapping.js'
import {closest} from '../util/edit-distance.js'
import {type CompiledMapping, compileMapping} from './compile.js'
import {MappingCompileError} from './errors.js'
import {checkMappingFile, type Origins} from './mapping-checks.js'
import {mappingError, type MappingSource, parseMappingSource} from './mapping-source.js'

/** The folder of built-in mapping files, whether running from src/ (dev, tests) or dist/. */
export const BUILT_IN_MAPPINGS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'mappings')

/** Built-in record shapes, from the mapping files shipped in mappings/. */
export function builtInFormats(): string[] {
  return readdirSync(BUILT_IN_MAPPINGS)
    .filter((name) => name.endsWith('.json'))
    .map((name) => basename(name, '.json'))
    .sort()
}

async function readMappingFile(path: string, label: string): Promise<MappingSource> {
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

  return parseMappingSource(text, {label, path})
}

/** One file of a mapping's `extends` chain, as written (before merging), with its text for locating errors. */
export interface MappingChainFile {
  file: MappingFileInput
  source: MappingSource
}

/** A compiled mapping with the files it was made of, the named one first, its base last. */
export interface LoadedMapping {
  chain: MappingChainFile[]
  mapping: CompiledMapping
  /** Where each rule and collection object of the merged definition was written. */
  origins: Origins
}

/**
 * Read a mapping by built-in format name or file path, resolve `extends`, validate and compile it.
 * A rule in an extending file replaces the base rule with the same vendor path (and neutral path); others
 * are added. Collections merge by vendor path the same way.
 */
export async function loadMapping(nameOrPath: string): Promise<CompiledMapping> {
  return (await loadMappingChain(nameOrPath)).mapping
}

/**
 * loadMapping, keeping the files of the chain: every error names the file, line and column, and the rule by its number
 * in that file (`mapping check` reports rules so too).
 */
export async function loadMappingChain(nameOrPath: string): Promise<LoadedMapping> {
  const origins: Origins = new WeakMap()
  const chain: MappingChainFile[] = []
  const definition = await resolveDefinition({name: nameOrPath}, {chain, origins, seen: []})
  try {
    const base =
      definition.format === nameOrPath
        ? undefined
        : await resolveDefinition({name: definition.format}, {chain: [], origins, seen: []})
    return {chain, mapping: compileMapping(definition, base), origins}
  } catch (error) {
    if (error instanceof MappingCompileError) throw locateCompileError(error, origins, nameOrPath)
    throw error
  }
}

/** A compile error at the rule or collection it is about, in its own file's numbering; else named by the file. */
function locateCompileError(error: MappingCompileError, origins: Origins, nameOrPath: string): ConvoshiftError {
  const origin = error.subject ? origins.get(error.subject) : undefined
  if (!origin) {
    return new ConvoshiftError(`${labelOf(nameOrPath)}: ${error.message}`, {
      code: 'MAPPING_INVALID',
      exitCode: ExitCode.InvalidMapping,
    })
  }

  const detail = error.detail ?? error.message
  // Point at the field the message names (its value appears in it), else at the rule.
  const subject = error.subject as Record<string, unknown>
  const field = ['neutral', 'vendor', 'when', 'transform'].find(
    (key) => typeof subject[key] === 'string' && detail.includes(subject[key] as string),
  )
  return mappingError(origin.source, field ? [...origin.path, field] : origin.path, detail, {place: origin.path})
}

function isBuiltIn(nameOrPath: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(nameOrPath)
}

function labelOf(nameOrPath: string): string {
  return isBuiltIn(nameOrPath) ? `mappings/${nameOrPath}.json` : nameOrPath
}

/** The file an `extends` names: a built-in shape, or a file relative to the extending file. */
function extendsTarget(name: string, from: MappingSource): string {
  const builtIns = builtInFormats()
  const shapes = `built-in shapes: ${builtIns.join(', ')}`
  if (isBuiltIn(name)) {
    if (builtIns.includes(name)) return join(BUILT_IN_MAPPINGS, `${name}.json`)
    const near = closest(name, builtIns)
    throw mappingError(
      from,
      ['extends'],
      `no built-in shape "${name}"${near ? ` (did you mean ${near}?)` : ''}, resolved from ${from.path}`,
      {suggestions: [shapes]},
    )
  }

  const path = resolve(dirname(from.path), name)
  if (!existsSync(path)) {
    throw mappingError(from, ['extends'], `no such file ${path}, resolved from ${from.path}`, {
      suggestions: [`a path relative to the extending file, or one of the ${shapes}`],
    })
  }

  return path
}

async function resolveDefinition(
  ref: {from?: MappingSource; name: string},
  state: {chain: MappingChainFile[]; origins: Origins; seen: string[]},
): Promise<MappingFile> {
  const {from, name} = ref
  if (!from && isBuiltIn(name) && !builtInFormats().includes(name)) {
    throw unknownShape(name, ['neutral', ...builtInFormats()])
  }

  const path = from
    ? extendsTarget(name, from)
    : isBuiltIn(name)
      ? join(BUILT_IN_MAPPINGS, `${name}.json`)
      : resolve(name)
  const label = from ? (path.startsWith(BUILT_IN_MAPPINGS) ? `mappings/${basename(path)}` : path) : labelOf(name)
  if (state.seen.includes(path)) {
    throw mappingError(from!, ['extends'], `forms a cycle through ${path}`)
  }

  const source = await readMappingFile(path, label)
  const file = checkMappingFile(source, state.origins)
  state.chain.push({file, source})
  if (!file.extends) {
    if (!file.format || !file.vendor) {
      throw mappingError(source, [], 'a mapping needs "format" and "vendor" unless it "extends" another')
    }

    return {...file, format: file.format, vendor: file.vendor}
  }

  const base = await resolveDefinition({from: source, name: file.extends}, {...state, seen: [...state.seen, path]})
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
    const over = extra.find((c) => c.vendor === collection.vendor)
    if (!over) return collection
    return {
      ...collection,
      collections: mergeCollections(collection.collections, over.collections),
      hooks: [...new Set([...(collection.hooks ?? []), ...(over.hooks ?? [])])],
      rules: mergeRules(collection.rules, over.rules),
    }
  })
  return [...out, ...extra.filter((c) => !base.some((b) => b.vendor === c.vendor))]
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
