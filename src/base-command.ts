import {Command, Errors, Interfaces} from '@oclif/core'

import {ConvoshiftError, ExitCode} from './errors.js'
import {interrupted, untilInterruptExit} from './io/interrupt.js'
import {argvSecrets, type CommandFlags, redact} from './io/redact.js'

/**
 * Owns `--json` and the mapping from domain errors to exit codes.
 * - oclif's own catch ignores `err.oclif.exit` under `--json`; we set `process.exitCode` so the documented code holds
 *   in both modes.
 * - A domain error prints as one unwrapped line (oclif wraps at the terminal width, splitting file:line:column from
 *   its reason), followed by its code and remedies.
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

  protected override async catch(err: Interfaces.CommandError & Partial<Errors.CLIError>): Promise<unknown> {
    if (interrupted()) return untilInterruptExit()
    hideSecrets(err, argvSecrets(this.argv, this.ctor as unknown as CommandFlags))
    if (err instanceof ConvoshiftError) {
      process.exitCode = err.exitCode
      if (!this.jsonEnabled()) {
        const lines = [`Error: ${err.message}`, `Code: ${err.code}`, ...err.suggestions.map((s) => `Try this: ${s}`)]
        process.stderr.write(lines.join('\n') + '\n')
        this.exit(err.exitCode)
      }

      const cli = new Errors.CLIError(err.message, {code: err.code, exit: err.exitCode, suggestions: err.suggestions})
      return super.catch(Object.assign(cli, {exitCode: err.exitCode}))
    }

    if (typeof err.oclif?.exit === 'number') {
      process.exitCode = err.oclif.exit
    } else if (!err.oclif) {
      // An unexpected exception is a bug: oclif prints it, and the exit code says so.
      process.exitCode = ExitCode.Internal
    }

    return super.catch(err)
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
