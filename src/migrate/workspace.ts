import {mkdir, open, readdir, readFile, rm, stat, unlink} from 'node:fs/promises'
import {dirname, join, relative, resolve, sep} from 'node:path'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {processAlive, writerGone} from '../io/stale-temps.js'
import {type PathUse} from '../io/write-paths.js'

/**
 * Where everything lives in a migration workspace. Paths in the manifest, the run log and results are relative to the
 * workspace, so two workspaces holding the same migration hold byte-identical files.
 */
export interface Workspace {
  dir: string
  /** The project file. */
  project: string
  /** JSON Lines, one event a line, with times: the one workspace file that differs between identical runs. */
  runLog: string
  /** The source records as JSON Lines, one conversation a line, duplicates removed; merged across delta runs. */
  source: string
  /** The records a --since-last run found new or changed (absent after a full run). */
  delta: string
  output: string
  rejected: string
  /** {"source": <source id>, "target": <target id>} per converted record, in output order. */
  idMap: string
  reportDir: string
  archiveDir: string
  stateDir: string
  manifest: string
  lock: string
  /** The source as of the last completed run: the base a --since-last run compares against. */
  lastRunSource: string
  exportDir: string
  /** Scratch space for a dry run, removed when it ends. */
  dryRunDir: string
}

export function workspaceLayout(dir: string, from: string, to: string): Workspace {
  const root = resolve(dir)
  const state = join(root, 'state')
  return {
    archiveDir: join(root, 'archive'),
    delta: join(root, 'source', 'delta.jsonl'),
    dir: root,
    dryRunDir: join(state, 'dry-run'),
    exportDir: join(state, 'export'),
    idMap: join(root, 'output', 'id-map.jsonl'),
    lastRunSource: join(state, 'last-run', `${from}.jsonl`),
    lock: join(state, 'lock'),
    manifest: join(state, 'manifest.json'),
    output: join(root, 'output', `${to}.jsonl`),
    project: join(root, 'convoshift.json'),
    rejected: join(root, 'output', `${to}.rejected.jsonl`),
    reportDir: join(root, 'report'),
    runLog: join(root, 'run.log'),
    source: join(root, 'source', `${from}.jsonl`),
    stateDir: state,
  }
}

/** What a run may write, for the check that no input is among it (io/write-paths.ts). */
export function workspaceWrites(workspace: Workspace): PathUse[] {
  const files = [workspace.project, workspace.runLog, workspace.source, workspace.delta]
  files.push(workspace.output, workspace.rejected, workspace.idMap)
  const directories = [workspace.reportDir, workspace.archiveDir, workspace.stateDir]
  return [
    ...files.map((path) => ({flag: 'the workspace file', path})),
    ...directories.map((path) => ({directory: true, flag: 'the workspace directory', path})),
  ]
}

/** `path` relative to the workspace, with `/` separators (what the manifest, log and results show). */
export function inWorkspace(workspace: Workspace, path: string): string {
  return relative(workspace.dir, path).split(sep).join('/')
}

/**
 * Takes the workspace lock (state/lock, holding our pid), so two runs never write the same workspace. A lock left by
 * a process that no longer exists (killed) is taken over. Returns the release function.
 */
export async function lockWorkspace(workspace: Workspace): Promise<() => Promise<void>> {
  await mkdir(workspace.stateDir, {recursive: true})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(workspace.lock, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return async () => {
        await unlink(workspace.lock).catch(() => {})
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(workspace.lock, error)
      const holder = Number.parseInt(await readFile(workspace.lock, 'utf8').catch(() => ''), 10)
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new ConvoshiftError(`${workspace.dir}: another migrate run (pid ${holder}) is using this workspace`, {
          code: 'WORKSPACE_BUSY',
          exitCode: ExitCode.Io,
          suggestions: ['wait for it to finish, or use another --workspace'],
        })
      }

      await rm(workspace.lock, {force: true})
    }
  }

  throw unwritable(workspace.lock, new Error('lock contention'))
}

/** Temp files of atomic writes (io/atomic-file.ts: `.<name>.<pid>.<hex>.tmp`) left by a killed run. */
const TEMP_FILE = /^\..+\.(\d+)\.[\da-f]{8}\.tmp$/
/** The link that becomes state/last-run/<from>.jsonl (index.ts, keepAsBase). */
const BASE_LINK = /^.+\.(\d+)\.link$/

/**
 * Removes temp files a killed run left behind (an interrupted step leaves only those). Returns how many. The lock
 * keeps other runs out, but a temp file is still removed only when its writer is gone (its pid may be ours, reused).
 */
export async function removeStaleTempFiles(workspace: Workspace): Promise<number> {
  let removed = 0
  let entries
  try {
    entries = await readdir(workspace.dir, {recursive: true, withFileTypes: true})
  } catch {
    return 0
  }

  const baseDir = dirname(workspace.lastRunSource)
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const match = TEMP_FILE.exec(entry.name) ?? (entry.parentPath === baseDir ? BASE_LINK.exec(entry.name) : null)
    if (!match) continue
    const path = join(entry.parentPath, entry.name)
    const stats = await stat(path).catch(() => {})
    if (!stats || !writerGone(Number(match[1]), stats.mtimeMs)) continue
    await rm(path, {force: true})
    removed++
  }

  return removed
}

export function unwritable(path: string, error: unknown): ConvoshiftError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
  return new ConvoshiftError(`${path}: cannot write (${code})`, {code: 'OUTPUT_UNWRITABLE', exitCode: ExitCode.Io})
}
