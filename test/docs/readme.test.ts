import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {EXIT_CODE_TABLE} from '../../src/errors.js'

const run = promisify(execFile)

describe('README and help', () => {
  it('the README command reference and exit-code table are what the code produces (npm run readme rewrites them)', async function () {
    this.timeout(120_000)
    const result = await run(process.execPath, ['scripts/readme.js', '--check']).then(
      () => ({code: 0, stderr: ''}),
      (error: {code: number; stderr: string}) => ({code: error.code, stderr: error.stderr}),
    )
    expect(result, result.stderr).to.deep.equal({code: 0, stderr: ''})
  })

  it("every command's help has an EXIT CODES section in the words of the one exit-code table", async function () {
    this.timeout(120_000)
    const {stdout} = await run(process.execPath, ['bin/run.js', 'commands', '--json'])
    const ids = (JSON.parse(stdout) as Array<{id: string; pluginName: string}>)
      .filter((command) => command.pluginName === 'convoshift')
      .map((command) => command.id.split(':'))
    expect(ids.length).to.be.greaterThan(8)
    for (const id of ids) {
      const help = (
        await run(process.execPath, ['bin/run.js', ...id, '--help'], {env: {...process.env, OCLIF_COLUMNS: '400'}})
      ).stdout
      const section = help.split('EXIT CODES\n')[1]?.split('\n\n')[0]
      expect(section, `${id.join(' ')} has EXIT CODES`).to.be.a('string')
      for (const line of section!.split('\n')) {
        const [, code, meaning] = /^\s+(\d+)\s+(.*)$/.exec(line) ?? []
        const row = EXIT_CODE_TABLE.find((r) => String(r.code) === code)
        expect(row, `${id.join(' ')}: ${line}`).not.to.equal(undefined)
        expect(meaning!.startsWith(row!.meaning), `${id.join(' ')}: ${line}`).to.equal(true)
      }
    }
  })
})
