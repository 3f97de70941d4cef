import {expect} from 'chai'

import {luhn, parseRedactRules, Redactor} from '../../src/archive/redact.js'
import {type ConvoshiftError} from '../../src/errors.js'

const all = (): Redactor => new Redactor(parseRedactRules(['email,phone,card,ip']))

describe('archive redaction', () => {
  it('replaces emails, also inside URLs and mailto:, and internationalised ones, leaving the rest of the URL', () => {
    const redactor = all()
    expect(redactor.redactText('Mail jane.doe+tag@example.co.uk or JÜRGEN@bücher.de.')).to.equal(
      'Mail [EMAIL] or [EMAIL].',
    )
    expect(
      redactor.redactText('https://example.com/unsubscribe?email=jane@example.com&x=1 mailto:bob@example.org'),
    ).to.equal('https://example.com/unsubscribe?email=[EMAIL]&x=1 mailto:[EMAIL]')
    expect(redactor.redactText('https://cdn.example.com/@user/file.png; user@localhost')).to.equal(
      'https://cdn.example.com/@user/file.png; user@localhost',
    )
    expect(redactor.counts.email).to.equal(4)
  })

  it('replaces card numbers only when the Luhn check passes', () => {
    const redactor = all()
    expect(luhn('4111111111111111')).to.equal(true)
    expect(luhn('4111111111111112')).to.equal(false)
    expect(redactor.redactText('4111 1111 1111 1111, 4111-1111-1111-1112, 4012888888881881, 378282246310005')).to.equal(
      '[CARD], 4111-1111-1111-1112, [CARD], [CARD]',
    )
    expect(redactor.counts.card).to.equal(3)
  })

  it('replaces phone numbers but not dates, times, amounts, order numbers or UUIDs', () => {
    const redactor = all()
    expect(redactor.redactText('Call +44 20 7946 0958, (555) 123-4567, 555.123.4567 or 5551234567.')).to.equal(
      'Call [PHONE], [PHONE], [PHONE] or [PHONE].',
    )
    const kept =
      'Order 1234567 on 2024-01-15 at 10:00:00, total 1,299.99, pi 3.14159265, id 65140579-3229-43d7-a8e8-bdc690222701'
    expect(redactor.redactText(kept)).to.equal(kept)
    expect(redactor.counts.phone).to.equal(4)
  })

  it('replaces IPv4 and IPv6 addresses, not invalid quads or times', () => {
    const redactor = all()
    expect(
      redactor.redactText('from 192.168.0.1; 256.1.1.1 is not; ::1 and 2001:db8::ff00:42:8329 are; at 12:30:45'),
    ).to.equal('from [IP]; 256.1.1.1 is not; [IP] and [IP] are; at 12:30:45')
  })

  it('handles other scripts and emoji around the matches, and custom patterns as [REDACTED]', () => {
    const redactor = new Redactor(parseRedactRules(['email,phone', String.raw`regex:ACME-\d{4}`]))
    expect(redactor.redactText('電話 +81 3-1234-5678 メール 山田@例え.jp 😀 ACME-1234')).to.equal(
      '電話 [PHONE] メール [EMAIL] 😀 [REDACTED]',
    )
    expect(redactor.counts).to.deep.equal({card: 0, email: 1, ip: 0, phone: 1, regex: 1})
  })

  it('redacts every string of a record except identifiers and timestamps, and whole email/phone/ipAddress fields', () => {
    const redactor = all()
    const record = {
      customer: {email: 'not-an-address', id: 'jane@example.com', phone: 'ask reception'},
      messages: [{id: 'm-5551234567', sentAt: '2024-01-15T10:00:00.123Z', text: 'I am jane@example.com'}],
      participantIds: ['+1 555 123 4567'],
      sourceId: 'c-1',
    }
    const redacted = redactor.redactValue(record)
    expect(redacted).to.deep.equal({
      customer: {email: '[EMAIL]', id: 'jane@example.com', phone: '[PHONE]'},
      messages: [{id: 'm-5551234567', sentAt: '2024-01-15T10:00:00.123Z', text: 'I am [EMAIL]'}],
      participantIds: ['+1 555 123 4567'],
      sourceId: 'c-1',
    })
    expect(record.messages[0]!.text).to.equal('I am jane@example.com') // the input is not modified
  })

  it('rejects unknown kinds and bad or empty-matching patterns with one line that does not echo the pattern', () => {
    const fails = (values: string[]): ConvoshiftError => {
      try {
        parseRedactRules(values)
      } catch (error) {
        return error as ConvoshiftError
      }

      throw new Error('expected a failure')
    }

    expect(fails(['email,ssn']).message).to.equal('--redact: unknown kind "ssn"')
    expect(fails(['regex:Jane (Doe']).message).to.match(/^--redact: invalid regular expression/)
    expect(fails(['regex:Jane (Doe']).message).to.not.contain('Jane')
    expect(fails(['regex:x*']).message).to.equal('--redact: the regular expression matches the empty string')
    expect(parseRedactRules(['ip, email', 'regex:a,b'])).to.deep.equal({kinds: ['email', 'ip'], patterns: ['a,b']})
  })
})
