import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {jsonSchemas, renderSchema} from '../src/schemas/json-schemas.js'

describe('published JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`schemas/${name} matches the zod model (run \`npm run schemas\` after changing it)`, () => {
      const committed = readFileSync(join('schemas', name), 'utf8')
      expect(committed).to.equal(renderSchema(schema))
    })
  }
})
