import {Command, Errors, Interfaces} from '@oclif/core'

import {ConvoshiftError, ExitCode} from './errors.js'

/**
 * Owns `--json` and the mapping from domain errors to exit codes.
 * oclif's own catch ignores `err.oclif.exit` under `--json`; we set `process.exitCode` so the documented
 * code holds in both modes.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(err: Interfaces.CommandError & Partial<Errors.CLIError>): Promise<unknown> {
    if (err instanceof ConvoshiftError) {
      const cli = new Errors.CLIError(err.message, {code: err.code, exit: err.exitCode, suggestions: err.suggestions})
      process.exitCode = err.exitCode
      return super.catch(Object.assign(cli, {exitCode: err.exitCode}))
    }

    if (typeof err.oclif?.exit === 'number') {
      process.exitCode = err.oclif.exit
    } else if (!err.oclif) {
      // An unexpected exception is a bug: keep the message on one line, and the stack for DEBUG only.
      process.exitCode = ExitCode.Internal
    }

    return super.catch(err)
  }
}
