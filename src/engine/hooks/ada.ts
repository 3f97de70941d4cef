/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {type JsonObject, plainObjects, stringOrUndefined, withoutUndefined} from '../json.js'
import {type Hook} from './types.js'

/**
 * Ada encodes who sent a message in one string: `ada` (or `Ada`) for the bot, `bot` for its system/meta events,
 * `agent` in older exports, and otherwise an id (the chatter's, or an agent's from agent_id). These words are
 * never ids of real people, so participants with these ids are derived, not written to chatter_id/agent_id.
 */
const SENDER_WORDS: ReadonlyMap<unknown, string> = new Map([
  ['ada', 'bot'],
  ['Ada', 'bot'],
  ['agent', 'agent'],
  ['bot', 'system'],
])

/**
 * The conversation names its people in three places: `chatter_id`, the parallel arrays `agent_id`/`agent_name`,
 * and each message's `sender`. Neutral participants are the chatter, the agents, and every other sender
 * (`ada` as a bot, `bot` as system, a chatter UUID as the customer it is), so that vendors that list
 * participants (LivePerson's agentParticipants) learn who the bot is.
 */
export const participants: Hook = {
  description:
    'chatter_id, agent_id/agent_name and message senders ⇄ participants (the bot `ada` and its meta sender `bot` included).',
  fromNeutral(neutral, vendor) {
    const people = plainObjects(neutral.participants)
    const chatter = people.find((p) => p.role === 'customer' && typeof p.id === 'string' && !SENDER_WORDS.has(p.id))
    if (chatter) vendor.chatter_id = chatter.id
    const agents = people.filter((p) => p.role === 'agent' && typeof p.id === 'string' && !SENDER_WORDS.has(p.id))
    vendor.agent_id = agents.map((agent) => agent.id)
    // agent_name runs parallel to agent_id, so a nameless agent keeps its slot with an empty name.
    vendor.agent_name = agents.map((agent) => (typeof agent.displayName === 'string' ? agent.displayName : ''))
  },
  toNeutral(vendor, neutral) {
    const people: JsonObject[] = []
    const seen = new Set<unknown>()
    const add = (person: JsonObject): void => {
      if (seen.has(person.id)) return
      seen.add(person.id)
      people.push(person)
    }

    if (typeof vendor.chatter_id === 'string') add({id: vendor.chatter_id, role: 'customer'})
    const names = Array.isArray(vendor.agent_name) ? vendor.agent_name : []
    if (Array.isArray(vendor.agent_id)) {
      for (const [i, id] of vendor.agent_id.entries()) {
        if (typeof id !== 'string' || SENDER_WORDS.has(id)) continue
        const agent: JsonObject = {id, role: 'agent'}
        const name = names[i]
        if (typeof name === 'string' && name !== '') agent.displayName = name
        add(agent)
      }
    }

    // Senders not named above: the bot, its meta events and `agent` in old exports. Another id is the chatter's (the
    // UUID greeting messages use): the same person as chatter_id, so that one participant sends them.
    const chatter = typeof vendor.chatter_id === 'string' ? vendor.chatter_id : undefined
    for (const message of plainObjects(neutral.messages)) {
      const id = message.participantId
      if (typeof id !== 'string' || seen.has(id)) continue
      if (chatter !== undefined && !SENDER_WORDS.has(id)) message.participantId = chatter
      else add({id, role: SENDER_WORDS.get(id) ?? 'customer'})
    }

    neutral.participants = people
  },
}

/**
 * Ada has three topic sources: the generated topic (v1 fields), the generated topic of Topics V2, and v2's
 * `classifications` (topics, each with its intents). They become one neutral list: kind `topic` for the two
 * generated ones, `category` for a classification, `intent` for each intent after its classification.
 */
export const topics: Hook = {
  description:
    'generated_topic_*, generated_topic_v2_* and classifications[].intents[] ⇄ topics (kinds topic, category, intent).',
  fromNeutral(neutral, vendor) {
    let generated = 0
    const classifications: JsonObject[] = []
    for (const topic of plainObjects(neutral.topics)) {
      if (topic.kind === 'intent') {
        let classification = classifications.at(-1)
        if (!classification) {
          classification = {intents: []}
          classifications.push(classification)
        }

        ;(classification.intents as JsonObject[]).push(withoutUndefined({intent_id: topic.id, intent_name: topic.name}))
      } else if (topic.kind === 'category' || generated >= 2) {
        classifications.push({...withoutUndefined({topic_id: topic.id, topic_name: topic.name}), intents: []})
      } else {
        const [id, name] =
          generated === 0
            ? ['generated_topic_id', 'generated_topic_label']
            : ['generated_topic_v2_id', 'generated_topic_v2_title']
        if (topic.id !== undefined) vendor[id] = topic.id
        if (topic.name !== undefined) vendor[name] = topic.name
        generated++
      }
    }

    if (classifications.length > 0) vendor.classifications = classifications
  },
  toNeutral(vendor, neutral) {
    const out: JsonObject[] = []
    const generated = [
      [vendor.generated_topic_id, vendor.generated_topic_label],
      [vendor.generated_topic_v2_id, vendor.generated_topic_v2_title],
    ]
    for (const [id, name] of generated) {
      if (typeof id === 'string' || typeof name === 'string')
        out.push(withoutUndefined({id: stringOrUndefined(id), kind: 'topic', name: stringOrUndefined(name)}))
    }

    for (const classification of plainObjects(vendor.classifications)) {
      const category = withoutUndefined({
        id: stringOrUndefined(classification.topic_id),
        kind: 'category',
        name: stringOrUndefined(classification.topic_name),
      })
      // A classification without a topic only groups intents (another vendor's intents have no category).
      if (category.id !== undefined || category.name !== undefined) out.push(category)
      for (const intent of plainObjects(classification.intents)) {
        out.push(
          withoutUndefined({
            id: stringOrUndefined(intent.intent_id),
            kind: 'intent',
            name: stringOrUndefined(intent.intent_name),
          }),
        )
      }
    }

    if (out.length > 0) neutral.topics = out
  },
}
