import {expect} from 'chai'
import {readFile} from 'node:fs/promises'

interface LockedPackage {
  cpu?: string[]
  integrity?: string
  link?: boolean
  os?: string[]
  version?: string
}

// `.ci/run` installs with an empty npm cache, which is the real proof; this names the broken entry in seconds.
describe('package-lock.json', () => {
  it('pins every package to a version and a checksum, so npm ci works with an empty cache', async () => {
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as {
      lockfileVersion: number
      packages: Record<string, LockedPackage>
    }
    expect(lock.lockfileVersion).to.equal(3)
    const broken = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.link)
      .filter(([, entry]) => !entry.version || !entry.integrity)
      .map(([path]) => path)
    expect(broken, 'entries npm ci rejects (Invalid Version) or cannot check').to.deep.equal([])
  })

  it('holds no platform-specific binaries (a lint or build tool that needs them has a lighter replacement)', async () => {
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as {packages: Record<string, LockedPackage>}
    const native = Object.entries(lock.packages)
      .filter(([, entry]) => entry.os || entry.cpu)
      .map(([path]) => path)
    expect(native).to.deep.equal([])
  })
})
