import {mkdir} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'

import {loadSide} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode, isConvoshiftError} from '../errors.js'
import {writeFileAtomic} from '../io/output.js'
import {PROJECT_FILE_NAME, type ProjectDraft, projectPath, renderProject} from './project.js'

export interface InitOptions extends Omit<ProjectDraft, 'input' | 'mapping'> {
  force?: boolean
  input?: string | undefined
  mapping?: string | undefined
  workspace: string
}

export interface InitResult {
  path: string
  text: string
}

/** An absolute path as the user gave it; a relative one relative to the workspace, where the file resolves it. */
function asGiven(workspace: string, path: string): string {
  return isAbsolute(path) ? path : projectPath(workspace, path)
}

/** Writes a commented project file into the workspace (never over an existing one unless `force`). */
export async function initProject(options: InitOptions): Promise<InitResult> {
  await loadSide(options.from)
  await loadSide(options.to)
  const text = renderProject({
    ...options,
    input: options.input ? asGiven(options.workspace, options.input) : undefined,
    mapping: options.mapping ? asGiven(options.workspace, options.mapping) : undefined,
  })
  const path = join(options.workspace, PROJECT_FILE_NAME)
  await mkdir(options.workspace, {recursive: true})
  // Atomic either way: an interrupted --force keeps the old file whole, and an interrupted first run leaves none.
  try {
    await writeFileAtomic(path, text, {exclusive: !options.force})
  } catch (error) {
    if (!isConvoshiftError(error) || error.code !== 'OUTPUT_EXISTS') throw error
    throw new ConvoshiftError(error.message, {
      code: 'OUTPUT_EXISTS',
      exitCode: ExitCode.Io,
      suggestions: ['edit it, or pass --force to overwrite it'],
    })
  }

  return {path, text}
}
