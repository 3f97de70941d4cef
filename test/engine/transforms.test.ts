import {expect} from 'chai'

import {DECLINE, transforms} from '../../src/engine/transforms.js'

describe('epoch transforms', () => {
  it('decline epochs whose year has no four-digit ISO form (milliseconds read as seconds), so the value is kept verbatim', () => {
    const epochS = transforms['epoch-s']!
    const epochMs = transforms['epoch-ms']!
    expect(epochS.toNeutral(1_744_617_635_123, {})).to.equal(DECLINE)
    expect(epochMs.toNeutral(1e17, {})).to.equal(DECLINE)
    expect(epochS.toNeutral(253_402_300_799, {})).to.equal('9999-12-31T23:59:59Z')
    expect(epochS.toNeutral(1_744_617_635.5, {})).to.equal('2025-04-14T08:00:35.5Z')
  })
})

describe('liveperson-datetime', () => {
  const lp = transforms['liveperson-datetime']!

  it('writes neutral timestamps in LivePerson spelling, whatever their precision', () => {
    expect(lp.fromNeutral('2016-08-29T14:30:24.565Z', {})).to.equal('2016-08-29 14:30:24.565+0000')
    expect(lp.fromNeutral('2016-08-29T14:30:24Z', {})).to.equal('2016-08-29 14:30:24.000+0000')
    expect(lp.fromNeutral('2016-08-29T14:30:24.5651Z', {})).to.equal('2016-08-29 14:30:24.5651+0000')
    expect(lp.fromNeutral('2016-08-29T14:30:2x.565Z', {})).to.equal(DECLINE)
    expect(lp.fromNeutral('2016-08-29 14:30:24.565Z', {})).to.equal(DECLINE)
    expect(lp.fromNeutral(1_472_481_024_565, {})).to.equal(DECLINE)
  })

  it('reads LivePerson spelling back, in UTC', () => {
    expect(lp.toNeutral('2016-08-29 14:30:24.565+0000', {})).to.equal('2016-08-29T14:30:24.565Z')
    expect(lp.toNeutral('2016-08-29 16:30:24.565+0200', {})).to.equal('2016-08-29T14:30:24.565Z')
    expect(lp.toNeutral('2016-08-29 14:30:24.565', {})).to.equal('2016-08-29T14:30:24.565Z')
    expect(lp.toNeutral('undefined', {})).to.equal(DECLINE)
  })
})

describe('rich-text and join-lines (written only)', () => {
  const rich = transforms['rich-text']!
  const lines = transforms['join-lines']!

  it('writes rich content as the text a person reads in it, each line once', () => {
    const cards = [
      {buttons: [{title: 'Track'}], title: 'Order 42'},
      {subtitle: 'Ships today', title: 'Order 42'},
    ]
    expect(rich.fromNeutral(cards, {})).to.equal('Track\nOrder 42\nShips today')
    expect(rich.fromNeutral({image: 'https://x.test/a.png'}, {})).to.equal(DECLINE)
    expect(rich.toNeutral('Order 42', {})).to.equal(DECLINE)
  })

  it('writes a list as lines, an object by its first non-empty field, each line once', () => {
    const options = {fields: ['url', 'name']}
    const attachments = [
      {name: 'a.pdf', url: 'https://x.test/a.pdf'},
      {name: 'b.png', url: ''},
      {url: 'https://x.test/a.pdf'},
    ]
    expect(lines.fromNeutral(attachments, options)).to.equal('https://x.test/a.pdf\nb.png')
    expect(lines.fromNeutral(['one', '', 'two', 'one'], {})).to.equal('one\ntwo')
    expect(lines.fromNeutral([{kind: 'file'}], options)).to.equal(DECLINE)
    expect(lines.fromNeutral('one', options)).to.equal(DECLINE)
    expect(lines.checkOptions!({fields: 'url'})).to.be.a('string')
    expect(lines.checkOptions!(options)).to.equal(undefined)
  })
})

describe('html-text', () => {
  const html = transforms['html-text']!

  it('reads an HTML body as its plain text: paragraphs and <br> are lines, tags dropped, entities decoded', () => {
    expect(html.toNeutral('<p>Hi Lucía,</p><p>refunded in 3&ndash;5 days &amp; <b>no</b> fee.</p>', {})).to.equal(
      'Hi Lucía,\nrefunded in 3–5 days & no fee.',
    )
    expect(html.toNeutral('a<br>b<br/>&#233;&#x1F600;&lt;tag&gt; &unknown;', {})).to.equal('a\nb\né😀<tag> &unknown;')
    expect(html.toNeutral('<p>one\r\n  two</p>', {}), 'a newline in the markup is a space').to.equal('one two')
    expect(html.toNeutral('', {})).to.equal('')
    expect(html.toNeutral(42, {})).to.equal(DECLINE)
  })

  it('writes plain text as escaped paragraphs, one per line, so a simple body round-trips exactly', () => {
    expect(html.fromNeutral('a < b & c\nline 2', {})).to.equal('<p>a &lt; b &amp; c</p><p>line 2</p>')
    const body = '<p>I was charged twice for my June invoice.</p>'
    expect(html.fromNeutral(html.toNeutral(body, {}), {})).to.equal(body)
    expect(html.fromNeutral('', {})).to.equal('')
    expect(html.fromNeutral(null, {})).to.equal(DECLINE)
  })
})
