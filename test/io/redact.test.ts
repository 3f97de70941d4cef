import {expect} from 'chai'

import Export from '../../src/commands/export.js'
import {argvSecrets, redact} from '../../src/io/redact.js'

describe('io/redact', () => {
  it('takes the values of secret flags in every form, and of flags the command does not define', () => {
    const argv = [
      'koreai',
      '--output',
      'out.jsonl',
      '--token',
      'T1',
      '--client-secret=S2',
      '--resume',
      'stray-positional',
      '--tokn',
      'T3',
      '--nope=T4',
      '-XT5',
      '--unknown-switch',
      '--since',
      '2024-01-01',
      '--',
      '--token',
      'after-double-dash',
    ]
    expect(argvSecrets(argv, Export, {})).to.deep.equal(['T1', 'S2', 'T3', 'T4', 'T5'])
  })

  it('reads the environment variables of secret flags', () => {
    const env = {CONVOSHIFT_IADVIZE_PASSWORD: 'pw', CONVOSHIFT_TOKEN: 'env-token', HOME: '/root'}
    expect(argvSecrets([], Export, env).sort()).to.deep.equal(['env-token', 'pw'])
  })

  it('without a command, treats every flag value as secret', () => {
    expect(argvSecrets(['exprt', '--output', 'x', '--json', '-'], undefined, {})).to.deep.equal(['x'])
  })

  it('replaces secrets wherever they appear, a short one only where it stands alone', () => {
    expect(redact("argv: ['--token', 'abcd1234'] Bearer abcd1234", ['abcd1234'])).to.equal(
      "argv: ['--token', '<redacted>'] Bearer <redacted>",
    )
    expect(redact('--limt=5 at 2024-05-15', ['5'])).to.equal('--limt=<redacted> at 2024-05-15')
    expect(redact('x ab.c y', ['ab.c', 'a'])).to.equal('x <redacted> y')
  })
})
