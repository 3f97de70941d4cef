/**
 * Field paths used in mapping files: `info.startTime`, `dialogs[0].id`, `metadata["odd.key"]`, `tags[].name`.
 * Parsed once when a mapping is compiled, never per record.
 */
export type PathSegment =
  FilterSegment | RootSegment | {each: true; kind: 'each'} | {index: number; kind: 'index'} | {key: string; kind: 'key'}

/**
 * `$.a` (the root of the side the path is read on), `$vendor.a`, `$neutral.a`: only as a path's first segment.
 * A rule's own paths are relative to its element; a root reaches the whole record (a lookup into another array).
 * `$parent.a` is the enclosing element on the side being read: the message an attachment is in (for a top-level
 * collection, the record), so that a nested list's rules can depend on the element that holds it. Read only.
 */
export interface RootSegment {
  kind: 'root'
  side: 'neutral' | 'parent' | 'same' | 'vendor'
}

/**
 * `[k=v]` (the first element matching), `[?k=v]` (every element matching). Conditions, `,`-separated, all hold:
 * `k=v` (equal; `k=a|b` one of), `k!=v` (none of), `k` (present), `=v` (a scalar element equal to v).
 * `k` may be dotted (`author.type=user`). A value is a JSON literal when it parses as one (`2`, `true`, `null`,
 * `"2"`), `@x` the field x of the element the rule is about, `$parent.x` the field x of its enclosing element (both
 * read per record), else a bare string.
 */
export interface FilterSegment {
  all: boolean
  conditions: FilterCondition[]
  kind: 'filter'
  /** The filter as written, `[…]`, for messages and group keys. */
  text: string
}

export interface FilterCondition {
  /** The element's field tested; empty for the element itself (a scalar array). */
  field: string[]
  op: 'eq' | 'ne' | 'present'
  values: FilterValue[]
}

/** `parent`: a `$parent.x` reference (the enclosing element's field), else `@x` (the element's own). */
export type FilterValue = {literal: unknown} | {parent?: true; ref: string[]}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

export class PathSyntaxError extends Error {}

export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = []
  let i = 0
  const fail = (why: string): never => {
    throw new PathSyntaxError(`invalid path "${path}": ${why}`)
  }

  if (path.length === 0) fail('empty path')
  while (i < path.length) {
    const ch = path[i]
    if (ch === '[') {
      const close = path.indexOf(']', i)
      if (close === -1) fail('unclosed [')
      const inner = path.slice(i + 1, close)
      if (inner === '') {
        segments.push({each: true, kind: 'each'})
      } else if (/^[?=!@\w$-]/.test(inner) && !/^\d+$/.test(inner)) {
        segments.push(parseFilter(inner, fail))
      } else if (/^\d+$/.test(inner)) {
        segments.push({index: Number(inner), kind: 'index'})
      } else if (inner.startsWith('"')) {
        // A quoted key: find the closing quote honouring JSON escapes, then the ].
        let end = i + 2
        while (end < path.length && path[end] !== '"') end += path[end] === '\\' ? 2 : 1
        if (path[end + 1] !== ']') fail('expected "] after a quoted key')
        segments.push({key: JSON.parse(path.slice(i + 1, end + 1)) as string, kind: 'key'})
        i = end + 2
        if (path[i] === '.') i++
        continue
      } else {
        fail(`unexpected [${inner}]`)
      }

      i = close + 1
      if (path[i] === '.') i++
      continue
    }

    let end = i
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++
    const key = path.slice(i, end)
    if (key === '') fail('empty key (use ["…"] for odd keys)')
    segments.push({key, kind: 'key'})
    i = end
    if (path[i] === '.') {
      i++
      if (i === path.length) fail('trailing dot')
    }
  }

  const first = segments[0]
  if (first?.kind === 'key' && ROOTS.has(first.key)) {
    segments[0] = {kind: 'root', side: ROOTS.get(first.key)!}
    if (segments.length === 1) fail('a root needs a field after it ($.a)')
  }

  if (segments.slice(1).some((s) => s.kind === 'key' && ROOTS.has(s.key) && s.key !== '$'))
    fail('$vendor, $neutral and $parent only start a path')
  for (const segment of segments) {
    if (segment.kind === 'key' && FORBIDDEN_KEYS.has(segment.key)) fail(`the key "${segment.key}" is not allowed`)
  }

  return segments
}

const ROOTS = new Map<string, RootSegment['side']>([
  ['$', 'same'],
  ['$neutral', 'neutral'],
  ['$parent', 'parent'],
  ['$vendor', 'vendor'],
])

/** The inside of `[…]` that is neither an index, `[]`, nor a quoted key: a filter. */
function parseFilter(inner: string, fail: (why: string) => never): FilterSegment {
  const all = inner.startsWith('?')
  const body = all ? inner.slice(1) : inner
  const conditions = body.split(',').map((part): FilterCondition => {
    const match = /^([\w$.-]*?)(!=|=)(.*)$/.exec(part)
    if (!match) {
      if (!/^[\w$-]+(\.[\w$-]+)*$/.test(part)) fail(`unexpected [${inner}]`)
      return {field: part.split('.'), op: 'present', values: []}
    }

    const [, field, op, rest] = match as unknown as [string, string, string, string]
    if (rest === '') fail(`[${inner}]: a value after ${op}`)
    const values = rest.split('|').map((text): FilterValue => {
      if (text.startsWith('@')) {
        if (!/^@[\w$-]+(\.[\w$-]+)*$/.test(text)) fail(`[${inner}]: ${text} is not a field reference`)
        return {ref: text.slice(1).split('.')}
      }

      if (text.startsWith('$parent.')) {
        if (!/^\$parent(\.[\w$-]+)+$/.test(text)) fail(`[${inner}]: ${text} is not a field reference`)
        return {parent: true, ref: text.split('.').slice(1)}
      }

      try {
        return {literal: JSON.parse(text)}
      } catch {
        return {literal: text}
      }
    })
    const path = field === '' ? [] : field.split('.')
    if (path.some((key) => key === '' || FORBIDDEN_KEYS.has(key))) fail(`[${inner}]: bad field "${field}"`)
    return {field: path, op: op === '=' ? 'eq' : 'ne', values}
  })
  return {all, conditions, kind: 'filter', text: `[${inner}]`}
}

/** RFC 6901 JSON Pointer for a list of keys / indexes. */
export function toPointer(parts: ReadonlyArray<number | string>): string {
  let out = ''
  for (const part of parts) {
    const text = String(part)
    out += '/' + (text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text)
  }

  return out
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new PathSyntaxError(`invalid JSON Pointer "${pointer}"`)
  // Pointers are built per record: most have nothing escaped, and need no regular expression per part.
  if (!pointer.includes('~')) return pointer.slice(1).split('/')
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const s of segments) {
    switch (s.kind) {
      case 'each': {
        out += '[]'
        break
      }

      case 'filter': {
        out += s.text
        break
      }

      case 'index': {
        out += `[${s.index}]`
        break
      }

      case 'root': {
        out += s.side === 'same' ? '$' : `$${s.side}`
        break
      }

      default: {
        out += /^[\w$-]+$/.test(s.key) ? (out ? '.' : '') + s.key : `[${JSON.stringify(s.key)}]`
      }
    }
  }

  return out
}
