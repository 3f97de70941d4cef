/**
 * Field paths used in mapping files: `info.startTime`, `dialogs[0].id`, `metadata["odd.key"]`, `tags[].name`.
 * Parsed once when a mapping is compiled, never per record.
 */
export type PathSegment = {each: true; kind: 'each'} | {index: number; kind: 'index'} | {key: string; kind: 'key'}

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

  for (const segment of segments) {
    if (segment.kind === 'key' && FORBIDDEN_KEYS.has(segment.key)) fail(`the key "${segment.key}" is not allowed`)
  }

  return segments
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
    if (s.kind === 'each') out += '[]'
    else if (s.kind === 'index') out += `[${s.index}]`
    else if (/^[\w$-]+$/.test(s.key)) out += (out ? '.' : '') + s.key
    else out += `[${JSON.stringify(s.key)}]`
  }

  return out
}
