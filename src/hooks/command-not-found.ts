import type {Hook} from '@oclif/core/hooks'

import {toConfiguredId} from '@oclif/core/util/ids'

import {ConvoshiftError, ExitCode, reportError} from '../errors.js'
import {closest} from '../util/edit-distance.js'

/**
 * `convoshift conver` → one line naming the closest command (and exit 2), in every terminal and pipe alike. oclif's
 * plugin-not-found names it only in an interactive prompt, which a script or a pipe never sees.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const ids = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const wanted = toConfiguredId(options.id, options.config)
  const near = closest(options.id, ids)
  const suggestion = near ? toConfiguredId(near, options.config) : undefined
  const error = new ConvoshiftError(`${wanted} is not a ${options.config.bin} command`, {
    code: 'USAGE',
    exitCode: ExitCode.Usage,
    suggestions: [
      ...(suggestion ? [`did you mean ${options.config.bin} ${suggestion}?`] : []),
      `${options.config.bin} commands lists them all`,
    ],
  })
  reportError(error, {json: options.argv?.includes('--json') ?? false})
  this.exit(error.exitCode)
}

export default hook
