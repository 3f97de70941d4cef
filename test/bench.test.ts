import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

// `npm run bench --quick` on tiny inputs: every figure is printed and every run succeeds. Timings are not asserted
// (a loaded machine would fail them); the exit code may say a target was missed (1), never that a run failed (2).
describe('npm run bench --quick', () => {
  it('runs every command of the bench and prints each figure with its target', async function () {
    this.timeout(600_000)
    const {stdout} = await promisify(execFile)(process.execPath, ['bench/run.js', '--quick'], {
      maxBuffer: 16 * 2 ** 20,
    }).catch((error: {code: number; stderr: string; stdout: string}) => {
      expect(error.code, `a run failed:\n${error.stdout}\n${error.stderr}`).to.equal(1)
      return error
    })
    const figure = String.raw`(\s+\d+\.\d+×){2}`
    for (const line of [
      String.raw`^bare loop, liveperson \(seconds\)(\s+\d+\.\d+ s){2}$`,
      String.raw`^convert liveperson→neutral \(default\)${figure}\s+≤ 1\.2× (met|MISSED)$`,
      String.raw`^convert liveperson→neutral --jobs 1${figure}\s+≤ 2\.0× (met|MISSED)$`,
      ...['liveperson-consumer', 'ada', 'koreai', 'iadvize', 'deepconverse'].map(
        (shape) => String.raw`^convert ${shape}→neutral \(default\)${figure}\s+≤ 1\.4× (met|MISSED)$`,
      ),
      String.raw`^verify liveperson vs its Ada conversion${figure}\s+≤ 2\.5× (met|MISSED)$`,
      String.raw`^archive create liveperson${figure}$`,
      String.raw`^  against convert liveperson→neutral${figure}\s+≤ 1\.5× (met|MISSED)$`,
      String.raw`^(jq -c -f bench/liveperson-to-neutral\.jq${figure}|jq .*not installed, not timed)$`,
      String.raw`^convert liveperson(\s+\d+ MB){2}\s+≤ 250 MB, flat`,
      String.raw`^verify(\s+\d+ MB){2}\s+≤ 250 MB, flat`,
      String.raw`^archive create(\s+\d+ MB){2}\s+≤ 250 MB, flat`,
      String.raw`^one-record convert \(start-up\), median of 3: \d+\.\d+ s wall, \d+\.\d+× node -e 0 .* target ≤ 0\.45 s (met|MISSED)$`,
      String.raw`^bench: \d+ target\(s\) met, \d+ missed, 0 run\(s\) failed$`,
    ]) {
      expect(stdout).to.match(new RegExp(line, 'm'))
    }

    expect(stdout).not.to.include('FAILED')
  })
})
