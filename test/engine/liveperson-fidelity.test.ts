import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {join} from 'node:path'

import {type ConvertResult} from '../../src/convert/index.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const SOURCES = ['ada', 'deepconverse', 'iadvize', 'koreai']

/**
 * What a migration lead meets: sample conversations of every other vendor, converted to a LivePerson shape and
 * verified with the CLI. Every record is one LivePerson could produce (none rejected), and every native difference is
 * declared in the LivePerson mapping (verify passes with declared losses, exit 0).
 */
describe('LivePerson targets through the CLI: sample → convert → verify', () => {
  const tmp = useTempDir('all')

  for (const to of ['liveperson', 'liveperson-consumer']) {
    for (const from of [...SOURCES, to === 'liveperson' ? 'liveperson-consumer' : 'liveperson']) {
      it(`${from} → ${to}: every record written, every native loss declared`, async () => {
        const source = join(tmp.dir, `${from}.jsonl`)
        const target = join(tmp.dir, `${from}-${to}.jsonl`)
        await runCommand(['sample', from, '--count', '30', '--seed', 'lp-fidelity', '--output', source])
        const converted = await runCommand<ConvertResult>([
          'convert',
          '--from',
          from,
          '--to',
          to,
          '-i',
          source,
          '-o',
          target,
        ])
        expect(converted.result?.records, converted.stdout).to.deep.equal({converted: 30, read: 30, rejected: 0})
        const verified = await runCommand<Any>([
          'verify',
          '--from',
          from,
          '--to',
          to,
          '-s',
          source,
          '-t',
          target,
          '--json',
        ])
        const report = JSON.parse(verified.stdout) as Any
        const {losses, status} = report.verdict as Any
        const unexpected = (losses as Any[]).filter((row) => row.class === 'unexpected').map((row) => row.field)
        expect(unexpected).to.deep.equal([])
        expect(status, JSON.stringify(report.verdict.reasons)).to.equal('PASS WITH DECLARED LOSSES')
        expect(verified.error?.oclif?.exit ?? 0).to.equal(0)
      })
    }
  }
})
