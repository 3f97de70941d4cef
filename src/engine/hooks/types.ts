import type {JsonObject} from '../json.js'

export interface MappingStats {
  /** Vendor values a transform or map could not represent (kept verbatim in extensions), by path. */
  declined: Map<string, number>
  /** Neutral values the target shape has no native field for, kept in its free-form field (carry), by neutral path. */
  carried: Map<string, number>
  /** Neutral values the target shape has no field for at all, by neutral path. */
  noHome: Map<string, number>
  /** Carried values not applied because the record's own value changed since they were written, by neutral path. */
  conflicts: Map<string, number>
}

export interface HookContext {
  format: string
  stats: MappingStats
  /**
   * For `mapping check` and convert's warning about a user rule that matched nothing: how many records (or collection
   * elements) each rule wrote a neutral value for, and how many elements each collection had, keyed by the rule or
   * collection object of the mapping definition. Off (undefined) by default: the engine then pays one null check.
   */
  hits?: Map<object, number>
  /**
   * Read to neutral without `extensions.<format>` (the vendor fields no rule maps), for a reader that ignores them:
   * verify, comparing another shape's conversation with this one's rendering of it. Saves the rebuild and diff.
   */
  withoutExtensions?: boolean
}

/**
 * Logic a declarative rule cannot express. A hook runs after the level's rules, in both directions, and must
 * be pure: read its input, write only into the object it is given. The engine checks losslessness of
 * whatever a hook does by rebuilding the vendor record, so a hook never needs its own bookkeeping.
 */
export interface Hook {
  description: string
  fromNeutral?(neutral: JsonObject, vendor: JsonObject, context: HookContext): void
  toNeutral?(vendor: JsonObject, neutral: JsonObject, context: HookContext): void
}

export function newStats(): MappingStats {
  return {carried: new Map(), conflicts: new Map(), declined: new Map(), noHome: new Map()}
}

/** One more hit for `subject` (a rule or collection of the mapping definition). */
export function hit(hits: Map<object, number>, subject: object, by = 1): void {
  hits.set(subject, (hits.get(subject) ?? 0) + by)
}

export function count(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by)
}
