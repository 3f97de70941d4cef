/**
 * Signed bags (docs/archive.md, "Signed bags"): Ed25519 through node's own crypto, keys in the standard PEM forms that
 * openssl writes (PKCS#8 private, SPKI public). What is signed is tagmanifest-sha512.txt without the signature file's own
 * line: the tag manifest covers bagit.txt, bag-info.txt and both payload manifests, and they cover every payload file.
 *
 * A key file's contents never reach a message: errors name the file and what is wrong with it, nothing read from it.
 */
import {createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify} from 'node:crypto'
import {open} from 'node:fs/promises'

import {ConvoshiftError, ExitCode} from '../errors.js'
import {parseBagInfo, splitTagLines} from './bagit.js'
import {SIGNATURE_FILE, SIGNED_FILE} from './layout.js'

const MAKE_KEYS =
  'openssl genpkey -algorithm ed25519 -out private.pem && openssl pkey -in private.pem -pubout -out public.pem'
/** A PEM key is a few hundred bytes; anything much larger is not one. */
const MAX_KEY_BYTES = 64 * 1024

function keyError(flag: string, path: string, what: string): ConvoshiftError {
  return new ConvoshiftError(`${flag} ${path}: ${what}`, {
    code: 'USAGE',
    exitCode: ExitCode.Usage,
    suggestions: [`make an Ed25519 key pair with: ${MAKE_KEYS}`],
  })
}

async function readKeyFile(flag: string, path: string): Promise<Buffer> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new ConvoshiftError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}`, {
      code: code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
      exitCode: ExitCode.Io,
    })
  }

  try {
    const buffer = Buffer.alloc(MAX_KEY_BYTES + 1)
    const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0)
    if (bytesRead > MAX_KEY_BYTES) throw keyError(flag, path, 'too large to be a PEM key file')
    return buffer.subarray(0, bytesRead)
  } catch (error) {
    if (error instanceof ConvoshiftError) throw error
    throw new ConvoshiftError(`${flag} ${path}: cannot read (${(error as NodeJS.ErrnoException).code})`, {
      code: 'INPUT_UNREADABLE',
      exitCode: ExitCode.Io,
    })
  } finally {
    await handle.close()
  }
}

/** SHA-256 of the public key's SPKI DER encoding, as `sha256:<hex>`: names the key in the bag and in messages. */
export function keyFingerprint(key: KeyObject): string {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({format: 'der', type: 'spki'})
  return `sha256:${createHash('sha256').update(der).digest('hex')}`
}

/** The `--sign` key: an unencrypted PKCS#8 PEM Ed25519 private key. */
export async function loadPrivateKey(path: string): Promise<KeyObject> {
  const bytes = await readKeyFile('--sign', path)
  if (!bytes.includes('-----BEGIN PRIVATE KEY-----')) {
    const what = bytes.includes('-----BEGIN PUBLIC KEY-----')
      ? 'a public key; --sign takes the private key'
      : bytes.includes('ENCRYPTED PRIVATE KEY')
        ? 'an encrypted private key; convoshift reads unencrypted PKCS#8 PEM keys (keep the file itself protected)'
        : 'not a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----")'
    throw keyError('--sign', path, what)
  }

  let key: KeyObject
  try {
    key = createPrivateKey({format: 'pem', key: bytes})
  } catch {
    throw keyError('--sign', path, 'not a readable PKCS#8 PEM private key')
  } finally {
    bytes.fill(0)
  }

  if (key.asymmetricKeyType !== 'ed25519')
    throw keyError('--sign', path, `a ${key.asymmetricKeyType} key; bags are signed with Ed25519`)
  return key
}

/** The `--key` key: an SPKI PEM Ed25519 public key. A private key is refused: it should not travel with bags. */
export async function loadPublicKey(path: string): Promise<KeyObject> {
  const bytes = await readKeyFile('--key', path)
  if (!bytes.includes('-----BEGIN PUBLIC KEY-----')) {
    const what = bytes.includes('PRIVATE KEY-----')
      ? 'a private key; verify needs only the public key (openssl pkey -in private.pem -pubout -out public.pem)'
      : 'not an SPKI PEM public key ("-----BEGIN PUBLIC KEY-----")'
    throw keyError('--key', path, what)
  }

  let key: KeyObject
  try {
    key = createPublicKey({format: 'pem', key: bytes})
  } catch {
    throw keyError('--key', path, 'not a readable SPKI PEM public key')
  }

  if (key.asymmetricKeyType !== 'ed25519')
    throw keyError('--key', path, `a ${key.asymmetricKeyType} key; bags are signed with Ed25519`)
  return key
}

/** The signature file's text for `signed` (the tag manifest text without the signature file's line). */
export function renderSignature(signed: string, key: KeyObject): string {
  const signature = sign(null, Buffer.from(signed, 'utf8'), key).toString('base64')
  return [
    'Signature-Algorithm: Ed25519',
    `Signed-File: ${SIGNED_FILE}`,
    `Signed-Content: ${SIGNED_FILE} without its ${SIGNATURE_FILE} line`,
    `Public-Key-SHA256: ${keyFingerprint(key).slice('sha256:'.length)}`,
    `Signature: ${signature}`,
  ]
    .map((line) => line + '\n')
    .join('')
}

/** The bytes that were signed: the signed tag manifest with the signature file's line (and only it) taken out. */
export function signedContent(tagManifest: Buffer): Buffer {
  const kept: Buffer[] = []
  let start = 0
  while (start < tagManifest.length) {
    let end = tagManifest.indexOf(10, start)
    end = end === -1 ? tagManifest.length : end + 1
    const line = tagManifest.subarray(start, end)
    const path = /^[0-9A-Fa-f]+[ \t]+(.*?)\r?\n?$/.exec(line.toString('utf8'))?.[1]
    if (path !== SIGNATURE_FILE) kept.push(line)
    start = end
  }

  return Buffer.concat(kept)
}

export type SignatureStatus = 'invalid' | 'unchecked' | 'unsigned' | 'verified'

export interface SignatureCheck {
  /** Fingerprint of the key the signature file names (sha256:<hex>), when there is one. */
  key: null | string
  problem?: string
  status: SignatureStatus
}

/**
 * Checks the signature file against the signed tag manifest. Without `key` a signature is only read (`unchecked`):
 * anyone can sign with a key of their own, so only a key the verifier trusts makes it mean something.
 */
export function checkSignature(
  signatureText: string | undefined,
  tagManifest: Buffer | undefined,
  key: KeyObject | undefined,
): SignatureCheck {
  if (signatureText === undefined) return {key: null, status: 'unsigned'}
  const {info, problems} = parseBagInfo(signatureText)
  const value = (label: string): string | undefined => info.find((entry) => entry.label === label)?.value
  const named = value('Public-Key-SHA256')
  const fingerprint = named && /^[0-9a-f]{64}$/.test(named) ? `sha256:${named}` : null
  const invalid = (problem: string): SignatureCheck => ({key: fingerprint, problem, status: 'invalid'})
  if (problems.length > 0 || splitTagLines(signatureText).length !== info.length)
    return invalid('not a signature file (Label: value lines)')
  if (value('Signature-Algorithm') !== 'Ed25519')
    return invalid(`Signature-Algorithm is ${value('Signature-Algorithm') ?? 'missing'}, expected Ed25519`)
  if (value('Signed-File') !== SIGNED_FILE)
    return invalid(`Signed-File is ${value('Signed-File') ?? 'missing'}, expected ${SIGNED_FILE}`)
  if (!fingerprint) return invalid('Public-Key-SHA256 is missing or not 64 hex digits')
  const signature = Buffer.from(value('Signature') ?? '', 'base64')
  if (signature.length !== 64 || signature.toString('base64') !== value('Signature'))
    return invalid('Signature is not a base64 Ed25519 signature (64 bytes)')
  if (!key) return {key: fingerprint, status: 'unchecked'}
  const expected = keyFingerprint(key)
  if (expected !== fingerprint) return invalid(`signed with another key (${fingerprint}); --key is ${expected}`)
  if (!tagManifest) return invalid(`${SIGNED_FILE} is missing, so there is nothing the signature can vouch for`)
  if (!verify(null, signedContent(tagManifest), key, signature)) {
    return invalid(
      `the signature does not match ${SIGNED_FILE}: the bag was changed after it was signed (or the signature is forged)`,
    )
  }

  return {key: fingerprint, status: 'verified'}
}
