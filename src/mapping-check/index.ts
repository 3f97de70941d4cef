import {basename} from 'node:path'
import {type z} from 'zod'

import {compileMapping} from '../engine/compile.js'
import {RecordError} from '../engine/errors.js'
import {type HookContext, newStats} from '../engine/hooks/types.js'
import {isPlainObject} from '../engine/json.js'
import {loadMappingChain, type MappingChainFile} from '../engine/load-mapping.js'
import {compileRecordCheck} from '../engine/record-validator.js'
import {
  collectionsByPath,
  describeRule,
  fallbackRules,
  type ListedRule,
  readsVendor,
  rulesInUse,
  rulesOfFile,
} from '../engine/rule-list.js'
import {DEFAULT_LIMITS, type RecordLimits} from '../io/limits.js'
import {openRecords} from '../io/read-records.js'
import {type MappingCheckResult as MappingCheckResultSchema} from '../schemas/results.js'
import {editDistance} from '../util/edit-distance.js'
import {addRecord, type Coverage, foldPath, newCoverage} from './coverage.js'

export type MappingCheckResult = z.infer<typeof MappingCheckResultSchema>
type CheckedRule = MappingCheckResult['rules'][number]

export interface MappingCheckOptions {
  limits?: RecordLimits
  /** A mapping file, or a built-in shape name. */
  mapping: string
  /** An input `convert` reads (JSON Lines, an array, an API page), converted to neutral in memory. */
  sample?: string
}

/** A rule of the chain with its file's name for base rules (`base liveperson rule 31`). */
type ChainRule = ListedRule & {label: string; own: boolean}

/**
 * `mapping check`: load the mapping with its `extends` chain and compile it (every error is one line with its file,
 * line and column); with a sample, count per rule how many records (or collection elements) it wrote a neutral value
 * for, and how much of the sample's data the mapping reads.
 */
export async function runMappingCheck(options: MappingCheckOptions): Promise<MappingCheckResult> {
  const {chain, mapping} = await loadMappingChain(options.mapping)
  const inUse = rulesInUse(mapping.definition)
  const rules: ChainRule[] = chain.flatMap((entry, index) =>
    rulesOfFile(entry)
      .filter((listed) => inUse.has(listed.rule))
      .map((listed) => ({
        ...listed,
        label: index === 0 ? listed.place : `base ${nameOf(entry)} ${listed.place}`,
        own: index === 0,
      })),
  )
  const tally = options.sample ? await runSample(options.sample, mapping, options.limits) : undefined
  const fallbacks = fallbackRules(mapping.definition)
  const checked = rules.map((rule) => checkedRule(rule, tally, fallbacks.has(rule.rule)))
  // The file's own rules first, then its bases'; in each, those that never matched first (likely typos).
  const order = (rule: CheckedRule, index: number): number => (rules[index]!.own ? 0 : 2) + (rule.matched === 0 ? 0 : 1)
  const sorted = checked
    .map((rule, index) => ({index, rule}))
    .sort((a, b) => order(a.rule, a.index) - order(b.rule, b.index) || a.index - b.index)
    .map(({rule}) => rule)
  return {
    chain: chain.map((entry) => entry.source.label),
    format: mapping.format,
    mapping: options.mapping,
    rules: sorted,
    sample: tally ? sampleSummary(options.sample!, tally) : null,
    valid: true,
  }
}

function nameOf(entry: MappingChainFile): string {
  return basename(entry.source.label, '.json')
}

interface Tally {
  coverage: Coverage
  /** Elements per collection, by vendor key path (`messageRecords[]`). */
  elements: Map<string, number>
  hits: Map<object, number>
  records: number
  rejected: number
}

/** Converts the sample to neutral in memory, streaming, counting rule hits and coverage. */
async function runSample(
  input: string,
  mapping: Awaited<ReturnType<typeof loadMappingChain>>['mapping'],
  limits: RecordLimits = DEFAULT_LIMITS,
): Promise<Tally> {
  const {definition, format} = mapping
  const check = compileRecordCheck(definition)
  // Without the base's second diff: coverage as this mapping itself reads the sample.
  const alone = compileMapping(definition)
  const hits = new Map<object, number>()
  const context: HookContext = {format, hits, stats: newStats()}
  const tally: Tally = {coverage: newCoverage(), elements: new Map(), hits, records: 0, rejected: 0}
  const source = await openRecords({envelopeKeys: definition.envelope ?? [], limits, path: input})
  try {
    for await (const item of source) {
      tally.records++
      if (item.rejected || !isPlainObject(item.value) || check(item.value) !== undefined) {
        tally.rejected++
        continue
      }

      try {
        const neutral = alone.toNeutral(item.value, context)
        addRecord(tally.coverage, {neutral, vendor: item.value}, mapping)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        tally.rejected++
      }
    }
  } finally {
    await source.close()
  }

  for (const [path, collection] of collectionsByPath(definition)) tally.elements.set(path, hits.get(collection) ?? 0)
  return tally
}

function checkedRule(listed: ChainRule, tally: Tally | undefined, fallback: boolean): CheckedRule {
  const {collection, label, location, rule} = listed
  const per = collection ? 'element' : 'record'
  const base = {does: describeRule(rule), hint: null, location, per, rule: label} as const
  if (!tally || !readsVendor(rule)) return {...base, matched: null, of: null}
  const matched = tally.hits.get(rule) ?? 0
  const of = collection ? (tally.elements.get(collection) ?? 0) : tally.records - tally.rejected
  let hint: null | string = null
  if (matched === 0 && typeof rule.vendor === 'string') {
    hint =
      (of === 0 ? `the sample has no ${collection} elements` : undefined) ??
      nearestPaths(collection, rule.vendor, tally.coverage.vendorPaths) ??
      (fallback
        ? `a fallback: an earlier rule for ${rule.neutral} found a value first`
        : 'the sample has this path, but no value there was usable')
  }

  return {...base, hint, matched, of}
}

/**
 * For a rule that never matched: the sample's paths nearest to its vendor path (the likely intended spelling);
 * undefined when the sample has the path itself.
 */
function nearestPaths(collection: string, vendor: string, seen: Set<string>): string | undefined {
  const wanted = foldPath(anchored(collection, vendor))
  if (seen.has(wanted)) return undefined
  const parts = wanted.split('.')
  // The deepest existing parent, then its children by closeness to the missing part.
  let depth = parts.length - 1
  while (depth > 0 && !seen.has(parts.slice(0, depth).join('.'))) depth--
  const parent = parts.slice(0, depth).join('.')
  const missing = parts[depth]!
  const children = [...seen]
    .filter((path) => (parent ? path.startsWith(`${parent}.`) : true) && !path.slice(parent.length + 1).includes('.'))
    .map((path) => ({distance: editDistance(missing, path.slice(parent ? parent.length + 1 : 0)), path}))
    .sort((a, b) => a.distance - b.distance || (a.path < b.path ? -1 : 1))
    .slice(0, 3)
  if (children.length === 0) return `the sample has no ${parent || wanted}`
  return `the sample has ${children.map((c) => c.path).join(', ')}`
}

/**
 * A rule's vendor path from the record's root: under its collection (`messages[].outMsg.attachments[]`), or where a
 * reference starts it: `$parent.` the enclosing collection (`messages[]`), `$.`/`$vendor.` the record.
 */
function anchored(collection: string, vendor: string): string {
  const [head, ...rest] = vendor.split('.')
  if (rest.length > 0 && (head === '$' || head === '$vendor')) return rest.join('.')
  let base = collection
  let path = vendor
  if (rest.length > 0 && head === '$parent') {
    const end = collection.lastIndexOf('[]', collection.length - 3)
    base = end === -1 ? '' : collection.slice(0, end + 2)
    path = rest.join('.')
  }

  return base ? `${base}.${path}` : path
}

function sampleSummary(input: string, tally: Tally): NonNullable<MappingCheckResult['sample']> {
  const {coverage} = tally
  const share = (n: number): number => (coverage.leaves === 0 ? 0 : Math.round((1000 * n) / coverage.leaves) / 10)
  const mapped = coverage.leaves - coverage.unmapped - coverage.original
  return {
    input,
    leaves: coverage.leaves,
    mapped: share(mapped),
    original: share(coverage.original),
    records: tally.records,
    rejected: tally.rejected,
    topUnmapped: [...coverage.unmappedPaths]
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
      .slice(0, 10)
      .map(([path, count]) => ({count, path})),
    unmapped: share(coverage.unmapped),
  }
}
