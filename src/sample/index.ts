/**
 * Every record shape's deterministic sample generator, by format name (the mapping file's `format`).
 * `convoshift sample`, the bench and the example scripts read this table; a new shape adds one line.
 */
import {adaRecords} from './ada.js'
import {deepConverseRecords} from './deepconverse.js'
import {iAdvizeRecords} from './iadvize.js'
import {intercomRecords} from './intercom.js'
import {koreAiRecords} from './koreai.js'
import {livePersonConsumerRecords, livePersonRecords} from './liveperson.js'

export interface SampleOptions {
  /** Bias to roughly this many messages per conversation (default about 20, giving records of ~15 KB). */
  messages?: number
  /** Compared as a string: 7 and '7' give the same records. */
  seed: number | string
}

/** Record `i` depends only on the seed, the options and `i`; `count` may be Infinity. */
export type SampleGenerator = (count: number, options: SampleOptions) => Generator<Record<string, unknown>>

export const sampleGenerators: Readonly<Record<string, SampleGenerator>> = {
  ada: adaRecords,
  deepconverse: deepConverseRecords,
  iadvize: iAdvizeRecords,
  intercom: intercomRecords,
  koreai: koreAiRecords,
  liveperson: livePersonRecords,
  'liveperson-consumer': livePersonConsumerRecords,
}
