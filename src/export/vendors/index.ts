/**
 * Every exportable API, by record shape (the `export` argument and `convert --from` value). A new vendor adds one import
 * and one line.
 */
import type {AnyVendorExporter} from '../types.js'

import {deepConverseExporter} from './deepconverse.js'
import {livePersonConsumerExporter, livePersonExporter} from './liveperson.js'

export const vendorExporters: Readonly<Record<string, AnyVendorExporter>> = {
  deepconverse: deepConverseExporter,
  liveperson: livePersonExporter,
  'liveperson-consumer': livePersonConsumerExporter,
}
