// Preloaded (node --require) into a CLI run a test measures: writes the process's peak resident set size, in KiB, to
// file descriptor 3 when it exits, so a test can assert memory that the process itself reports.
const {writeSync} = require('node:fs')

process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS))
  } catch {
    // No descriptor 3: the run was not started by a measuring test.
  }
})
