import {type Hook, toConfiguredId} from '@oclif/core'

import {ConvoshiftError, ExitCode} from '../errors.js'

/**
 * `convoshift conver` → one line naming the closest command (and exit 2), in every terminal and pipe alike. oclif's
 * plugin-not-found names it only in an interactive prompt, which a script or a pipe never sees.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const ids = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const wanted = toConfiguredId(options.id, options.config)
  const closest = ids
    .map((id) => ({distance: editDistance(options.id, id), id}))
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))[0]
  const near = closest && closest.distance <= Math.max(2, Math.floor(options.id.length / 3))
  const suggestion = near ? toConfiguredId(closest.id, options.config) : undefined
  const error = new ConvoshiftError(`${wanted} is not a ${options.config.bin} command`, {
    code: 'USAGE',
    exitCode: ExitCode.Usage,
    suggestions: [
      ...(suggestion ? [`did you mean ${options.config.bin} ${suggestion}?`] : []),
      `${options.config.bin} commands lists them all`,
    ],
  })
  const json = options.argv?.includes('--json')
  if (json) {
    process.stdout.write(
      JSON.stringify({
        error: {code: error.code, exitCode: error.exitCode, message: error.message, suggestions: error.suggestions},
      }) + '\n',
    )
  } else {
    process.stderr.write(
      [`Error: ${error.message}`, `Code: ${error.code}`, ...error.suggestions.map((s) => `Try this: ${s}`)].join('\n') +
        '\n',
    )
  }

  this.exit(error.exitCode)
}

/** Levenshtein distance over command ids (`archive:create`), small enough to compute for every command. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }

    previous = current
  }

  return previous[b.length]!
}

export default hook
