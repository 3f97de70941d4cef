import {access, readFile} from 'node:fs/promises'
import {dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type z} from 'zod'

import {formatIssuePath} from '../engine/record-validator.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
import {PROJECT_FILE_VERSION, ProjectFile} from '../schemas/project.js'

export const PROJECT_FILE_NAME = 'convoshift.json'

/** Keys starting with `//` are comments, at any level. */
function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => stripComments(item))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('//'))
      .map(([key, item]) => [key, stripComments(item)]),
  )
}

/** Files written before the shape was called a shape everywhere: `source.vendor` and `target.format` are `shape`. */
function renameOldKeys(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json
  const file = {...(json as Record<string, unknown>)}
  for (const [section, old] of [
    ['source', 'vendor'],
    ['target', 'format'],
  ] as const) {
    const part = file[section]
    if (part === null || typeof part !== 'object' || Array.isArray(part)) continue
    const {[old]: value, ...rest} = part as Record<string, unknown>
    if (value !== undefined && rest.shape === undefined) file[section] = {shape: value, ...rest}
  }

  return file
}

/** One line per problem, naming the field; never the offending value (it may be a pasted secret). */
function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'the file' : formatIssuePath(issue.path)
  if (issue.code === 'invalid_type') {
    const missing = (issue as {input?: unknown}).input === undefined
    return `${where}: ${missing ? 'missing' : 'wrong type'} (expected ${issue.expected})`
  }

  if (issue.code === 'unrecognized_keys')
    return `${where}: unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`
  return `${where}: ${issue.message}`
}

function positionOf(text: string, error: Error): string {
  const offset = /position (\d+)/.exec(error.message)
  if (!offset) return ''
  const before = text.slice(0, Number(offset[1]))
  const line = before.split('\n').length
  return `:${line}:${before.length - before.lastIndexOf('\n')}`
}

/** Parses and validates a project file's text; every problem is one line naming the file and field. */
export function parseProject(text: string, label: string): ProjectFile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConvoshiftError(
      `${label}${positionOf(text, error as Error)}: not valid JSON (keys starting with // hold comments)`,
      {
        code: 'PROJECT_INVALID',
        exitCode: ExitCode.Usage,
      },
    )
  }

  const parsed = ProjectFile.safeParse(renameOldKeys(stripComments(json)), {reportInput: true})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConvoshiftError(`${label}: ${describe(issue)}`, {
      code: 'PROJECT_INVALID',
      exitCode: ExitCode.Usage,
      suggestions: ['see schemas/project.schema.json, or write a commented template with `convoshift init`'],
    })
  }

  return parsed.data
}

/** The project file of a workspace, or undefined when there is none yet. */
export async function readProject(workspaceDir: string): Promise<ProjectFile | undefined> {
  const path = join(workspaceDir, PROJECT_FILE_NAME)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConvoshiftError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code})`, {
      code: 'INPUT_UNREADABLE',
      exitCode: ExitCode.Io,
    })
  }

  return parseProject(text, path)
}

/** A path as the project file stores it: relative to the workspace, with `/`. */
export function projectPath(workspaceDir: string, path: string): string {
  return relative(resolve(workspaceDir), resolve(path)).split(sep).join('/')
}

/** The project file's JSON Schema, as the workspace reaches it, so that editors check and complete the file. */
const PROJECT_SCHEMA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'project.schema.json')

/** A path the project file holds, resolved against the workspace. */
export function resolveProjectPath(workspaceDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(workspaceDir, path)
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

export interface ProjectDraft {
  account?: string | undefined
  baseUrl?: string | undefined
  credentials?: Record<string, string> | undefined
  from: string
  input?: string | undefined
  mapping?: string | undefined
  redact?: string[] | undefined
  /** The workspace the file is written into (for its `$schema` path). */
  workspace: string
  since?: string | undefined
  to: string
  until?: string | undefined
}

/** The project file `init` (and a first `migrate` without one) writes, with a `//` comment beside every field. */
export function renderProject(draft: ProjectDraft): string {
  const project: Record<string, unknown> = {
    $schema: relative(resolve(draft.workspace), PROJECT_SCHEMA).split(sep).join('/'),
    '//': 'convoshift migration project. Keys starting with // are comments. Schema: schemas/project.schema.json. Paths are relative to this directory (the workspace).',
    version: PROJECT_FILE_VERSION,
    '//version': 'Project file format version.',
    source: {
      '//shape':
        'Record shape of the source (as --from): liveperson, liveperson-consumer, ada, koreai, iadvize, deepconverse.',
      shape: draft.from,
      '//input':
        'An export file to migrate instead of calling the vendor API, or null to export from the API. `migrate --input` overrides it.',
      input: draft.input ?? null,
      '//account': 'Vendor account, brand, bot or project id (API exports), as the export command names it.',
      account: draft.account ?? null,
      '//baseUrl': "The vendor API's base URL, or null for the vendor's default.",
      baseUrl: draft.baseUrl ?? null,
      '//options':
        'Other export flags of the vendor, by camelCase name (e.g. {"botName": "r3-218210"} for DeepConverse); see `convoshift export --help`.',
      options: {},
      '//credentials':
        'Credential name → the NAME of the environment variable holding it. Never put a secret in this file.',
      credentials: draft.credentials ?? {token: 'CONVOSHIFT_TOKEN'},
      '//since': 'Start of the time range to export, ISO 8601, inclusive (null: the API default).',
      since: draft.since ?? null,
      '//until': 'End of the time range to export, ISO 8601, exclusive (null: now).',
      until: draft.until ?? null,
    },
    target: {
      '//shape':
        'Shape to write: neutral, or a vendor record shape (liveperson, liveperson-consumer, ada, koreai, iadvize, deepconverse).',
      shape: draft.to,
      '//mapping': 'A mapping file extending the built-in mapping of the source or target shape, or null.',
      mapping: draft.mapping ?? null,
    },
    verify: {
      '//failOn':
        'Differences that fail verification and stop the pipeline: unexpected (default), transformed (also values a mapping changes), or expected (any difference).',
      failOn: 'unexpected',
    },
    archive: {
      '//enabled':
        'Write a BagIt archive (RFC 8493) of the neutral conversations; each run that changes the data adds a new bag version.',
      enabled: true,
      '//redact': 'Redact these kinds in the archive: email, phone, card, ip, regex:<pattern>. [] keeps everything.',
      redact: draft.redact ?? [],
      '//date': "The bag's Bagging-Date (YYYY-MM-DD), or null for SOURCE_DATE_EPOCH or else the day of the run.",
      date: null,
    },
  }
  const text = JSON.stringify(project, null, 2) + '\n'
  // Validate what we write: a template that fails its own schema would be a bug.
  parseProject(text, PROJECT_FILE_NAME)
  return text
}

export {type ProjectFileInput} from '../schemas/project.js'
