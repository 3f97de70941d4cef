import {expect} from 'chai'
import {readFile} from 'node:fs/promises'

import {ConvoshiftError} from '../../src/errors.js'
import {initProject} from '../../src/migrate/init.js'
import {parseProject} from '../../src/migrate/project.js'
import {useTempDir} from '../helpers/tmp.js'

function problem(text: string): string {
  try {
    parseProject(text, 'convoshift.json')
  } catch (error) {
    expect(error).to.be.instanceOf(ConvoshiftError)
    return (error as ConvoshiftError).message
  }

  throw new Error('expected a problem')
}

describe('project file', () => {
  const tmp = useTempDir('each')

  it('init writes a file with a // comment beside every field, which parses back', async () => {
    const {path, text} = await initProject({
      account: '42',
      credentials: {token: 'LP_TOKEN'},
      from: 'liveperson',
      to: 'ada',
      workspace: tmp.dir,
    })
    expect(await readFile(path, 'utf8')).to.equal(text)
    const json = JSON.parse(text)
    for (const section of ['source', 'target', 'verify', 'archive']) {
      for (const key of Object.keys(json[section]).filter((k) => !k.startsWith('//'))) {
        expect(json[section], `${section}.${key}`).to.have.property(`//${key}`)
      }
    }

    expect(parseProject(text, path).source).to.deep.include({
      account: '42',
      credentials: {token: 'LP_TOKEN'},
      shape: 'liveperson',
    })
    expect(parseProject(text, path).target.shape).to.equal('ada')
    const again = await initProject({from: 'liveperson', to: 'ada', workspace: tmp.dir}).catch(
      (error: ConvoshiftError) => error,
    )
    expect((again as ConvoshiftError).message).to.match(/convoshift\.json: already exists$/)
  })

  it('reads files written before source.vendor and target.format were called shape', () => {
    const old = parseProject(
      JSON.stringify({source: {vendor: 'ada'}, target: {format: 'koreai'}, version: 1}),
      'convoshift.json',
    )
    expect([old.source.shape, old.target.shape]).to.deep.equal(['ada', 'koreai'])
  })

  it('gives one line naming the field, never the value', () => {
    const base = {source: {shape: 'ada'}, target: {shape: 'neutral'}, version: 1}
    expect(problem(JSON.stringify({...base, source: {credentials: {token: 'sk-live-123abc'}, shape: 'ada'}}))).to.equal(
      'convoshift.json: source.credentials.token: must be the NAME of an environment variable (A-Z, 0-9, _), never the secret itself',
    )
    expect(problem(JSON.stringify({...base, target: {output: 'x', shape: 'ada'}}))).to.equal(
      'convoshift.json: target: unknown field "output"',
    )
    expect(problem(JSON.stringify({...base, archive: {enabled: 'yes'}}))).to.equal(
      'convoshift.json: archive.enabled: wrong type (expected boolean)',
    )
    expect(problem('{\n  "version": 1,\n  oops\n}')).to.match(/^convoshift\.json:3:3: not valid JSON/)
    expect(problem(JSON.stringify({source: {shape: 'ada'}, version: 1}))).to.equal(
      'convoshift.json: target: missing (expected object)',
    )
  })
})
