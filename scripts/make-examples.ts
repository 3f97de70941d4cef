// Regenerates the bundled example exports from the deterministic sample generator:
// node --loader ts-node/esm scripts/make-examples.ts
import {writeFileSync} from 'node:fs'

import {livePersonConsumerRecords, livePersonRecords} from '../src/sample/liveperson.js'

const page = (key: string, records: unknown[], metaKey: string) => ({
  [key]: records,
  [metaKey]: {count: records.length, self: {href: 'https://example.invalid/messaging_history/api/account/le00000000/conversations/search?limit=50&offset=0', rel: 'self'}, shardsStatusResult: {partialResult: false}},
})

const conversations = [...livePersonRecords(12, {messages: 8, seed: 'examples'})]
writeFileSync('examples/liveperson/conversations-page.json', JSON.stringify(page('conversationHistoryRecords', conversations, '_metadata'), null, 2) + '\n')
const consumer = [...livePersonConsumerRecords(12, {seed: 'examples'})]
writeFileSync('examples/liveperson/consumer-history-page.json', JSON.stringify(page('conversationHistoryMetadataRecords', consumer, '_responseMetadata'), null, 2) + '\n')
process.stdout.write(`wrote ${conversations.length} + ${consumer.length} example records\n`)
