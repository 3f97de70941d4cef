import {type MappingFile} from '../schemas/mapping.js'
import {NEUTRAL_SCHEMA_VERSION, NeutralConversation, UNORDERED_LISTS} from '../schemas/neutral.js'
import {applyCarry, CARRY_VERSION, type CarryDocument, neutralResidual, residualPath} from './carry-document.js'
import {compileCarry} from './carry.js'
import {attachDiff} from './diff.js'
import {RecordError} from './errors.js'
import {count, type HookContext, newStats} from './hooks/types.js'
import {cloneJson, hasOwn, isPlainObject, type JsonObject} from './json.js'
import {type Level} from './level.js'
import {compileLevel} from './rules.js'

/**
 * Compiles a mapping file once into plain functions for both directions.
 *
 * Losslessness is an invariant, not a hope: after mapping a vendor record forward, the engine rebuilds the
 * vendor record from the neutral one and diffs the two. Whatever the rebuild lacks (`unmapped`), gets wrong
 * (`original`) or adds (`absent`) is stored in the neutral record's `extensions.<format>`, per collection
 * element, and applied when converting back. A round trip therefore returns the input whatever the rules
 * and hooks do; good rules just keep the extension small.
 */
export interface CompiledMapping {
  readonly definition: MappingFile
  readonly format: string
  /** Neutral → vendor record. Extensions recorded for this format are applied. */
  fromNeutral(neutral: JsonObject, context: HookContext): JsonObject
  /** Vendor → neutral record, with the lossless remainder in `extensions[format]`. Throws RecordError. */
  toNeutral(record: JsonObject, context: HookContext): JsonObject
  /**
   * Vendor → neutral as the vendor itself shows the record (`native`: the carry field ignored) and as convoshift can
   * recover it (`recoverable`: the carry applied where the native values are still the ones it was written beside),
   * without extensions. `conflicts`: pointers where a native value won over the carried one. Throws RecordError.
   */
  toNeutralViews(record: JsonObject, context: HookContext): NeutralViews
  readonly vendor: string
}

export interface NeutralViews {
  conflicts: string[]
  native: JsonObject
  recoverable: JsonObject
}

const ROOT_ARRAYS = ['participants', 'dialogs', 'messages', 'transfers', 'tags'] as const

/**
 * `base` is the built-in mapping an extended one derives from. Its rebuild is diffed too, so a neutral record
 * made with the extended mapping converts back exactly with either mapping.
 */
export function compileMapping(definition: MappingFile, base?: MappingFile): CompiledMapping {
  const {format} = definition
  const compileRoot = (spec: MappingFile): Level =>
    compileLevel(
      {collections: spec.collections, hooks: spec.hooks, rules: spec.rules},
      {
        schema: NeutralConversation,
        skeleton() {
          const out: JsonObject = {format, schemaVersion: NEUTRAL_SCHEMA_VERSION, vendor: definition.vendor}
          for (const key of ROOT_ARRAYS) out[key] = []
          return out
        },
      },
      format,
    )
  const root = compileRoot(definition)
  const baseRoot = base ? compileRoot(base) : undefined
  const carry = definition.carry ? compileCarry(definition.carry, format) : undefined
  const rebuildContext: HookContext = {format, stats: newStats()}

  /**
   * Rebuild the vendor record, map the rebuild forward again, and keep what differs from the input in the carry
   * field (or count it as having no home). See carry-document.ts.
   */
  const withResidual = (neutral: JsonObject, context: HookContext): JsonObject => {
    const scratch: HookContext = {format, stats: newStats()}
    const out = root.rebuild(neutral, scratch, format, true)
    // Map forward exactly what B → neutral will see once a document is written: the record without it.
    const probe = carry?.probe(out)
    let mapped: JsonObject
    try {
      mapped = root.forward(probe ?? out, scratch, format)
    } catch (error) {
      if (error instanceof RecordError) throw new RecordError(`cannot be written as ${format}: ${error.message}`)
      throw error
    }

    const residual = neutralResidual(neutral, mapped, format, derivedExtension(neutral, format))
    const {native, order, remove, respelled, set} = residual
    const lost = Object.keys(set)
    const reordered = Object.keys(order)
    if (lost.length === 0 && remove.length === 0 && reordered.length === 0) return out
    // The user's own data already in the carry slot is never overwritten; the residual then has no home.
    const stats = probe ? context.stats.carried : context.stats.noHome
    for (const pointer of lost) if (!respelled.has(pointer)) count(stats, residualPath(pointer))
    for (const pointer of reordered) {
      const path = residualPath(pointer)
      if (!UNORDERED_LISTS.has(path)) count(stats, `${path} (order)`)
    }

    if (probe) {
      const document: CarryDocument = {convoshift: CARRY_VERSION, set}
      if (remove.length > 0) document.remove = remove
      if (Object.keys(native).length > 0) document.native = native
      if (reordered.length > 0) document.order = order
      return carry!.write(out, document)
    }

    return out
  }

  return {
    definition,
    format,
    // With a carry field, a conversation of this shape that came back with another's data restores it into the
    // field again; without one, only conversations from other shapes can have anything without a home.
    fromNeutral: (neutral, context) =>
      carry || neutral.format !== format
        ? withResidual(neutral, context)
        : root.rebuild(neutral, context, format, true),
    toNeutral(input, context) {
      const carried = carry?.read(input)
      // The carry key is not part of the record's own data: the lossless diff below is taken without it.
      const record = carried ? carried.stripped : input
      const neutral = root.forward(record, context, format)
      if (carried) {
        for (const pointer of applyCarry(neutral, carried.document))
          count(context.stats.conflicts, residualPath(pointer))
      }

      if (context.withoutExtensions) return neutral
      // Rebuild from the neutral record and keep the difference. These rebuilds apply only the alias renames
      // recorded by forward, so a diff attached by the first does not change what the second rebuilds.
      // The rebuild is a check, not an output: what it could not write (a value the residual restored) is not a loss,
      // so its counts go to a scratch context that is never reported.
      for (const level of baseRoot ? [root, baseRoot] : [root]) {
        const rebuilt = level.rebuild(neutral, rebuildContext, format, false)
        attachDiff(level, {neutral, rebuilt, source: record}, format)
      }

      return neutral
    },
    toNeutralViews(input, context) {
      const carried = carry?.read(input)
      const native = root.forward(carried ? carried.stripped : input, context, format)
      if (!carried) return {conflicts: [], native, recoverable: native}
      const recoverable = cloneJson(native)
      return {conflicts: applyCarry(recoverable, carried.document), native, recoverable}
    },
    vendor: definition.vendor,
  }
}

/**
 * A neutral record that holds `target`'s extension came from (or through) `target`: the extension of the shape
 * it is in now only describes that shape's rendering of it, so it is not carried back (A → B → A stays A).
 */
function derivedExtension(neutral: JsonObject, target: string): string | undefined {
  const {extensions, format} = neutral
  if (typeof format !== 'string' || format === target || !isPlainObject(extensions) || !hasOwn(extensions, target))
    return undefined
  return format
}
