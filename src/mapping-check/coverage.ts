import {makeGetter} from '../engine/accessors.js'
import {type Extension} from '../engine/extension.js'
import {isPlainObject, type JsonObject} from '../engine/json.js'
import {parsePath} from '../engine/paths.js'
import {type MappingCollection, type MappingFileInput} from '../schemas/mapping.js'

/**
 * How much of a sample a mapping reads: every leaf value of the vendor record (a scalar, an empty object or array) is
 * mapped, kept in `extensions.<format>.unmapped` (no rule reads it) or in `original` (a rule read it but the rebuild
 * could not reproduce it). Vendor paths are written with array indices folded to `[]`.
 */
export interface Coverage {
  leaves: number
  original: number
  unmapped: number
  /** Unmapped leaf values by folded vendor path. */
  unmappedPaths: Map<string, number>
  /** Every folded vendor path the sample has (for "did you mean" on a rule that never matched). */
  vendorPaths: Set<string>
}

export function newCoverage(): Coverage {
  return {leaves: 0, original: 0, unmapped: 0, unmappedPaths: new Map(), vendorPaths: new Set()}
}

/** Adds one vendor record and its neutral record (with extensions) to the tally. */
export function addRecord(
  coverage: Coverage,
  records: {neutral: JsonObject; vendor: unknown},
  mapping: {definition: MappingFileInput; format: string},
): void {
  const seen = (path: string): void => {
    coverage.vendorPaths.add(path)
  }

  coverage.leaves += leaves(records.vendor, '', {container: seen, leaf: seen})
  addLevel(
    coverage,
    {collections: mapping.definition.collections, element: records.neutral, prefix: ''},
    mapping.format,
  )
}

function addLevel(
  coverage: Coverage,
  level: {collections: MappingCollection[] | undefined; element: JsonObject; prefix: string},
  format: string,
): void {
  const {collections, element, prefix} = level
  const extension = (element.extensions as Record<string, Extension> | undefined)?.[format]
  if (extension?.unmapped) {
    coverage.unmapped += leaves(extension.unmapped, prefix, {
      leaf: (path) => coverage.unmappedPaths.set(path, (coverage.unmappedPaths.get(path) ?? 0) + 1),
    })
  }

  for (const value of Object.values(extension?.original ?? {})) coverage.original += leaves(value, '', {})
  for (const collection of collections ?? []) {
    const elements = makeGetter(parsePath(collection.neutral))(element)
    if (!Array.isArray(elements)) continue
    const {route} = collection
    const routeField = route ? makeGetter(parsePath(route.field)) : undefined
    for (const inner of elements) {
      if (!isPlainObject(inner)) continue
      // Collections that share a neutral array each take back the elements their route names.
      if (route && !route.values.includes(routeField!(inner))) continue
      const path = `${prefix}${prefix ? '.' : ''}${collection.vendor}[]`
      addLevel(coverage, {collections: collection.collections, element: inner, prefix: path}, format)
    }
  }
}

type Visitor = {container?: (path: string) => void; leaf?: (path: string) => void}

/** Counts the leaf values under `value`, telling `visit` each leaf's folded path (and each container's). */
function leaves(value: unknown, path: string, visit: Visitor): number {
  const children = Array.isArray(value)
    ? value.map((item) => [`${path}[]`, item] as const)
    : isPlainObject(value)
      ? Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item] as const)
      : undefined
  // A scalar, or an empty object or array, is one value (an empty record holds none).
  if (children === undefined || (children.length === 0 && path)) {
    visit.leaf?.(path)
    return 1
  }

  if (path) visit.container?.(path)
  let n = 0
  for (const [childPath, item] of children) n += leaves(item, childPath, visit)
  return n
}

/** A vendor path as the sample's paths are written: filters and indices folded to `[]`. */
export function foldPath(path: string): string {
  return path.replaceAll(/\[[^\]]*\]/g, '[]')
}
