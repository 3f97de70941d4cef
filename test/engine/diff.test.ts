import {expect} from 'chai'

import {compileMapping} from '../../src/engine/compile.js'
import {type JsonObject} from '../../src/engine/json.js'
import {type MappingFile} from '../../src/schemas/mapping.js'
import {roundTrip} from '../helpers/liveperson.js'

/** Plain-value collections are diffed with the conversation: their vendor arrays are plain arrays to it. */
const definition: MappingFile = {
  collections: [
    {
      if: {'.': {not: {prefix: 'auto:'}}},
      neutral: 'tags',
      rules: [{neutral: '.', vendor: 'name'}],
      vendor: 'labels',
    },
    {neutral: 'summaries', rules: [{neutral: 'text', vendor: '.'}], vendor: 'summary'},
  ],
  format: 'tiny',
  rules: [{neutral: 'sourceId', vendor: 'id'}],
  vendor: 'tiny',
  version: 1,
}
const m = compileMapping(definition)
const extensionOf = (neutral: JsonObject) => (neutral.extensions as Record<string, JsonObject> | undefined)?.tiny

describe('lossless diff of plain arrays', () => {
  it('keeps only the elements that differ when the rebuild has as many, and round-trips exactly', () => {
    // Given labels whose ids and an extra key no rule maps, and a rebuild that has one more key in an element
    const record = {
      id: 'c1',
      labels: [{id: 7, name: 'vip'}, {name: 'new'}, {id: 9, name: 'old'}],
      summary: ['short', 'long'],
    }
    // When it is mapped forward and back
    const {back, neutral} = roundTrip(m, record)
    // Then the extension names the differing keys by pointer, not the whole array, and the record comes back
    expect(extensionOf(neutral)).to.deep.equal({original: {'/labels/0/id': 7, '/labels/2/id': 9}})
    expect(back).to.deep.equal(record)
  })

  it('keeps an element whole where that is smaller, and an array of another length whole', () => {
    const wide = {a: 1, b: 2, c: 3, d: 4, name: 'vip'}
    const many = {id: 'c1', labels: [wide, {name: 'new'}], summary: []}
    expect(extensionOf(roundTrip(m, many).neutral)).to.deep.equal({original: {'/labels/0': wide}})
    expect(roundTrip(m, many).back).to.deep.equal(many)
    // An automatic label is not read: the rebuild has one label fewer, so the source array is kept as it was.
    const fewer = {id: 'c1', labels: [{name: 'vip'}, {name: 'auto:x'}], summary: []}
    expect(extensionOf(roundTrip(m, fewer).neutral)).to.deep.equal({original: {'/labels': fewer.labels}})
    expect(roundTrip(m, fewer).back).to.deep.equal(fewer)
  })

  it('removes keys the rebuild adds inside an element', () => {
    // Given a rule that writes a kind on every label, and a source label without one
    const kinds = compileMapping({
      ...definition,
      collections: [
        {
          neutral: 'tags',
          rules: [
            {neutral: '.', vendor: 'name'},
            {const: 'label', vendor: 'kind'},
          ],
          vendor: 'labels',
        },
      ],
    })
    const record = {id: 'c1', labels: [{kind: 'label', name: 'vip'}, {name: 'new'}]}
    // Then the extension says that label had no kind, and the round trip is exact
    const {back, neutral} = roundTrip(kinds, record)
    expect(extensionOf(neutral)).to.deep.equal({absent: ['/labels/1/kind']})
    expect(back).to.deep.equal(record)
  })
})
