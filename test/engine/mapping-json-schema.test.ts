import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {hooks} from '../../src/engine/hooks/index.js'
import {resolveNeutral} from '../../src/engine/neutral-paths.js'
import {parsePath} from '../../src/engine/paths.js'
import {transforms} from '../../src/engine/transforms.js'

type Any = Record<string, any>

/** The committed schema, as an editor reads it. */
const schema = JSON.parse(readFileSync(join('schemas', 'mapping.schema.json'), 'utf8')) as Any
const collection = schema.$defs[schema.properties.collections.items.$ref.replace('#/$defs/', '')] as Any

/** The neutral-path definition for a level: the conversation's, or that of the collection filling `array`. */
function pathsOf(array?: string): Any {
  if (!array) return schema.$defs['neutral-paths']
  const branch = (collection.allOf as Any[]).find((b) => b.if.properties.neutral.const === array)
  expect(branch, `no if/then for collections of ${array}`).to.exist
  return schema.$defs[branch!.then.properties.rules.items.properties.neutral.$ref.replace('#/$defs/', '')]
}

/** Whether an editor would accept `path` at that level: one of the enumerated paths, or a pattern. */
function accepts(definition: Any, path: string): boolean {
  return (definition.anyOf as Any[]).some((b) => (b.enum ? b.enum.includes(path) : new RegExp(b.pattern).test(path)))
}

function builtInLevels(): Array<{array?: string; file: string; paths: string[]}> {
  const out: Array<{array?: string; file: string; paths: string[]}> = []
  const walk = (level: Any, file: string, array?: string): void => {
    // Paths only: an expression object in `neutral` is checked by its own schema.
    const paths = (level.rules as Any[]).flatMap((rule) =>
      [rule.neutral, rule.when].filter((p): p is string => typeof p === 'string'),
    )
    out.push({file, paths, ...(array ? {array} : {})})
    for (const inner of level.collections ?? []) walk(inner, file, inner.neutral)
  }

  for (const name of readdirSync('mappings').filter((n) => n.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(join('mappings', name), 'utf8')) as Any, name)
  }

  return out
}

describe('mapping JSON Schema (run `npm run schemas` when it drifts)', () => {
  it('offers exactly the transforms of the registry, as a name and in the object form', () => {
    const [name, object] = schema.properties.rules.items.properties.transform.anyOf as Any[]
    const registry = Object.keys(transforms).sort()
    expect(name!.enum).to.deep.equal(registry)
    expect(object!.properties.name.enum).to.deep.equal(registry)
    expect(collection.properties.rules.items.properties.transform.anyOf[0].enum).to.deep.equal(registry)
  })

  it('offers exactly the hooks of the registry, at the top and in collections', () => {
    const registry = Object.keys(hooks).sort()
    expect(schema.properties.hooks.items.enum).to.deep.equal(registry)
    expect(collection.properties.hooks.items.enum).to.deep.equal(registry)
  })

  it('enumerates only neutral paths the loader accepts at their level', () => {
    for (const path of pathsOf().anyOf[0].enum as string[]) {
      expect(resolveNeutral(parsePath(path)), path).not.to.be.a('string')
    }

    expect(pathsOf().anyOf[0].enum).to.include.members(['customer.email', 'startedAt', 'csat.score', 'messages'])
    expect(pathsOf('messages').anyOf[0].enum).to.include.members(['text', 'role', 'sentAt', 'attachments'])
  })

  it('accepts every neutral path of the built-in mappings, and rejects a misspelled one', () => {
    for (const {array, file, paths} of builtInLevels()) {
      for (const path of paths) expect(accepts(pathsOf(array), path), `${file} ${array ?? '(top)'}: ${path}`).to.be.true
    }

    expect(accepts(pathsOf(), 'startedAtt')).to.be.false
    expect(accepts(pathsOf('messages'), 'txet')).to.be.false
    expect(accepts(pathsOf(), 'customData.tier')).to.be.true
    // Filters may appear in a path: those stay free strings (the loader checks them).
    expect(accepts(pathsOf('messages'), 'attachments[kind=link].url')).to.be.true
    expect(collection.properties.neutral.anyOf[0].enum).to.include.members(['messages', 'participants', 'answers'])
  })
})
