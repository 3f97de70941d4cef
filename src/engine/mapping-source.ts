import {findNodeAtLocation, type Node, parseTree} from 'jsonc-parser'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {fromParseError, locateJsonError, suggestionsFor} from '../io/json-syntax.js'

/**
 * A mapping file's text, kept so that every error about it names the line and column of the value it is about, and
 * the rule by its number in this file (not in the mapping it was merged into).
 *
 * Locations come from jsonc-parser's `parseTree` (each value's offset); whether the text is JSON at all is decided by
 * our own scanner (io/json-syntax.ts), which accepts exactly what JSON.parse accepts, where jsonc-parser is lenient.
 */
export interface MappingSource {
  /** The file as errors name it: the path as given, or mappings/<name>.json. */
  label: string
  /** Absolute path, for resolving `extends` and for "resolved from". */
  path: string
  text: string
  /** jsonc-parser's tree, built on the first location asked for (~10 ms for a built-in mapping, at every start-up). */
  tree?: Node | undefined
  value: unknown
}

export type JsonPath = ReadonlyArray<number | string>

/** Parses a mapping file, or throws `file:line:column: not valid JSON: <reason>`. */
export function parseMappingSource(text: string, file: {label: string; path: string}): MappingSource {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const located = locateJsonError(text) ?? fromParseError(text, error)
    const {column, line} = lineAndColumn(text, located.index)
    throw new ConvoshiftError(`${file.label}:${line}:${column}: not valid JSON: ${located.reason}`, {
      code: 'MAPPING_INVALID',
      exitCode: ExitCode.InvalidMapping,
      suggestions: suggestionsFor(text, located.index),
    })
  }

  return {...file, text, value}
}

/** 1-based line and column (in UTF-16 code units, as editors count) of an index into `text`. */
export function lineAndColumn(text: string, index: number): {column: number; line: number} {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }

  return {column: index - lineStart + 1, line}
}

/**
 * `file:line:column` of the value at `path`, or of its key when `key` is set (an unknown key). A path that does not
 * exist in the text points at the deepest part of it that does.
 */
export function locationOf(source: MappingSource, path: JsonPath, options: {key?: boolean} = {}): string {
  source.tree ??= parseTree(source.text)
  let node: Node | undefined
  for (let depth = path.length; depth >= 0 && !node; depth--) {
    node = source.tree && findNodeAtLocation(source.tree, path.slice(0, depth) as Array<number | string>)
  }

  if (node && options.key && node.parent?.type === 'property') node = node.parent.children?.[0]
  const {column, line} = lineAndColumn(source.text, node?.offset ?? 0)
  return `${source.label}:${line}:${column}`
}

/**
 * The rule or collection `path` is in, in the file's own numbering: `rule 3`, `collection "messageRecords" rule 2`,
 * with what follows inside it as a quoted field (`rule 3 "tag.prefix"`); `"extends"` outside any rule.
 */
export function placeOf(source: MappingSource, path: JsonPath): string {
  const parts: string[] = []
  let node: unknown = source.value
  let i = 0
  for (; i + 1 < path.length; i += 2) {
    const [key, index] = [path[i], path[i + 1]]
    if (typeof index !== 'number' || (key !== 'rules' && key !== 'collections')) break
    node = (node as Record<string, unknown[]> | undefined)?.[key]?.[index]
    if (key === 'rules') parts.push(`rule ${index + 1}`)
    else {
      const vendor = (node as undefined | {vendor?: unknown})?.vendor
      parts.push(`collection ${typeof vendor === 'string' ? JSON.stringify(vendor) : index + 1}`)
    }
  }

  const rest = path.slice(i).map(String).join('.')
  if (rest) parts.push(`"${rest}"`)
  return parts.length > 0 ? parts.join(' ') : '(top level)'
}

/** The one error for a problem in a mapping file: `file:line:column: <place>: <what>`, exit 5. */
export function mappingError(
  source: MappingSource,
  path: JsonPath,
  what: string,
  options: {key?: boolean; place?: JsonPath; suggestions?: string[]} = {},
): ConvoshiftError {
  const place = placeOf(source, options.place ?? path)
  return new ConvoshiftError(`${locationOf(source, path, options)}: ${place}: ${what}`, {
    code: 'MAPPING_INVALID',
    exitCode: ExitCode.InvalidMapping,
    suggestions: options.suggestions ?? [],
  })
}
