import {builtInFormats} from '../engine/load-mapping.js'
/**
 * The claims of a convoshift bag's bag-info.txt, each checked against the bag's content: the labels convoshift writes
 * are all there (once), the payload holds exactly the layout they describe, the export in data/originals/ is the one
 * whose SHA-256 they record, and every count matches what the files hold. A claim that cannot be checked (the mapping
 * digest, a redaction count) is checked for its form.
 */
import {loadSide} from '../engine/pipeline.js'
import {NEUTRAL_SCHEMA_VERSION} from '../schemas/neutral.js'
import {bagSize} from '../util/size.js'
import {type BagInfo, decodeManifestPath} from './bagit.js'
import {
  ID_MAP_FILE,
  INDEX_FILE,
  LABELS,
  LAYOUT_VERSION,
  ORIGINALS_DIR,
  OUR_TAG_FILES,
  parseRecordLimits,
  REJECTED_FILE,
  SHARD_DIR,
  shardPath,
} from './layout.js'
import {REDACTION_KINDS} from './redact.js'
import {type Problems, type RecordFacts} from './verify-records.js'

const REQUIRED = [
  'Bag-Software-Agent',
  'Bagging-Date',
  'Payload-Oxum',
  'Bag-Size',
  'External-Identifier',
  'External-Description',
  LABELS.archiveLayout,
  LABELS.bagVersion,
  LABELS.sourceVendor,
  LABELS.recordShape,
  LABELS.recordLimits,
  LABELS.sourceFile,
  LABELS.sourceSha256,
  LABELS.mapping,
  LABELS.neutralSchema,
  LABELS.recordsRead,
  LABELS.recordsArchived,
  LABELS.recordsRejected,
  LABELS.conversations,
  LABELS.messages,
  LABELS.shards,
  LABELS.shardSize,
  LABELS.originals,
  LABELS.redaction,
] as const
const REDACTED = {
  card: 'Convoshift-Redacted-Card',
  email: 'Convoshift-Redacted-Email',
  ip: 'Convoshift-Redacted-IP',
  phone: 'Convoshift-Redacted-Phone',
  regex: 'Convoshift-Redacted-Regex',
} as const
const OPTIONAL = ['Bag-Group-Identifier', LABELS.previous, ...Object.values(REDACTED)]
const KNOWN_OURS = new Set<string>([...Object.values(LABELS), ...Object.values(REDACTED)].map((l) => l.toLowerCase()))
const URN = /^urn:sha256:[0-9a-f]{64}$/

/** What the verifier learned from the bag's files, for the claims. */
export interface BagFacts {
  /** SHA-256 of each file under data/originals/. */
  originals: Map<string, string>
  /** Files under data/ and their sizes. */
  payload: Map<string, number>
  /** Undefined when the record checks did not run. */
  records: RecordFacts | undefined
  /** SHA-256 of manifest-sha256.txt, which External-Identifier names. */
  sha256Manifest: string | undefined
  /** Files in the bag's top directory. */
  topLevel: string[]
}

/**
 * Why this bag is a convoshift bag whatever its labels say, or undefined: a Convoshift- label, or any file of the
 * layout (index, id map, rejected records, a shard). Removing the label does not switch the record checks off.
 */
export function convoshiftEvidence(info: BagInfo, payload: Map<string, number>): string | undefined {
  const file =
    [INDEX_FILE, ID_MAP_FILE, REJECTED_FILE].find((path) => payload.has(path)) ??
    [...payload.keys()].find((path) => path.startsWith(`${SHARD_DIR}/`))
  if (file) return `it holds ${file}`
  const label = info.find((entry) => entry.label.toLowerCase().startsWith('convoshift-'))?.label
  return label === undefined ? undefined : `bag-info.txt has ${label}`
}

class Claims {
  constructor(
    private readonly info: BagInfo,
    private readonly problems: Problems,
  ) {}

  /** A count label: its number, or undefined (reported) when it is absent or not a count. */
  count(label: string): number | undefined {
    const value = this.value(label)
    if (value === undefined) return undefined
    if (/^(0|[1-9]\d{0,15})$/.test(value)) return Number(value)
    this.report(`${label} is "${value.slice(0, 40)}", expected a whole number`)
    return undefined
  }

  /** `label`'s claim against what the bag holds. */
  expect(label: string, actual: number | string, holds: string): void {
    const value = this.value(label)
    if (value !== undefined && value !== String(actual)) this.report(`${label} is ${value}, but ${holds} ${actual}`)
  }

  report(problem: string, file = 'bag-info.txt'): void {
    this.problems.add({file, problem})
  }

  value(label: string): string | undefined {
    return this.info.find((entry) => entry.label.toLowerCase() === label.toLowerCase())?.value
  }
}

function checkLabels(claims: Claims, info: BagInfo, evidence: string): void {
  const counts = new Map<string, number>()
  for (const {label} of info) counts.set(label.toLowerCase(), (counts.get(label.toLowerCase()) ?? 0) + 1)
  const missing = REQUIRED.filter((label) => !counts.has(label.toLowerCase()))
  if (missing.length > 0) {
    const list =
      missing.length > 4 ? `${missing.length} labels (${missing.slice(0, 4).join(', ')}, …)` : missing.join(', ')
    claims.report(`missing ${list}, yet the bag is a convoshift archive (${evidence}): checked as one all the same`)
  }

  for (const label of [...REQUIRED, ...OPTIONAL]) {
    const times = counts.get(label.toLowerCase()) ?? 0
    if (times > 1) claims.report(`${label} appears ${times} times; convoshift writes it once`)
  }

  for (const {label} of info) {
    if (label.toLowerCase().startsWith('convoshift-') && !KNOWN_OURS.has(label.toLowerCase()))
      claims.report(`${label} is not a label convoshift writes`)
  }
}

/** Bag-level labels: layout version, size, identifier, date, agent, lineage. */
function checkBag(claims: Claims, facts: BagFacts, payloadBytes: number): void {
  const layout = claims.value(LABELS.archiveLayout)
  if (layout !== undefined && layout !== LAYOUT_VERSION)
    claims.report(`${LABELS.archiveLayout} is ${layout}; this convoshift reads layout ${LAYOUT_VERSION}`)
  claims.expect('Bag-Size', bagSize(payloadBytes), 'data/ holds')
  if (facts.sha256Manifest !== undefined)
    claims.expect('External-Identifier', `urn:sha256:${facts.sha256Manifest}`, 'manifest-sha256.txt hashes to')
  const date = claims.value('Bagging-Date')
  if (date !== undefined && !isDate(date)) claims.report(`Bagging-Date is "${date}", not a date as YYYY-MM-DD`)
  const agent = claims.value('Bag-Software-Agent')
  if (agent !== undefined && !/^convoshift \S+$/.test(agent))
    claims.report(`Bag-Software-Agent is "${agent}"; convoshift writes "convoshift <version>"`)
  const version = claims.count(LABELS.bagVersion)
  const previous = claims.value(LABELS.previous)
  const group = claims.value('Bag-Group-Identifier')
  if (version === 0) claims.report(`${LABELS.bagVersion} is 0; versions start at 1`)
  if (version !== undefined && version > 1 && previous === undefined)
    claims.report(`${LABELS.bagVersion} is ${version}, but there is no ${LABELS.previous}`)
  if (version === 1 && previous !== undefined)
    claims.report(`${LABELS.bagVersion} is 1, but ${LABELS.previous} names a predecessor`)
  for (const [label, value] of [
    [LABELS.previous, previous],
    ['Bag-Group-Identifier', group],
  ] as const) {
    if (value !== undefined && !URN.test(value)) claims.report(`${label} is "${value}", not urn:sha256:<64 hex>`)
  }

  if ((previous === undefined) !== (group === undefined))
    claims.report(`${LABELS.previous} and Bag-Group-Identifier come together (lineage), but only one is there`)
}

/** Source, mapping, schema and the description built from them. */
async function checkSource(claims: Claims): Promise<void> {
  const shape = claims.value(LABELS.recordShape)
  let vendor: string | undefined
  if (shape !== undefined) {
    if (builtInFormats().includes(shape) && shape !== 'neutral') vendor = (await loadSide(shape)).mapping?.vendor
    else claims.report(`${LABELS.recordShape} is "${shape}", not a record shape convoshift knows`)
  }

  if (vendor !== undefined) claims.expect(LABELS.sourceVendor, vendor, `${shape} records come from`)
  const mapping = claims.value(LABELS.mapping)
  if (
    mapping !== undefined &&
    shape !== undefined &&
    !new RegExp(`^mappings/${shape}\\.json [0-9a-f]{64}$`).test(mapping)
  )
    claims.report(`${LABELS.mapping} is "${mapping}"; expected mappings/${shape}.json <sha256>`)
  const schema = claims.value(LABELS.neutralSchema)
  if (schema !== undefined && schema !== NEUTRAL_SCHEMA_VERSION)
    claims.report(`${LABELS.neutralSchema} is ${schema}; the records are checked against ${NEUTRAL_SCHEMA_VERSION}`)
  const limits = claims.value(LABELS.recordLimits)
  if (limits !== undefined && !parseRecordLimits(limits))
    claims.report(`${LABELS.recordLimits} is "${limits}"; expected --max-depth <n> --max-record-bytes <n>`)
  const sha = claims.value(LABELS.sourceSha256)
  if (sha !== undefined && !/^[0-9a-f]{64}$/.test(sha)) claims.report(`${LABELS.sourceSha256} is not 64 hex digits`)
  const originals = claims.value(LABELS.originals)
  const sourceVendor = claims.value(LABELS.sourceVendor)
  if (shape !== undefined && sourceVendor !== undefined && originals !== undefined) {
    const description =
      `Conversations exported from ${sourceVendor} (${shape} records), in the convoshift neutral model ` +
      `(schema ${schema ?? NEUTRAL_SCHEMA_VERSION})` +
      (originals === 'omitted' ? '; the export itself is not included.' : ', with the export itself as evidence.')
    claims.expect('External-Description', description, 'the labels it is made of give')
  }
}

/** The export in data/originals/: there exactly when the labels say, the file they name, with the digest they record. */
function checkOriginals(claims: Claims, facts: BagFacts): void {
  const originals = claims.value(LABELS.originals)
  const redaction = claims.value(LABELS.redaction)
  const present = [...facts.payload.keys()].filter((path) => path.startsWith(`${ORIGINALS_DIR}/`))
  if (originals === undefined) return
  if (!['included', 'included, not redacted', 'omitted'].includes(originals)) {
    claims.report(`${LABELS.originals} is "${originals}"; expected included, omitted or "included, not redacted"`)
    return
  }

  if (redaction !== undefined && originals !== 'omitted' && (redaction === 'none') !== (originals === 'included'))
    claims.report(`${LABELS.originals} is "${originals}" but ${LABELS.redaction} is ${redaction}`)
  if (originals === 'omitted') {
    for (const path of present) claims.report(`present, but bag-info.txt says ${LABELS.originals}: omitted`, path)
    return
  }

  const name = claims.value(LABELS.sourceFile)
  if (name === undefined) return
  const path = `${ORIGINALS_DIR}/${decodeManifestPath(name)}`
  const digest = facts.originals.get(path)
  if (!facts.payload.has(path)) {
    claims.report(`missing, but bag-info.txt says ${LABELS.originals}: ${originals}`, path)
    return
  }

  const recorded = claims.value(LABELS.sourceSha256)
  if (digest !== undefined && recorded !== undefined && digest !== recorded) {
    claims.report(
      `its SHA-256 is ${digest}, but bag-info.txt ${LABELS.sourceSha256} is ${recorded} (the export was changed)`,
      path,
    )
  }
}

/** Counts against the files, and the shards against Convoshift-Shards and Convoshift-Shard-Size. */
function checkCounts(claims: Claims, facts: BagFacts): void {
  const shards = [...facts.payload.keys()].filter((path) => path.startsWith(`${SHARD_DIR}/`))
  claims.expect(LABELS.shards, shards.length, `${SHARD_DIR}/ holds`)
  const limit = claims.count(LABELS.shardSize)
  if (limit === 0) claims.report(`${LABELS.shardSize} is 0`)
  const {records} = facts
  const read = claims.count(LABELS.recordsRead)
  const archived = claims.count(LABELS.recordsArchived)
  const rejected = claims.count(LABELS.recordsRejected)
  if (read !== undefined && archived !== undefined && rejected !== undefined && read !== archived + rejected)
    claims.report(`records do not reconcile: ${read} read ≠ ${archived} archived + ${rejected} rejected`)
  claims.count(LABELS.conversations)
  claims.count(LABELS.messages)
  if (!records) return
  claims.expect(LABELS.conversations, records.conversations, `${INDEX_FILE} has`)
  claims.expect(LABELS.recordsArchived, records.archived, `${ID_MAP_FILE} has archived records:`)
  claims.expect(LABELS.recordsRead, records.idMapLines, `${ID_MAP_FILE} has`)
  claims.expect(LABELS.recordsRejected, records.rejected, `${ID_MAP_FILE} has rejected records:`)
  if (records.rejectedLines !== records.rejected)
    claims.report(`${records.rejectedLines} records, but ${ID_MAP_FILE} names ${records.rejected}`, REJECTED_FILE)
  claims.expect(LABELS.messages, records.messages, 'the records hold')
  for (const [path, shard] of records.shards) {
    if (shard.records === 0) claims.report('empty; convoshift never writes an empty shard', path)
    else if (limit && shard.records > 1 && shard.bytes > limit)
      claims.report(`${shard.bytes} bytes in ${shard.records} records, over ${LABELS.shardSize} ${limit}`, path)
  }
}

function checkRedaction(claims: Claims): void {
  const redaction = claims.value(LABELS.redaction)
  if (redaction === undefined) return
  const rules = redaction === 'none' ? [] : redaction.split(', ')
  const kinds = new Set<string>()
  for (const rule of rules) {
    if ((REDACTION_KINDS as readonly string[]).includes(rule)) kinds.add(rule)
    else if (/^regex:sha256:[0-9a-f]{16}$/.test(rule)) kinds.add('regex')
    else claims.report(`${LABELS.redaction} names "${rule}", not a rule convoshift writes`)
  }

  for (const [kind, label] of Object.entries(REDACTED)) {
    const value = claims.value(label)
    if (kinds.has(kind) && value === undefined)
      claims.report(`${label} is missing, but ${LABELS.redaction} has ${kind}`)
    else if (!kinds.has(kind) && value !== undefined)
      claims.report(`${label} is there, but ${LABELS.redaction} has no ${kind} rule`)
    else if (value !== undefined) claims.count(label)
  }
}

/** Every file of the layout there, and nothing else: a file added and listed in recomputed manifests is named. */
function checkLayoutFiles(claims: Claims, facts: BagFacts): void {
  for (const path of [INDEX_FILE, ID_MAP_FILE]) {
    if (!facts.payload.has(path)) claims.report(`missing: a convoshift bag has ${path}`, path)
  }

  const rejected = claims.value(LABELS.recordsRejected)
  if (rejected !== undefined && rejected !== '0' && !facts.payload.has(REJECTED_FILE))
    claims.report(`missing, but bag-info.txt says ${LABELS.recordsRejected}: ${rejected}`, REJECTED_FILE)
  const shardCount = claims.count(LABELS.shards)
  const shardNames = new Set(Array.from({length: Math.min(shardCount ?? 0, 1e6)}, (_, i) => shardPath(i + 1)))
  const source = claims.value(LABELS.sourceFile)
  const original = source === undefined ? undefined : `${ORIGINALS_DIR}/${decodeManifestPath(source)}`
  for (const path of facts.payload.keys()) {
    if (path === INDEX_FILE || path === ID_MAP_FILE || path === REJECTED_FILE || path === original) continue
    if (path.startsWith(`${SHARD_DIR}/`) && (shardCount === undefined || shardNames.has(path))) continue
    if (path.startsWith(`${ORIGINALS_DIR}/`) && original === undefined) continue
    claims.report('not part of the convoshift layout (a file added to the bag?)', path)
  }

  for (const name of [
    'manifest-sha256.txt',
    'manifest-sha512.txt',
    'tagmanifest-sha256.txt',
    'tagmanifest-sha512.txt',
  ]) {
    if (!facts.topLevel.includes(name)) claims.report(`missing: a convoshift bag has ${name}`, name)
  }

  for (const name of facts.topLevel) {
    if (!(OUR_TAG_FILES as readonly string[]).includes(name))
      claims.report('not a tag file convoshift writes (a file added to the bag?)', name)
  }
}

function isDate(text: string): boolean {
  const parsed = new Date(`${text}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text)
}

/** Checks every claim of a convoshift bag's bag-info.txt; `evidence` says why the bag is one (convoshiftEvidence). */
export async function checkClaims(info: BagInfo, facts: BagFacts, evidence: string, problems: Problems): Promise<void> {
  const claims = new Claims(info, problems)
  let payloadBytes = 0
  for (const size of facts.payload.values()) payloadBytes += size
  checkLabels(claims, info, evidence)
  checkBag(claims, facts, payloadBytes)
  await checkSource(claims)
  checkOriginals(claims, facts)
  checkLayoutFiles(claims, facts)
  checkCounts(claims, facts)
  checkRedaction(claims)
}
