/** A mapping file the engine cannot compile: the whole run stops with this message. */
export class MappingCompileError extends Error {}

/** A record-level problem: the record is rejected with this reason, the run goes on. */
export class RecordError extends Error {}
