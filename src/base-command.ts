import type * as Errors from '@oclif/core/errors'
import type * as Interfaces from '@oclif/core/interfaces'

import {Command} from '@oclif/core/command'
import {stripVTControlCharacters} from 'node:util'

import {ConvoshiftError, ExitCode, reportError} from './errors.js'
import {interrupted, untilInterruptExit} from './io/interrupt.js'
import {argvSecrets, type CommandFlags, redact} from './io/redact.js'
import {closest} from './util/edit-distance.js'

/**
 * Start-up, what every command pays before its first record. oclif reads its command list from oclif.manifest.json
 * (written by `npm run build`) and imports only the command that runs; that file, and this one, then import only what
 * every run of the command needs, and load the rest inside run() with `await import()`:
 * - `@oclif/core` by its parts (`/command`, `/flags`, `/execute`, …), never its index, which loads every part and all
 *   of semver (the lint config forbids it in src/ and bin/);
 * - a command's service in run(), and what only some runs need behind the flag that needs it (convert loads the
 *   verifier, its renderers and `diff` only for --report or --diffs; verify's flags, which convert reuses, cost
 *   nothing to import).
 * Measured on a one-record `convert --from liveperson --to neutral` (paired runs, loaded 2-core machine): 363 → 280
 * module files loaded (convoshift's own: 87 → 73), CPU time ~7–12% lower. What is left is oclif itself, zod and the
 * mapping compile the conversion needs; the next lever is the vendor conformance schemas (~45 ms), which convert to
 * neutral loads but does not use (convert/pipeline.ts imports them statically).
 *
 * Owns `--json`, the streams and the mapping from errors to exit codes.
 * - stdout carries only the command's product: records when the output is `-` (then the summary, and the `--json`
 *   result, go to stderr), else the summary or, with `--json`, exactly one JSON document.
 * - Every failure is one line of fact with its code and remedies, or under `--json` one compact JSON document, flag
 *   parsing errors included (oclif would print the usage, or under `--json` its whole error object). oclif's own catch
 *   ignores `err.oclif.exit` under `--json`; we set `process.exitCode` so the documented code holds in both modes.
 * - After SIGINT/SIGTERM, whatever the interrupted work throws is a consequence of the cleanup: the process exits 130
 *   once the cleanups are done (io/interrupt.ts), and nothing else is reported.
 * - No error shows a secret from the command line (io/redact.ts): a flag-parsing error echoes what was typed
 *   (`Nonexistent flag: --tokn=<token>`), and under `--json` oclif would print the whole parse, argv included.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  /** Environment variables that hold credentials (redacted like `secretFlags`). */
  static secretEnv: readonly string[] = []
  /** Flags whose values are credentials: never shown in an error or in debug output. */
  static secretFlags: readonly string[] = []
  /** Set by a command whose records go to stdout (`--output -`): then its summary and JSON result go to stderr. */
  protected productOnStdout = false

  protected override async catch(err: Interfaces.CommandError & Partial<Errors.CLIError>): Promise<unknown> {
    if (interrupted()) return untilInterruptExit()
    hideSecrets(err, argvSecrets(this.argv, this.ctor as unknown as CommandFlags))
    const error = err instanceof ConvoshiftError ? err : this.usageError(err)
    if (error) {
      process.exitCode = error.exitCode
      reportError(error, {json: this.jsonEnabled()})
      this.exit(error.exitCode)
    }

    if (typeof err.oclif?.exit === 'number') {
      process.exitCode = err.oclif.exit
      return super.catch(err)
    }

    // An unexpected exception is a bug: the exit code says so, and under --json one document says what it was.
    process.exitCode = ExitCode.Internal
    if (!this.jsonEnabled()) return super.catch(err)
    reportError(
      new ConvoshiftError(`internal error: ${err.message}`, {
        code: 'INTERNAL',
        exitCode: ExitCode.Internal,
        suggestions: ['this is a bug in convoshift: please report it, with the command that ran'],
      }),
      {json: true},
    )
    this.exit(ExitCode.Internal)
  }

  /** Progress goes to stderr, under --json too when stderr is a terminal; a --json run in a script stays quiet. */
  protected progressSilent(): boolean {
    return this.jsonEnabled() && !process.stderr.isTTY
  }

  protected override logJson(json: unknown): void {
    if (this.productOnStdout) process.stderr.write(JSON.stringify(json, null, 2) + '\n')
    else super.logJson(json)
  }

  /** The command's summary: on stdout, or on stderr when its records went there. */
  protected logSummary(text: string): void {
    if (this.productOnStdout) this.logToStderr(text)
    else this.log(text)
  }

  /** A flag-parsing failure as one usage line: what is wrong, and the closest flag for one that does not exist. */
  private usageError(err: Interfaces.CommandError & Partial<Errors.CLIError>): ConvoshiftError | undefined {
    // oclif's parser and flag validators fail with exit 2; an ExitError (EEXIT) is a deliberate exit, not a failure.
    if (err.oclif?.exit !== ExitCode.Usage || err.code === 'EEXIT') return undefined
    const reasons = err.message
      .replace(/\nSee more help with --help$/, '')
      .replaceAll('\t', ' ')
      .replace(/^The following errors? occurred:\s*/, '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    const suggestions: string[] = []
    const unknown = (err as {flags?: string[]}).flags
    if (Array.isArray(unknown)) {
      const names = Object.keys(this.ctor.flags ?? {}).map((name) => `--${name}`)
      for (const flag of unknown) {
        const near = closest(flag.split('=')[0]!, names)
        if (near) suggestions.push(`did you mean ${near}?`)
      }
    }

    suggestions.push(`${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help`.replace(/ {2,}/g, ' '))
    return new ConvoshiftError(stripVTControlCharacters(reasons.join('; ')), {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      suggestions,
    })
  }
}

/** Redacts `secrets` in the error's message, stack and every property oclif prints under --json. */
function hideSecrets(err: Error, secrets: string[]): void {
  // A parse error carries the whole parse (argv, flag definitions, the config): never printed. oclif's handler only
  // needs to know there was an argv, to show the command's help.
  if ('parse' in err) Object.defineProperty(err, 'parse', {enumerable: false, value: {input: {argv: []}}})
  if (secrets.length === 0) return
  const deep = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value, secrets)
    if (Array.isArray(value)) return value.map((item) => deep(item))
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deep(item)]))
    return value
  }

  err.message = redact(err.message, secrets)
  if (err.stack) err.stack = redact(err.stack, secrets)
  for (const [key, value] of Object.entries(err)) (err as unknown as Record<string, unknown>)[key] = deep(value)
}
