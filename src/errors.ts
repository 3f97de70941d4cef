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
  /** Verification found count mismatches, or differences at or above --fail-on (by default: undeclared ones). */
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

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const EXIT_CODE_TABLE: ReadonlyArray<{code: number; meaning: string}> = [
  {code: ExitCode.Ok, meaning: 'success'},
  {code: ExitCode.Internal, meaning: 'internal error (a bug: please report it)'},
  {code: ExitCode.Usage, meaning: 'invalid flags or arguments'},
  {code: ExitCode.Io, meaning: 'input missing or unreadable, or output not writable'},
  {code: ExitCode.InvalidInput, meaning: 'input is malformed or not the declared format'},
  {code: ExitCode.InvalidMapping, meaning: 'mapping file is invalid'},
  {code: ExitCode.Rejected, meaning: 'completed, but some records were rejected (see the rejected file)'},
  {
    code: ExitCode.VerifyMismatch,
    meaning: 'verification found count mismatches or differences at or above --fail-on (default: unexpected ones)',
  },
  {code: ExitCode.Remote, meaning: 'vendor API error'},
  {code: ExitCode.ArchiveInvalid, meaning: 'archive failed verification'},
  {code: ExitCode.Interrupted, meaning: 'interrupted; partial outputs removed'},
  {
    code: ExitCode.BrokenPipe,
    meaning: 'stdout closed by its reader (e.g. `| head`): stopped quietly; partial outputs removed',
  },
]

export type ErrorCode =
  | 'ARCHIVE_EXISTS'
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
  | 'INTERRUPTED'
  | 'MAPPING_INVALID'
  | 'MAPPING_NOT_FOUND'
  | 'MIGRATE_STEP_FAILED'
  | 'NO_COMPLETED_RUN'
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
