import {type MappingCollection, type MappingFileInput, type MappingRule} from '../schemas/mapping.js'
import {describeSide} from './field-rule.js'
import {type LoadedMapping, type MappingChainFile} from './load-mapping.js'
import {type JsonPath, locationOf, placeOf} from './mapping-source.js'

/** One rule of one mapping file, named as that file numbers it. */
export interface ListedRule {
  /** Vendor key path of the collection the rule is in, elements as `[]` (`messageRecords[]`); '' at the top. */
  collection: string
  /** `file:line:column` of the rule. */
  location: string
  /** `rule 2`, `collection "messageRecords" rule 1`. */
  place: string
  rule: MappingRule
}

interface LevelLike {
  collections?: MappingCollection[] | undefined
  rules: MappingRule[]
}

/** The rules of one file of a mapping chain, in document order, each with its place in that file. */
export function rulesOfFile(entry: MappingChainFile): ListedRule[] {
  const out: ListedRule[] = []
  const walk = (level: LevelLike, path: JsonPath, collection: string): void => {
    for (const [index, rule] of level.rules.entries()) {
      const at = [...path, 'rules', index]
      out.push({collection, location: locationOf(entry.source, at), place: placeOf(entry.source, at), rule})
    }

    for (const [index, inner] of (level.collections ?? []).entries()) {
      walk(inner, [...path, 'collections', index], `${collection}${collection ? '.' : ''}${inner.vendor}[]`)
    }
  }

  walk(entry.file, [], '')
  return out
}

/** Every collection of a (merged) definition by its vendor key path (`messageRecords[]`), for element counts. */
export function collectionsByPath(definition: MappingFileInput): Map<string, MappingCollection> {
  const out = new Map<string, MappingCollection>()
  const walk = (level: LevelLike, prefix: string): void => {
    for (const collection of level.collections ?? []) {
      const path = `${prefix}${prefix ? '.' : ''}${collection.vendor}[]`
      out.set(path, collection)
      walk(collection, path)
    }
  }

  walk(definition, '')
  return out
}

/** Every rule object of a (merged) definition: the rules a run applies. */
export function rulesInUse(definition: MappingFileInput): Set<MappingRule> {
  const out = new Set<MappingRule>()
  const walk = (level: LevelLike): void => {
    for (const rule of level.rules) out.add(rule)
    for (const collection of level.collections ?? []) walk(collection)
  }

  walk(definition)
  return out
}

/**
 * Rules that read the vendor record for a neutral field an earlier rule of their level also reads: fallbacks, which
 * write only when the earlier ones find no value.
 */
export function fallbackRules(definition: MappingFileInput): Set<MappingRule> {
  const out = new Set<MappingRule>()
  const walk = (level: LevelLike): void => {
    const fields = new Set<string>()
    for (const rule of level.rules) {
      if (!readsVendor(rule) || rule.neutral === undefined || rule.const !== undefined) continue
      const field = describeSide(rule.neutral)
      if (fields.has(field)) out.add(rule)
      fields.add(field)
    }

    for (const collection of level.collections ?? []) walk(collection)
  }

  walk(definition)
  return out
}

/** The named file's own rules that are in use and read the vendor record (those a run can tell matched nothing). */
export function ownRules(loaded: LoadedMapping): ListedRule[] {
  const inUse = rulesInUse(loaded.mapping.definition)
  return rulesOfFile(loaded.chain[0]!).filter(({rule}) => inUse.has(rule) && readsVendor(rule))
}

/**
 * convert's one warning about a user mapping: its rules that wrote no value for any record (a misspelled vendor path,
 * most likely), or undefined when every rule matched.
 */
export function unmatchedWarning(
  user: {file: string; rules: ListedRule[]},
  run: {hits: Map<object, number>; input: string},
): string | undefined {
  const {hits, input} = run
  const unmatched = user.rules.filter(({rule}) => !hits.has(rule))
  if (unmatched.length === 0) return undefined
  const list = unmatched.map(({place, rule}) => `${place} (${rule.vendor ?? describeRule(rule)})`).join(', ')
  const verb = unmatched.length === 1 ? 'matched' : 'each matched'
  return `${user.file}: ${list} ${verb} no record; \`mapping check ${user.file} --sample ${input}\` shows the nearest vendor paths`
}

/** Rules that read the vendor record (and so can match a sample): not the neutral → vendor only ones. */
export function readsVendor(rule: MappingRule): boolean {
  if (rule.direction === 'fromNeutral') return false
  // A `from` rule reads the record being written: into neutral (→) it is counted, into the vendor record (←) not.
  if (rule.from !== undefined) return rule.neutral !== undefined
  return rule.const === undefined || (rule.neutral !== undefined && rule.vendor === undefined)
}

/** `campaign.campaignName → tag campaign:`, `info.startTime → startedAt`, `const → status`. */
export function describeRule(rule: MappingRule): string {
  const target = rule.tag ? `tag ${rule.tag.prefix}` : rule.neutral === undefined ? '' : describeSide(rule.neutral)
  const vendor = rule.vendor === undefined ? '' : describeSide(rule.vendor)
  if (rule.const !== undefined)
    return rule.neutral ? `const ${JSON.stringify(rule.const)} → ${target}` : `const → ${vendor}`
  if (rule.from !== undefined) return `from ${describeSide(rule.from)} → ${rule.neutral ? target : vendor}`
  return `${vendor} → ${target}`
}
