import {cloneJson, hasOwn, isPlainObject, type JsonObject, removeAt, setAt, setOwn} from './json.js'
import {fromPointer} from './paths.js'

/**
 * The lossless remainder of a vendor record, kept in the neutral record at `extensions.<format>` (and in each
 * collection element's own `extensions`): what the rebuild lacks (`unmapped`), gets wrong (`original`) or adds
 * (`absent`), and the alias spellings the record used (`renamed`). diff.ts finds it; the rebuild applies it.
 */
export interface Extension {
  absent?: string[]
  original?: JsonObject
  renamed?: Record<string, string>
  unmapped?: JsonObject
}

/** The extension of `format` in a neutral element, created (with `create`) when there is none. */
export function extensionOf(neutral: JsonObject, format: string, create: boolean): Extension | undefined {
  let extensions = neutral.extensions as Record<string, Extension> | undefined
  if (!extensions) {
    if (!create) return undefined
    extensions = {}
    neutral.extensions = extensions
  }

  let extension = extensions[format]
  if (!extension && create) {
    extension = {}
    setOwn(extensions as JsonObject, format, extension)
  }

  return extension
}

/** Applies a recorded extension to a rebuilt vendor element. */
export function applyExtension(out: JsonObject, extension: Extension): void {
  if (extension.renamed) {
    for (const [from, to] of Object.entries(extension.renamed)) {
      const value = removeAt(out, fromPointer(from))
      if (value !== undefined) setAt(out, fromPointer(to), value)
    }
  }

  if (extension.unmapped) mergeInto(out, extension.unmapped)
  if (extension.original) {
    for (const [pointer, value] of Object.entries(extension.original))
      setAt(out, fromPointer(pointer), cloneJson(value))
  }

  if (extension.absent) {
    for (const pointer of extension.absent) removeAt(out, fromPointer(pointer))
  }
}

/** Deep-merges `source` into `target`, copying what it sets: `source` may be shared with a neutral record. */
export function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) {
    const value = source[key]
    const existing = hasOwn(target, key) ? target[key] : undefined
    if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value)
    else setOwn(target, key, cloneJson(value))
  }
}
