import {basename} from 'node:path'

import {loadConformanceCheck} from '../conformance/index.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {type RejectedInput} from '../io/json-line.js'
import {NeutralConversation} from '../schemas/neutral.js'
import {makeGetter} from './accessors.js'
import {type CompiledMapping} from './compile.js'
import {RecordError} from './errors.js'
import {type HookContext, type MappingStats, newStats} from './hooks/types.js'
import {describeKind, isPlainObject, type JsonObject} from './json.js'
import {builtInFormats, loadMapping, loadMappingChain} from './load-mapping.js'
import {parsePath} from './paths.js'
import {compileRecordCheck, describeIssue, type RecordCheck} from './record-validator.js'
import {type ListedRule, ownRules} from './rule-list.js'

export const NEUTRAL = 'neutral'
const CONVOSHIFT_BUG = 'a convoshift bug, please report it'

/** One side of a conversion: a vendor record shape with its compiled mapping, or the neutral model. */
export interface Side {
  check: RecordCheck
  /** The vendor's documented shape, for records written from another shape. */
  conformance?: (record: unknown) => string | undefined
  /** Who answers for a record that fails `conformance`: a user's mapping file, else convoshift's own mapping. */
  conformanceBlame?: string
  envelope: readonly string[]
  format: string
  identity: (record: unknown) => unknown
  mapping?: CompiledMapping
  /** With a user mapping file: its own rules that read the vendor record (the run warns about any that match nothing). */
  userRules?: {file: string; rules: ListedRule[]}
}

const neutralCheck: RecordCheck = (record) => {
  const result = NeutralConversation.safeParse(record, {reportInput: true})
  return result.success ? undefined : describeIssue(result.error.issues[0]!)
}

export async function loadSide(format: string, userMapping?: string): Promise<Side> {
  if (format === NEUTRAL) {
    return {check: neutralCheck, envelope: [], format, identity: makeGetter(parsePath('sourceId'))}
  }

  const loaded = userMapping ? await loadMappingChain(userMapping) : undefined
  const mapping = loaded ? loaded.mapping : await loadMapping(format)
  const {definition} = mapping
  const conformance = await loadConformanceCheck(format)
  return {
    check: compileRecordCheck(definition),
    ...(conformance
      ? {conformance, conformanceBlame: userMapping ? `check the rules of ${basename(userMapping)}` : CONVOSHIFT_BUG}
      : {}),
    envelope: definition.envelope ?? [],
    format,
    identity: definition.identity ? makeGetter(parsePath(definition.identity)) : () => {},
    mapping,
    ...(loaded ? {userRules: {file: loaded.chain[0]!.source.label, rules: ownRules(loaded)}} : {}),
  }
}

export type ConvertOutcome =
  | {
      /** With `views`: where the record's own value won over a carried one (neutral pointers). */
      conflicts?: string[]
      /** With `views`: the record as its vendor shows it, without what convoshift carries for it. */
      native?: JsonObject
      reason?: undefined
      value: JsonObject
    }
  | {reason: string; value?: undefined}

/** Converts one record from one side to the other; record-level problems come back as a reason. */
export interface Converter {
  convert(record: unknown): ConvertOutcome
  /** With a user mapping on the `from` side: records (or elements) each rule wrote a value for (HookContext.hits). */
  readonly hits: Map<object, number> | undefined
  readonly stats: MappingStats
}

/**
 * `views` (vendor → neutral only): also give the record as its vendor shows it (`native`, the carry field ignored)
 * beside `value` (the carry applied: what convoshift can recover), both without extensions. Verify reads targets so.
 */
export function makeConverter(
  from: Side,
  to: Side,
  options: {views?: boolean; withoutExtensions?: boolean} = {},
): Converter {
  const stats = newStats()
  const fromContext: HookContext = {
    format: from.format,
    stats,
    ...(options.withoutExtensions ? {withoutExtensions: true} : {}),
    ...(from.userRules ? {hits: new Map<object, number>()} : {}),
  }
  const toContext: HookContext = {format: to.format, stats}
  return {
    convert(record) {
      if (!isPlainObject(record)) return {reason: `expected an object, got ${describeKind(record)}`}
      const problem = from.check(record)
      if (problem) return {reason: problem}
      try {
        if (options.views && from.mapping && !to.mapping) {
          const {conflicts, native, recoverable} = from.mapping.toNeutralViews(record, fromContext)
          return {conflicts, native, value: recoverable}
        }

        const neutral = from.mapping ? from.mapping.toNeutral(record, fromContext) : record
        const value = to.mapping ? to.mapping.fromNeutral(neutral, toContext) : neutral
        // A record the target would not accept is rejected here, not written for the target to refuse later.
        const invalid = to.mapping ? to.check(value) : undefined
        if (invalid) return {reason: `cannot be written as ${to.format}: ${invalid}`}
        // A record written from another shape must be one the vendor itself could produce; one that is not is a bug
        // in a mapping, reported with the record rather than written. (A record of the shape's own, converted back,
        // directly or through another shape, is the vendor's input itself, quirks included.)
        const nonconforming = to.conformance && !cameFrom(neutral, to.format) ? to.conformance(value) : undefined
        if (nonconforming) {
          return {reason: `not a valid ${to.format} record (${to.conformanceBlame}): ${nonconforming}`}
        }

        return {value}
      } catch (error) {
        if (error instanceof RecordError) return {reason: error.message}
        // An unexpected exception is a bug; the record is kept in the rejected file rather than lost.
        return {reason: `internal error: ${(error as Error).message}`}
      }
    },
    hits: fromContext.hits,
    stats,
  }
}

/** The conversation is this shape's own record: read from it, or carrying its remainder back home. */
function cameFrom(neutral: JsonObject, format: string): boolean {
  return neutral.format === format || (isPlainObject(neutral.extensions) && neutral.extensions[format] !== undefined)
}

/** How much a shape asks of a record: the neutral model most, then the shapes with the most required paths. */
function requirements(side: Side): number {
  return side.format === NEUTRAL ? Infinity : Object.keys(side.mapping?.definition.require ?? {}).length
}

/**
 * When the first record does not fit the declared format, say which format it does fit: a user who
 * passed --from liveperson a file of Ada records needs one clear line, not thousands of rejections.
 */
export async function diagnoseWrongFormat(
  record: unknown,
  declared: string,
  location: string,
): Promise<ConvoshiftError | undefined> {
  if (!isPlainObject(record)) return undefined
  // A record of the declared shape that was rejected for another reason (the target cannot take it) is not misfiled.
  if ((await loadSide(declared)).check(record) === undefined) return undefined
  const others = [NEUTRAL, ...builtInFormats()].filter((format) => format !== declared)
  // The most specific shapes first: a shape that requires only an id fits many records.
  const sides = await Promise.all(others.map(async (format) => loadSide(format)))
  sides.sort((a, b) => requirements(b) - requirements(a))
  for (const side of sides) {
    const {format} = side
    // Shapes may share an envelope key (Ada and DeepConverse pages both use `data`): the page's first record decides.
    const envelopeKey = side.envelope.find((key) => {
      const records = record[key]
      return Array.isArray(records) && (records.length === 0 || side.check(records[0]) === undefined)
    })
    const fits = envelopeKey !== undefined || side.check(record) === undefined
    if (fits) {
      const article = /^[aeiou]/.test(format) ? 'an' : 'a'
      const what = envelopeKey ? `${article} ${format} API page ("${envelopeKey}")` : `${article} ${format} record`
      return new ConvoshiftError(`${location}: this is ${what}, not ${declared}`, {
        code: 'INPUT_WRONG_FORMAT',
        exitCode: ExitCode.InvalidInput,
        suggestions: [`use --from ${format}`],
      })
    }
  }

  return undefined
}

/** A user mapping extends one side; which one is named by its `extends` (or `format`). */
export async function resolveSides(options: {
  from: string
  mapping?: string | undefined
  to: string
}): Promise<{from: Side; to: Side}> {
  if (!options.mapping) return {from: await loadSide(options.from), to: await loadSide(options.to)}
  const probe = await loadSide(options.from === NEUTRAL ? options.to : options.from, options.mapping)
  const base = probe.mapping!.format
  if (base === options.from) return {from: probe, to: await loadSide(options.to)}
  if (base === options.to) return {from: await loadSide(options.from), to: await loadSide(options.to, options.mapping)}
  throw new ConvoshiftError(
    `${options.mapping}: extends ${base}, which is neither --from ${options.from} nor --to ${options.to}`,
    {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    },
  )
}

/**
 * One line of the rejected file: where the record was, why, and the record itself so it can be fixed and re-run. Input
 * the reader could not take as written (`why` is then a RejectedInput: a malformed line, a duplicate key, a number a
 * double would change) is kept as its raw `text` instead, cut to its first bytes (with its full size in `bytes`) when
 * it was too large to read.
 */
export function rejectedEntry(
  from: Side,
  record: unknown,
  position: {index: number; line: number},
  why: RejectedInput | string,
): JsonObject {
  const id = isPlainObject(record) ? from.identity(record) : undefined
  const kept =
    typeof why === 'string'
      ? {reason: why, record}
      : {reason: why.reason, text: why.text, ...(why.bytes === undefined ? {} : {bytes: why.bytes})}
  return {
    ...(typeof id === 'string' || typeof id === 'number' ? {id} : {}),
    index: position.index,
    line: position.line,
    ...kept,
  }
}
