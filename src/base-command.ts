import {Command, Errors, Interfaces} from '@oclif/core'

import {ConvoshiftError, ExitCode} from './errors.js'
import {interrupted, untilInterruptExit} from './io/interrupt.js'

/**
 * Owns `--json` and the mapping from domain errors to exit codes.
 * - oclif's own catch ignores `err.oclif.exit` under `--json`; we set `process.exitCode` so the documented code holds
 *   in both modes.
 * - A domain error prints as one unwrapped line (oclif wraps at the terminal width, splitting file:line:column from
 *   its reason), followed by its code and remedies.
 * - After SIGINT/SIGTERM, whatever the interrupted work throws is a consequence of the cleanup: the process exits 130
 *   once the cleanups are done (io/interrupt.ts), and nothing else is reported.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(err: Interfaces.CommandError & Partial<Errors.CLIError>): Promise<unknown> {
    if (interrupted()) return untilInterruptExit()
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
