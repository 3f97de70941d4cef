import {expect} from 'chai'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {type VerifyReport} from '../../src/schemas/verify.js'
import {runCli} from '../export/helpers.js'
import {useTempDir} from '../helpers/tmp.js'

type Any = Record<string, any>

const LIVEPERSON = join(import.meta.dirname, '..', '..', 'examples', 'liveperson', 'conversations-page.json')

/**
 * What a migration lead signs off on is what the target shows. Edits made in a target's native fields (Ada's own
 * fields, not the carry) must be reported as native unexpected differences, the carry must never mask them, and a
 * dropped message is one difference naming its id.
 */
describe('verify: what the target shows natively (LivePerson → Ada, edited in Ada)', () => {
  const tmp = useTempDir('all')
  let ada: Any[]
  let baseline: VerifyReport

  const diffsOf = (report: VerifyReport): Set<string> =>
    new Set(report.samples.flatMap((s) => s.diffs.map((d) => `${s.id} ${d.path} ${d.kind} ${d.fidelity}`)))

  async function verifyEdited(
    name: string,
    edit: (records: Any[]) => void,
  ): Promise<{code: null | number; report: VerifyReport}> {
    const records = structuredClone(ada)
    edit(records)
    const target = join(tmp.dir, `${name}.jsonl`)
    await writeFile(target, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const report = join(tmp.dir, `${name}.report.json`)
    const run = await runCli([
      'verify',
      '--from',
      'liveperson',
      '--source',
      LIVEPERSON,
      '--to',
      'ada',
      '--target',
      target,
      '--report',
      report,
      '--max-listed',
      '100',
    ])
    return {code: run.code, report: JSON.parse(await readFile(report, 'utf8')) as VerifyReport}
  }

  /** The differences an edit adds to the unedited conversion's. */
  function added(report: VerifyReport): VerifyReport['samples'][number]['diffs'] {
    const before = diffsOf(baseline)
    return report.samples.flatMap((s) =>
      s.diffs.filter((d) => !before.has(`${s.id} ${d.path} ${d.kind} ${d.fidelity}`)),
    )
  }

  /** A conversation with an agent's message, the chatter's text and a CSAT score, and the positions of those. */
  function pick(): {agent: number; customer: number; index: number} {
    const index = ada.findIndex(
      (r) =>
        r.agent_id.length > 0 &&
        r.messages.some((m: Any) => r.agent_id.includes(m.sender)) &&
        r.messages.some((m: Any) => m.sender === r.chatter_id && m.message_data.body),
    )
    expect(index).not.to.equal(-1)
    const record = ada[index]!
    return {
      agent: record.messages.findIndex((m: Any) => record.agent_id.includes(m.sender)),
      customer: record.messages.findIndex((m: Any) => m.sender === record.chatter_id && m.message_data.body),
      index,
    }
  }

  before(async () => {
    const output = join(tmp.dir, 'ada.jsonl')
    const converted = await runCli([
      'convert',
      '--from',
      'liveperson',
      '--to',
      'ada',
      '--input',
      LIVEPERSON,
      '--output',
      output,
    ])
    expect(converted.code, converted.stderr).to.equal(0)
    ada = (await readFile(output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Any)
    ;({report: baseline} = await verifyEdited('unedited', () => {}))
    expect(baseline.verdict.status, baseline.verdict.reasons.join('; ')).to.equal('PASS WITH DECLARED LOSSES')
  })

  const edits: Array<[string, (records: Any[], at: ReturnType<typeof pick>) => void, RegExp]> = [
    [
      'a message text',
      (records, at) => {
        records[at.index]!.messages[at.customer].message_data.body = 'tampered'
      },
      /^messages\[id=[^\]]+\]\.text changed$/,
    ],
    [
      "an agent's message sent as the chatter",
      (records, at) => {
        const record = records[at.index]!
        record.messages[at.agent].sender = record.chatter_id
      },
      /^messages\[id=[^\]]+\]\.(role|participantId) changed$/,
    ],
    [
      'a message time',
      (records, at) => {
        const message = records[at.index]!.messages[at.customer]
        // eslint-disable-next-line camelcase -- Ada's field
        message.date_created = message.date_created.replace(
          /T(\d\d)/,
          (_: string, h: string) => `T${String((Number(h) + 1) % 24).padStart(2, '0')}`,
        )
      },
      /^messages\[id=[^\]]+\]\.sentAt changed$/,
    ],
    [
      "an agent's name",
      (records, at) => {
        records[at.index]!.agent_name[0] = 'Someone Else'
      },
      /^participants\[id=[^\]]+\]\.displayName changed$/,
    ],
  ]

  for (const [what, edit, expected] of edits) {
    it(`reports ${what} changed in Ada as a native unexpected difference, exit 7, the carry unchanged`, async () => {
      const at = pick()
      const carried = ada[at.index]!.variables.convoshift
      const {code, report} = await verifyEdited(what.replaceAll(/\W+/g, '-'), (records) => edit(records, at))
      expect(code).to.equal(ExitCode.VerifyMismatch)
      const found = added(report).filter((d) => d.class === 'unexpected' && d.fidelity === 'native')
      expect(found.map((d) => `${d.path} ${d.kind}`)).to.satisfy((lines: string[]) =>
        lines.some((l) => expected.test(l)),
      )
      // The carry did not hide it: what Ada shows differs, and convoshift's recovery keeps Ada's own value.
      expect(found.every((d) => d.carried === false)).to.equal(true)
      expect(ada[at.index]!.variables.convoshift).to.equal(carried)
    })
  }

  it('reports a CSAT score changed in Ada, exit 7', async () => {
    const index = ada.findIndex((r) => typeof r.csat.score === 'number')
    expect(index).not.to.equal(-1)
    const {code, report} = await verifyEdited('csat', (records) => {
      records[index]!.csat.score = records[index]!.csat.score === 1 ? 5 : 1
    })
    expect(code).to.equal(ExitCode.VerifyMismatch)
    expect(added(report).map((d) => `${d.path} ${d.class} ${d.fidelity}`)).to.include('csat.score unexpected native')
  })

  it('reports one message dropped from Ada as one difference naming its id, and recreates nothing', async () => {
    const at = pick()
    const dropped = ada[at.index]!.messages[at.customer]._id as string
    const {code, report} = await verifyEdited('dropped', (records) => {
      records[at.index]!.messages.splice(at.customer, 1)
    })
    expect(code).to.equal(ExitCode.VerifyMismatch)
    const found = added(report)
    expect(found.map((d) => `${d.path} ${d.kind} ${d.class}`)).to.deep.equal([
      `messages[id=${dropped}] lost unexpected`,
    ])
    expect(found[0]!.carried).to.equal(false) // the carry does not bring the message back
    expect(report.entities.find((e) => e.entity === 'messages')).to.include({missing: 1, status: 'missing'})
  })
})
