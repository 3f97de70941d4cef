import {type IdFindings} from '../engine/id-ledger.js'
import {ExitCode} from '../errors.js'
import {type ReportFieldDiff, type VerifyReport} from '../schemas/verify.js'
import {
  type Classifier,
  compareConversations,
  type CompareOptions,
  DIFF_CLASSES,
  type DiffClass,
  type FieldDiff,
  type Lens,
  LENSES,
  newFieldTree,
} from './compare.js'
import {countEntities, ENTITIES, type EntityCounts, entityRows, newEntityCounts} from './entities.js'
import {covers} from './expectations.js'
import {type NeutralEntry, type RejectedEntry, type SideEntry} from './normalise.js'

const PREVIEW_CHARS = 400
/** Per conversation in the report; every difference is in the --diffs file. */
const DIFFS_PER_SAMPLE = 100
/** Per field in the by-field view. */
const SAMPLES_PER_FIELD = 3
const LISTED_LOSSES = 10

const severity = (c: DiffClass): number => DIFF_CLASSES.indexOf(c)
const noClasses = (): Record<DiffClass, number> => ({expected: 0, transformed: 0, unexpected: 0})

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

/** One row of the by-field view while conversations stream through. */
interface FieldTally {
  carried: number
  class: DiffClass
  conversations: number
  samples: VerifyReport['byField'][number]['samples']
}

export interface AccumulatorOptions {
  /** How differences are classified, for each reading of the target. */
  classify: Record<Lens, Classifier>
  failOn: DiffClass
  /** --ignore: neutral field patterns whose differences are not compared. */
  ignore: readonly string[]
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
  /** The target shape, as differences that only the carry field holds are described. */
  targetFormat: string
}

/** Collects everything a report says while the sides stream through; memory is bounded by the listing limits. */
export class VerifyAccumulator {
  private readonly byField = new Map<string, FieldTally>()
  private readonly compare: Record<Lens, CompareOptions> & {both: CompareOptions}
  private readonly conversations = {identical: 0, paired: 0, recoverable: 0, withDifferences: noClasses()}
  private readonly differences = {
    carried: 0,
    conflicts: 0,
    ignored: 0,
    native: noClasses(),
    recoverable: noClasses(),
  }
  private readonly entities: EntityCounts = newEntityCounts()
  private readonly fields = newFieldTree()
  private readonly ignored = new Map<string, number>()
  private readonly rejected = {source: [] as RejectedEntry[], target: [] as RejectedEntry[]}
  private readonly samples: SampleList
  private readonly sides = {
    source: {normalised: 0, read: 0, rejected: 0},
    target: {normalised: 0, read: 0, rejected: 0},
  }
  private unrecovered = 0

  constructor(private readonly options: AccumulatorOptions) {
    const ignore =
      options.ignore.length === 0
        ? undefined
        : {
            covers: (field: string) => options.ignore.some((pattern) => covers(pattern, field)),
            onIgnored: (field: string) => {
              const pattern = options.ignore.find((p) => covers(p, field))!
              this.ignored.set(pattern, (this.ignored.get(pattern) ?? 0) + 1)
              this.differences.ignored++
            },
          }
    const base = {ignoredExtensions: options.ignoredExtensions, ...(ignore ? {ignore} : {})}
    this.compare = {
      both: {...base, classify: options.classify.native, lenses: LENSES},
      native: {...base, classify: options.classify.native, lenses: ['native']},
      recoverable: {...base, classify: options.classify.recoverable, lenses: ['recoverable']},
    }
    this.samples = new SampleList(options.maxListed)
  }

  get counts(): {paired: number; source: number; target: number} {
    return {paired: this.conversations.paired, source: this.sides.source.read, target: this.sides.target.read}
  }

  pair(source: NeutralEntry, target: NeutralEntry): void {
    const number = this.conversations.paired++
    const {root} = this.fields
    const shown = target.native ?? target.neutral
    countEntities(this.entities, source.neutral, shown, this.options.classify.native)
    // A target read both ways is compared both ways; one of the source's own shape counts for both readings at once.
    const native = compareConversations(
      source.neutral,
      shown,
      root,
      number,
      target.native ? this.compare.native : this.compare.both,
    )
    const recoverable = target.native
      ? compareConversations(source.neutral, target.neutral, root, number, this.compare.recoverable)
      : native
    this.differences.conflicts += target.conflicts?.length ?? 0
    const diffs = target.native ? markCarried(native, recoverable) : native
    if (native.length === 0) this.conversations.identical++
    if (recoverable.length === 0) this.conversations.recoverable++
    if (diffs.length === 0) return

    const classes = noClasses()
    for (const diff of native) {
      classes[diff.class]++
      if (diff.carried) this.differences.carried++
    }

    for (const diff of recoverable) this.differences.recoverable[diff.class]++
    if (recoverable.some((diff) => diff.class === 'unexpected')) this.unrecovered++
    let worst = DIFF_CLASSES.length
    for (const c of DIFF_CLASSES) {
      if (classes[c] === 0) continue
      this.differences.native[c] += classes[c]
      this.conversations.withDifferences[c]++
      worst = Math.min(worst, severity(c))
    }

    this.tallyFields(source.id, native)
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
    const {failOn} = this.options
    const reasons: string[] = []
    const fails = (c: DiffClass): boolean => severity(c) <= severity(failOn)
    const {paired} = this.conversations

    for (const side of ['source', 'target'] as const) {
      const {rejected} = this.sides[side]
      if (rejected > 0)
        reasons.push(`${rejected} ${side} record${plural(rejected)} could not be read as ${context[side].format}`)
    }

    const {duplicated, missingInSource, missingInTarget} = context.findings
    if (missingInTarget.count > 0)
      reasons.push(`${missingInTarget.count} conversation${plural(missingInTarget.count)} missing in the target`)
    if (missingInSource.count > 0)
      reasons.push(
        `${missingInSource.count} conversation${plural(missingInSource.count)} in the target not in the source`,
      )
    if (duplicated.count > 0) reasons.push(`${duplicated.count} conversation id${plural(duplicated.count)} duplicated`)

    const conversationRow = {
      duplicated: 0,
      entity: 'conversations',
      extra: missingInSource.count,
      missing: missingInTarget.count,
      source: this.sides.source.normalised,
      target: this.sides.target.normalised,
    }
    const entities = entityRows(conversationRow, this.entities)
    for (const row of entities.slice(1)) {
      if (row.class && fails(row.class)) reasons.push(`${row.entity}: ${describeEntity(row)} (${row.class})`)
    }

    for (const c of DIFF_CLASSES) {
      const n = this.conversations.withDifferences[c]
      if (n > 0 && fails(c))
        reasons.push(`${n} conversation${plural(n)} with ${c} differences in what ${this.options.targetFormat} shows`)
    }

    if (this.unrecovered > 0) {
      reasons.push(
        `${this.unrecovered} conversation${plural(this.unrecovered)} the carry field does not restore (unexpected differences even with it applied)`,
      )
    }

    const fidelity = [...this.fields.nodes.values()]
      .filter((node) => node.present > 0)
      .map((node) => ({
        field: node.field,
        native: survival(node.present, node.lost.native),
        present: node.present,
        recoverable: survival(node.present, node.lost.recoverable),
      }))
      .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
    const worstFields = fidelity
      .filter((row) => row.native.survived < row.present)
      .sort(
        (a, b) =>
          b.native.lost.unexpected - a.native.lost.unexpected ||
          a.native.share - b.native.share ||
          (a.field < b.field ? -1 : 1),
      )
      .slice(0, 10)
      .map((row) => row.field)

    const byField = [...this.byField]
      .map(([field, tally]) => ({field, ...tally}))
      // Unexpected differences first; then the fields most conversations lose, whatever the declared class.
      .sort(
        (a, b) =>
          Number(b.class === 'unexpected') - Number(a.class === 'unexpected') ||
          b.conversations - a.conversations ||
          (a.field < b.field ? -1 : 1),
      )
    const losses = byField.slice(0, LISTED_LOSSES).map(({carried, class: c, conversations, field}) => ({
      carried,
      class: c,
      conversations,
      field,
      share: paired === 0 ? 0 : round(conversations / paired),
    }))

    const ok = reasons.length === 0
    const lossy = byField.length > 0 || entities.some((row) => row.status !== 'match')
    const sideSummary = (side: 'source' | 'target', file: null | string, format: string): VerifyReport['source'] => ({
      file,
      format,
      ...this.sides[side],
      rejectedSample: this.rejected[side].map(({line, reason}) => ({line, reason})),
    })
    return {
      byField,
      conversations: {
        duplicated,
        identical: this.conversations.identical,
        missingInSource,
        missingInTarget,
        paired,
        recoverable: this.conversations.recoverable,
        source: this.sides.source.normalised,
        target: this.sides.target.normalised,
        withDifferences: this.conversations.withDifferences,
      },
      differences: this.differences,
      dryRun: context.dryRun,
      entities,
      fidelity,
      ignored: [...this.ignored].map(([field, differences]) => ({differences, field})).sort(byFieldName),
      reportVersion: 2,
      samples: this.samples.items.map(({ordinal: _o, worst: _w, ...sample}) => sample),
      source: sideSummary('source', context.source.file, context.source.format),
      spilled: context.spilled,
      target: sideSummary('target', context.target.file, context.target.format),
      verdict: {
        exitCode: ok ? ExitCode.Ok : ExitCode.VerifyMismatch,
        failOn,
        losses,
        ok,
        reasons,
        status: ok ? (lossy ? 'PASS WITH DECLARED LOSSES' : 'PASS') : 'FAIL',
      },
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
    const shown = side === 'target' ? (item.entry.native ?? item.entry.neutral) : item.entry.neutral
    const totals = this.entities.totals[side]
    for (const [i, entity] of ENTITIES.entries()) totals[i]! += entity.size(shown)
  }

  /** The by-field view: one row per field with native differences, counted once per conversation. */
  private tallyFields(id: string, native: FieldDiff[]): void {
    const seen = new Map<string, boolean>()
    for (const diff of native) seen.set(diff.field, (seen.get(diff.field) ?? true) && diff.carried === true)
    for (const diff of native) {
      let tally = this.byField.get(diff.field)
      if (!tally) {
        tally = {carried: 0, class: diff.class, conversations: 0, samples: []}
        this.byField.set(diff.field, tally)
      }

      if (severity(diff.class) < severity(tally.class)) tally.class = diff.class
      if (seen.has(diff.field)) {
        tally.conversations++
        if (seen.get(diff.field)) tally.carried++
        seen.delete(diff.field)
      }

      if (tally.samples.length < SAMPLES_PER_FIELD) {
        const {after, before} = preview(diff)
        tally.samples.push({
          id,
          path: diff.path,
          ...(before === undefined ? {} : {before}),
          ...(after === undefined ? {} : {after}),
        })
      }
    }
  }
}

/**
 * Native differences the carry field recovers are marked `carried`: no difference remains at that path (or under it)
 * once the carry is applied. Differences that remain even then follow, as the recoverable reading's.
 */
function markCarried(native: FieldDiff[], recoverable: FieldDiff[]): FieldDiff[] {
  for (const diff of native) diff.carried = !recoverable.some((r) => under(r.path, diff.path))
  const remaining = recoverable.filter((r) => !native.some((n) => under(r.path, n.path)))
  return [...native, ...remaining]
}

/** `path` is `prefix` or a field under it. */
function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)
}

function survival(present: number, lost: {byClass: Record<DiffClass, number>; count: number}) {
  return {lost: {...lost.byClass}, share: round((present - lost.count) / present), survived: present - lost.count}
}

function describeEntity(row: VerifyReport['entities'][number]): string {
  const parts = []
  if (row.missing > 0) parts.push(`${row.missing} missing in the target`)
  if (row.extra > 0) parts.push(`${row.extra} extra`)
  if (row.duplicated > 0) parts.push(`${row.duplicated} duplicated`)
  return parts.join(', ') || `${row.source} in the source, ${row.target} in the target`
}

function byFieldName(a: {field: string}, b: {field: string}): number {
  return a.field < b.field ? -1 : a.field > b.field ? 1 : 0
}

function plural(n: number): string {
  return n === 1 ? '' : 's'
}

function round(share: number): number {
  return Math.round(share * 10_000) / 10_000
}
