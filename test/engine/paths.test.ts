import {expect} from 'chai'
import fc from 'fast-check'

import {makeGetter, makeSetter, type Scope} from '../../src/engine/accessors.js'
import {type JsonObject} from '../../src/engine/json.js'
import {formatPath, parsePath, PathSyntaxError} from '../../src/engine/paths.js'

const get = (path: string, source: unknown, scope?: Scope): unknown => makeGetter(parsePath(path))(source, scope)
function set(path: string, target: JsonObject, value: unknown, scope?: Scope): JsonObject {
  makeSetter(parsePath(path))(target, value, scope)
  return target
}

const record = {
  participants: [
    {email: 'a@x.test', id: 'p1', role: 'agent'},
    {email: 'c@x.test', id: 'p2', role: 'customer'},
    {id: 'p3', role: 'bot'},
  ],
  sdes: {
    events: [
      {personalInfo: {name: 'Ann'}, sdeType: 'PERSONAL_INFO'},
      {customerInfo: {customerInfo: {customerType: 'gold'}}, sdeType: 'CUSTOMER_INFO'},
      {customerInfo: {customerInfo: {customerType: 'silver'}}, sdeType: 'CUSTOMER_INFO'},
    ],
  },
  tags: ['resolved', 'vip', 'liveChat'],
}

describe('path filters and references', () => {
  it('[k=v] reads the first matching element, [?k=v] every one', () => {
    expect(get('sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerType', record)).to.equal('gold')
    expect(get('sdes.events[?sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerType', record)).to.deep.equal([
      'gold',
      'silver',
    ])
    expect(get('sdes.events[sdeType=MARKETING].sdeType', record)).to.equal(undefined)
  })

  it('reads alternatives, not-equal, presence, "and" and scalar elements', () => {
    expect(get('participants[role=bot|customer].id', record)).to.equal('p2')
    expect(get('participants[?role!=agent].id', record)).to.deep.equal(['p2', 'p3'])
    expect(get('participants[?email].id', record)).to.deep.equal(['p1', 'p2'])
    expect(get('participants[role=customer,id!=p2].id', record)).to.equal(undefined)
    expect(get('tags[?=resolved|liveChat]', record)).to.deep.equal(['resolved', 'liveChat'])
    expect(get('tags[=vip]', record)).to.equal('vip')
  })

  it('takes JSON literals as typed values and a bare word as a string', () => {
    const data = {items: [{n: '2'}, {n: 2}, {n: true}, {n: null}]}
    expect(get('items[?n=2]', data)).to.deep.equal([{n: 2}])
    expect(get('items[?n="2"]', data)).to.deep.equal([{n: '2'}])
    expect(get('items[?n=true]', data)).to.deep.equal([{n: true}])
    expect(get('items[?n=null]', data)).to.deep.equal([{n: null}])
  })

  it('treats an object as a list of one', () => {
    expect(get('source.author[type=user].id', {source: {author: {id: 7, type: 'user'}}})).to.equal(7)
    expect(get('source.author[type=bot].id', {source: {author: {id: 7, type: 'user'}}})).to.equal(undefined)
  })

  it('joins by reference: @x is a field of the current element, $. the root', () => {
    const message = {participantId: 'p3'}
    const scope: Scope = {current: message, same: record}
    expect(get('$.participants[id=@participantId].role', message, scope)).to.equal('bot')
    expect(get('$vendor.sdes.events[0].sdeType', message, {current: message, vendor: record})).to.equal('PERSONAL_INFO')
    // Without a scope, @ reads the element the path is read from.
    expect(get('participants[id=@owner].email', {...record, owner: 'p1'})).to.equal('a@x.test')
  })

  it('$parent. is the enclosing element, as a path root and as a filter value', () => {
    const message = {kind: 'image', participantId: 'p2'}
    const attachment = {url: 'u'}
    const scope: Scope = {current: attachment, parent: message, same: record}
    expect(get('$parent.kind', attachment, scope)).to.equal('image')
    expect(get('$.participants[id=$parent.participantId].email', attachment, scope)).to.equal('c@x.test')
    expect(get('$.participants[?id!=$parent.participantId].id', attachment, scope)).to.deep.equal(['p1', 'p3'])
    // Outside a collection there is no enclosing element: nothing is read.
    expect(get('$parent.kind', attachment)).to.equal(undefined)
    expect(formatPath(parsePath('$parent.a[id=$parent.b].c'))).to.equal('$parent.a[id=$parent.b].c')
    expect(() => set('$parent.kind', {}, 1)).to.throw(/never written/)
  })

  it('writes constructively: into the first match, else appends an element carrying the filter', () => {
    const target: JsonObject = {}
    set('sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerType', target, 'gold')
    expect(target).to.deep.equal({
      sdes: {events: [{customerInfo: {customerInfo: {customerType: 'gold'}}, sdeType: 'CUSTOMER_INFO'}]},
    })
    set('sdes.events[sdeType=CUSTOMER_INFO].customerInfo.customerInfo.customerId', target, 'c-1')
    expect((target.sdes as JsonObject).events).to.have.length(1)
    set('attachments[kind=file|image].url', target, 'u')
    expect(target.attachments).to.deep.equal([{kind: 'file', url: 'u'}])
    set('tags[=liveChat]', target, 'liveChat')
    set('tags[=liveChat]', target, 'liveChat')
    expect(target.tags).to.deep.equal(['liveChat'])
    set('participants[?role=agent].id', target, ['a1', 'a2'])
    expect(target.participants).to.deep.equal([
      {id: 'a1', role: 'agent'},
      {id: 'a2', role: 'agent'},
    ])
  })

  it('never writes through a root', () => {
    expect(() => set('$.a', {}, 1)).to.throw(/never written/)
  })

  it('refuses malformed filters with the path in the message', () => {
    expect(() => parsePath('a[k=]')).to.throw(PathSyntaxError, /a value after =/)
    expect(() => parsePath('a[k=@]')).to.throw(PathSyntaxError, /not a field reference/)
    expect(() => parsePath('a[__proto__=1]')).to.throw(PathSyntaxError, /bad field/)
    expect(() => parsePath('a.$vendor.b')).to.throw(PathSyntaxError, /only start a path/)
    expect(() => parsePath('a.$parent.b')).to.throw(PathSyntaxError, /only start a path/)
    expect(() => parsePath('a[k=$parent.]')).to.throw(PathSyntaxError, /not a field reference/)
    expect(formatPath(parsePath('$.a[?k=v|w,x].b'))).to.equal('$.a[?k=v|w,x].b')
  })

  it('a filter path reads back what it wrote (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)
    const scalar = fc.oneof(word, fc.integer(), fc.boolean())
    fc.assert(
      fc.property(word, word, scalar, word, fc.json(), (array, key, filterValue, field, value) => {
        const path = `${array}[${key}=${JSON.stringify(filterValue)}].${field}`
        fc.pre(key !== field)
        const target: JsonObject = {}
        const written = JSON.parse(value) as unknown
        fc.pre(written !== null)
        set(path, target, written)
        expect(get(path, target)).to.deep.equal(written)
        expect(get(`${array}[0].${key}`, target)).to.deep.equal(filterValue)
      }),
    )
  })
})
