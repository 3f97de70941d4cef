/** A mapping file the engine cannot compile: the whole run stops with this message. */
export class MappingCompileError extends Error {
  /** The message without the compiler's label of where it is (set with `subject`). */
  detail?: string
  /** The rule or collection object of the mapping the error is in, so the loader can name its file and line. */
  subject?: object
}

/** A record-level problem: the record is rejected with this reason, the run goes on. */
export class RecordError extends Error {}
