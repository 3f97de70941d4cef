import {Command} from '@oclif/core/command'
import {CommandHelp, Help} from '@oclif/core/help'

/**
 * oclif's help prints a command's summary at the top and again as the first line of DESCRIPTION. Ours says it once:
 * DESCRIPTION holds only the description. (oclif's hideCommandSummaryInDescription keeps just the last line of it.)
 */
class ConvoshiftCommandHelp extends CommandHelp {
  protected override description(): string | undefined {
    const {description} = this.command
    return description ? this.wrap(description) : undefined
  }
}

export default class ConvoshiftHelp extends Help {
  protected override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new ConvoshiftCommandHelp(command, this.config, this.opts)
  }
}
