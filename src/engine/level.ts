import {type Getter, type Setter} from './accessors.js'
import {type Condition, type RecordScope} from './expressions.js'
import {type Hook, type HookContext} from './hooks/types.js'
import {type JsonObject} from './json.js'
import {type PathSegment} from './paths.js'

/**
 * A mapping compiled for one level of a record: the conversation itself, or the elements of one of its collections
 * (each collection holds the level of its elements). rules.ts builds it; run.ts runs it; diff.ts compares with it.
 */
export interface Level {
  forward: ForwardFn
  rebuild: RebuildFn
  /** Required neutral fields of this level's element and the vendor fields that feed them (for rejections). */
  required: Array<{field: string; sources: string}>
  collections: CompiledCollection[]
  /** The collections by their vendor key path, for the diff to pair elements. */
  collectionTree: Map<string, CollectionNode>
  /** `from` rules: values derived from the record being written, after the level's rules and collections (→, ←). */
  derived: {fromNeutral: DerivedRule[]; toNeutral: DerivedRule[]}
  /** Field rules by neutral path, the first rule that finds a value winning. */
  groups: FieldGroup[]
  hooks: Hook[]
  neutralConsts: NeutralConst[]
  skeleton: () => JsonObject
  tagRules: TagRule[]
  vendorConsts: VendorConst[]
  /**
   * The elements of a `parse` collection (a JSON string, where key order is data): the vendor constants without a
   * condition, written before the rules too, so that they are the first keys. Elsewhere none: key order there decides
   * only the order of `absent` pointers in extensions, which must not change.
   */
  leadingConsts: VendorConst[]
}

/** Vendor → neutral of one element of a level; `record`: the whole record (absent at the root, which makes it). */
export type ForwardFn = (source: JsonObject, context: HookContext, format: string, record?: RecordScope) => JsonObject
/** Neutral → vendor of one element; `applyAll`: apply the whole recorded extension, not only its renames. */
export type RebuildFn = (
  neutral: JsonObject,
  context: HookContext,
  format: string,
  applyAll: boolean,
  record?: RecordScope,
) => JsonObject

/**
 * `from`: the value at `getter` of the record being written (the side `direction` writes) fills `setter`'s field when
 * it is empty (`overwrite`: always), where `condition` holds.
 */
export interface DerivedRule {
  /** The mapping rule it was compiled from, for `mapping check`'s counts. */
  origin: object
  /** The part of `if` that tests the value found. */
  condition: Condition | undefined
  /** The part of `if` that does not: checked before the value is looked up. */
  precondition: Condition | undefined
  direction: 'fromNeutral' | 'toNeutral'
  getter: Getter
  overwrite: boolean
  setter: Setter
  target: Getter
}

/** A field rule compiled to its accessors and value conversions. */
export interface FieldRule {
  aliases: Array<{getter: Getter; pointer: string}>
  /** The rule's `if`: it reads or writes only where this holds. */
  condition: Condition | undefined
  /** The condition does not test the value (`.`), so it can be checked before the value is read. */
  conditionFirst: boolean
  direction: 'both' | 'fromNeutral' | 'toNeutral'
  /** `element` is the neutral element being written (for rules that write only under conditions). */
  fromNeutral: (value: unknown, element: JsonObject) => unknown
  getter: Getter
  label: string
  missing: readonly unknown[] | undefined
  /** The rule of the mapping definition this was compiled from (counted in HookContext.hits). */
  origin: object
  pointer: string
  /** The vendor side refers to `@x` or `$…`: its getter needs the record's scope. */
  scoped: boolean
  segments: readonly PathSegment[]
  setter: Setter
  toNeutral: (value: unknown) => unknown
}

export interface FieldGroup {
  defaultValue: unknown
  getter: Getter
  neutralPath: string
  /** The rules that read from the vendor record (direction both or toNeutral), fallbacks after the first. */
  forwardRules: FieldRule[]
  /** Every rebuild rule has a condition that does not test the value: when none holds, the value is never read. */
  gated: boolean
  /** Some rebuild rule writes a `missing` placeholder for an empty neutral field. */
  placeholder: boolean
  /** The rules that write the vendor record (direction both or fromNeutral). */
  rebuildRules: FieldRule[]
  rules: FieldRule[]
  /** The neutral side refers to `@x` or `$…`: its getter needs the record's scope. */
  scoped: boolean
  segments: PathSegment[]
  setter: Setter
}

export interface NeutralConst {
  condition: Condition | undefined
  getter: Getter
  origin: object
  setter: Setter
  value: unknown
  when: Getter | undefined
}

export interface VendorConst {
  condition: Condition | undefined
  /** Write only where nothing is yet: a conditional constant, or one after another constant for the same field. */
  fill: Getter | undefined
  /** The vendor path, formatted. */
  key: string
  setter: Setter
  value: unknown
}

export interface TagRule {
  getter: Getter
  origin: object
  /** Vendor values that mean "no tag" (`missing`): not read as a tag; the first is written back when none is found. */
  missing: readonly unknown[] | undefined
  prefix: string
  setter: Setter
}

export interface CompiledCollection {
  aliases: Array<{getter: Getter; key: string[]; pointer: string}>
  getter: Getter
  /** The vendor key path, dotted, for messages. */
  label: string
  level: Level
  neutralGetter: Getter
  origin: object
  neutralPath: string
  neutralSetter: Setter
  /** The vendor key path (empty for the record itself, `"$"`). */
  path: string[]
  pointer: string
  route: Route | undefined
  setter: Setter
  /** How the vendor side holds the elements (§3.6); `array` is a plain array of objects. */
  shape: CollectionShape
  /** Collection `if`: which vendor elements are read (→) and which neutral elements are written (←). */
  condition: undefined | {fromNeutral: Condition | undefined; toNeutral: Condition | undefined}
  /** Collection `when`: the enclosing element it is read from (→) and written into (←). */
  when: Condition | undefined
  /** Collection `missing` (plain arrays): no neutral list without vendor elements; ← `missing[0]` for no elements. */
  missing: readonly unknown[] | undefined
  /** Paired element by element by the diff: a plain array of objects that can carry extensions. */
  paired: boolean
  /** `position: "first"`: → puts the elements before those of earlier collections. */
  first: boolean
  /** `omitEmpty`: neither side gets an empty array (a vendor record that has none when it has nothing). */
  omitEmpty: boolean
  /** Rule `"neutral": "."` / `"vendor": "."`: the elements on that side are plain values, not objects. */
  scalar: {neutral: boolean; vendor: boolean}
  /** `optional`: no array on the other side where one side has none (else an absent array reads as an empty one). */
  optional: boolean
}

/**
 * Which neutral elements go back to a vendor array: by a field's values, the first `take`, those after the first
 * `skip` (what a `take` collection of the same array leaves), or those meeting `if`.
 */
export type Route = {field: Getter; values: Set<unknown>} | {if: Condition} | {skip: number} | {take: number}

export type CollectionShape =
  | {kind: 'array'}
  | {kind: 'distinct'; key: string}
  | {kind: 'one'; whole: boolean}
  | {kind: 'parse'; at: {getter: Getter; setter: Setter}; document: JsonObject | undefined}
  | {
      kind: 'zip'
      whole: boolean
      arrays: Array<{getter: Getter; key: string; setter: Setter}>
      /** `distinct` with `zip`: one element per distinct value of this key, the first. */
      distinct: string | undefined
    }

/** The key a plain-value element is wrapped under while its level's rules run (`"."` in a rule). */
export const SCALAR_KEY = '__element'

export interface CollectionNode {
  children: Map<string, CollectionNode>
  collection?: CompiledCollection
}
