import {expect} from 'chai'

import {ConvoshiftError, EXIT_CODE_TABLE, ExitCode} from '../src/errors.js'

describe('exit-code table', () => {
  it('lists every exit code exactly once', () => {
    const codes = EXIT_CODE_TABLE.map((row) => row.code)
    expect(new Set(codes).size).to.equal(codes.length)
    expect([...codes].sort((a, b) => a - b)).to.deep.equal(Object.values(ExitCode).sort((a, b) => a - b))
  })

  it('carries code, exit code and suggestions on the domain error', () => {
    const error = new ConvoshiftError('input.jsonl: not found', {
      code: 'INPUT_NOT_FOUND',
      exitCode: ExitCode.Io,
      suggestions: ['check the path'],
    })
    expect(error.exitCode).to.equal(3)
    expect(error.suggestions).to.deep.equal(['check the path'])
  })
})
