import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

export type Json = Record<string, any>

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')

/** Deliberately malformed JSON (cut short, a trailing comma, unquoted keys, typographic quotes, a // comment). */
export const MALFORMED = /-(?:truncated|trailing-comma|unquoted|typographic-quotes|with-comment)\.jsonl?$/
/** Neutral records (what a mapping test expects), not vendor records. */
const NEUTRAL = /neutral\.json$/

/** A fixture of test/fixtures/conformance, parsed afresh. */
export function conformanceFixture(name: string): Json {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures/conformance', name), 'utf8')) as Json
}

/** A deep copy of `record` with the value at `path` (`a.b[2].c`) replaced, or deleted when `value` is undefined. */
export function withValue(record: Json, path: string, value?: unknown): Json {
  const copy = structuredClone(record)
  const keys = path.split(/\.|\[(\d+)]/).filter((key) => key !== undefined && key !== '')
  const last = keys.pop() as string
  const parent = keys.reduce<Json>((node, key) => node[key], copy)
  if (value === undefined) delete parent[last]
  else parent[last] = value
  return copy
}

export interface RecordFilesOptions {
  /**
   * Where a page holds its records: a key (`results`) or a path, `[]` standing for each item of an array
   * (`data.closedConversations.edges[].node`). The first that leads to an array wins.
   */
  envelopes: string[]
  /** Only the files whose names match. */
  names?: RegExp
  /** Pass over every value in none of the envelopes (a folder of several kinds of page), instead of reading it as a record. */
  onlyEnveloped?: boolean
}

/** The records of `value` where it holds `envelope`, or undefined where it does not. */
function unwrap(value: unknown, envelope: string): Json[] | undefined {
  const [outer, each] = envelope.split('[].')
  const list = outer!.split('.').reduce<any>((node, key) => node?.[key], value)
  if (!Array.isArray(list)) return undefined
  return each === undefined ? list : list.map((item) => each.split('.').reduce<any>((node, key) => node?.[key], item))
}

/** The JSON values of a .json file, or of each line of a .jsonl file. */
function jsonValues(path: string): unknown[] {
  const text = readFileSync(path, 'utf8')
  if (!path.endsWith('.jsonl')) return [JSON.parse(text)]
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
}

/**
 * The vendor records of the .json and .jsonl files in `folders` (relative to the repository), a file at a time: the
 * records of a page, the items of an array, or the values themselves. Deliberately malformed and neutral files are
 * left out, and with `onlyEnveloped` the files that hold no envelope.
 */
export function recordFiles(
  folders: string[],
  {envelopes, names = /./, onlyEnveloped = false}: RecordFilesOptions,
): Array<{file: string; records: Json[]}> {
  return folders.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => /\.jsonl?$/.test(name) && names.test(name) && !MALFORMED.test(name) && !NEUTRAL.test(name))
      .flatMap((name) => {
        const records: Json[] = []
        let enveloped = false
        for (const value of jsonValues(join(ROOT, folder, name))) {
          const inside = envelopes.map((envelope) => unwrap(value, envelope)).find(Boolean)
          if (inside) {
            enveloped = true
            records.push(...inside)
          } else if (!onlyEnveloped) records.push(...(Array.isArray(value) ? value : [value as Json]))
        }

        return enveloped || !onlyEnveloped ? [{file: join(folder, name), records}] : []
      }),
  )
}

/** The records of `recordFiles`, each named `file#_id`. */
export function recordsById(folders: string[], options: RecordFilesOptions): Array<[string, Json]> {
  return recordFiles(folders, options).flatMap(({file, records}) =>
    records.map((record): [string, Json] => [`${file}#${record._id}`, record]),
  )
}
