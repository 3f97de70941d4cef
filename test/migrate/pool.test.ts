import {expect} from 'chai'
import {join} from 'node:path'

import {useTempDir} from '../helpers/tmp.js'
import {cli, differences, snapshot, writeLivePerson} from './helpers.js'

describe('migrate on the worker pool', () => {
  const tmp = useTempDir('all')

  it('leaves the same workspace with --jobs 2 as with --jobs 1: target output, id map, reports and bag', async () => {
    const input = join(tmp.dir, 'export.jsonl')
    // Several 1 MiB chunks, so the convert and archive steps run on more than one worker.
    await writeLivePerson(input, 250, 'pool')
    const env = {SOURCE_DATE_EPOCH: '1790000000'}
    for (const jobs of ['1', '2']) {
      const args = ['migrate', '--from', 'liveperson', '--to', 'ada', '--input', input, '--jobs', jobs]
      const run = cli([...args, '--workspace', join(tmp.dir, `ws-${jobs}`)], env)
      expect(run.status, run.stderr).to.equal(0)
    }

    const single = await snapshot(join(tmp.dir, 'ws-1'))
    expect([...single.keys()]).to.include.members(['output/ada.jsonl', 'archive/bag-v1/bag-info.txt'])
    expect(single.get('output/ada.jsonl')!.length).to.be.greaterThan(3 * 2 ** 20)
    expect(differences(single, await snapshot(join(tmp.dir, 'ws-2')))).to.deep.equal([])
  })
})
