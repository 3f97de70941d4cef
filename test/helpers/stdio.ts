/** The built CLI with its stdout where a shell can point it: a full disk, or a pipe its reader closes. */
import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'

import {BIN, type CliRun} from '../export/helpers.js'

/** The CLI with stdout on a full disk, as `> /dev/full` gives it. */
export async function intoFullDisk(args: string[], cwd: string): Promise<CliRun> {
  const full = openSync('/dev/full', 'w')
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', full, 'pipe'],
  })
  closeSync(full)
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stderr, stdout: ''}))
  })
}

/** The CLI piped into a reader that takes the first chunk and closes the pipe, as `| head -1` does. */
export async function intoClosedPipe(args: string[], cwd: string): Promise<CliRun & {received: number}> {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: '1'}})
  let stderr = ''
  let received = 0
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  child.stdout.once('data', (chunk: Buffer) => {
    received = chunk.length
    child.stdout.destroy()
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({code, received, signal, stderr, stdout: ''}))
  })
}
