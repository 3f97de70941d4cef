import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {existsSync} from 'node:fs'
import {chmod, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import {ConvoshiftError, ExitCode} from '../../src/errors.js'
import {registerCleanup} from '../../src/io/interrupt.js'
import {openOutput, writeFileAtomic} from '../../src/io/output.js'
import {useTempDir} from '../helpers/tmp.js'

const CHILD = fileURLToPath(new URL('../helpers/interrupt-child.ts', import.meta.url))

async function failure(promise: Promise<unknown>): Promise<ConvoshiftError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ConvoshiftError) return error
    throw error
  }

  throw new Error('expected a ConvoshiftError')
}

/** A writable that records what it receives; `delayMs` makes it slow so that backpressure kicks in. */
function collector(
  options: {delayMs?: number; fail?: Error; highWaterMark?: number} = {},
): Writable & {text: () => string} {
  const chunks: Buffer[] = []
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      if (options.fail) {
        callback(options.fail)
        return
      }

      chunks.push(chunk)
      if (options.delayMs) setTimeout(callback, options.delayMs)
      else callback()
    },
  })
  return Object.assign(stream, {text: () => Buffer.concat(chunks).toString('utf8')})
}

describe('io/output', () => {
  describe('openOutput', () => {
    const tmp = useTempDir('each')

    describe('files', () => {
      it('writes to a hidden temp file in the same directory and renames it on commit', async () => {
        // Given an open output with some lines written
        const path = join(tmp.dir, 'converted.jsonl')
        const sink = await openOutput(path)
        for (let i = 0; i < 1000; i++) await sink.write(`{"id":${i}}\n`)

        // Then, before commit, only a dot-prefixed temp file exists: nothing under the final name
        const during = await readdir(tmp.dir)
        expect(during).to.have.length(1)
        expect(during[0]).to.match(new RegExp(`^\\.converted\\.jsonl\\.${process.pid}\\.[0-9a-f]+\\.tmp$`))
        expect(during).not.to.include('converted.jsonl')

        // When it is committed
        await sink.commit()

        // Then the final file holds everything and the temp file is gone
        expect(await readdir(tmp.dir)).to.deep.equal(['converted.jsonl'])
        const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
        expect(lines).to.have.length(1000)
        expect(lines[999]).to.equal('{"id":999}')
        expect(sink.path).to.equal(path)
      })

      it('leaves no file on abort, and abort is idempotent', async () => {
        const path = join(tmp.dir, 'converted.jsonl')
        const sink = await openOutput(path)
        await sink.write('x'.repeat(200_000))
        await sink.abort()
        await sink.abort()
        expect(await readdir(tmp.dir)).to.deep.equal([])
      })

      it('keeps an existing file untouched until commit, then replaces it', async () => {
        const path = join(tmp.dir, 'converted.jsonl')
        await writeFile(path, 'old\n')
        const sink = await openOutput(path)
        await sink.write('new\n')
        expect(await readFile(path, 'utf8')).to.equal('old\n')
        await sink.commit()
        expect(await readFile(path, 'utf8')).to.equal('new\n')
      })

      it('does not delete a committed file on a later abort', async () => {
        const path = join(tmp.dir, 'converted.jsonl')
        const sink = await openOutput(path)
        await sink.write('done\n')
        await sink.commit()
        await sink.abort()
        expect(await readFile(path, 'utf8')).to.equal('done\n')
      })

      it('writes as it goes rather than holding the output in memory, and keeps every byte in order', async () => {
        // Given 8 MB written in small pieces
        const path = join(tmp.dir, 'big.jsonl')
        const sink = await openOutput(path)
        let expected = ''
        for (let i = 0; i < 100_000; i++) {
          const line = `{"i":${i},"pad":"${'é'.repeat(i % 50)}"}\n`
          expected += line
          const pending = sink.write(line)
          if (pending) await pending
        }

        // Then before commit all but the last buffer (1 MiB) is already in the temp file, under another name
        const temp = (await readdir(tmp.dir)).find((name) => name !== 'big.jsonl')
        const written = (await stat(join(tmp.dir, temp!))).size
        expect(written).to.be.greaterThan(Buffer.byteLength(expected) - 1024 * 1024)
        expect(existsSync(path)).to.equal(false)
        await sink.commit()
        expect(await readFile(path, 'utf8')).to.equal(expected)
      })

      it('writes records as lines, and a record larger than the buffer whole', async () => {
        const path = join(tmp.dir, 'lines.jsonl')
        const sink = await openOutput(path)
        const huge = JSON.stringify({text: '€'.repeat(700_000)})
        await sink.writeLine('{"a":1}')
        await sink.writeLine(huge)
        await sink.writeLine('{"b":"ü"}')
        await sink.commit()
        expect(await readFile(path, 'utf8')).to.equal(`{"a":1}\n${huge}\n{"b":"ü"}\n`)
      })

      it('reports a missing directory', async () => {
        const path = join(tmp.dir, 'missing', 'out.jsonl')
        const error = await failure(openOutput(path))
        expect(error.message).to.equal(`${path}: cannot write (no such directory)`)
        expect(error.code).to.equal('OUTPUT_UNWRITABLE')
        expect(error.exitCode).to.equal(ExitCode.Io)
      })

      it('reports an output path that is a directory', async () => {
        const error = await failure(openOutput(tmp.dir))
        expect(error.message).to.equal(`${tmp.dir}: cannot write (is a directory)`)
        expect(error.code).to.equal('OUTPUT_UNWRITABLE')
      })

      it('reports a parent that is a file', async () => {
        await writeFile(join(tmp.dir, 'file'), '')
        const path = join(tmp.dir, 'file', 'out.jsonl')
        const error = await failure(openOutput(path))
        expect(error.message).to.equal(`${path}: cannot write (a parent is not a directory)`)
      })

      it('reports a directory without write permission', async function () {
        if (process.getuid?.() === 0) this.skip() // root writes anywhere
        const locked = join(tmp.dir, 'locked')
        await mkdir(locked)
        await chmod(locked, 0o500)
        const path = join(locked, 'out.jsonl')
        const error = await failure(openOutput(path))
        expect(error.message).to.equal(`${path}: cannot write (permission denied)`)
        await chmod(locked, 0o700)
      })

      it('reports a failed rename on commit and removes the temp file', async () => {
        // Given an output whose final name becomes a non-empty directory while it is being written
        const path = join(tmp.dir, 'out.jsonl')
        const sink = await openOutput(path)
        await sink.write('data\n')
        await mkdir(join(path, 'sub'), {recursive: true})

        // When it is committed
        const error = await failure(sink.commit())

        // Then the failure is one line naming the path, and only the directory remains
        expect(error.code).to.equal('OUTPUT_UNWRITABLE')
        expect(error.message).to.match(
          new RegExp(`^${path.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)}: cannot write \\(`),
        )
        expect(await readdir(tmp.dir)).to.deep.equal(['out.jsonl'])
      })

      it('writeFileAtomic writes a whole file, and leaves nothing when it cannot', async () => {
        const path = join(tmp.dir, 'report.json')
        await writeFileAtomic(path, '{"ok":true}\n')
        expect(await readFile(path, 'utf8')).to.equal('{"ok":true}\n')
        const error = await failure(writeFileAtomic(join(tmp.dir, 'nope', 'x.json'), 'x'))
        expect(error.code).to.equal('OUTPUT_UNWRITABLE')
        expect(await readdir(tmp.dir)).to.deep.equal(['report.json'])
      })

      it('an exclusive write never replaces a file, and leaves no temp file when it refuses', async () => {
        // Given a file someone wrote
        const path = join(tmp.dir, 'convoshift.json')
        await writeFile(path, 'mine\n')

        // When an exclusive atomic write targets it
        const error = await failure(writeFileAtomic(path, 'theirs\n', {exclusive: true}))

        // Then it is refused, the file is untouched and nothing else is left in the directory
        expect(error.code).to.equal('OUTPUT_EXISTS')
        expect(error.message).to.equal(`${path}: already exists`)
        expect(await readFile(path, 'utf8')).to.equal('mine\n')
        expect(await readdir(tmp.dir)).to.deep.equal(['convoshift.json'])

        // And to a new path it writes the whole file
        await writeFileAtomic(join(tmp.dir, 'new.json'), 'theirs\n', {exclusive: true})
        expect(await readFile(join(tmp.dir, 'new.json'), 'utf8')).to.equal('theirs\n')
      })
    })

    describe('stdout', () => {
      it("writes '-' to stdout and flushes on commit without closing it", async () => {
        const stdout = collector()
        const sink = await openOutput('-', {stdout})
        expect(sink.path).to.equal('-')
        for (let i = 0; i < 10; i++) await sink.write(`{"id":${i}}\n`)
        await sink.commit()
        expect(stdout.text().split('\n')).to.have.length(11)
        expect(stdout.writableEnded).to.equal(false)
        expect(await readdir(tmp.dir)).to.deep.equal([])
      })

      it('waits for drain on a slow stdout', async () => {
        const stdout = collector({delayMs: 1, highWaterMark: 1024})
        const sink = await openOutput('-', {stdout})
        let waits = 0
        let expected = ''
        for (let i = 0; i < 20_000; i++) {
          const line = `{"id":${i}}\n`
          expected += line
          const pending = sink.write(line)
          if (pending) {
            waits++
            await pending
          }
        }

        await sink.commit()
        expect(waits).to.be.greaterThan(0)
        expect(stdout.text()).to.equal(expected)
      })

      it('reports a stdout that fails (a closed pipe)', async () => {
        const broken = Object.assign(new Error('write EPIPE'), {code: 'EPIPE'})
        const stdout = collector({fail: broken})
        const sink = await openOutput('-', {stdout})
        sink.write('x\n')
        const error = await failure(sink.commit())
        expect(error.message).to.equal('<stdout>: cannot write (broken pipe)')
        expect(error.code).to.equal('OUTPUT_UNWRITABLE')
        expect(error.exitCode).to.equal(ExitCode.Io)
      })
    })
  })

  describe('registerCleanup', () => {
    const tmp = useTempDir('each')

    it('installs signal handlers only while something is registered', () => {
      const before = process.listenerCount('SIGINT')
      const unregisterA = registerCleanup(async () => {})
      const unregisterB = registerCleanup(async () => {})
      expect(process.listenerCount('SIGINT')).to.equal(before + 1)
      expect(process.listenerCount('SIGTERM')).to.be.greaterThan(0)
      unregisterA()
      unregisterA()
      expect(process.listenerCount('SIGINT')).to.equal(before + 1)
      unregisterB()
      expect(process.listenerCount('SIGINT')).to.equal(before)
    })

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`on ${signal}, runs the cleanups once, removes temp files and exits with 130`, async () => {
        // Given a child process with an open atomic output and a registered cleanup
        const output = join(tmp.dir, 'converted.jsonl')
        const marker = join(tmp.dir, 'marker.txt')
        const child = spawn(
          process.execPath,
          ['--loader', 'ts-node/esm', '--no-warnings', CHILD, 'open', output, marker],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let stderr = ''
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk
        })
        const [firstLine] = (await once(child.stdout.setEncoding('utf8'), 'data')) as [string]
        expect(firstLine, stderr).to.equal('ready\n')
        expect((await readdir(tmp.dir)).some((name) => name.endsWith('.tmp'))).to.equal(true)

        // When it is signalled
        child.kill(signal)
        const [code] = (await once(child, 'exit')) as [null | number]

        // Then it exits with the interrupted code, having removed its temp file and run the cleanup once
        expect(code, stderr).to.equal(ExitCode.Interrupted)
        expect(await readdir(tmp.dir)).to.deep.equal(['marker.txt'])
        expect(await readFile(marker, 'utf8')).to.equal('cleaned\n')
      })
    }

    it('on SIGTERM, a scratch directory of spill files is removed, exit 130', async () => {
      // Given a child writing spill partitions (as verify does for unordered inputs) into a scratch directory
      const marker = join(tmp.dir, 'marker.txt')
      const child = spawn(
        process.execPath,
        ['--loader', 'ts-node/esm', '--no-warnings', CHILD, 'scratch', join(tmp.dir, 'unused'), marker],
        {stdio: ['ignore', 'pipe', 'pipe']},
      )
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
      })
      const [firstLine] = (await once(child.stdout.setEncoding('utf8'), 'data')) as [string]
      expect(firstLine, stderr).to.equal('ready\n')
      const [scratch] = await readdir(tmp.dir)
      expect(scratch).to.match(/^convoshift-verify-/)
      expect(await readdir(join(tmp.dir, scratch!))).to.deep.equal(['source-0.jsonl'])

      // When it is signalled
      child.kill('SIGTERM')
      const [code] = (await once(child, 'exit')) as [null | number]

      // Then the directory and its files are gone
      expect(code, stderr).to.equal(ExitCode.Interrupted)
      expect(await readdir(tmp.dir)).to.deep.equal(['marker.txt'])
    })

    it('a signal while a temp file is being created ends the write as interrupted, exit 130, no file left', async () => {
      // Given a child that starts an atomic write and is signalled before its temp file is open
      const output = join(tmp.dir, 'checkpoint.json')
      const marker = join(tmp.dir, 'marker.txt')
      const child = spawn(
        process.execPath,
        ['--loader', 'ts-node/esm', '--no-warnings', CHILD, 'during-open', output, marker],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
      })
      const [code] = (await once(child, 'exit')) as [null | number]

      // Then the write fails as interrupted (not as an I/O error on the handle the cleanup closed), and nothing remains
      expect(code, stderr).to.equal(ExitCode.Interrupted)
      expect(await readFile(marker, 'utf8')).to.equal('INTERRUPTED\n')
      expect(await readdir(tmp.dir)).to.deep.equal(['marker.txt'])
    })
  })
})
