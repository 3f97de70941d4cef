import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

/**
 * The non-empty lines of a JSON Lines file the workspace holds, streamed.
 * @yields each line, without its newline
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({crlfDelay: Infinity, input: createReadStream(path, {encoding: 'utf8'})})
  try {
    for await (const line of lines) if (line) yield line
  } finally {
    lines.close()
  }
}
