import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

const run = promisify(execFile)

describe('docs/fidelity.md', () => {
  it('is what the mappings produce now (npm run fidelity rewrites it)', async function () {
    this.timeout(300_000)
    // The script converts and verifies every ordered pair of shapes with the built CLI's modules (pretest builds).
    const result = await run(process.execPath, ['scripts/fidelity.js', '--check']).then(
      () => ({code: 0, stderr: ''}),
      (error: {code: number; stderr: string}) => ({code: error.code, stderr: error.stderr}),
    )
    expect(result, result.stderr).to.deep.equal({code: 0, stderr: ''})
  })
})
