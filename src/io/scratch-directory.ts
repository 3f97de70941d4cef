/**
 * A private directory for spill files (verify's pairing partitions, the id ledger): made with a unique name under the
 * system's temp directory (or the one given), its files appended to through the one FileWriter, and removed whole by
 * `remove` or, on SIGINT or SIGTERM, by the interrupt's cleanup (io/interrupt.ts). Nothing in it is ever an output.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {FileWriter, type FileWriterOptions} from './file-writer.js'
import {registerCleanup} from './interrupt.js'

export class ScratchDirectory {
  readonly path: string
  private readonly unregister: () => void
  private readonly writers = new Map<string, FileWriter>()

  /** `prefix`: the start of the directory's name (`convoshift-verify-`), so a leftover says whose it is. */
  constructor(prefix: string, parent: string = tmpdir()) {
    this.path = mkdtempSync(join(parent, prefix))
    this.unregister = registerCleanup(async () => this.remove())
  }

  /** The file `name` inside, created on first use and appended to; its writer stays open until `closeFiles`. */
  appender(name: string, options: FileWriterOptions = {}): FileWriter {
    let writer = this.writers.get(name)
    if (!writer) {
      writer = FileWriter.open(this.pathOf(name), 'a', (error) => error, options)
      this.writers.set(name, writer)
    }

    return writer
  }

  /** Writes out and closes every file, so that they can be read back. */
  closeFiles(): void {
    for (const writer of this.writers.values()) writer.close()
    this.writers.clear()
  }

  pathOf(name: string): string {
    return join(this.path, name)
  }

  /** Removes the directory and everything in it. Idempotent. */
  remove(): void {
    this.unregister()
    for (const writer of this.writers.values()) writer.discard()
    this.writers.clear()
    rmSync(this.path, {force: true, recursive: true})
  }
}
