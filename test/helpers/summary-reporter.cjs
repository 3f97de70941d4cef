// Mocha's spec reporter plus the one line CI reads: "N passed, N failed[, N skipped]".
const Mocha = require('mocha')

const {EVENT_RUN_END} = Mocha.Runner.constants

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once(EVENT_RUN_END, () => {
      const {failures, passes, pending} = runner.stats
      const skipped = pending ? `, ${pending} skipped` : ''
      process.stdout.write(`\n${passes} passed, ${failures} failed${skipped}\n`)
    })
  }
}

module.exports = SummaryReporter
