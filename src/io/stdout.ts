/**
 * stdout that cannot be written ends the run with one line, never a stack trace, whichever write hit it: records
 * (`--output -`), a summary, a report or the `--json` result. Installed once by bin/run.js.
 *
 * - A full disk, a quota, an I/O error (`> /dev/full`): `Error: <stdout>: cannot write (…)`, code OUTPUT_UNWRITABLE,
 *   exit 3, after the cleanups have removed every temp file (as on Ctrl-C).
 * - A closed pipe (EPIPE: `| head -1`): the reader has all it asked for, so nothing is printed, and the exit code is
 *   141, what a shell reports for any Unix tool stopped by SIGPIPE (`yes | head -1`): a script running under
 *   `set -o pipefail` still learns that the output was cut short. Node ignores SIGPIPE, so the code is set by hand.
 * - stderr (progress, messages) failing is ignored: there is nowhere left to report it, and the work and its exit
 *   code do not depend on progress lines.
 */
import {ExitCode} from '../errors.js'
import {endRun, interrupted} from './interrupt.js'

const reasons: Record<string, string> = {
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENOSPC: 'no space left on device',
}

export function guardStdout(stdout = process.stdout, stderr = process.stderr): void {
  // @oclif/core installs a listener that swallows EPIPE and rethrows anything else as an uncaught exception (the
  // stack trace this replaces). Ours handles both.
  stdout.removeAllListeners('error')
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    // Once the run is ending (this or a signal), later writes fail the same way: one line is enough.
    if (interrupted()) return
    if (error.code === 'EPIPE') {
      endRun(ExitCode.BrokenPipe)
      return
    }

    const reason = (error.code && reasons[error.code]) ?? error.code ?? error.message
    stderr.write(`Error: <stdout>: cannot write (${reason})\nCode: OUTPUT_UNWRITABLE\n`)
    endRun(ExitCode.Io)
  })
  stderr.on('error', () => {})
}
