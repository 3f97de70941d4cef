import {type Getter, type Setter} from './accessors.js'
import {type PathSegment} from './paths.js'
import {DECLINE} from './transforms.js'

/**
 * Turns one compiled level of a mapping into two plain JavaScript functions (vendor → neutral and neutral → vendor),
 * built once with `new Function`. Key paths become inline property reads and writes, and each rule's value
 * conversion is its own call site, so the engine pays for what a hand-written mapper would and no more.
 * Paths through arrays (`a[0]`, `a[].b`), tags, constants, hooks and extensions stay ordinary closures: they are rare.
 * Only keys from mapping files reach the generated source, always as JSON string literals.
 */
export interface GenRule {
  aliases: Array<{getter: Getter; pointer: string}>
  direction: 'both' | 'fromNeutral' | 'toNeutral'
  /** `element` is the neutral element being written (for rules that write only under conditions). */
  fromNeutral: (value: unknown, element: Record<string, unknown>) => unknown
  getter: Getter
  label: string
  missing: readonly unknown[] | undefined
  pointer: string
  segments: readonly PathSegment[]
  setter: Setter
  toNeutral: (value: unknown) => unknown
}

export interface GenGroup {
  defaultValue: unknown
  getter: Getter
  neutralPath: string
  rules: GenRule[]
  segments: readonly PathSegment[]
  setter: Setter
}

export interface GenCollection {
  aliases: Array<{getter: Getter; pointer: string}>
  getter: Getter
  label: string
  neutralGetter: Getter
  neutralSetter: Setter
  pointer: string
  /** Routed neutral elements of this collection (all of them when there is no route). */
  routed: (neutral: Record<string, unknown>) => Array<Record<string, unknown>>
  setter: Setter
  childForward: (source: Record<string, unknown>, context: unknown, format: string) => Record<string, unknown>
  childRebuild: (neutral: Record<string, unknown>, context: unknown, format: string, applyAll: boolean) => unknown
}

export interface GenLevel {
  collections: GenCollection[]
  groups: GenGroup[]
  /** Tags, neutral constants, hooks, required fields and recorded renames, after the rules (vendor → neutral). */
  finishForward: (
    source: unknown,
    out: Record<string, unknown>,
    context: unknown,
    format: string,
    renamed: unknown,
  ) => void
  /** Vendor constants, tags, hooks and the extension, after the rules (neutral → vendor). */
  finishRebuild: (
    neutral: unknown,
    out: Record<string, unknown>,
    context: unknown,
    format: string,
    applyAll: boolean,
  ) => void
  skeleton: () => Record<string, unknown>
  /** Reports a vendor value no rule could represent, and a neutral value with no vendor field. */
  declined: (context: unknown, label: string) => void
  noHome: (context: unknown, path: string) => void
  elementError: (collection: string, index: number, element: unknown, error?: unknown) => never
}

export type ForwardFn = (source: Record<string, unknown>, context: unknown, format: string) => Record<string, unknown>
export type RebuildFn = (
  neutral: Record<string, unknown>,
  context: unknown,
  format: string,
  applyAll: boolean,
) => Record<string, unknown>

class Constants {
  readonly values: unknown[] = []

  add(value: unknown): string {
    this.values.push(value)
    return `K[${this.values.length - 1}]`
  }
}

const keyOnly = (segments: readonly PathSegment[]): string[] | undefined =>
  segments.every((s) => s.kind === 'key') ? segments.map((s) => (s as {key: string}).key) : undefined

/** Statements reading `path` from the plain object `base` into `target` (undefined when absent or not reachable). */
function read(target: string, base: string, segments: readonly PathSegment[], getter: Getter, k: Constants): string {
  const keys = keyOnly(segments)
  if (!keys) return `${target} = ${k.add(getter)}(${base});`
  let code = `${target} = ${base}[${JSON.stringify(keys[0])}];`
  for (const key of keys.slice(1)) {
    code += `${target} = (typeof ${target} === 'object' && ${target} !== null && !Array.isArray(${target})) ? ${target}[${JSON.stringify(key)}] : undefined;`
  }

  // Inherited methods (toString…) are not data.
  return code + `if (typeof ${target} === 'function') ${target} = undefined;`
}

/** Statements writing `value` at `path` under `base`, creating intermediate objects. */
function write(base: string, segments: readonly PathSegment[], value: string, setter: Setter, k: Constants): string {
  const keys = keyOnly(segments)
  if (!keys) return `${k.add(setter)}(${base}, ${value});`
  if (keys.length === 1) return `${base}[${JSON.stringify(keys[0])}] = ${value};`
  let code = `{ let o = ${base}, t;`
  for (const key of keys.slice(0, -1)) {
    const lit = JSON.stringify(key)
    code += `t = o[${lit}]; if (typeof t !== 'object' || t === null) { t = {}; o[${lit}] = t; } o = t;`
  }

  return code + `o[${JSON.stringify(keys.at(-1))}] = ${value}; }`
}

function literal(value: unknown, k: Constants): string {
  if (value === undefined) return 'undefined'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return k.add(value)
}

export function generateForward(level: GenLevel): ForwardFn {
  const k = new Constants()
  const declined = k.add(level.declined)
  let body = `const out = ${k.add(level.skeleton)}(); let renamed, v, r, c;\n`
  for (const group of level.groups) {
    body += 'v = undefined;\n'
    const rules = group.rules.filter((rule) => rule.direction !== 'fromNeutral')
    for (const [i, rule] of rules.entries()) {
      // Later rules are fallbacks: once a value is found they need not run (the diff keeps any disagreement).
      let step = read('r', 'source', rule.segments, rule.getter, k)
      for (const alias of rule.aliases) {
        const record =
          rule.pointer && alias.pointer
            ? `(renamed ??= {})[${JSON.stringify(rule.pointer)}] = ${JSON.stringify(alias.pointer)};`
            : ''
        step += `if (r === undefined) { r = ${k.add(alias.getter)}(source); if (r !== undefined) { ${record} } }`
      }

      step += `if (r !== undefined) { c = ${k.add(rule.toNeutral)}(r); if (c === DECLINE) ${declined}(context, ${JSON.stringify(rule.label)}); else if (c !== undefined) v = c; }\n`
      body += i === 0 ? step : `if (v === undefined) { ${step} }\n`
    }

    if (group.defaultValue !== undefined) body += `if (v === undefined) v = ${literal(group.defaultValue, k)};\n`
    body += `if (v !== undefined) { ${write('out', group.segments, 'v', group.setter, k)} }\n`
  }

  for (const collection of level.collections) {
    const label = JSON.stringify(collection.label)
    body += `{ let a = ${k.add(collection.getter)}(source);`
    for (const alias of collection.aliases) {
      body += `if (a === undefined) { a = ${k.add(alias.getter)}(source); if (a !== undefined) (renamed ??= {})[${JSON.stringify(collection.pointer)}] = ${JSON.stringify(alias.pointer)}; }`
    }

    body += `let target = ${k.add(collection.neutralGetter)}(out); if (!target) { target = []; ${k.add(collection.neutralSetter)}(out, target); }`
    body += `if (Array.isArray(a)) { const child = ${k.add(collection.childForward)}; const fail = ${k.add(level.elementError)};`
    body += `for (let i = 0; i < a.length; i++) { const e = a[i];`
    body += `if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(${label}, i, e);`
    body += `try { target.push(child(e, context, format)); } catch (error) { fail(${label}, i, e, error); } } } }\n`
  }

  body += `${k.add(level.finishForward)}(source, out, context, format, renamed);\nreturn out;`

  return new Function('K', 'DECLINE', `return function forward(source, context, format) {\n${body}\n}`)(
    k.values,
    DECLINE,
  ) as ForwardFn
}

export function generateRebuild(level: GenLevel): RebuildFn {
  const k = new Constants()
  const noHome = k.add(level.noHome)
  let body = 'const out = {}; let n, w;\n'
  for (const group of level.groups) {
    const rules = group.rules.filter((rule) => rule.direction !== 'toNeutral')
    if (rules.length === 0) continue
    body += read('n', 'neutral', group.segments, group.getter, k) + '\n'
    for (const rule of rules) {
      const missing = literal(rule.missing?.[0], k)
      body += `if (n === undefined) w = ${missing}; else { w = ${k.add(rule.fromNeutral)}(n, neutral); if (w === DECLINE) { ${noHome}(context, ${JSON.stringify(group.neutralPath)}); w = undefined; } }`
      body += `if (w !== undefined) { ${write('out', rule.segments, 'w', rule.setter, k)} }\n`
    }
  }

  for (const collection of level.collections) {
    body += `{ const els = ${k.add(collection.routed)}(neutral); const child = ${k.add(collection.childRebuild)}; const a = new Array(els.length);`
    body += `for (let i = 0; i < els.length; i++) a[i] = child(els[i], context, format, applyAll);`
    body += `${k.add(collection.setter)}(out, a); }\n`
  }

  body += `${k.add(level.finishRebuild)}(neutral, out, context, format, applyAll);\nreturn out;`

  return new Function('K', 'DECLINE', `return function rebuild(neutral, context, format, applyAll) {\n${body}\n}`)(
    k.values,
    DECLINE,
  ) as RebuildFn
}
