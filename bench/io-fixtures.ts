/** Synthetic conversation-like records for the io/util micro-benchmarks (bench/read-records.ts, bench/stable-json.ts). */

/** A conversation record whose keys are mostly in sorted order (as a mapper that builds sorted objects would emit). */
export function makeRecord(seed: number, sortedShare = 0.9): Record<string, unknown> {
  let state = seed
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }

  const object = (entries: Array<[string, unknown]>): Record<string, unknown> => {
    const ordered = random() < sortedShare ? entries.sort(([a], [b]) => (a < b ? -1 : 1)) : entries
    return Object.fromEntries(ordered) as Record<string, unknown>
  }

  const messages = Array.from({length: 24}, (_, i) =>
    object([
      ['id', `msg_${seed}_${i}`],
      ['conversationId', `conv_${seed}`],
      [
        'author',
        object([
          ['id', `agent_${i % 3}`],
          ['name', 'Agent Smith'],
          ['role', i % 2 ? 'agent' : 'customer'],
        ]),
      ],
      ['createdAt', new Date(1_700_000_000_000 + i * 60_000).toISOString()],
      ['text', 'Hello, I would like to know where my order is. '.repeat(5)],
      [
        'attachments',
        i % 5 === 0
          ? [
              object([
                ['name', 'invoice.pdf'],
                ['size', 12_345],
                ['url', 'https://x.test/a'],
              ]),
            ]
          : [],
      ],
      ['sentiment', Math.round(random() * 100) / 100],
      ['tags', ['order', 'shipping']],
    ]),
  )
  return object([
    ['conversationId', `conv_${seed}`],
    ['channel', 'chat'],
    [
      'customer',
      object([
        ['email', 'jane@example.test'],
        ['id', `cust_${seed}`],
        ['locale', 'en-US'],
        ['name', 'Jane'],
      ]),
    ],
    ['messages', messages],
    [
      'metadata',
      object([
        ['exportedAt', '2024-01-01T00:00:00.000Z'],
        ['source', 'liveperson'],
        ['version', 3],
      ]),
    ],
    ['status', 'closed'],
  ])
}
