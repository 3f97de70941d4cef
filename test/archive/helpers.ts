import {execFile} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {promisify} from 'node:util'

export const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')
export const VALIDATOR = join(ROOT, 'test', 'archive', 'rfc8493_validate.py')

/** Every vendor example export and its record shape. */
export const EXAMPLES: Array<{from: string; input: string}> = [
  {from: 'liveperson', input: 'examples/liveperson/conversations-page.json'},
  {from: 'liveperson-consumer', input: 'examples/liveperson/consumer-history-page.json'},
  {from: 'ada', input: 'examples/ada/conversations-page.json'},
  {from: 'koreai', input: 'examples/koreai/conversations-page.json'},
  {from: 'iadvize', input: 'examples/iadvize/closed-conversations.jsonl'},
  {from: 'deepconverse', input: 'examples/deepconverse/conversations-page.json'},
].map((example) => ({...example, input: join(ROOT, example.input)}))

/** Runs the independent Python validator; resolves to its exit code and output. */
export async function validateIndependently(dir: string): Promise<{code: number; output: string}> {
  try {
    const {stderr, stdout} = await promisify(execFile)('python3', [VALIDATOR, dir])
    return {code: 0, output: stdout + stderr}
  } catch (error) {
    const failure = error as {code?: number | string; stderr?: string; stdout?: string}
    if (failure.code === 'ENOENT')
      throw new Error('python3 is needed for the independent BagIt validator (apt-get install python3)')
    return {code: Number(failure.code), output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`}
  }
}

/** Every file of a directory tree with its bytes, by relative path: two bags are identical when these are. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, {withFileTypes: true})) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) await walk(full)
      else out[relative(dir, full)] = (await readFile(full)).toString('base64')
    }
  }

  await walk(dir)
  return out
}

export async function jsonLines<T = Record<string, unknown>>(path: string): Promise<T[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T)
}
