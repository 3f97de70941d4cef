// The inputs of `npm run bench`: a JSON Lines file of each record shape, generated into .bench/ (gitignored) by the
// compiled sample generators with a fixed seed, reused while the generator code, seed and size are unchanged; and what
// some figures derive from them (verify's Ada conversion, the one-record file), made once and cached beside them.
import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {open, readFile, rename, stat, writeFile} from 'node:fs/promises'
import {dirname, join, relative} from 'node:path'
import {finished} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const WORK_DIR = join(ROOT, '.bench')
const SEED = 'convoshift-bench-1'
const MiB = 2 ** 20

export const formatMB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

/** Input kinds: a JSONL file of each record shape, from its compiled sample generator (dist/sample/). */
export const SHAPES = ['liveperson', 'liveperson-consumer', 'ada', 'koreai', 'iadvize', 'deepconverse']

const INPUTS = Object.fromEntries(
  SHAPES.map((shape) => [
    shape,
    {
      // A change to the shape's generator (or the shared random helpers) makes a fresh input.
      generatorFiles: [`dist/sample/${shape.split('-')[0]}.js`, 'dist/sample/random.js'],
      async records() {
        const {sampleGenerators} = await import('../dist/sample/index.js')
        const generate = sampleGenerators[shape]
        if (!generate) throw new Error(`no sample generator for ${shape}`)
        return generate(Number.POSITIVE_INFINITY, {seed: SEED})
      },
    },
  ]),
)

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {}
}

async function fileSize(path) {
  try {
    return (await stat(path)).size
  } catch {
    return -1
  }
}

/** Hash of the compiled generator code: a changed generator invalidates cached inputs. */
async function generatorHash(kind) {
  const hash = createHash('sha256')
  for (const file of INPUTS[kind].generatorFiles) hash.update(await readFile(join(ROOT, file)))
  return hash.digest('hex').slice(0, 16)
}

/** Make (or reuse) `.bench/<kind>-<size>.jsonl`: whole records, one per line, until at least `size.bytes`. */
export async function ensureInput(kind, size) {
  const path = join(WORK_DIR, `${kind}-${size.key}.jsonl`)
  const metaPath = `${path}.meta.json`
  const hash = await generatorHash(kind)
  const meta = await readJson(metaPath)
  if (
    meta &&
    meta.seed === SEED &&
    meta.generator === hash &&
    meta.targetBytes === size.bytes &&
    (await fileSize(path)) === meta.bytes
  ) {
    return {...meta, path, reused: true}
  }

  const started = performance.now()
  const tmp = `${path}.tmp`
  const sink = createWriteStream(tmp, {highWaterMark: MiB})
  let bytes = 0
  let records = 0
  let batch = ''
  for (const record of await INPUTS[kind].records()) {
    const line = `${JSON.stringify(record)}\n`
    batch += line
    bytes += Buffer.byteLength(line)
    records++
    if (batch.length >= MiB || bytes >= size.bytes) {
      if (!sink.write(batch))
        await new Promise((resolve) => {
          sink.once('drain', resolve)
        })
      batch = ''
    }

    if (bytes >= size.bytes) break
  }

  sink.end()
  await finished(sink)
  await rename(tmp, path)
  const fresh = {bytes, generator: hash, records, seed: SEED, targetBytes: size.bytes}
  await writeFile(metaPath, `${JSON.stringify(fresh, null, 2)}\n`)
  process.stdout.write(
    `generated ${relative(ROOT, path)} (${formatMB(bytes)}, ${records} records) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  return {...fresh, path, reused: false}
}

/** Read a file once so the first timed run does not pay for a cold page cache. */
export async function warm(path) {
  const stream = createReadStream(path, {highWaterMark: 4 * MiB})
  stream.resume()
  await finished(stream)
}

/** verify's target: the LivePerson input converted to Ada once (through the convert service), cached beside it. */
export async function adaTargetOf(input) {
  const target = `${input.path}.ada.jsonl`
  const meta = await readJson(`${target}.meta.json`)
  if (meta?.source === input.generator && meta?.bytes === (await fileSize(target))) return target
  const {runConvert} = await import('../dist/convert/index.js')
  await runConvert({from: 'liveperson', input: input.path, output: target, to: 'ada'})
  await writeFile(
    `${target}.meta.json`,
    `${JSON.stringify({bytes: await fileSize(target), source: input.generator})}\n`,
  )
  process.stdout.write(`converted ${relative(ROOT, input.path)} to Ada for the verify figure\n`)
  return target
}

/** The first record of `input` alone, for the one-record convert (start-up) figure. */
export async function firstRecordOf(input) {
  const path = join(WORK_DIR, 'one-record.jsonl')
  const head = Buffer.alloc(4 * MiB)
  const handle = await open(input.path, 'r')
  try {
    const {bytesRead} = await handle.read(head, 0, head.length, 0)
    const end = head.subarray(0, bytesRead).indexOf(0x0a)
    if (end === -1) throw new Error(`${input.path}: first record longer than 4 MiB`)
    await writeFile(path, head.subarray(0, end + 1))
  } finally {
    await handle.close()
  }

  return path
}
