/**
 * Every exportable API, by record shape (the `export` argument and `convert --from` value). A new vendor adds one import
 * and one line.
 */
import type {AnyVendorExporter} from '../types.js'

import {adaExporter} from './ada.js'
import {deepConverseExporter} from './deepconverse.js'
import {iAdvizeExporter} from './iadvize.js'
import {koreAiExporter} from './koreai.js'
import {livePersonConsumerExporter, livePersonExporter} from './liveperson.js'

export const vendorExporters: Readonly<Record<string, AnyVendorExporter>> = {
  ada: adaExporter,
  deepconverse: deepConverseExporter,
  iadvize: iAdvizeExporter,
  koreai: koreAiExporter,
  liveperson: livePersonExporter,
  'liveperson-consumer': livePersonConsumerExporter,
}
