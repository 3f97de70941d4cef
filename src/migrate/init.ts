import {mkdir, open} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'

import {loadSide} from '../engine/pipeline.js'
import {ConvoshiftError, ExitCode} from '../errors.js'
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
  // Replaced atomically: an interrupted --force keeps the old file whole.
  if (options.force) {
    await writeFileAtomic(path, text)
    return {path, text}
  }

  try {
    const handle = await open(path, 'wx')
    await handle.writeFile(text)
    await handle.close()
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'EEXIST') {
      throw new ConvoshiftError(`${path}: already exists`, {
        code: 'OUTPUT_EXISTS',
        exitCode: ExitCode.Io,
        suggestions: ['edit it, or pass --force to overwrite it'],
      })
    }

    throw new ConvoshiftError(`${path}: cannot write (${code})`, {code: 'OUTPUT_UNWRITABLE', exitCode: ExitCode.Io})
  }

  return {path, text}
}
