// Regenerates the bundled example exports from the deterministic sample generator:
// node --loader ts-node/esm scripts/make-examples.ts
import {mkdirSync, writeFileSync} from 'node:fs'

import {adaRecords} from '../src/sample/ada.js'
import {deepConverseRecords} from '../src/sample/deepconverse.js'
import {iAdvizeRecords} from '../src/sample/iadvize.js'
import {koreAiRecords} from '../src/sample/koreai.js'
import {livePersonConsumerRecords, livePersonRecords} from '../src/sample/liveperson.js'

const page = (key: string, records: unknown[], metaKey: string) => ({
  [key]: records,
  [metaKey]: {
    count: records.length,
    self: {
      href: 'https://example.invalid/messaging_history/api/account/le00000000/conversations/search?limit=50&offset=0',
      rel: 'self',
    },
    shardsStatusResult: {partialResult: false},
  },
})

const conversations = [...livePersonRecords(12, {messages: 8, seed: 'examples'})]
writeFileSync(
  'examples/liveperson/conversations-page.json',
  JSON.stringify(page('conversationHistoryRecords', conversations, '_metadata'), null, 2) + '\n',
)
const consumer = [...livePersonConsumerRecords(12, {seed: 'examples'})]
writeFileSync(
  'examples/liveperson/consumer-history-page.json',
  JSON.stringify(page('conversationHistoryMetadataRecords', consumer, '_responseMetadata'), null, 2) + '\n',
)
process.stdout.write(`wrote ${conversations.length} + ${consumer.length} example records\n`)

// DeepConverse: the last page of GET /conversations/export/v1/conversations (cursor null), each conversation with its
// messages attached as `messages` (see mappings/deepconverse.json).
mkdirSync('examples/deepconverse', {recursive: true})
const deepConverse = [...deepConverseRecords(12, {messages: 8, seed: 'examples'})]
writeFileSync(
  'examples/deepconverse/conversations-page.json',
  JSON.stringify({data: deepConverse, cursor: null}, null, 2) + '\n',
)
process.stdout.write(`wrote ${deepConverse.length} DeepConverse example records\n`)

// iAdvize: one page of the GraphQL closedConversations query (data.closedConversations.edges[].node), and the same
// nodes as JSON Lines, which is what convert reads (the reader cannot unwrap a nested GraphQL envelope).
mkdirSync('examples/iadvize', {recursive: true})
const iAdvize = [...iAdvizeRecords(12, {messages: 8, seed: 'examples'})]
const iAdvizeCursor = (i: number) => Buffer.from(`conversation:${i}`).toString('base64')
const iAdvizePage = {
  data: {
    closedConversations: {
      edges: iAdvize.map((node, i) => ({cursor: iAdvizeCursor(i), node})),
      pageInfo: {
        endCursor: iAdvizeCursor(iAdvize.length - 1),
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: iAdvizeCursor(0),
      },
    },
  },
}
writeFileSync('examples/iadvize/closed-conversations-page.json', JSON.stringify(iAdvizePage, null, 2) + '\n')
writeFileSync(
  'examples/iadvize/closed-conversations.jsonl',
  iAdvize.map((node) => JSON.stringify(node)).join('\n') + '\n',
)
process.stdout.write(`wrote ${iAdvize.length} iAdvize example records\n`)

// Ada: the last page of GET /api/v2/export/conversations (meta.next_page_uri null), all in v2's field set, each
// conversation with its messages from /api/v2/export/messages attached as `messages` (see mappings/ada.json).
mkdirSync('examples/ada', {recursive: true})
const ada = [...adaRecords(12, {messages: 8, seed: 'examples', version: '2'})]
writeFileSync(
  'examples/ada/conversations-page.json',
  // eslint-disable-next-line camelcase -- Ada's page field
  JSON.stringify({data: ada, meta: {next_page_uri: null}}, null, 2) + '\n',
)
process.stdout.write(`wrote ${ada.length} Ada example records\n`)

// Kore.ai: one List of Conversations page (results[], skip/limit/hasMore/totalPages/totalResults), each SmartAssist
// conversation with its Conversation History (getMessages) messages attached as `messages` (see mappings/koreai.json).
mkdirSync('examples/koreai', {recursive: true})
const koreAi = [...koreAiRecords(12, {messages: 8, seed: 'examples'})]
const koreAiPage = {hasMore: false, limit: 20, results: koreAi, skip: 0, totalPages: 1, totalResults: koreAi.length}
writeFileSync('examples/koreai/conversations-page.json', JSON.stringify(koreAiPage, null, 2) + '\n')
process.stdout.write(`wrote ${koreAi.length} Kore.ai example records\n`)
