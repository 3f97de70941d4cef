import {expect} from 'chai'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runConvert} from '../../src/convert/index.js'
import {builtInFormats} from '../../src/engine/load-mapping.js'
import {loadSide, makeConverter} from '../../src/engine/pipeline.js'
import {openRecords} from '../../src/io/read-records.js'
import {stableStringify} from '../../src/util/stable-json.js'
import {runVerify} from '../../src/verify/index.js'
import {useTempDir} from '../helpers/tmp.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** Hand-written fixtures, modelled on each vendor's published samples (quirks included), by record shape. */
const FIXTURES: Record<string, string[]> = {
  ada: ['test/fixtures/ada/conversations-page.json', 'test/fixtures/ada/v2-items-page.json'],
  deepconverse: ['test/fixtures/deepconverse/conversations-page.json'],
  // The GraphQL page itself: its nodes, as the mapping reads them (JSON Lines of nodes), are taken out below.
  iadvize: ['test/fixtures/iadvize/closed-conversations-page.json'],
  intercom: ['test/fixtures/intercom/conversations.jsonl', 'test/fixtures/intercom/conversations-page.json'],
  koreai: ['test/fixtures/koreai/conversations-page.json'],
  liveperson: ['test/fixtures/liveperson/msgint-page.json', 'examples/liveperson/conversations-page.json'],
  'liveperson-consumer': ['test/fixtures/liveperson/consumer-page.json'],
}

/** The input convert reads for a fixture: an iAdvize GraphQL page is unwrapped to its nodes (as a user does with jq). */
async function inputOf(format: string, path: string, dir: string): Promise<string> {
  if (format !== 'iadvize') return join(ROOT, path)
  const page = JSON.parse(await readFile(join(ROOT, path), 'utf8')) as {
    data: {closedConversations: {edges: Array<{node: unknown}>}}
  }
  const nodes = join(dir, 'iadvize-nodes.jsonl')
  await writeFile(nodes, page.data.closedConversations.edges.map((edge) => JSON.stringify(edge.node)).join('\n') + '\n')
  return nodes
}

async function recordsOf(format: string, path: string): Promise<unknown[]> {
  const side = await loadSide(format)
  const source = await openRecords({envelopeKeys: side.envelope, path})
  const records: unknown[] = []
  try {
    for await (const item of source) records.push(item.value)
  } finally {
    await source.close()
  }

  return records
}

/**
 * Every vendor's hand-written fixtures into every other vendor shape: every record is written (so it conforms to
 * the target's documented shape: convert rejects one that does not), verify's verdict about what the target shows is
 * not FAIL, and converting back through a target with a free-form field returns the fixture's records exactly.
 */
describe('every ordered pair of vendor shapes, on the hand-written fixtures', () => {
  const tmp = useTempDir('all')

  it('covers every record shape', () => {
    expect(Object.keys(FIXTURES).sort()).to.deep.equal(builtInFormats())
  })

  for (const [from, files] of Object.entries(FIXTURES)) {
    for (const to of builtInFormats().filter((format) => format !== from)) {
      it(`${from} → ${to}`, async function () {
        this.timeout(60_000)
        const [fromSide, toSide] = [await loadSide(from), await loadSide(to)]
        for (const [n, file] of files.entries()) {
          const input = await inputOf(from, file, tmp.dir)
          const output = join(tmp.dir, `${from}-${n}.${to}.jsonl`)
          const converted = await runConvert({from, input, output, to})
          expect(converted.records.rejected, `${file}: rejected`).to.equal(0)

          const report = await runVerify({from, source: input, target: output, to})
          expect(report.verdict.status, `${file}: ${report.verdict.reasons.join('; ')}`).not.to.equal('FAIL')

          // Back home exactly, through a target with a free-form field (one without cannot keep what it cannot show).
          if (!toSide.mapping?.definition.carry) continue
          const back = makeConverter(toSide, fromSide)
          const written = (await readFile(output, 'utf8')).split('\n').filter(Boolean)
          const originals = await recordsOf(from, input)
          expect(written).to.have.length(originals.length)
          for (const [i, line] of written.entries()) {
            // A record whose own data already sits under the carry key keeps it: the rest has no home, and convert
            // counts it as lost (noHome). Only then may the way back differ.
            const there = makeConverter(fromSide, toSide)
            there.convert(structuredClone(originals[i]))
            if (there.stats.noHome.size > 0) continue
            const outcome = back.convert(JSON.parse(line))
            expect(outcome.reason, `${file} #${i}`).to.equal(undefined)
            expect(stableStringify(outcome.value), `${file} #${i}`).to.equal(stableStringify(originals[i]))
          }
        }
      })
    }
  }
})
