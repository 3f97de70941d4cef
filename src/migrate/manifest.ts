import {mkdir, readFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import {z} from 'zod'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {writeFileAtomic} from '../io/output.js'
import {stableStringify} from '../util/stable-json.js'

/**
 * The workspace manifest (state/manifest.json): what each step last completed with — its input hashes, options, the
 * tool version, its outputs' hashes and its result — and the completed runs. No times: two workspaces holding the
 * same migration hold the same manifest. A step's entry is removed before it runs and written after its outputs are
 * committed, so an interrupted step never looks complete.
 */
const Json = z.json()

export const StepRecord = z.strictObject({
  inputs: z.record(z.string(), z.string().nullable()),
  options: Json,
  outputs: z.record(z.string(), z.string()),
  result: Json,
  tool: z.string(),
})
export type StepRecord = z.infer<typeof StepRecord>

export const RunRecord = z.strictObject({
  added: z.number().int(),
  bag: z.string().nullable(),
  changed: z.number().int(),
  converted: z.number().int(),
  highWater: z.string().nullable(),
  input: z.string().nullable(),
  mode: z.enum(['full', 'delta']),
  rejected: z.number().int(),
  run: z.number().int(),
  source: z.number().int(),
  sourceSha256: z.string(),
})
export type RunRecord = z.infer<typeof RunRecord>

export const Manifest = z.strictObject({
  runs: z.array(RunRecord),
  steps: z.record(z.string(), StepRecord),
  version: z.literal(1),
})
export type Manifest = z.infer<typeof Manifest>

export async function readManifest(path: string): Promise<Manifest> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {runs: [], steps: {}, version: 1}
    throw error
  }

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }

  const parsed = Manifest.safeParse(json)
  if (!parsed.success) {
    throw new ConvoshiftError(
      `${path}: the workspace manifest is damaged (${parsed.error.issues[0]?.path.join('.') || 'not JSON'})`,
      {
        code: 'WORKSPACE_INVALID',
        exitCode: ExitCode.InvalidInput,
        suggestions: ['delete the state/ directory of the workspace to start the migration afresh'],
      },
    )
  }

  return parsed.data
}

export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  // Stable key order, indented for people who look.
  await writeFileAtomic(path, JSON.stringify(JSON.parse(stableStringify(manifest)), null, 2) + '\n')
}

export function lastRun(manifest: Manifest): RunRecord | undefined {
  return manifest.runs.at(-1)
}
