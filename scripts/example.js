#!/usr/bin/env node
// `npm run example`: every bundled vendor example export converted to the neutral model and back (checking that the
// records come back identical), then LivePerson → Ada → LivePerson through Ada's free-form field. Outputs go to out/.
import {execFileSync} from 'node:child_process'

const EXAMPLES = [
  ['liveperson', 'examples/liveperson/conversations-page.json'],
  ['liveperson-consumer', 'examples/liveperson/consumer-history-page.json'],
  ['ada', 'examples/ada/conversations-page.json'],
  ['koreai', 'examples/koreai/conversations-page.json'],
  ['iadvize', 'examples/iadvize/closed-conversations.jsonl'],
  ['deepconverse', 'examples/deepconverse/conversations-page.json'],
]

const run = (file, args) => {
  process.stdout.write(`$ ${file} ${args.join(' ')}\n`)
  execFileSync(file, args, {stdio: 'inherit'})
}

const convert = (from, to, input, output) =>
  run('./bin/run.js', ['convert', '--from', from, '--to', to, '--input', input, '--output', output])

for (const [format, input] of EXAMPLES) {
  convert(format, 'neutral', input, `out/${format}.neutral.jsonl`)
  convert('neutral', format, `out/${format}.neutral.jsonl`, `out/${format}.back.jsonl`)
  run('node', ['scripts/compare-round-trip.js', input, `out/${format}.back.jsonl`])
}

// Between vendors: what Ada cannot hold natively travels in its variables.convoshift and comes back.
convert('liveperson', 'ada', EXAMPLES[0][1], 'out/liveperson.ada.jsonl')
convert('ada', 'liveperson', 'out/liveperson.ada.jsonl', 'out/liveperson.via-ada.jsonl')
run('node', ['scripts/compare-round-trip.js', EXAMPLES[0][1], 'out/liveperson.via-ada.jsonl'])
