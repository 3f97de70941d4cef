// Regenerates schemas/*.json from the zod models: `npm run schemas`.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {jsonSchemas, renderSchema} from '../src/schemas/json-schemas.js'

for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join('schemas', name), renderSchema(schema))
  process.stdout.write(`wrote schemas/${name}\n`)
}
