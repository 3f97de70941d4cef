#!/usr/bin/env node
// `npm run readme`: the README's generated parts. The exit-code table comes from EXIT_CODE_TABLE (src/errors.ts), the
// command reference from each command's help (`oclif readme`). Uses dist/ (run `npm run build` first).
//
//   node scripts/readme.js           rewrite README.md
//   node scripts/readme.js --check   exit 1 when README.md is not what the code produces now
import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {exitCodesMarkdown} from '../dist/errors.js'

const README = 'README.md'
const check = process.argv.includes('--check')

/** The README with its generated parts filled in, produced in a temporary copy. */
function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'convoshift-readme-'))
  try {
    const copy = join(dir, README)
    copyFileSync(README, copy)
    const text = readFileSync(copy, 'utf8').replace(
      /<!-- exit-codes -->\n[\s\S]*?\n<!-- exit-codes-end -->/,
      `<!-- exit-codes -->\n${exitCodesMarkdown()}\n<!-- exit-codes-end -->`,
    )
    writeFileSync(copy, text)
    execFileSync(
      process.execPath,
      ['node_modules/oclif/bin/run.js', 'readme', '--no-source-links', '--readme-path', copy],
      {
        env: {...process.env, OCLIF_SKIP_UPDATE_CHECK: '1'},
        stdio: 'ignore',
      },
    )
    return readFileSync(copy, 'utf8')
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

const fresh = generate()
if (check) {
  if (readFileSync(README, 'utf8') !== fresh) {
    process.stderr.write(`${README} is stale: run npm run readme\n`)
    process.exitCode = 1
  }
} else {
  writeFileSync(README, fresh)
  process.stdout.write(`wrote ${README}\n`)
}
