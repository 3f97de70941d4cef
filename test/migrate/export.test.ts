import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ConvoshiftError} from '../../src/errors.js'
import {runMigrate} from '../../src/migrate/index.js'
import {initProject} from '../../src/migrate/init.js'
import {useTempDir} from '../helpers/tmp.js'
import {type Simulator} from '../simulators/base.js'
import {livePersonData, livePersonSimulator, LP_ACCOUNT, LP_EPOCH, LP_TOKEN} from '../simulators/liveperson.js'
import {jsonLines, snapshot} from './helpers.js'

const HOUR = 3_600_000

describe('migrate from a vendor API (LivePerson simulator on 127.0.0.1)', () => {
  const tmp = useTempDir('each')
  const data = livePersonData({count: 60})
  let sim: Simulator

  beforeEach(async () => {
    sim = livePersonSimulator({records: data})
    await sim.start()
    process.env.MIGRATE_TEST_LP_TOKEN = LP_TOKEN
  })

  afterEach(async () => {
    delete process.env.MIGRATE_TEST_LP_TOKEN
    await sim.stop()
  })

  async function project(workspace: string): Promise<void> {
    await initProject({
      account: LP_ACCOUNT,
      baseUrl: sim.baseUrl,
      credentials: {token: 'MIGRATE_TEST_LP_TOKEN'},
      from: 'liveperson',
      since: new Date(LP_EPOCH).toISOString(),
      to: 'neutral',
      workspace,
    })
  }

  it('exports, converts, verifies and archives; a delta run after new conversations appear adds exactly those; no secret anywhere', async () => {
    const workspace = join(tmp.dir, 'ws')
    await project(workspace)
    const first = await runMigrate({now: () => LP_EPOCH + 40 * 7 * HOUR - HOUR / 2, silent: true, workspace})
    expect(first.steps[0]).to.deep.include({name: 'export', status: 'ran'})
    expect(first.records).to.deep.include({added: 40, converted: 40, source: 40})
    const again = await runMigrate({now: () => LP_EPOCH + 40 * 7 * HOUR - HOUR / 2, silent: true, workspace})
    expect(again.upToDate).to.equal(true)

    // Twenty conversations started after the first run's high-water mark.
    const delta = await runMigrate({now: () => LP_EPOCH + 60 * 7 * HOUR, silent: true, sinceLast: true, workspace})
    expect(delta.records).to.deep.include({added: 20, changed: 0, converted: 60, source: 60})
    expect(delta.files.bag).to.equal('archive/bag-v2')
    const ids = (await jsonLines(join(workspace, 'output', 'neutral.jsonl'))).map((r) => r.sourceId)
    expect(ids).to.deep.equal(data.map((r) => r.info.conversationId))
    const manifest = JSON.parse(await readFile(join(workspace, 'state', 'manifest.json'), 'utf8'))
    expect(manifest.runs.map((run: {highWater: string}) => run.highWater)).to.deep.equal([
      new Date(LP_EPOCH + 40 * 7 * HOUR - HOUR / 2).toISOString(),
      new Date(LP_EPOCH + 60 * 7 * HOUR).toISOString(),
    ])

    for (const [path, bytes] of await snapshot(workspace, {withLog: true})) {
      expect(bytes.includes(Buffer.from(LP_TOKEN)), `${path} holds the token`).to.equal(false)
    }
  })

  it('names the missing environment variable, never a value', async () => {
    const workspace = join(tmp.dir, 'ws')
    await project(workspace)
    delete process.env.MIGRATE_TEST_LP_TOKEN
    try {
      await runMigrate({silent: true, workspace})
      expect.fail('expected an error')
    } catch (error) {
      expect(error).to.be.instanceOf(ConvoshiftError)
      expect((error as ConvoshiftError).message).to.equal(
        'environment variable MIGRATE_TEST_LP_TOKEN (source.credentials.token in convoshift.json) is not set',
      )
    }
  })
})
