import {ExitCode} from '../errors.js'
import {type ReportFieldDiff, type VerifyReport} from '../schemas/verify.js'
import {
  type Classifier,
  compareConversations,
  type CompareOptions,
  DIFF_CLASSES,
  type DiffClass,
  type FieldDiff,
  newFieldTree,
} from './compare.js'
import {type IdFindings} from './id-ledger.js'
import {type NeutralEntry, type RejectedEntry, type SideEntry} from './normalise.js'

/** Entities counted on each side: the neutral field holding them, and how to count one conversation's. */
const ENTITIES: ReadonlyArray<{entity: string; field: string; count: (n: Record<string, unknown>) => number}> = [
  {count: (n) => length(n.messages), entity: 'messages', field: 'messages'},
  {count: (n) => length(n.participants), entity: 'participants', field: 'participants'},
  {count: (n) => length(n.dialogs), entity: 'dialogs', field: 'dialogs'},
  {count: (n) => length(n.transfers), entity: 'transfers', field: 'transfers'},
  {count: (n) => length(n.tags), entity: 'tags', field: 'tags'},
  {count: (n) => (n.csat === undefined ? 0 : 1), entity: 'CSAT present', field: 'csat'},
  {count: (n) => (n.nps === undefined ? 0 : 1), entity: 'NPS present', field: 'nps'},
]

function length(value: unknown): number {
  return Array.isArray(value) ? value.length : 0
}

const PREVIEW_CHARS = 400
/** Per conversation in the report; every difference is in the --diffs file. */
const DIFFS_PER_SAMPLE = 100

const severity = (c: DiffClass): number => DIFF_CLASSES.indexOf(c)

function preview(diff: FieldDiff): ReportFieldDiff {
  const out: ReportFieldDiff = {...diff}
  for (const key of ['before', 'after'] as const) {
    if (diff[key] === undefined) continue
    const json = JSON.stringify(diff[key])
    if (json.length > PREVIEW_CHARS) {
      out[key] = `${json.slice(0, PREVIEW_CHARS)}… (${json.length} characters of JSON)`
      out.truncated = true
    }
  }

  return out
}

type Sample = VerifyReport['samples'][number] & {ordinal: number; worst: number}

/** The first `limit` samples in (worst class, source order), kept sorted as they arrive in any order. */
class SampleList {
  readonly items: Sample[] = []

  constructor(private readonly limit: number) {}

  add(sample: Sample): void {
    if (this.limit === 0) return
    const precedes = (a: Sample, b: Sample): boolean =>
      a.worst < b.worst || (a.worst === b.worst && a.ordinal < b.ordinal)
    if (this.items.length === this.limit && !precedes(sample, this.items.at(-1)!)) return
    let at = this.items.length
    while (at > 0 && precedes(sample, this.items[at - 1]!)) at--
    this.items.splice(at, 0, sample)
    if (this.items.length > this.limit) this.items.pop()
  }
}

export interface AccumulatorOptions {
  classify: Classifier
  failOn: DiffClass
  ignoredExtensions: ReadonlySet<string>
  maxListed: number
  /** Receives every paired conversation's differences (for --diffs). */
  onDiffs?: (entry: {
    classes: Record<DiffClass, number>
    diffs: FieldDiff[]
    id: string
    sourceLine: number
    targetLine: number
  }) => void
}

/** Collects everything a report says while the sides stream through; memory is bounded by the listing limits. */
export class VerifyAccumulator {
  private readonly compare: CompareOptions
  private readonly conversations = {
    identical: 0,
    paired: 0,
    withDifferences: {expected: 0, transformed: 0, unexpected: 0},
  }
  private readonly differences = {expected: 0, transformed: 0, unexpected: 0}
  private readonly entityTotals = {source: ENTITIES.map(() => 0), target: ENTITIES.map(() => 0)}
  private readonly fields = newFieldTree()
  private readonly rejected = {source: [] as RejectedEntry[], target: [] as RejectedEntry[]}
  private readonly samples: SampleList
  private readonly sides = {
    source: {normalised: 0, read: 0, rejected: 0},
    target: {normalised: 0, read: 0, rejected: 0},
  }

  constructor(private readonly options: AccumulatorOptions) {
    this.compare = {classify: options.classify, ignoredExtensions: options.ignoredExtensions}
    this.samples = new SampleList(options.maxListed)
  }

  get counts(): {paired: number; source: number; target: number} {
    return {paired: this.conversations.paired, source: this.sides.source.read, target: this.sides.target.read}
  }

  pair(source: NeutralEntry, target: NeutralEntry): void {
    const number = this.conversations.paired++
    const diffs = compareConversations(source.neutral, target.neutral, this.fields.root, number, this.compare)
    if (diffs.length === 0) {
      this.conversations.identical++
      return
    }

    const classes = {expected: 0, transformed: 0, unexpected: 0}
    for (const diff of diffs) classes[diff.class]++
    let worst = DIFF_CLASSES.length
    for (const c of DIFF_CLASSES) {
      if (classes[c] === 0) continue
      this.differences[c] += classes[c]
      this.conversations.withDifferences[c]++
      worst = Math.min(worst, severity(c))
    }

    this.options.onDiffs?.({classes, diffs, id: source.id, sourceLine: source.line, targetLine: target.line})
    this.samples.add({
      classes,
      diffs: diffs.slice(0, DIFFS_PER_SAMPLE).map((d) => preview(d)),
      id: source.id,
      omitted: Math.max(0, diffs.length - DIFFS_PER_SAMPLE),
      ordinal: source.ordinal,
      sourceLine: source.line,
      targetLine: target.line,
      worst,
    })
  }

  report(context: {
    dryRun: boolean
    findings: IdFindings
    source: {file: string; format: string}
    spilled: number
    target: {file: null | string; format: string}
  }): VerifyReport {
    const {classify, failOn} = this.options
    const reasons: string[] = []
    const fails = (c: DiffClass): boolean => severity(c) <= severity(failOn)

    for (const side of ['source', 'target'] as const) {
      const {rejected} = this.sides[side]
      if (rejected > 0)
        reasons.push(
          `${rejected} ${side} record${rejected === 1 ? '' : 's'} could not be read as ${context[side].format}`,
        )
    }

    const {duplicated, missingInSource, missingInTarget} = context.findings
    if (missingInTarget.count > 0)
      reasons.push(`${missingInTarget.count} conversation${plural(missingInTarget.count)} missing in the target`)
    if (missingInSource.count > 0)
      reasons.push(
        `${missingInSource.count} conversation${plural(missingInSource.count)} in the target not in the source`,
      )
    if (duplicated.count > 0) reasons.push(`${duplicated.count} conversation id${plural(duplicated.count)} duplicated`)

    const entities: VerifyReport['entities'] = [
      {
        entity: 'conversations',
        source: this.sides.source.normalised,
        status: this.sides.source.normalised === this.sides.target.normalised ? 'match' : 'unexpected',
        target: this.sides.target.normalised,
      },
    ]
    for (const [i, {entity, field}] of ENTITIES.entries()) {
      const source = this.entityTotals.source[i]!
      const target = this.entityTotals.target[i]!
      if (source === target) {
        entities.push({entity, source, status: 'match', target})
        continue
      }

      const verdict = classify(field, source > target ? 'lost' : 'added') ?? {
        class: 'unexpected' as const,
        reason: 'the target mapping declares no loss here',
      }
      entities.push({entity, reason: verdict.reason, source, status: verdict.class, target})
      if (fails(verdict.class))
        reasons.push(`${entity}: ${source} in the source, ${target} in the target (${verdict.class})`)
    }

    for (const c of DIFF_CLASSES) {
      const n = this.conversations.withDifferences[c]
      if (n > 0 && fails(c)) reasons.push(`${n} conversation${plural(n)} with ${c} differences`)
    }

    const fidelity = [...this.fields.nodes.values()]
      .filter((node) => node.present > 0)
      .map((node) => ({
        field: node.field,
        lost: {...node.byClass},
        present: node.present,
        share: round((node.present - node.broken) / node.present),
        survived: node.present - node.broken,
      }))
      .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
    const worstFields = fidelity
      .filter((row) => row.survived < row.present)
      .sort((a, b) => b.lost.unexpected - a.lost.unexpected || a.share - b.share || (a.field < b.field ? -1 : 1))
      .slice(0, 10)
      .map((row) => row.field)

    const ok = reasons.length === 0
    const sideSummary = (side: 'source' | 'target', file: null | string, format: string): VerifyReport['source'] => ({
      file,
      format,
      ...this.sides[side],
      rejectedSample: this.rejected[side].map(({line, reason}) => ({line, reason})),
    })
    return {
      conversations: {
        duplicated,
        identical: this.conversations.identical,
        missingInSource,
        missingInTarget,
        paired: this.conversations.paired,
        source: this.sides.source.normalised,
        target: this.sides.target.normalised,
        withDifferences: this.conversations.withDifferences,
      },
      differences: this.differences,
      dryRun: context.dryRun,
      entities,
      fidelity,
      reportVersion: 1,
      samples: this.samples.items.map(({ordinal: _o, worst: _w, ...sample}) => sample),
      source: sideSummary('source', context.source.file, context.source.format),
      spilled: context.spilled,
      target: sideSummary('target', context.target.file, context.target.format),
      verdict: {exitCode: ok ? ExitCode.Ok : ExitCode.VerifyMismatch, failOn, ok, reasons},
      worstFields,
    }
  }

  seen(side: 'source' | 'target', item: SideEntry): void {
    const counts = this.sides[side]
    counts.read++
    if (item.rejected) {
      counts.rejected++
      if (this.rejected[side].length < this.options.maxListed) this.rejected[side].push(item.rejected)
      return
    }

    counts.normalised++
    const totals = this.entityTotals[side]
    for (const [i, {count}] of ENTITIES.entries()) totals[i]! += count(item.entry.neutral)
  }
}

function plural(n: number): string {
  return n === 1 ? '' : 's'
}

function round(share: number): number {
  return Math.round(share * 10_000) / 10_000
}
