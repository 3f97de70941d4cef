import {type Expression} from '../schemas/mapping.js'
import {type Getter, makeGetter, type Scope} from './accessors.js'
import {MappingCompileError} from './errors.js'
import {deepEqual, isPlainObject, type JsonObject} from './json.js'
import {parsePath, type PathSegment} from './paths.js'

/**
 * Expressions (§3.2) and conditions (§3.4) of the mapping language, compiled once into closures.
 * Both read paths with the filters and references of paths.ts; `scope` says what `@x` and `$.` mean per record.
 */

/** The whole record on both sides, for `$vendor.`/`$neutral.` references and `from` lookups. */
export interface RecordScope {
  neutral: JsonObject
  vendor: JsonObject
}

function segments(path: string, at: string): PathSegment[] {
  try {
    return parsePath(path)
  } catch (error) {
    throw new MappingCompileError(`${at}: ${(error as Error).message}`)
  }
}

/** Empty: nothing there, null, "" or an empty list. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

/** The values of several getters, projections spread, empty values left out. */
function gather(getters: Getter[], source: unknown, scope: Scope | undefined): unknown[] {
  const out: unknown[] = []
  for (const getter of getters) {
    const value = getter(source, scope)
    if (Array.isArray(value)) {
      for (const item of value) if (!isEmpty(item)) out.push(item)
    } else if (!isEmpty(value)) {
      out.push(value)
    }
  }

  return out
}

function instant(value: unknown): number {
  if (typeof value === 'number') return value
  return typeof value === 'string' ? Date.parse(value) : Number.NaN
}

/** The earliest (`sign` 1) or latest (-1) time among the values; the value itself, as it was written, is returned. */
function extreme(values: unknown[], sign: -1 | 1): unknown {
  let best: unknown
  let bestMs = Number.POSITIVE_INFINITY
  for (const value of values) {
    const ms = instant(value) * sign
    if (ms < bestMs) {
      best = value
      bestMs = ms
    }
  }

  return best
}

/**
 * An expression's getter, and for `first` its first path (the one `direction: both` writes back):
 * `first` the first non-empty value, `all` every value concatenated, `last` the last non-empty value,
 * `earliest`/`latest` the extreme time (ISO strings or epoch numbers), `join` the non-empty strings joined
 * `with` (default " "), `count` the elements at a path. Projections (`[]`, `[?…]`) count element by element.
 */
export function compileExpression(
  expression: Expression,
  at: string,
): {first: PathSegment[] | undefined; getter: Getter} {
  if ('count' in expression) {
    const getter = makeGetter(segments(expression.count, at))
    return {
      first: undefined,
      getter(source, scope) {
        const value = getter(source, scope)
        return Array.isArray(value) ? value.length : undefined
      },
    }
  }

  const [kind, paths] = Object.entries(expression).find(([key]) => key !== 'with') as [string, string[]]
  const parsed = paths.map((path) => segments(path, at))
  const getters = parsed.map((s) => makeGetter(s))
  const some = (values: unknown[]): unknown => (values.length > 0 ? values : undefined)
  const compute: Record<string, (values: unknown[]) => unknown> = {
    all: some,
    earliest: (values) => extreme(values, 1),
    first: (values) => values[0],
    join(values) {
      const strings = values.filter((v): v is string => typeof v === 'string')
      return strings.length > 0 ? strings.join((expression as {with?: string}).with ?? ' ') : undefined
    },
    last: (values) => values.at(-1),
    latest: (values) => extreme(values, -1),
  }
  const reduce = compute[kind]!
  return {
    first: kind === 'first' ? parsed[0] : undefined,
    getter: (source, scope) => reduce(gather(getters, source, scope)),
  }
}

/** What a condition sees: the element on each side, the value about to be written, and the whole record. */
export interface ConditionView {
  neutral: unknown
  record: RecordScope | undefined
  value: unknown
  vendor: unknown
}

export type Condition = (view: ConditionView) => boolean
type Test = (value: unknown) => boolean

const OPERATORS = new Set(['every', 'exists', 'integer', 'matches', 'max', 'min', 'nonEmpty', 'not', 'prefix', 'type'])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

/**
 * One test: `null` (empty), a list (one of), an object of operators (all hold), or a value (equal).
 * Operators: `not` (a test that fails), `exists` (has a value or not), `prefix` (a string starting with one of),
 * `matches` (a regular expression), `type` (string, number, boolean, object, array, null), `min`/`max`/`integer`
 * (numbers), `nonEmpty` (a non-empty string, list or object), `every` (a list whose every element passes a test:
 * with a projection, `"neutral:elements[].type": {"every": {"type": "string"}}` asks that each element has a type).
 */
function compileTest(spec: unknown, at: string): Test {
  if (spec === null) return (v) => v === undefined || v === null
  if (Array.isArray(spec)) {
    const tests = spec.map((item) => compileTest(item, at))
    return (v) => tests.some((test) => test(v))
  }

  if (!isPlainObject(spec) || Object.keys(spec).some((key) => !OPERATORS.has(key)) || Object.keys(spec).length === 0)
    return (v) => deepEqual(v, spec)
  const tests: Test[] = []
  const {every, exists, integer, matches, max, min, nonEmpty, not, prefix, type} = spec
  if (not !== undefined) {
    const inner = compileTest(not, at)
    tests.push((v) => !inner(v))
  }

  if (every !== undefined) {
    const inner = compileTest(every, at)
    tests.push((v) => Array.isArray(v) && v.every((item) => inner(item)))
  }

  if (exists !== undefined) tests.push((v) => (v !== undefined && v !== null) === Boolean(exists))
  if (prefix !== undefined) {
    const prefixes = (Array.isArray(prefix) ? prefix : [prefix]).map(String)
    tests.push((v) => typeof v === 'string' && prefixes.some((p) => v.startsWith(p)))
  }

  if (matches !== undefined) {
    let pattern: RegExp
    try {
      pattern = new RegExp(String(matches), 'u')
    } catch (error) {
      throw new MappingCompileError(`${at}: if: ${(error as Error).message}`)
    }

    tests.push((v) => typeof v === 'string' && pattern.test(v))
  }

  if (type !== undefined) tests.push((v) => typeOf(v) === type)
  if (min !== undefined) tests.push((v) => typeof v === 'number' && v >= Number(min))
  if (max !== undefined) tests.push((v) => typeof v === 'number' && v <= Number(max))
  if (integer !== undefined) tests.push((v) => Number.isInteger(v) === Boolean(integer))
  if (nonEmpty !== undefined)
    tests.push((v) => (isPlainObject(v) ? Object.keys(v).length > 0 : !isEmpty(v)) === Boolean(nonEmpty))
  return (v) => tests.every((test) => test(v))
}

/**
 * A rule's `if`: keys `vendor:<path>` and `neutral:<path>` (relative to the element on that side, `$.` its root,
 * `@x` a field of that element), `.` (the value the rule is about to write) and `any` (a list of conditions, one
 * must hold); the keys are and-ed.
 */
export function compileCondition(spec: Record<string, unknown>, at: string): Condition {
  const parts = Object.entries(spec).map(([key, test]): Condition => {
    if (key === 'any') {
      if (!Array.isArray(test) || test.some((c) => !isPlainObject(c)))
        throw new MappingCompileError(`${at}: if: "any" takes a list of conditions`)
      const options = test.map((c) => compileCondition(c as Record<string, unknown>, at))
      return (view) => options.some((option) => option(view))
    }

    const check = compileTest(test, at)
    if (key === '.') return (view) => check(view.value)
    const match = /^(neutral|vendor):(.+)$/.exec(key)
    if (!match) throw new MappingCompileError(`${at}: if: "${key}" is not vendor:<path>, neutral:<path>, "." or "any"`)
    const side = match[1] as 'neutral' | 'vendor'
    const getter = makeGetter(segments(match[2]!, `${at} if`))
    if (!/[$@]/.test(match[2]!)) return (view) => check(getter(view[side]))
    return (view) => {
      const element = view[side]
      const scope: Scope = {current: element, same: view.record?.[side], ...view.record}
      return check(getter(element, scope))
    }
  })
  if (parts.length === 1) return parts[0]!
  return (view) => parts.every((part) => part(view))
}

/** Whether a condition tests the value being written (`.`); one that does not can be checked before reading it. */
export function readsValue(spec: unknown): boolean {
  if (Array.isArray(spec)) return spec.some((item) => readsValue(item))
  if (!isPlainObject(spec)) return false
  return Object.keys(spec).some((key) => key === '.' || (key === 'any' && readsValue(spec[key])))
}
