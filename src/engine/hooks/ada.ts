/* eslint-disable camelcase -- Ada's own field names are snake_case */
import {type JsonObject, plainObjects, stringOrUndefined, withoutUndefined} from '../json.js'
import {type Hook} from './types.js'

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
