import {expect} from 'chai'
import fc from 'fast-check'

import {stableLine, stableStringify} from '../../src/util/stable-json.js'

const ADVERSARIAL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'a.b',
  '10',
  '2',
  '0',
  '01',
  '-1',
  '4294967294',
  '4294967295',
  '1.5',
  ' ',
  'Z',
  'a',
  'é',
  'ß',
  '日本',
  '\u{1F600}',
  '\uFFFF',
  '\uD800',
]

/** Plain objects built the way JSON.parse builds them: own data properties, even for `__proto__`. */
function objectFrom<T>(entries: Array<[string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>
}

const adversarialKey = fc.oneof(fc.constantFrom(...ADVERSARIAL_KEYS), fc.string(), fc.nat({max: 200}).map(String))

const {value: adversarialValue} = fc.letrec<{value: unknown}>((tie) => ({
  value: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    fc.jsonValue({maxDepth: 2}),
    fc.array(tie('value'), {maxLength: 4}),
    fc.array(fc.tuple(adversarialKey, tie('value')), {maxLength: 6}).map((entries) => objectFrom(entries)),
  ),
}))

function assertPristinePrototype(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(PROTOTYPE_NAMES)
  expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
}

const TRICKY_KEYS = {
  z: {y: 1, x: [{d: 1, c: 2}]},
  'a"b': 2,
  '\u2028': 3,
  '\\': 4,
  constructor: 5,
  '': 6,
  'a\u0000b': 7,
  toString: 8,
  '\uD800': 9,
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort()

describe('stableStringify', () => {
  it('writes the same text for any JSON value however its keys were ordered, and never mutates it', () => {
    fc.assert(
      fc.property(adversarialValue, (value) => {
        const before = JSON.stringify(value)
        const reordered = JSON.parse(before, (_key, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? objectFrom(Object.entries(v).reverse()) : v,
        ) as unknown
        expect(stableStringify(reordered)).to.equal(stableStringify(value))
        expect(JSON.parse(stableStringify(value))).to.deep.equal(JSON.parse(before))
        expect(JSON.stringify(value)).to.equal(before)
        assertPristinePrototype()
      }),
      {numRuns: 1000},
    )
  })

  it('escapes keys that need quoting, in code-unit order', () => {
    expect(stableStringify(structuredClone(TRICKY_KEYS))).to.equal(
      '{"":6,"\\\\":4,"a\\u0000b":7,"a\\"b":2,"constructor":5,"toString":8,"z":{"x":[{"c":2,"d":1}],"y":1},"\u2028":3,"\\ud800":9}',
    )
  })

  it('keeps a __proto__ key as data and never touches Object.prototype', () => {
    // Given a record with an own "__proto__" key after other keys (so it has to be re-ordered)
    const value = JSON.parse('{"z": 1, "__proto__": {"polluted": true}, "a": [{"b": 1, "__proto__": 2}]}') as unknown

    // When it is serialized
    const text = stableStringify(value)

    // Then the key survives as data, in sorted position, and nothing leaked into the prototype
    expect(text).to.equal('{"__proto__":{"polluted":true},"a":[{"__proto__":2,"b":1}],"z":1}')
    assertPristinePrototype()
  })

  it('orders array-index keys as strings, as fast-json-stable-stringify does', () => {
    const value = {nested: {b: [{'10': 'ten', '2': 'two', a: 'a'}], a: 1}, z: {'1': 1, '2': 2, x: 3}}
    expect(stableStringify(value)).to.equal(
      '{"nested":{"a":1,"b":[{"10":"ten","2":"two","a":"a"}]},"z":{"1":1,"2":2,"x":3}}',
    )
  })

  it('rejects circular structures', () => {
    const cyclic: Record<string, unknown> = {b: 1, a: 2}
    cyclic.self = {z: cyclic}
    expect(() => stableStringify(cyclic)).to.throw(TypeError, /circular/i)
  })

  it('throws a TypeError when there is nothing to serialize', () => {
    const nothing: unknown = undefined
    expect(() => stableStringify(nothing)).to.throw(TypeError, /undefined/)
  })

  it('returns the same text for re-ordered copies of a value', () => {
    expect(stableStringify({a: 1, b: {c: 2, d: 3}})).to.equal(stableStringify({b: {d: 3, c: 2}, a: 1}))
  })

  it('stableLine appends one newline', () => {
    expect(stableLine({b: 1, a: 2})).to.equal('{"a":2,"b":1}\n')
  })
})
