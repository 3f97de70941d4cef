import {expect} from 'chai'
import fc from 'fast-check'
import {once} from 'node:events'
import {createWriteStream, readdirSync, readlinkSync} from 'node:fs'
import {chmod, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'
import {gzipSync} from 'node:zlib'

import {ConvoshiftError, ExitCode} from '../../src/errors.js'
import {
  type InputRecord,
  openRecords,
  type ReadRecordsOptions,
  type RecordSource,
  type RejectedInput,
} from '../../src/io/read-records.js'
import {useTempDir} from '../helpers/tmp.js'

const ENVELOPE_KEYS = ['conversationHistoryRecords', 'records']

interface ReadResult {
  error?: ConvoshiftError
  records: Array<Pick<InputRecord, 'line' | 'value'>>
  /** Input handed out as rejected, with its line. */
  rejected: Array<RejectedInput & {line: number}>
  /** Of records and rejected input, in order. */
  indexes: number[]
  source: RecordSource
}

/** Reads everything (records before an error included); the error, if any, is returned rather than thrown. */
async function readAll(
  path: string,
  stdin?: NodeJS.ReadableStream,
  options: Partial<ReadRecordsOptions> = {},
): Promise<ReadResult> {
  const source = await openRecords({envelopeKeys: ENVELOPE_KEYS, path, ...(stdin ? {stdin} : {}), ...options})
  const records: ReadResult['records'] = []
  const rejected: ReadResult['rejected'] = []
  const indexes: number[] = []
  try {
    for await (const item of source) {
      if (item.rejected) rejected.push({line: item.line, ...item.rejected})
      else records.push({line: item.line, value: item.value})
      indexes.push(item.index)
    }
  } catch (error) {
    if (!(error instanceof ConvoshiftError)) throw error
    return {error, indexes, records, rejected, source}
  }

  return {indexes, records, rejected, source}
}

/** The error of reading `path`, whether it surfaces when opening (small inputs are read ahead) or when iterating. */
async function readError(path: string): Promise<ConvoshiftError | undefined> {
  try {
    return (await readAll(path)).error
  } catch (error) {
    if (error instanceof ConvoshiftError) return error
    throw error
  }
}

async function openError(path: string): Promise<ConvoshiftError> {
  try {
    await openRecords({envelopeKeys: ENVELOPE_KEYS, path})
  } catch (error) {
    if (error instanceof ConvoshiftError) return error
    throw error
  }

  throw new Error(`expected openRecords(${path}) to fail`)
}

/** A stream that delivers `data` in chunks of the given sizes (cycled), to exercise every chunk boundary. */
function chunked(data: Buffer, sizes: number[] = [1]): Readable {
  const chunks: Buffer[] = []
  for (let i = 0, offset = 0; offset < data.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1)
    chunks.push(data.subarray(offset, offset + size))
    offset += size
  }

  return Readable.from(chunks)
}

/** `{"x":[[…]]}`, `depth` levels deep. */
function deep(depth: number): string {
  return `{"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
}

function element(n: number): string {
  return `{"id":${n},"pad":"${'p'.repeat(60_000)}"}`
}

function pad(n: number): string {
  return 'p'.repeat(n)
}

/** File descriptors of this process that point at `path` (Linux only; undefined elsewhere). */
function openDescriptors(path: string): number | undefined {
  if (process.platform !== 'linux') return undefined
  let count = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++
    } catch {
      // The descriptor used to list the directory is gone by now.
    }
  }

  return count
}

describe('openRecords', () => {
  const tmp = useTempDir('each')

  async function file(name: string, content: Buffer | string): Promise<string> {
    const path = join(tmp.dir, name)
    await writeFile(path, content)
    return path
  }

  describe('layouts', () => {
    it('reads JSON Lines with CRLF, blank lines and no final newline', async () => {
      // Given JSONL with Windows line ends, blank lines (one with spaces) and a last line without a newline
      const path = await file('export.jsonl', '{"id":1}\r\n\r\n  \r\n{"id":2}\r\n{"id":3}')

      // When it is read
      const {indexes, records, source} = await readAll(path)

      // Then every record comes with the line it starts on and its ordinal
      expect(source.layout).to.equal('jsonl')
      expect(source.compressed).to.equal(false)
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 4, value: {id: 2}},
        {line: 5, value: {id: 3}},
      ])
      expect(indexes).to.deep.equal([0, 1, 2])
    })

    it('expands array lines and envelope lines in JSONL', async () => {
      const path = await file(
        'mixed.jsonl',
        '[{"id":1},{"id":2}]\n{"_metadata":{"count":1},"records":[{"id":3}]}\n{"id":4,"records":null}\n[]\n',
      )
      const {records, source} = await readAll(path)
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 1, value: {id: 2}},
        {line: 2, value: {id: 3}},
        {line: 3, value: {id: 4, records: null}},
      ])
      expect(source.envelopes).to.equal(1)
    })

    it('streams a pretty-printed array, reporting the line each element starts on', async () => {
      const path = await file(
        'export.json',
        '[\n  {\n    "id": 1,\n    "text": "a [ { \\" } ]"\n  },\n  {"id": 2}, {"id": 3}\n]\n',
      )
      const {records, source} = await readAll(path)
      expect(source.layout).to.equal('json-document')
      expect(records).to.deep.equal([
        {line: 2, value: {id: 1, text: 'a [ { " } ]'}},
        {line: 6, value: {id: 2}},
        {line: 6, value: {id: 3}},
      ])
    })

    it('reads a vendor envelope whose records key comes after _metadata', async () => {
      // Given a LivePerson-style page: metadata first, then the records, then another key
      const path = await file(
        'page.json',
        [
          '{',
          '  "_metadata": {"count": 2, "next": {"rel": "next", "href": "https://x.test/?offset=2"}},',
          '  "conversationHistoryRecords": [',
          '    {"info": {"conversationId": "conv_1"}},',
          '    {',
          '      "info": {"conversationId": "conv_2"}',
          '    }',
          '  ],',
          '  "trailer": [1, 2]',
          '}',
        ].join('\n'),
      )

      // When it is read
      const {records, source} = await readAll(path)

      // Then the elements of the records array are the records; the other keys are ignored
      expect(records).to.deep.equal([
        {line: 4, value: {info: {conversationId: 'conv_1'}}},
        {line: 5, value: {info: {conversationId: 'conv_2'}}},
      ])
      expect(source.envelopes).to.equal(1)
      expect(source.layout).to.equal('json-document')
    })

    it('reads concatenated pretty-printed envelopes and plain objects in order', async () => {
      const path = await file(
        'pages.json',
        '{\n  "_metadata": {},\n  "records": [\n    {"id": 1}\n  ]\n}\n{\n  "records": [{"id": 2}, {"id": 3}]\n}\n{\n  "id": 4,\n  "records": "not an array"\n}\n',
      )
      const {indexes, records, source} = await readAll(path)
      expect(records).to.deep.equal([
        {line: 4, value: {id: 1}},
        {line: 8, value: {id: 2}},
        {line: 8, value: {id: 3}},
        {line: 10, value: {id: 4, records: 'not an array'}},
      ])
      expect(indexes).to.deep.equal([0, 1, 2, 3])
      expect(source.envelopes).to.equal(2)
    })

    it('reads concatenated envelopes one per line as JSONL', async () => {
      const path = await file(
        'pages.jsonl',
        '{"_metadata":{"o":0},"records":[{"id":1},{"id":2}]}\n{"_metadata":{"o":2},"records":[{"id":3}]}\n',
      )
      const {records, source} = await readAll(path)
      expect(source.layout).to.equal('jsonl')
      expect(source.envelopes).to.equal(2)
      expect(records.map((r) => [r.line, (r.value as {id: number}).id])).to.deep.equal([
        [1, 1],
        [1, 2],
        [2, 3],
      ])
    })

    it('reads a single pretty-printed record as one record', async () => {
      const path = await file('one.json', '\n\n{\n  "id": "conv_123",\n  "messages": [{"text": "hi"}]\n}\n')
      const {records, source} = await readAll(path)
      expect(records).to.deep.equal([{line: 3, value: {id: 'conv_123', messages: [{text: 'hi'}]}}])
      expect(source.envelopes).to.equal(0)
    })

    it('takes records from every envelope array of an object, in document order, in both layouts', async () => {
      const value = '{"records": [{"id": 1}], "x": 0, "conversationHistoryRecords": [{"id": 2}]}'
      const jsonl = await readAll(await file('two.jsonl', value + '\n'))
      const pretty = await readAll(await file('two.json', value.replace('{"records"', '{\n"records"')))
      expect(jsonl.records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 2}])
      expect(pretty.records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 2}])
      expect(jsonl.source.envelopes).to.equal(1)
      expect(pretty.source.envelopes).to.equal(1)
    })

    it('skips a UTF-8 byte order mark', async () => {
      const path = await file(
        'bom.jsonl',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":1}\n{"id":2}\n')]),
      )
      const {records} = await readAll(path)
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 2, value: {id: 2}},
      ])
    })

    it('yields zero records for an empty or blank file', async () => {
      for (const content of ['', '  \n\r\n\n']) {
        const {error, records} = await readAll(await file('empty.json', content))
        expect(error).to.equal(undefined)
        expect(records).to.deep.equal([])
      }
    })

    it('streams a JSONL line longer than the line limit (a huge one-line page)', async () => {
      // Given a small first line, then a 5 MB one-line envelope, then another line
      const big = Array.from({length: 2500}, (_, i) => ({id: i, text: 'x'.repeat(2000)}))
      const path = await file(
        'huge.jsonl',
        `{"id":"first"}\n${JSON.stringify({_metadata: {}, records: big})}\n{"id":"last"}\n`,
      )

      // When it is read
      const {records, source} = await readAll(path)

      // Then it is still JSONL, with every record of the big page on line 2
      expect(source.layout).to.equal('jsonl')
      expect(records).to.have.length(2502)
      expect(records[0]).to.deep.equal({line: 1, value: {id: 'first'}})
      expect(records[1]).to.deep.equal({line: 2, value: big[0]})
      expect(records[2500]).to.deep.equal({line: 2, value: big[2499]})
      expect(records[2501]).to.deep.equal({line: 3, value: {id: 'last'}})
    })

    it('handles lines and values that span read chunks', async () => {
      // Given ~3 MB of JSONL with varied line lengths, multi-byte characters and escapes
      const values = Array.from({length: 3000}, (_, i) => ({
        i,
        text: `ünïcødé “quotes” \\ " [{ ${'x'.repeat((i * 7919) % 2000)}`,
      }))
      const jsonl = await file('chunks.jsonl', values.map((v) => JSON.stringify(v)).join('\n'))
      const pretty = await file('chunks.json', JSON.stringify(values, null, 2))

      // When both are read
      const fromJsonl = await readAll(jsonl)
      const fromPretty = await readAll(pretty)

      // Then both give back every value, with the right lines
      expect(fromJsonl.records.map((r) => r.value)).to.deep.equal(values)
      expect(fromJsonl.records.map((r) => r.line)).to.deep.equal(values.map((_, i) => i + 1))
      expect(fromPretty.records.map((r) => r.value)).to.deep.equal(values)
      expect(fromPretty.records.map((r) => r.line)).to.deep.equal(values.map((_, i) => 2 + i * 4))
    })
  })

  describe('gzip', () => {
    const cases: Array<[string, string, number]> = [
      ['jsonl', '{"id":1}\r\n\n{"id":2}', 2],
      ['pretty array', '[\n  {"id": 1},\n  {"id": 2}\n]\n', 2],
      ['envelope', '{\n  "_metadata": {"count": 2},\n  "records": [\n    {"id": 1},\n    {"id": 2}\n  ]\n}\n', 2],
      ['concatenated envelopes', '{"records":[{"id":1}]}\n{\n "records": [{"id": 2}]\n}\n', 2],
      ['single record', '{\n  "id": 1\n}\n', 1],
    ]
    for (const [name, text, count] of cases) {
      it(`detects gzip by its magic bytes and reads the same records (${name})`, async () => {
        // Given the same content plain and gzipped, the latter without a .gz extension
        const plain = await readAll(await file('plain.json', text))
        const zipped = await readAll(await file('zipped.json', gzipSync(text)))

        // Then the records are identical and only `compressed` differs
        expect(zipped.error).to.equal(undefined)
        expect(zipped.records).to.deep.equal(plain.records)
        expect(zipped.records).to.have.length(count)
        expect(zipped.source.compressed).to.equal(true)
        expect(plain.source.compressed).to.equal(false)
        expect(zipped.source.layout).to.equal(plain.source.layout)
      })
    }

    it('reports a corrupt gzip stream as malformed input', async () => {
      const data = gzipSync('{"id":1}\n'.repeat(1000))
      data.fill(0x55, 12, 40)
      const error = await readError(await file('bad.jsonl.gz', data))
      expect(error?.code).to.equal('INPUT_MALFORMED')
      expect(error?.exitCode).to.equal(ExitCode.InvalidInput)
      expect(error?.message).to.match(/^.*bad\.jsonl\.gz: corrupt gzip data: [^\n]+$/)
    })

    it('reports a truncated gzip file', async () => {
      const data = gzipSync('{"id":1}\n'.repeat(1000))
      const path = await file('cut.jsonl.gz', data.subarray(0, -10))
      const {error, records} = await readAll(path)
      expect(error?.message).to.equal(`${path}: corrupt gzip data: unexpected end of file (truncated file?)`)
      expect(error?.code).to.equal('INPUT_MALFORMED')
      expect(records.length).to.be.lessThan(1001)
    })
  })

  describe('stdin', () => {
    it("reads '-' from stdin, one byte per chunk", async () => {
      const text = '[\n {"id": 1, "s": "\\\\\\"[{"},\n {"id": 2}\n]\n{"records": [{"id": 3}]}\n'
      const {records, source} = await readAll('-', chunked(Buffer.from(text)))
      expect(source.layout).to.equal('json-document')
      expect(records).to.deep.equal([
        {line: 2, value: {id: 1, s: String.raw`\"[{`}},
        {line: 3, value: {id: 2}},
        {line: 5, value: {id: 3}},
      ])
    })

    it('reads gzip from stdin', async () => {
      const {records, source} = await readAll('-', chunked(gzipSync('{"id":1}\n{"id":2}\n'), [3, 1, 7]))
      expect(source.compressed).to.equal(true)
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 2, value: {id: 2}},
      ])
    })

    it('names <stdin> in errors', async () => {
      const {error} = await readAll('-', chunked(Buffer.from('[{"id":1},\n{"id":}]\n'), [5]))
      expect(error?.message).to.equal("<stdin>:2:7: malformed JSON: unexpected character '}'")
    })

    it('gives the same records for any chunking and layout (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          topLevelValues,
          fc.constantFrom(...STYLES),
          fc.array(fc.integer({max: 9, min: 1}), {maxLength: 5, minLength: 1}),
          fc.boolean(),
          async (values, style, sizes, gzip) => {
            const {expected, text} = render(values, style)
            const data = Buffer.from(text)
            const {error, records} = await readAll('-', chunked(gzip ? gzipSync(data) : data, sizes))
            expect(error).to.equal(undefined)
            expect(records).to.deep.equal(expected)
          },
        ),
        {numRuns: 300},
      )
    })
  })

  describe('errors', () => {
    it('reports a missing file', async () => {
      const path = join(tmp.dir, 'orders.jsonl')
      const error = await openError(path)
      expect(error.message).to.equal(`${path}: no such file`)
      expect(error.code).to.equal('INPUT_NOT_FOUND')
      expect(error.exitCode).to.equal(ExitCode.Io)
    })

    it('reports a directory as unreadable', async () => {
      const error = await openError(tmp.dir)
      expect(error.message).to.equal(`${tmp.dir}: is a directory`)
      expect(error.code).to.equal('INPUT_UNREADABLE')
      expect(error.exitCode).to.equal(ExitCode.Io)
    })

    it('reports a file without read permission as unreadable', async function () {
      if (process.getuid?.() === 0) this.skip() // root reads anything
      const path = await file('secret.jsonl', '{}\n')
      await chmod(path, 0o000)
      const error = await openError(path)
      expect(error.message).to.equal(`${path}: permission denied`)
      expect(error.code).to.equal('INPUT_UNREADABLE')
    })

    it('rejects a malformed JSONL line with its line, column and text, and reads on', async () => {
      // Given a bad third line
      const path = await file('export.jsonl', '{"id":1}\n{"id":2}\n{"id":3, "text": "ok",}\n{"id":4}\n')

      // When it is read
      const {error, indexes, records, rejected} = await readAll(path)

      // Then every good record arrives, and the bad line is handed out rejected, in its place
      expect(error).to.equal(undefined)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 2}, {id: 4}])
      expect(rejected).to.deep.equal([
        {line: 3, reason: "malformed JSON at column 23: unexpected character '}'", text: '{"id":3, "text": "ok",}'},
      ])
      expect(indexes).to.deep.equal([0, 1, 2, 3])
    })

    it('stops at the first rejected input when strict, naming the line', async () => {
      const path = await file('export.jsonl', '{"id":1}\n{"id":2,,}\n{"id":3}\n')
      const {error, records} = await readAll(path, undefined, {strict: true})
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}])
      expect(error?.message).to.equal(`${path}:2: malformed JSON at column 9: unexpected character ','`)
      expect(error?.exitCode).to.equal(ExitCode.InvalidInput)
    })

    it('names typographic quotes and suggests straight ones', async () => {
      const path = await file('docs.json', '{\n  “id”: 1\n}\n')
      const {error} = await readAll(path)
      expect(error?.message).to.equal(`${path}:2:3: malformed JSON: unexpected character '“'`)
      expect(error?.suggestions.join(' ')).to.match(/straight double quotes/)
    })

    it('names typographic quotes in JSONL values too', async () => {
      const path = await file('docs.jsonl', '{"id": 1}\n{"text": ”hi”}\n')
      const {rejected} = await readAll(path)
      expect(rejected[0]?.reason).to.equal(
        `malformed JSON at column 10: unexpected character '”'; replace typographic quotes (“ ” ‘ ’) with straight double quotes (")`,
      )
    })

    it('counts columns in characters, not bytes', async () => {
      const path = await file('wide.jsonl', '{"name": "Zoë 😀", "x": tru}\n')
      const {error} = await readAll(path)
      // "x": tru} — the '}' is character 27 (the emoji counts as two UTF-16 units, as editors count it)
      expect(error?.message).to.equal(`${path}:1:28: malformed JSON: unexpected character '}'`)
    })

    it('reports a truncated document at its last line', async () => {
      const path = await file('export.json', '[\n  {"id": 1},\n  {"id": 2,\n   "text": "cut off her')
      const {error, records} = await readAll(path)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}])
      expect(error?.message).to.equal(`${path}:4: malformed JSON: unexpected end of input (truncated file?)`)
      expect(error?.code).to.equal('INPUT_MALFORMED')
    })

    it('reports a truncated document that ends in blank lines at its last non-blank line', async () => {
      const path = await file('export.json', '{\n  "records": [\n    {"id": 1},\n\n\n')
      const {error} = await readAll(path)
      expect(error?.message).to.equal(`${path}:3: malformed JSON: unexpected end of input (truncated file?)`)
    })

    it('rejects a truncated last JSONL line', async () => {
      const path = await file('export.jsonl', '{"id":1}\n{"id":2,"te')
      const {rejected} = await readAll(path)
      expect(rejected).to.deep.equal([
        {line: 2, reason: 'malformed JSON: unexpected end of input (truncated file?)', text: '{"id":2,"te'},
      ])
    })

    it('rejects an incomplete JSONL line in the middle of a file, and reads the next line on its own', async () => {
      const path = await file('export.jsonl', '{"id":1}\n{"id":2,\n{"id":3}\n')
      const {records, rejected} = await readAll(path)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 3}])
      expect(rejected.map(({line, reason}) => [line, reason])).to.deep.equal([
        [
          2,
          'malformed JSON: unexpected end of line (each line of a JSON Lines file must hold one complete JSON value)',
        ],
      ])
    })

    it('reads a value pretty-printed over several lines after a one-line first value', async () => {
      const path = await file('mixed.json', '{"id":1}\n{\n  "id": 2,\n  "tags": [\n    "a"\n  ]\n}\n{"id":3}\n')
      const {records, rejected} = await readAll(path)
      expect(rejected).to.deep.equal([])
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 2, value: {id: 2, tags: ['a']}},
        {line: 8, value: {id: 3}},
      ])
    })

    it('rewinds when reading on over the next lines fails: the line is rejected, the next one read alone', async () => {
      // Given a line split by a raw newline inside a string: neither half stands alone
      const path = await file(
        'split.jsonl',
        '{"id":1}\n{"id":2,"text":"hello\nworld"}\n{"id":3}\n[{"id":4},\n{"id":5}\n',
      )
      const {indexes, records, rejected} = await readAll(path)
      expect(records).to.deep.equal([
        {line: 1, value: {id: 1}},
        {line: 4, value: {id: 3}},
        {line: 6, value: {id: 5}},
      ])
      expect(rejected.map(({line, text}) => [line, text])).to.deep.equal([
        [2, '{"id":2,"text":"hello'],
        [3, 'world"}'],
        [5, '[{"id":4},'],
      ])
      expect(indexes).to.deep.equal([0, 1, 2, 3, 4, 5])
    })

    it('locates an error inside a multi-line array element', async () => {
      const path = await file('export.json', '[\n  {\n    "id": 1,\n    "tags": ["a" "b"]\n  }\n]\n')
      const {error} = await readAll(path)
      expect(error?.message).to.equal(`${path}:4:18: malformed JSON: unexpected character '"'`)
    })

    it('locates a missing comma between array elements', async () => {
      const path = await file('export.json', '[\n  {"id": 1}\n  {"id": 2}\n]\n')
      const {error} = await readAll(path)
      expect(error?.message).to.equal(`${path}:3:3: malformed JSON: unexpected character '{'`)
    })

    it('rejects a trailing comma in an array', async () => {
      const path = await file('export.json', '[\n  {"id": 1},\n]\n')
      const {error} = await readAll(path)
      expect(error?.message).to.equal(`${path}:3:1: malformed JSON: unexpected character ']'`)
    })

    it('validates the envelope keys that are skipped', async () => {
      const path = await file('page.json', '{\n  "_metadata": {"count": 1,},\n  "records": [{"id": 1}]\n}\n')
      const {error, records} = await readAll(path)
      expect(records).to.deep.equal([])
      expect(error?.message).to.equal(`${path}:2:28: malformed JSON: unexpected character '}'`)
    })

    it('rejects top-level scalars', async () => {
      const jsonl = await file('scalars.jsonl', '{"id":1}\n"just text"\nnull\n{"id":2}\n')
      const document = await file('scalar.json', '[\n  {"id": 1}\n]\n  42\n')
      const lines = await readAll(jsonl)
      expect(lines.records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 2}])
      expect(lines.rejected.map((r) => r.reason)).to.deep.equal([
        'the line holds a string: expected an object or array',
        'the line holds null: expected an object or array',
      ])
      const {error} = await readAll(document)
      expect(error?.message).to.equal(`${document}:4:3: top-level value is a number: expected an object or array`)
      expect(error?.code).to.equal('INPUT_MALFORMED')
      expect(error?.exitCode).to.equal(ExitCode.InvalidInput)
    })

    it('rejects UTF-16 input with a clear message', async () => {
      const path = await file('utf16.json', Buffer.from('\uFEFF[{"id":1}]', 'utf16le'))
      const error = await openError(path)
      expect(error.message).to.equal(`${path}: input is UTF-16 encoded; expected UTF-8`)
      expect(error.code).to.equal('INPUT_MALFORMED')
    })

    it('rejects bytes that are not UTF-8 instead of silently replacing them', async () => {
      // Given a Windows-1252 "é" (0xE9) on line 4 of a document, and on line 2 of a JSONL file
      const document = await file(
        'latin1.json',
        Buffer.from('[\n {"id": 1},\n {"name":\n   "Ren\u00E9e"}\n]', 'latin1'),
      )
      const jsonl = await file('latin1.jsonl', Buffer.from('{"id":1}\n{"name": "Ren\u00E9e"}\n', 'latin1'))

      // Then the records before it arrive and the error points at the byte
      const fromDocument = await readAll(document)
      expect(fromDocument.records.map((r) => r.value)).to.deep.equal([{id: 1}])
      expect(fromDocument.error?.message).to.equal(
        `${document}:4:8: not valid UTF-8 (byte 0xE9); is the file in another encoding?`,
      )
      expect(fromDocument.error?.code).to.equal('INPUT_MALFORMED')
      expect((await readAll(jsonl)).error?.message).to.equal(
        `${jsonl}:2:14: not valid UTF-8 (byte 0xE9); is the file in another encoding?`,
      )
    })

    it('accepts multi-byte characters split across stdin chunks', async () => {
      const {error, records} = await readAll('-', chunked(Buffer.from('{"name":"Zoë 😀 日本"}\n'), [1, 2, 3]))
      expect(error).to.equal(undefined)
      expect(records).to.deep.equal([{line: 1, value: {name: 'Zoë 😀 日本'}}])
    })

    it('computes columns on a huge single line after earlier parts were dropped from the buffer', async () => {
      // Given a 6 MB one-line array with multi-byte characters, broken near its end
      const element = JSON.stringify({text: 'é“'.repeat(500)})
      const good = Array.from({length: 3000}, () => element).join(',')
      const text = `[${good},{"id" 1}]`
      const path = await file('long.json', text)

      // When it is read
      const {error, records} = await readAll(path)

      // Then the column is the character position of the error on that line
      expect(records).to.have.length(3000)
      expect(error?.message).to.equal(
        `${path}:1:${text.indexOf('{"id" 1}') + 7}: malformed JSON: unexpected character '1'`,
      )
    })

    it('keeps every message on one line', async () => {
      const inputs = ['{"a":\n\n', '[1,\n2', '{"a": "b\n"}', '\u0001', '{"a": "\u0001"}\n', '[{"a": nul}]']
      for (const content of inputs) {
        const {error} = await readAll(await file('x.json', content))
        expect(error, JSON.stringify(content)).to.be.instanceOf(ConvoshiftError)
        expect(error?.message).not.to.include('\n')
        expect(error?.message).to.match(/^\S+x\.json:\d+(:\d+)?: /)
      }
    })
  })

  describe('what JSON.parse would change', () => {
    it('rejects a record whose number a double cannot hold, naming the field and how it would be written', async () => {
      const path = await file(
        'numbers.jsonl',
        '{"id":1,"n":1e400}\n{"id":2,"n":{"big":123456789012345678901234567890}}\n{"id":3,"n":9007199254740993}\n{"id":4,"a":1.0,"b":1e2,"c":-0,"d":0.1}\n',
      )
      const {records, rejected} = await readAll(path)
      expect(rejected.map(({line, reason}) => [line, reason])).to.deep.equal([
        [1, 'n: the number 1e400 cannot be kept exactly (it would be written as null)'],
        [
          2,
          'n.big: the number 123456789012345678901234567890 cannot be kept exactly (it would be written as 1.2345678901234568e+29)',
        ],
        [3, 'n: the number 9007199254740993 cannot be kept exactly (it would be written as 9007199254740992)'],
      ])
      expect(rejected[0]?.text).to.equal('{"id":1,"n":1e400}')
      // The same values spelled otherwise are kept, and written canonically (-0 as 0)
      expect(records.map((r) => [r.line, JSON.stringify(r.value)])).to.deep.equal([
        [4, '{"id":4,"a":1,"b":100,"c":0,"d":0.1}'],
      ])
    })

    it('rejects a record with a duplicate key, naming the object and the key', async () => {
      const path = await file('dupes.jsonl', '{"info":{"id":1,"id":2}}\n{"info":{"a":1},"info":{"b":2}}\n{"ok":1}\n')
      const {records, rejected} = await readAll(path)
      expect(rejected.map(({line, reason}) => [line, reason])).to.deep.equal([
        [1, 'info: duplicate key "id" (JSON keeps only the last copy)'],
        [2, 'record: duplicate key "info" (JSON keeps only the last copy)'],
      ])
      expect(records.map((r) => r.value)).to.deep.equal([{ok: 1}])
    })

    it('rejects only the record of a page line that holds the problem, with that record as its text', async () => {
      const path = await file(
        'pages.jsonl',
        '{"_metadata":{"next":1e999},"records":[{"id":1},{"id":2,"x":1,"x":2},{"id":3,"n":1e400}]}\n[{"id":4},{"id":5,"y":2,"y":3}]\n',
      )
      const {indexes, records, rejected} = await readAll(path)
      // (The page's own metadata is not written anywhere: its numbers change nothing.)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 4}])
      expect(rejected.map(({line, reason, text}) => [line, reason, text])).to.deep.equal([
        [1, 'record: duplicate key "x" (JSON keeps only the last copy)', '{"id":2,"x":1,"x":2}'],
        [1, 'n: the number 1e400 cannot be kept exactly (it would be written as null)', '{"id":3,"n":1e400}'],
        [2, 'record: duplicate key "y" (JSON keeps only the last copy)', '{"id":5,"y":2,"y":3}'],
      ])
      expect(indexes).to.deep.equal([0, 1, 2, 3, 4])
    })

    it('rejects a page line whose records key appears twice (the first array would vanish)', async () => {
      const path = await file('twice.jsonl', '{"records":[{"id":1}],"records":[{"id":2}]}\n{"id":3}\n')
      const {records, rejected} = await readAll(path)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 3}])
      expect(rejected.map((r) => r.reason)).to.deep.equal([
        'page: duplicate key "records" (JSON keeps only the last copy)',
      ])
    })

    it('rejects such records in a JSON document too, and reads on', async () => {
      const path = await file(
        'doc.json',
        '{\n  "records": [\n    {"id": 1, "id": 2},\n    {"n": 1e400},\n    {"id": 3}\n  ]\n}\n',
      )
      const {error, records, rejected} = await readAll(path)
      expect(error).to.equal(undefined)
      expect(records).to.deep.equal([{line: 5, value: {id: 3}}])
      expect(rejected.map(({line, reason}) => [line, reason])).to.deep.equal([
        [3, 'record: duplicate key "id" (JSON keeps only the last copy)'],
        [4, 'n: the number 1e400 cannot be kept exactly (it would be written as null)'],
      ])
    })
  })

  describe('limits', () => {
    it('rejects a JSON Lines record nested deeper than maxDepth, and takes one at the limit', async () => {
      const path = await file('deep.jsonl', `${deep(100_000)}\n${deep(10)}\n${deep(11)}\n`)
      const {records, rejected} = await readAll(path, undefined, {limits: {maxDepth: 10, maxRecordBytes: 2 ** 20}})
      expect(records.map((r) => r.line)).to.deep.equal([2])
      expect(rejected.map(({line, reason}) => [line, reason])).to.deep.equal([
        [1, 'x[0][0][0][0][0]…: nested deeper than 10 levels (raise the limit with --max-depth, up to 2000)'],
        [3, 'x[0][0][0][0][0]…: nested deeper than 10 levels (raise the limit with --max-depth, up to 2000)'],
      ])
    })

    it('stops a JSON document nested deeper than maxDepth with one line naming where', async () => {
      const path = await file('deep.json', `[\n{"id":1},\n${deep(2000)}\n]\n`)
      const {error, records} = await readAll(path)
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}])
      expect(error?.message).to.equal(
        `${path}:3: x[0][0][0][0][0]…: nested deeper than 1000 levels (raise the limit with --max-depth, up to 2000)`,
      )
    })

    it('rejects a JSON Lines record larger than maxRecordBytes without holding it, and reads on', async () => {
      const big = `{"text":"${'x'.repeat(300_000)}"}`
      const path = await file('big.jsonl', `{"id":1}\n${big}\n{"id":2}\n[{"id":3},${big}]`)
      for (const chunks of [undefined, [4096], [1, 7000]]) {
        const stdin = chunks ? chunked(await readFile(path), chunks) : undefined
        const {records, rejected} = await readAll(stdin ? '-' : path, stdin, {
          limits: {maxDepth: 10, maxRecordBytes: 100_000},
        })
        expect(records.map((r) => r.value)).to.deep.equal([{id: 1}, {id: 2}, {id: 3}])
        expect(rejected.map(({bytes, line, reason, text}) => [line, reason, bytes, text.length])).to.deep.equal([
          [2, 'record larger than --max-record-bytes (100000 bytes)', big.length, 1024],
          [4, 'record larger than --max-record-bytes (100000 bytes)', big.length, 1024],
        ])
      }
    })

    it('rejects a record of a long page line larger than maxRecordBytes, and reads the rest of the page', async () => {
      // A page line longer than the limit is streamed element by element; one element is too large
      const items = Array.from({length: 80}, (_, n) => element(n))
      items[70] = `{"id":70,"pad":"${'q'.repeat(3_000_000)}"}`
      const path = await file('page.jsonl', `{"id":"first"}\n{"records":[${items.join(',')}]}\n{"id":"last"}\n`)
      const {records, rejected} = await readAll(path, undefined, {limits: {maxDepth: 10, maxRecordBytes: 2 ** 20}})
      const ids = records.map((r) => (r.value as {id: number | string}).id)
      expect(ids).to.deep.equal(['first', ...Array.from({length: 80}, (_, n) => n).filter((n) => n !== 70), 'last'])
      expect(rejected.map(({bytes, line, reason, text}) => [line, reason, bytes, text.slice(0, 9)])).to.deep.equal([
        [2, 'record larger than --max-record-bytes (1 MiB)', items[70]!.length, '{"id":70,'],
      ])
    })

    it('gives the same records and rejections for any chunking of the input (property)', async () => {
      // Given lines of every kind near the limit: pages, long records, pretty values, split lines, metadata
      const page = `{"records":[${Array.from({length: 40}, (_, n) => `{"id":${n},"pad":"${pad((n * 131) % 2600)}"}`).join(',')}]}`
      const text = [
        '{"id":"a"}',
        page,
        `{"t":"${pad(2500)}"}`,
        `[{"a":1},{"t":"${pad(2600)}"},{"b":2}]`,
        '{\n "id": "pretty"\n}',
        '{"r":"a\nb"}',
        `{"records":[1],"k":"${pad(2100)}"}`,
        '{"id":"z","n":1e400}',
      ].join('\n')
      const path = await file('mix.jsonl', text)
      const limits = {maxDepth: 10, maxRecordBytes: 2000}
      const expected = await readAll(path, undefined, {limits})
      expect(expected.rejected).to.have.length.greaterThan(5)
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({max: 5000, min: 1}), {maxLength: 5, minLength: 1}), async (sizes) => {
          const got = await readAll('-', chunked(Buffer.from(text), sizes), {limits})
          expect(got.records).to.deep.equal(expected.records)
          expect(got.rejected).to.deep.equal(expected.rejected)
          expect(got.indexes).to.deep.equal(expected.indexes)
        }),
        {numRuns: 40},
      )
    })

    it('stops a JSON document holding a value larger than maxRecordBytes with one line', async () => {
      const path = await file('big.json', `[\n{"id":1},\n{"text":"${'x'.repeat(300_000)}"}\n]`)
      const {error, records} = await readAll(path, undefined, {limits: {maxDepth: 10, maxRecordBytes: 100_000}})
      expect(records.map((r) => r.value)).to.deep.equal([{id: 1}])
      expect(error?.message).to.equal(
        `${path}:3: a value starting on this line is larger than --max-record-bytes (100000 bytes)`,
      )
      expect(error?.suggestions[0]).to.match(/--max-record-bytes/)
    })

    it('gives up on a one-line file larger than maxRecordBytes after reading about that much, not all of it', async () => {
      // Given a 40 MB single-line object (no newline: read the document way)
      const path = join(tmp.dir, 'huge.json')
      const out = createWriteStream(path)
      out.write('{"text":"')
      for (let i = 0; i < 40; i++) if (!out.write('x'.repeat(1024 * 1024))) await once(out, 'drain')
      out.end('"}')
      await finished(out)

      // When it is read with a 4 MiB limit
      const baseline = process.memoryUsage().rss
      const {error} = await readAll(path, undefined, {limits: {maxDepth: 10, maxRecordBytes: 4 * 2 ** 20}})

      // Then it stops with the limit's message, holding a few MB at most
      expect(error?.message).to.equal(
        `${path}:1: a value starting on this line is larger than --max-record-bytes (4 MiB)`,
      )
      expect(process.memoryUsage().rss - baseline).to.be.lessThan(30 * 1024 * 1024)
    })
  })

  describe('resources', () => {
    it('closes the file when the consumer stops early', async () => {
      const path = await file('many.jsonl', '{"id":1}\n'.repeat(10_000))
      const source = await openRecords({envelopeKeys: [], path})
      expect(openDescriptors(path) ?? 1).to.equal(1)
      for await (const record of source) if (record.index === 3) break
      expect(openDescriptors(path) ?? 0).to.equal(0)
    })

    it('close() releases the file before iteration and is idempotent', async () => {
      const path = await file('many.jsonl', '{"id":1}\n'.repeat(10))
      const source = await openRecords({envelopeKeys: [], path})
      await source.close()
      await source.close()
      expect(openDescriptors(path) ?? 0).to.equal(0)
      const records: unknown[] = []
      for await (const record of source) records.push(record)
      expect(records.length).to.be.lessThan(11)
    })

    it('closes the file after an error', async () => {
      const path = await file('bad.json', '[{"id":1},\n{oops},\n{"id":3}]\n')
      const {error} = await readAll(path)
      expect(error).to.be.instanceOf(ConvoshiftError)
      expect(openDescriptors(path) ?? 0).to.equal(0)
    })

    for (const [name, layout] of [
      ['a 20 MB pretty-printed array', 'pretty'],
      ['a 20 MB one-line envelope', 'envelope'],
    ] as const) {
      it(`reads ${name} with bounded memory`, async () => {
        // Given a 20 MB input, written without ever holding it in memory
        const path = join(tmp.dir, 'big.json')
        const out = createWriteStream(path)
        out.write(layout === 'pretty' ? '[\n' : '{"_metadata":{"count":0},"records":[')
        let bytes = 0
        let count = 0
        while (bytes < 20 * 1024 * 1024) {
          const text = (count > 0 ? (layout === 'pretty' ? ',\n  ' : ',') : '') + bigElement(count)
          bytes += text.length
          count++
          if (!out.write(text)) await once(out, 'drain')
        }

        out.end(layout === 'pretty' ? '\n]\n' : ']}')
        await finished(out)

        // When it is iterated, sampling the resident set size
        const baseline = process.memoryUsage().rss
        let peak = baseline
        let seen = 0
        const source = await openRecords({envelopeKeys: ['records'], path})
        for await (const record of source) {
          seen++
          if (record.index % 100 === 0) peak = Math.max(peak, process.memoryUsage().rss)
        }

        // Then every record arrives and memory grew by far less than the input size
        expect(seen).to.equal(count)
        expect(source.layout).to.equal('json-document')
        expect(peak - baseline).to.be.lessThan(60 * 1024 * 1024)
      })
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------------
// Property test support: render top-level values in a layout and compute the records (and lines) the reader must give.

type TopLevel =
  | {kind: 'array'; items: unknown[]}
  | {kind: 'envelope'; items: unknown[]; meta: unknown}
  | {kind: 'record'; value: Record<string, unknown>}

const STYLES = ['jsonl', 'jsonl-crlf', 'pretty'] as const
type Style = (typeof STYLES)[number]

const record = fc.dictionary(
  fc.string().filter((key) => !ENVELOPE_KEYS.includes(key)),
  fc.jsonValue({maxDepth: 2}),
  {maxKeys: 4},
)
const topLevelValues = fc.array(
  fc.oneof(
    fc.record({items: fc.array(fc.jsonValue({maxDepth: 2}), {maxLength: 4}), kind: fc.constant('array' as const)}),
    fc.record({
      items: fc.array(record, {maxLength: 4}),
      kind: fc.constant('envelope' as const),
      meta: fc.jsonValue({maxDepth: 1}),
    }),
    fc.record({kind: fc.constant('record' as const), value: record}),
  ),
  {maxLength: 5},
)

function bigElement(i: number): string {
  return JSON.stringify({
    id: `conv_${i}`,
    messages: Array.from({length: 10}, (_, j) => ({j, text: 'lorem ipsum '.repeat(15)})),
  })
}

/** The value as JSON.parse returns it (undefined dropped, -0 → 0): not the same as structuredClone. */
function reparse(value: unknown): unknown {
  // eslint-disable-next-line unicorn/prefer-structured-clone -- the JSON round trip is the point
  return JSON.parse(JSON.stringify(value))
}

function lineCount(text: string): number {
  return text.split('\n').length
}

function render(values: TopLevel[], style: Style): {expected: Array<{line: number; value: unknown}>; text: string} {
  const expected: Array<{line: number; value: unknown}> = []
  let text = ''
  let line = 1
  const add = (chunk: string): void => {
    text += chunk
    line += lineCount(chunk) - 1
  }

  for (const top of values) {
    if (style !== 'pretty') {
      const value =
        top.kind === 'record' ? top.value : top.kind === 'array' ? top.items : {_metadata: top.meta, records: top.items}
      for (const item of top.kind === 'record' ? [top.value] : top.items) expected.push({line, value: reparse(item)})
      add(`${JSON.stringify(value)}${style === 'jsonl-crlf' ? '\r\n' : '\n'}`)
      if (style === 'jsonl-crlf') add('\r\n') // a blank line too
      continue
    }

    if (top.kind === 'record') {
      expected.push({line, value: reparse(top.value)})
      add(`${JSON.stringify(top.value, null, 2)}\n`)
      continue
    }

    add(top.kind === 'array' ? '[\n' : `{\n  "_metadata": ${JSON.stringify(top.meta, null, 2)},\n  "records": [\n`)
    for (const [i, item] of top.items.entries()) {
      expected.push({line, value: reparse(item)})
      add(`${i > 0 ? '' : ''}    ${JSON.stringify(item, null, 2)}${i < top.items.length - 1 ? ',\n' : '\n'}`)
    }

    add(top.kind === 'array' ? ']\n' : '  ]\n}\n')
  }

  return {expected, text}
}
