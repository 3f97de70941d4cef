import {expect} from 'chai'
import fc from 'fast-check'

import {
  countKeys,
  describeProblem,
  formatJsonPath,
  type JsonProblem,
  locateProblems,
  parseGuarded,
  quickScan,
  valueEnd,
  writtenAs,
} from '../../src/io/json-guard.js'

function problemsOf(text: string, maxDepth = 1000): Array<Pick<JsonProblem, 'detail' | 'kind' | 'path'>> {
  const found: Array<Pick<JsonProblem, 'detail' | 'kind' | 'path'>> = []
  locateProblems(text, maxDepth, ({detail, kind, path}) => {
    found.push({detail, kind, path})
    return true
  })
  return found
}

function nested(depth: number, inner = '1'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth)
}

describe('json-guard', () => {
  describe('writtenAs: numbers a double would change', () => {
    const changed: Array<[string, string]> = [
      ['1e400', 'null'],
      ['-1e400', 'null'],
      ['123456789012345678901234567890', '1.2345678901234568e+29'],
      ['9007199254740993', '9007199254740992'],
      ['0.1000000000000000055511151231257827', '0.1'],
      ['1e-400', '0'],
      ['1.00000000000000001', '1'],
      ['123456789.123456789', '123456789.12345679'],
    ]
    for (const [token, written] of changed) {
      it(`${token} would be written as ${written}`, () => {
        expect(writtenAs(token)).to.equal(written)
      })
    }

    const kept = ['1', '1.0', '1e2', '100', '1E+2', '-0', '0e999999', '0.1', '5e-324', '9007199254740992', '1.5e300']
    for (const token of kept) {
      it(`${token} is kept (same value, maybe another spelling)`, () => {
        expect(writtenAs(token)).to.equal(undefined)
      })
    }

    it('agrees with an exact decimal comparison for random doubles written in many spellings (property)', () => {
      fc.assert(
        fc.property(fc.double({noDefaultInfinity: true, noNaN: true}), fc.integer({max: 5, min: 0}), (value, pad) => {
          // Any double's own shortest form, with zeros added to the fraction, is the same value.
          const text =
            String(value).includes('e') || !String(value).includes('.')
              ? String(value)
              : String(value) + '0'.repeat(pad)
          expect(writtenAs(text)).to.equal(undefined)
        }),
      )
    })
  })

  describe('quickScan', () => {
    it('counts keys, not string values that look like them', () => {
      expect(quickScan(String.raw`{"a":"b:","c" : {"d":["e", "f\":"]}}`, 10).keys).to.equal(3)
    })

    it('flags depth beyond the limit and nothing at it', () => {
      expect(quickScan(nested(10), 10).deep).to.equal(false)
      expect(quickScan(nested(11), 10).deep).to.equal(true)
      expect(quickScan(`{"s":"${'['.repeat(50)}"}`, 10).deep).to.equal(false)
    })

    it('flags only numbers a double would change, not digits in strings', () => {
      expect(quickScan('{"id":"12345678901234567890","t":1704704466168,"x":1e2}', 10).inexact).to.equal(false)
      expect(quickScan('{"n":12345678901234567890}', 10).inexact).to.equal(true)
    })

    it('never throws on malformed text', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          quickScan(text, 5)
        }),
      )
    })
  })

  describe('locateProblems', () => {
    it('names the object holding a duplicate key, and the key', () => {
      expect(problemsOf('{"info":{"id":1,"id":2},"a":[{"k":1,"k":1}]}')).to.deep.equal([
        {detail: 'id', kind: 'duplicate', path: ['info']},
        {detail: 'k', kind: 'duplicate', path: ['a', 0]},
      ])
    })

    it('decodes escaped keys before comparing them', () => {
      expect(problemsOf(String.raw`{"a":1,"\u0061":2}`)).to.deep.equal([{detail: 'a', kind: 'duplicate', path: []}])
    })

    it('names the path of a number that would change', () => {
      expect(problemsOf('{"a":[1,2,{"b":1e400}],"c":9007199254740993}')).to.deep.equal([
        {detail: '1e400', kind: 'number', path: ['a', 2, 'b']},
        {detail: '9007199254740993', kind: 'number', path: ['c']},
      ])
    })

    it('reports nesting beyond the limit once, then goes on after it', () => {
      expect(problemsOf(`{"deep":${nested(5)},"n":1e999}`, 3)).to.deep.equal([
        {detail: '', kind: 'depth', path: ['deep', 0, 0]},
        {detail: '1e999', kind: 'number', path: ['n']},
      ])
    })
  })

  describe('parseGuarded', () => {
    it('parses clean JSON in one pass', () => {
      expect(parseGuarded('{"a":[1,{"b":"c"}]}', 10)).to.deep.equal({kind: 'ok', value: {a: [1, {b: 'c'}]}})
    })

    it('does not parse a value deeper than the limit (JSON.parse would take gigabytes for a 64 MiB one)', () => {
      const result = parseGuarded(nested(100_000), 1000)
      if (result.kind !== 'deep') expect.fail(`expected deep, got ${result.kind}`)
      expect(result.problem.path).to.have.length(1000)
    })

    it('reports a syntax error rather than depth when the deep text is also malformed', () => {
      expect(parseGuarded(`${nested(50)},`, 10).kind).to.equal('syntax')
    })

    it('finds every duplicate key JSON.parse drops (property)', () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.string(), (value, key) => {
          // Given any value with a key written twice in one object
          const text = `{${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(key)}:null}`
          const result = parseGuarded(text, 10_000)
          expect(result.kind).to.equal('problems')
        }),
      )
    })

    it('accepts whatever JSON.stringify writes (property)', () => {
      fc.assert(
        fc.property(fc.jsonValue({maxDepth: 6}), (value) => {
          expect(parseGuarded(JSON.stringify(value), 1000).kind).to.equal('ok')
          expect(parseGuarded(JSON.stringify(value, null, 2), 1000).kind).to.equal('ok')
        }),
      )
    })
  })

  it('countKeys walks values too deep to recurse into', () => {
    let value: unknown = {a: 1}
    for (let i = 0; i < 100_000; i++) value = [value]
    expect(countKeys(value)).to.equal(1)
  })

  it('valueEnd finds the end of a container, strings with brackets and escapes included', () => {
    const text = String.raw`[{"a":"]}\"]"},[1,2]],3`
    expect(text.slice(0, valueEnd(text, 0))).to.equal(String.raw`[{"a":"]}\"]"},[1,2]]`)
    expect(text.slice(1, valueEnd(text, 1))).to.equal(String.raw`{"a":"]}\"]"}`)
  })

  it('describes problems on one line, long paths cut', () => {
    expect(formatJsonPath([])).to.equal('record')
    expect(formatJsonPath(['info', 'messages', 2, 'a b'])).to.equal('info.messages[2]."a b"')
    expect(formatJsonPath(Array.from({length: 50}, () => 0))).to.equal('[0][0][0][0][0][0]…')
    const number: JsonProblem = {
      detail: '1e400',
      kind: 'number',
      path: ['records', 3, 'mcs'],
      starts: [],
      written: 'null',
    }
    expect(describeProblem(number, 1000, 2)).to.equal(
      'mcs: the number 1e400 cannot be kept exactly (it would be written as null)',
    )
  })
})
