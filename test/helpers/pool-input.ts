import {livePersonRecords} from '../../src/sample/liveperson.js'

type Any = Record<string, unknown>

/** About 3.7 MB of records (several 1 MiB chunks, lines cut across their boundaries), with every kind of oddity. */
export function mixedLines(): string[] {
  const lines = [...livePersonRecords(400, {messages: 6, seed: 'pool'})].map((r) => JSON.stringify(r))
  const first = JSON.parse(lines[0]!) as {info: Any}
  lines[12] = lines[12]!.replace('{', '{,') // malformed
  lines[40] = lines[40]!.replace('{"info":', '{"info":{},"info":') // duplicate key
  lines[77] = lines[77]!.replace(/"startTimeL":\d+/, '"startTimeL":1e400') // a number a double changes
  lines[90] = `{"deep":${'['.repeat(1500)}${']'.repeat(1500)}}` // deeper than --max-depth
  lines[130] = 'null'
  lines[160] = JSON.stringify({info: {}}) // the mapping rejects it
  lines[200] = JSON.stringify({conversationHistoryRecords: [JSON.parse(lines[1]!), {info: {conversationId: 7}}]})
  lines[250] = `   \t${lines[250]}` // leading blanks: columns count from the line start
  lines[251] = JSON.stringify({...first, info: {...first.info, conversationId: ''}}) // no id
  lines[300] = lines[0]! // a duplicate id
  lines.splice(320, 0, '', '  ') // blank lines
  return lines
}
