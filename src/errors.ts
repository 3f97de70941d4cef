/**
 * The one error type library code throws, and the exit-code table every command honours.
 * The table is part of the CLI contract: it is printed in the README and in `--help` descriptions.
 */
export const ExitCode = {
  /** Everything converted / verified. */
  Ok: 0,
  /** A bug in convoshift (an unexpected exception). */
  Internal: 1,
  /** Bad flags or arguments. */
  Usage: 2,
  /** An input file is missing or unreadable, or an output cannot be written. */
  Io: 3,
  /** Input data is not what was declared: malformed JSON, another vendor's records, an unknown envelope. */
  InvalidInput: 4,
  /** A mapping file is invalid (schema, unknown transform or hook, bad path). */
  InvalidMapping: 5,
  /** The run completed but some records were rejected; see the rejected file. */
  Rejected: 6,
  /** Verification failed: counts differ, or differences at or above --fail-on (by default: undeclared ones). */
  VerifyMismatch: 7,
  /** A vendor API failed (authentication, HTTP error, unparseable page). */
  Remote: 8,
  /** An archive failed its integrity checks. */
  ArchiveInvalid: 9,
  /** Interrupted by a signal; partial outputs were removed. */
  Interrupted: 130,
  /** stdout was closed by its reader (`| head`): stopped quietly, as SIGPIPE stops a Unix tool; partial outputs removed. */
  BrokenPipe: 141,
} as const

import {closest} from './util/edit-distance.js'

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODE_TABLE: ReadonlyArray<{code: number; meaning: string}> = [
  {code: ExitCode.Ok, meaning: 'success'},
  {code: ExitCode.Internal, meaning: 'internal error (a bug: please report it)'},
  {code: ExitCode.Usage, meaning: 'invalid flags or arguments'},
  {code: ExitCode.Io, meaning: 'input missing or unreadable, or output not writable'},
  {
    code: ExitCode.InvalidInput,
    meaning: 'input is malformed (a broken, too deep or too large JSON document) or not the declared format',
  },
  {code: ExitCode.InvalidMapping, meaning: 'mapping file is invalid'},
  {code: ExitCode.Rejected, meaning: 'completed, but some records were rejected (see the rejected file)'},
  {
    code: ExitCode.VerifyMismatch,
    meaning: 'verification failed: conversations missing, extra or unreadable, or differences at or above --fail-on',
  },
  {code: ExitCode.Remote, meaning: 'vendor API error'},
  {code: ExitCode.ArchiveInvalid, meaning: 'archive failed verification'},
  {code: ExitCode.Interrupted, meaning: 'interrupted by a signal; temporary files removed'},
  {
    code: ExitCode.BrokenPipe,
    meaning: 'stdout closed by its reader (e.g. `| head`): stopped quietly; temporary files removed',
  },
]

/**
 * The EXIT CODES section of a command's help, from the one table: each code the command can end with, its meaning, and
 * what it means for this command in particular (`[ExitCode.Rejected, 'see the rejected file']`).
 */
export function exitCodesHelp(codes: ReadonlyArray<ExitCodeValue | readonly [ExitCodeValue, string]>): string {
  const rows = codes.map((entry) => {
    const [code, detail] = typeof entry === 'number' ? [entry, undefined] : entry
    const row = EXIT_CODE_TABLE.find((r) => r.code === code)
    if (!row) throw new Error(`exit code ${code} is not in EXIT_CODE_TABLE`)
    return {code, text: detail ? `${row.meaning}: ${detail}` : row.meaning}
  })
  const width = Math.max(...rows.map((r) => String(r.code).length))
  return ['EXIT CODES', ...rows.map((r) => `  ${String(r.code).padEnd(width)}  ${r.text}`)].join('\n')
}

/** The exit-code table as Markdown (the README's, checked by a test). */
export function exitCodesMarkdown(): string {
  return [
    '| code | meaning |',
    '|---|---|',
    ...EXIT_CODE_TABLE.map((r) => `| ${r.code} | ${r.meaning.replaceAll('|', String.raw`\|`)} |`),
  ].join('\n')
}

export type ErrorCode =
  | 'ARCHIVE_INVALID'
  | 'ARCHIVE_NOT_FOUND'
  | 'CHECKPOINT_EXISTS'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_MISMATCH'
  | 'CREDENTIALS_MISSING'
  | 'FORMAT_UNKNOWN'
  | 'HOOK_UNKNOWN'
  | 'INPUT_MALFORMED'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INPUT_WRONG_FORMAT'
  | 'INTERNAL'
  | 'INTERRUPTED'
  | 'MAPPING_INVALID'
  | 'MAPPING_NOT_FOUND'
  | 'MIGRATE_STEP_FAILED'
  | 'NO_COMPLETED_RUN'
  | 'OUTPUT_EXISTS'
  | 'OUTPUT_UNWRITABLE'
  | 'PROJECT_CONFLICT'
  | 'PROJECT_INVALID'
  | 'RECORDS_REJECTED'
  | 'REMOTE_AUTH'
  | 'REMOTE_HTTP'
  | 'REMOTE_MALFORMED'
  | 'REMOTE_UNREACHABLE'
  | 'TRANSFORM_UNKNOWN'
  | 'USAGE'
  | 'VERIFY_MISMATCH'
  | 'WORKSPACE_BUSY'
  | 'WORKSPACE_INVALID'

export interface ConvoshiftErrorOptions {
  cause?: unknown
  code: ErrorCode
  exitCode: ExitCodeValue
  suggestions?: string[]
}

/** A user-facing failure: one line of fact in `message`, remedies in `suggestions`. */
export class ConvoshiftError extends Error {
  readonly code: ErrorCode
  readonly exitCode: ExitCodeValue
  readonly suggestions: string[]

  constructor(message: string, options: ConvoshiftErrorOptions) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'ConvoshiftError'
    this.code = options.code
    this.exitCode = options.exitCode
    this.suggestions = options.suggestions ?? []
  }
}

export function isConvoshiftError(error: unknown): error is ConvoshiftError {
  return error instanceof ConvoshiftError
}

/** The one error for a record shape convoshift does not know, with the closest known one when there is one. */
export function unknownShape(name: string, known: readonly string[]): ConvoshiftError {
  const near = closest(name.toLowerCase(), known)
  return new ConvoshiftError(`unknown record shape "${name}"`, {
    code: 'FORMAT_UNKNOWN',
    exitCode: ExitCode.Usage,
    suggestions: [...(near ? [`did you mean ${near}?`] : []), `record shapes: ${known.join(', ')}`],
  })
}

/**
 * Prints a user-facing failure: one line of fact, its code and remedies on stderr; under --json, one compact JSON
 * document on stdout, `{"error": {"code", "exitCode", "message", "suggestions"}}`, and nothing else.
 */
export function reportError(error: ConvoshiftError, options: {json: boolean}): void {
  if (options.json) {
    const {code, exitCode, message, suggestions} = error
    process.stdout.write(JSON.stringify({error: {code, exitCode, message, suggestions}}) + '\n')
    return
  }

  const lines = [`Error: ${error.message}`, `Code: ${error.code}`, ...error.suggestions.map((s) => `Try this: ${s}`)]
  process.stderr.write(lines.join('\n') + '\n')
}
