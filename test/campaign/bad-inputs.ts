/**
 * Bad inputs: files a JSON parser would change, choke on or misread, fed to `convert`. For each: the exit code from the
 * table, no stack trace, one error line naming the file when the run stops, no temp file, `read = converted + rejected`
 * with the counts expected, every rejected entry with its line and reason, and every record that converted comes back
 * from neutral to LivePerson byte for byte as its canonical text (nothing changed on the way).
 */
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {gzipSync} from 'node:zlib'

import {sampleGenerators} from '../../src/sample/index.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {runCli} from '../export/helpers.js'
import {type Attack, broken, type Check, exits, noStackTrace, noTemps, oneErrorLine, path} from './attack.js'

/** Four LivePerson records, each on one line in canonical JSON (what the CLI writes). */
const GOOD = [...sampleGenerators.liveperson!(4, {seed: 19})].map((record) => stableStringify(record))
const [G0, G1, G2, G3] = GOOD as [string, string, string, string]
const canonical = (line: string): string => stableStringify(JSON.parse(line))
/** `line` with its first `from` replaced; a campaign whose edit did not apply would attack nothing, so that throws. */
function edit(line: string, from: RegExp | string, to: string): string {
  const edited = line.replace(from, to)
  if (edited === line) throw new Error(`campaign: ${from} is not in the record`)
  return edited
}

const withField = (line: string, field: string): string => edit(line, '"info":{', `"info":{${field},`)
const setStart = (line: string, value: string): string => edit(line, /"startTimeL":\d+/, `"startTimeL":${value}`)
const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels)

interface BadInput {
  /** What convert must end with, and (when it runs to the end) its counts and the lines it rejects. */
  expect: {code: number; converted?: number; read?: number; rejected?: number[]}
  file?: string
  flags?: string[]
  input: Buffer | string
  /** The records that must convert and come back exactly (default: none). */
  kept?: string[]
  name: string
  /** What the summary must also say. */
  says?: RegExp
}

const jsonl = (...lines: string[]): string => lines.join('\n') + '\n'

const CASES: BadInput[] = [
  {
    expect: {code: 6, converted: 4, read: 5, rejected: [3]},
    input: jsonl(G0, G1, '{"info": {"conversationId": "x",', G2, G3),
    kept: GOOD,
    name: 'a malformed line mid-JSONL',
  },
  {
    expect: {code: 4},
    file: 'export.jsonl.gz',
    input: gzipSync(jsonl(...GOOD)).subarray(0, 900),
    name: 'a truncated gzip',
  },
  {
    expect: {code: 0, converted: 4, read: 4, rejected: []},
    file: 'x.jsonl.gz',
    input: gzipSync(jsonl(...GOOD)),
    kept: GOOD,
    name: 'a whole gzip',
  },
  {
    expect: {code: 0, converted: 4, read: 4, rejected: []},
    input: '\uFEFF' + jsonl(...GOOD),
    kept: GOOD,
    name: 'a byte order mark',
  },
  {
    expect: {code: 0, converted: 4, read: 4, rejected: []},
    input: GOOD.join('\r\n') + '\r\n',
    kept: GOOD,
    name: 'CRLF line ends',
  },
  {
    expect: {code: 6, converted: 2, read: 4, rejected: [2, 3]},
    input: jsonl(G0, '{"info":{"a":"x\u0000y"}}', '\u0000\u0000', G1),
    kept: [G0, G1],
    name: 'NUL bytes in a string and on a line',
  },
  {
    expect: {code: 4},
    input: Buffer.concat([Buffer.from(G0 + '\n{"info":{"a":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"}}\n')]),
    name: 'invalid UTF-8',
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [1]},
    input: jsonl(setStart(G0, '1e400'), G1),
    kept: [G1],
    name: '1e400',
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [2]},
    input: jsonl(G0, setStart(G1, '123456789012345678901234567890')),
    kept: [G0],
    name: 'a 30-digit integer',
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [1]},
    input: jsonl(setStart(G0, '9007199254740993'), G1),
    kept: [G1],
    name: '9007199254740993',
  },
  {
    expect: {code: 0, converted: 2, read: 2, rejected: []},
    input: jsonl(setStart(G0, '1704704466168.0'), setStart(G1, '1.704704466168e12')),
    kept: [canonical(setStart(G0, '1704704466168')), canonical(setStart(G1, '1704704466168'))],
    name: 'numbers spelled otherwise (1.0, 1e12): same values, written canonically',
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [1]},
    input: jsonl(edit(G0, '"info":', '"info":{"first":true},"info":'), G1),
    kept: [G1],
    name: 'a duplicate key',
  },
  {
    expect: {code: 6, converted: 2, read: 3, rejected: [2]},
    input: jsonl(G0, `{"info":${deep(100_000)}}`, G1),
    kept: [G0, G1],
    name: 'nesting 100,000 deep in JSON Lines',
  },
  {
    expect: {code: 4},
    file: 'deep.json',
    input: `[${G0},\n${deep(100_000)}]`,
    name: 'nesting 100,000 deep in a JSON array',
  },
  {
    expect: {code: 6, converted: 2, read: 3, rejected: [2]},
    flags: ['--max-record-bytes', '64KiB'],
    input: jsonl(G0, withField(G1, `"note":"${'x'.repeat(100_000)}"`), G2),
    kept: [G0, G2],
    name: 'a record over --max-record-bytes',
  },
  {
    expect: {code: 0, converted: 1, read: 1, rejected: []},
    input: jsonl(withField(G0, `"note":"${'é'.repeat(500_000)}"`)),
    kept: [withField(G0, `"note":"${'é'.repeat(500_000)}"`)],
    name: 'a 1 MB string',
  },
  {
    expect: {code: 6, converted: 1, read: 6, rejected: [2, 3, 4, 5, 6]},
    input: jsonl(G0, '42', 'null', '"text"', 'true', '[1]'),
    kept: [G0],
    name: 'scalar lines',
  },
  {expect: {code: 0, converted: 0, read: 0, rejected: []}, input: '', name: 'an empty file'},
  {expect: {code: 0, converted: 0, read: 0, rejected: []}, input: '  \n\n \t\n', name: 'only whitespace'},
  {
    expect: {code: 0, converted: 4, read: 4, rejected: []},
    input: ['', G0, '', '', G1, G2, '   ', G3, ''].join('\n'),
    kept: GOOD,
    name: 'blank lines between records',
  },
  {
    expect: {code: 4},
    input: jsonl(...[...sampleGenerators.ada!(2, {seed: 1})].map((record) => JSON.stringify(record))),
    name: "another vendor's records",
  },
  {
    expect: {code: 6, converted: 0, read: 1, rejected: [1]},
    file: 'page.json',
    input: `{"somethingElse": [${G0}]}`,
    name: 'an unknown envelope',
  },
  {
    expect: {code: 4},
    file: 'broken.json',
    input: `[\n${G0},\n{"info": {"conversationId": "x",},\n${G1}\n]\n`,
    name: 'a malformed element in a JSON array',
  },
  {
    expect: {code: 0, converted: 2, read: 2, rejected: []},
    input: jsonl(
      withField(G0, '"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"hasOwnProperty":1'),
      edit(G1, '{', '{"__proto__":[1,{"__proto__":null}],'),
    ),
    kept: [
      withField(G0, '"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"hasOwnProperty":1'),
      edit(G1, '{', '{"__proto__":[1,{"__proto__":null}],'),
    ],
    name: 'prototype keys (__proto__, constructor)',
  },
  {
    expect: {code: 0, converted: 1, read: 1, rejected: []},
    input: jsonl(withField(G0, String.raw`"odd":{"10":1,"2":2,"":3},"lone":"\ud800","esc":"\u0041\/"`)),
    kept: [withField(G0, String.raw`"odd":{"10":1,"2":2,"":3},"lone":"\ud800","esc":"\u0041\/"`)],
    name: 'numeric keys, an empty key, a lone surrogate, escapes',
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [2]},
    input: jsonl(G0, edit(G1, /"conversationId":"[^"]*"/, '"conversationId":null')),
    kept: [G0],
    name: 'a null conversation id',
  },
  {
    expect: {code: 0, converted: 3, read: 3, rejected: []},
    input: jsonl(G0, G0, G0),
    kept: [G0, G0, G0],
    name: 'duplicate conversation ids',
    says: /conversation ids in more than one record: 1 \(.+ ×3\)/,
  },
  {
    expect: {code: 0, converted: 1, read: 1, rejected: []},
    input: jsonl(edit(G0, /"conversationId":"[^"]*"/, '"conversationId":""')),
    kept: [edit(G0, /"conversationId":"[^"]*"/, '"conversationId":""')],
    name: 'an empty conversation id',
    says: /records without a conversation id: 1/,
  },
  {
    expect: {code: 6, converted: 1, read: 2, rejected: [2]},
    input: `${G0}\n{"info":{"conversationId":"x",`,
    kept: [G0],
    name: 'a last line that ends early, no newline',
  },
  {
    expect: {code: 0, converted: 2, read: 2, rejected: []},
    file: 'page.json',
    input: `{"_metadata":{"count":2},"conversationHistoryRecords":[${G0},${G1}]}`,
    kept: [G0, G1],
    name: "the vendor's own page envelope",
  },
]

const SUMMARY = /^(\d+) read = (\d+) converted \+ (\d+) rejected/m

function reconciles(expected: BadInput['expect']): Check {
  return async ({dir, run}) => {
    const output = path(dir, 'out.jsonl')
    if (expected.read === undefined) {
      broken(!existsSync(output), 'an output was written although the run stopped')
      return
    }

    const match = SUMMARY.exec(run.stdout)
    broken(match !== null, `no "read = converted + rejected" summary: ${run.stdout.slice(0, 300)}`)
    const [read, converted, rejected] = match!.slice(1).map(Number) as [number, number, number]
    broken(read === converted + rejected, `${read} read ≠ ${converted} converted + ${rejected} rejected`)
    broken(
      read === expected.read && converted === expected.converted,
      `${read} read, ${converted} converted; expected ${expected.read} and ${expected.converted}`,
    )
    const entries = existsSync(`${output}.rejected.jsonl`)
      ? (await readFile(`${output}.rejected.jsonl`, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as {line?: unknown; reason?: unknown})
      : []
    broken(entries.length === rejected, `${entries.length} entries in the rejected file, ${rejected} counted`)
    for (const entry of entries) {
      broken(typeof entry.reason === 'string' && entry.reason.length > 0, `a rejected entry without a reason`)
    }

    const lines = entries.map((entry) => entry.line)
    broken(
      JSON.stringify(lines) === JSON.stringify(expected.rejected),
      `rejected lines ${JSON.stringify(lines)}, expected ${JSON.stringify(expected.rejected)}`,
    )
  }
}

/** The converted records, back from neutral to LivePerson, are the kept records' canonical text byte for byte. */
function roundTrips(kept: string[]): Check {
  return async ({dir}) => {
    const output = path(dir, 'out.jsonl')
    if (kept.length === 0) return
    const back = path(dir, 'back.jsonl')
    const run = await runCli([
      'convert',
      '--from',
      'neutral',
      '--to',
      'liveperson',
      '--input',
      output,
      '--output',
      back,
    ])
    broken(run.code === 0, `the way back failed (exit ${run.code}): ${run.stderr.slice(-300)}`)
    const expected = kept.map((line) => canonical(line) + '\n').join('')
    const actual = await readFile(back, 'utf8')
    if (actual === expected) return
    const at = [...actual].findIndex((char, i) => char !== expected[i])
    broken(
      false,
      `the round trip changed the records (first difference at character ${at}: …${actual.slice(Math.max(0, at - 40), at + 40)}…)`,
    )
  }
}

export const badInputs: Attack[] = CASES.map((entry) => {
  const file = entry.file ?? 'export.jsonl'
  const stops = entry.expect.read === undefined
  return {
    class: 'bad inputs',
    command: (dir) => [
      'convert',
      '--from',
      'liveperson',
      '--to',
      'neutral',
      '--input',
      path(dir, file),
      '--output',
      path(dir, 'out.jsonl'),
      ...(entry.flags ?? []),
    ],
    invariant: [
      exits(entry.expect.code),
      noStackTrace,
      ...(stops ? [oneErrorLine(() => file)] : []),
      noTemps,
      reconciles(entry.expect),
      ...(entry.says
        ? [
            ({run}: {run: {stdout: string}}) =>
              broken(entry.says!.test(run.stdout), `the summary does not say ${entry.says}`),
          ]
        : []),
      roundTrips(entry.kept ?? []),
    ],
    name: entry.name,
    async setup(dir) {
      await writeFile(path(dir, file), entry.input)
    },
  }
})
