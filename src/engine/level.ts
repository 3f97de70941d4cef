import {type Getter, type Setter} from './accessors.js'
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
  /** Field rules by neutral path, the first rule that finds a value winning. */
  groups: FieldGroup[]
  hooks: Hook[]
  neutralConsts: NeutralConst[]
  skeleton: () => JsonObject
  tagRules: TagRule[]
  vendorConsts: VendorConst[]
}

/** Vendor → neutral of one element of a level. */
export type ForwardFn = (source: JsonObject, context: HookContext, format: string) => JsonObject
/** Neutral → vendor of one element; `applyAll`: apply the whole recorded extension, not only its renames. */
export type RebuildFn = (neutral: JsonObject, context: HookContext, format: string, applyAll: boolean) => JsonObject

/** A field rule compiled to its accessors and value conversions. */
export interface FieldRule {
  aliases: Array<{getter: Getter; pointer: string}>
  direction: 'both' | 'fromNeutral' | 'toNeutral'
  /** `element` is the neutral element being written (for rules that write only under conditions). */
  fromNeutral: (value: unknown, element: JsonObject) => unknown
  getter: Getter
  label: string
  missing: readonly unknown[] | undefined
  /** The rule of the mapping definition this was compiled from (counted in HookContext.hits). */
  origin: object
  pointer: string
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
  /** The rules that write the vendor record (direction both or fromNeutral). */
  rebuildRules: FieldRule[]
  rules: FieldRule[]
  segments: PathSegment[]
  setter: Setter
}

export interface NeutralConst {
  getter: Getter
  origin: object
  setter: Setter
  value: unknown
  when: Getter | undefined
}

export interface VendorConst {
  setter: Setter
  value: unknown
}

export interface TagRule {
  getter: Getter
  origin: object
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
  path: string[]
  pointer: string
  route: undefined | {field: Getter; values: Set<unknown>}
  setter: Setter
}

export interface CollectionNode {
  children: Map<string, CollectionNode>
  collection?: CompiledCollection
}
