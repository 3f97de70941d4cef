import {appendFile, mkdir} from 'node:fs/promises'
import {dirname} from 'node:path'

import {stableLine} from '../util/stable-json.js'

export interface RunLogEvent {
  event: 'done' | 'failed' | 'interrupted' | 'run-completed' | 'run-started' | 'skipped' | 'started'
  step?: string
  [key: string]: unknown
}

/**
 * The run log (run.log in the workspace): one JSON line per event, with its time. It is the workspace file that holds
 * wall-clock times, so it differs between otherwise identical runs. Only names, counts, paths and reasons go in —
 * never a credential (the project file holds environment variable names, not secrets).
 */
export class RunLog {
  constructor(
    private readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async write(entry: RunLogEvent): Promise<void> {
    await mkdir(dirname(this.path), {recursive: true})
    await appendFile(this.path, stableLine({...entry, time: this.now().toISOString()}))
  }
}
