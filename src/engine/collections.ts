import {isEmpty, type RecordScope} from './expressions.js'
import {cloneJson, isPlainObject, type JsonObject, setOwn} from './json.js'
import {type CompiledCollection, SCALAR_KEY} from './level.js'

/**
 * The vendor and neutral sides of a collection's elements for each shape of §3.6: a plain array, one object (`one`),
 * parallel arrays (`zip`), a projection read once per key (`distinct`), an array inside a JSON string (`parse`), and
 * plain values instead of objects (`"."` in a rule, wrapped under SCALAR_KEY while the element's rules run).
 * A plain array with `missing` is like a field: no vendor elements is no neutral list, and no neutral elements write the
 * vendor's placeholder (`[]`, `null`) or nothing, so an element without the list round-trips without an extension.
 * Whatever a shape cannot rebuild exactly, the lossless diff keeps at the enclosing level (only plain arrays of
 * objects are paired element by element). `omitEmpty`: a list only some elements have (a bot message's options) is
 * written on neither side when it has no element. An element's `$parent.` is the element that holds it on the side
 * being read: run.ts passes it down with the record, `routed` takes it for the `if` and route of ←.
 */

/** The vendor elements of `source` (the enclosing element), or undefined when the collection is not there. */
export function vendorElements(
  collection: CompiledCollection,
  source: JsonObject,
  found: {renamed?: Record<string, string>},
): undefined | unknown[] {
  const {shape} = collection
  switch (shape.kind) {
    case 'array': {
      let elements = collection.getter(source)
      for (const alias of collection.aliases) {
        if (elements !== undefined) break
        elements = alias.getter(source)
        if (elements !== undefined) (found.renamed ??= {})[collection.pointer] = alias.pointer
      }

      return Array.isArray(elements) ? wrapScalars(collection, elements) : undefined
    }

    case 'distinct': {
      return distinctElements(collection.getter(source), shape.key)
    }

    case 'one': {
      const object = shape.whole ? source : collection.getter(source)
      return isPlainObject(object) ? [object] : undefined
    }

    case 'parse': {
      const text = collection.getter(source)
      if (typeof text !== 'string') return undefined
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return undefined // not JSON: the rules of the enclosing level (or the diff) keep the string
      }

      const elements = shape.at.getter(parsed)
      return Array.isArray(elements) ? wrapScalars(collection, elements) : undefined
    }

    case 'zip': {
      const container = shape.whole ? source : collection.getter(source)
      if (!isPlainObject(container)) return undefined
      const columns = shape.arrays.map(({getter, key}) => ({key, values: getter(container)}))
      const length = Math.max(0, ...columns.map(({values}) => (Array.isArray(values) ? values.length : 0)))
      const elements: JsonObject[] = []
      for (let i = 0; i < length; i++) {
        const element: JsonObject = {}
        for (const {key, values} of columns)
          if (Array.isArray(values) && values[i] !== undefined) element[key] = values[i]
        elements.push(element)
      }

      if (length === 0) return undefined
      return shape.distinct === undefined ? elements : distinctElements(elements, shape.distinct)
    }
  }
}

/** One element per distinct key; a plain value is its own key (`{key: value}`). Empty keys are skipped. */
function distinctElements(projected: unknown, key: string): JsonObject[] | undefined {
  if (projected === undefined) return undefined
  const seen = new Set<unknown>()
  const elements: JsonObject[] = []
  for (const value of Array.isArray(projected) ? projected : [projected]) {
    const element = isPlainObject(value) ? value : isEmpty(value) ? undefined : {[key]: value}
    const id = element?.[key]
    if (isEmpty(id)) continue
    const seenAs = typeof id === 'object' ? JSON.stringify(id) : id
    if (seen.has(seenAs)) continue
    seen.add(seenAs)
    elements.push(element!)
  }

  return elements
}

function wrapScalars(collection: CompiledCollection, elements: unknown[]): unknown[] {
  return collection.scalar.vendor ? elements.map((value) => ({[SCALAR_KEY]: value})) : elements
}

/**
 * The neutral elements a collection writes back: those its `if` and route select (`one`: the first of them).
 * `parent`: the element on each side that holds them (for `$parent.`), the neutral one being `neutral`.
 */
export function routed(collection: CompiledCollection, neutral: JsonObject, parent?: RecordScope['parent']): unknown[] {
  const all = collection.neutralGetter(neutral)
  if (!Array.isArray(all)) return []
  let elements: unknown[] = collection.scalar.neutral
    ? all.filter((e) => e !== undefined && e !== null)
    : all.filter((e): e is JsonObject => isPlainObject(e))
  const {route} = collection
  const condition = collection.condition?.fromNeutral
  const record = condition || (route && 'if' in route) ? {parent: parent ?? {neutral, vendor: undefined}} : undefined
  if (condition) elements = elements.filter((e) => condition({neutral: e, record, value: e, vendor: e}))
  if (route && 'values' in route) elements = elements.filter((e) => route.values.has(route.field(e)))
  else if (route && 'if' in route)
    elements = elements.filter((e) => route.if({neutral: e, record, value: e, vendor: e}))
  else if (route && 'skip' in route) elements = elements.slice(route.skip)
  else if (route) elements = elements.slice(0, route.take)
  return collection.shape.kind === 'one' ? elements.slice(0, 1) : elements
}

/** Writes the rebuilt vendor elements into `out` (the enclosing vendor element) in the collection's shape. */
export function writeElements(collection: CompiledCollection, out: JsonObject, rebuilt: JsonObject[]): void {
  const {shape} = collection
  switch (shape.kind) {
    case 'array': {
      const {missing} = collection
      if (missing && rebuilt.length === 0) {
        if (missing[0] !== undefined) collection.setter(out, cloneJson(missing[0]))
      } else if (rebuilt.length > 0 || !collection.omitEmpty) {
        collection.setter(out, collection.scalar.vendor ? unwrapScalars(rebuilt) : rebuilt)
      }

      return
    }

    case 'distinct': {
      return // read only: the elements are written back by the rules of the records they were gathered from
    }

    case 'one': {
      if (rebuilt.length === 0) return
      // Rules of the enclosing level may have written some of its fields: fill only what they left empty.
      fillEmpty(shape.whole ? out : objectAt(collection, out), rebuilt[0]!)
      return
    }

    case 'zip': {
      if (rebuilt.length === 0) return
      const container = shape.whole ? out : objectAt(collection, out)
      for (const {key, setter} of shape.arrays) {
        if (!rebuilt.some((element) => element[key] !== undefined)) continue
        setter(
          container,
          rebuilt.map((element) => element[key] ?? null),
        )
      }

      return
    }

    case 'parse': {
      if (rebuilt.length === 0) return
      const current = collection.getter(out)
      let base: unknown
      try {
        base = typeof current === 'string' ? JSON.parse(current) : undefined
      } catch {
        base = undefined
      }

      // `document`: the fields around the array, first in the written JSON (a fresh copy: the array goes into it).
      const document = isPlainObject(base) ? base : shape.document ? cloneJson(shape.document) : {}
      shape.at.setter(document, collection.scalar.vendor ? unwrapScalars(rebuilt) : rebuilt)
      collection.setter(out, JSON.stringify(document))
    }
  }
}

function unwrapScalars(rebuilt: JsonObject[]): unknown[] {
  return rebuilt.map((element) => element[SCALAR_KEY]).filter((value) => value !== undefined)
}

function objectAt(collection: CompiledCollection, out: JsonObject): JsonObject {
  const existing = collection.getter(out)
  if (isPlainObject(existing)) return existing
  const object: JsonObject = {}
  collection.setter(out, object)
  return object
}

/** Fills the keys of `target` that are missing or null with `values`, into nested objects both have. */
function fillEmpty(target: JsonObject, values: JsonObject): void {
  for (const [key, value] of Object.entries(values)) {
    const current = target[key]
    if (current === undefined || current === null) setOwn(target, key, value)
    else if (isPlainObject(current) && isPlainObject(value)) fillEmpty(current, value)
  }
}
