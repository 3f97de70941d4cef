import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

const SRC = resolve('src')

/** Every .ts file under a folder of src/. */
function sources(folder: string): string[] {
  return readdirSync(join(SRC, folder), {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** The src/ folders (or top-level files) a file imports from, static and dynamic imports alike. */
function importedFolders(file: string): Array<{folder: string; specifier: string}> {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map(
    (match) => match[1]!,
  )
  return specifiers.map((specifier) => {
    const target = relative(SRC, resolve(dirname(file), specifier))
    return {folder: target.split('/')[0]!.replace(/\.js$/, ''), specifier}
  })
}

/** `from` files that import one of the `forbidden` folders, as "file → specifier" lines. */
function violations(from: string, forbidden: string[]): string[] {
  return sources(from).flatMap((file) =>
    importedFolders(file)
      .filter(({folder}) => forbidden.includes(folder))
      .map(({specifier}) => `${relative(SRC, file)} → ${specifier}`),
  )
}

describe('engine layering (src/engine is the core the commands build on)', () => {
  it('finds the imports it checks (the scan is not blind)', () => {
    const folders = new Set(sources('verify').flatMap((file) => importedFolders(file).map(({folder}) => folder)))
    expect([...folders]).to.include.members(['engine', 'io'])
  })

  it('src/engine imports nothing from the commands or their services', () => {
    expect(
      violations('engine', ['archive', 'commands', 'convert', 'convert-report', 'migrate', 'verify']),
    ).to.deep.equal([])
  })

  it('convert and verify do not import each other (convert --report composes both from above)', () => {
    expect(violations('convert', ['verify', 'convert-report'])).to.deep.equal([])
    expect(violations('verify', ['convert', 'convert-report'])).to.deep.equal([])
  })
})
