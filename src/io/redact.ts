/**
 * Secrets on the command line never reach debug output (`DEBUG=*`: oclif prints argv three times) or a flag-parsing
 * error (`Nonexistent flag: --tokn=<token>`). The rule, documented in README.md (Secrets):
 * - the value of a secret flag (`--token` and every exporter flag marked `secret`), as `--flag=value`, `--flag value`
 *   or `-cvalue`, and the values of their environment variables;
 * - the value of any flag the command does not define (a typo of a secret flag is as secret as the flag): its
 *   `=value`, or else the next argument unless that starts with `-`. Without a command (a mistyped command name),
 *   every flag is one the command does not define.
 * Each such value is replaced by `<redacted>` wherever it appears in the text; one shorter than 4 characters only
 * where it stands alone (not inside a longer word or number), so that `--limt 5` does not blank every 5.
 */
import {createRequire} from 'node:module'
import {formatWithOptions} from 'node:util'

export const REDACTED = '<redacted>'

/** What the redaction needs to know of a command class (oclif's static members, and BaseCommand's). */
export interface CommandFlags {
  baseFlags?: Record<string, FlagShape>
  flags?: Record<string, FlagShape>
  /** Names of flags whose values are credentials. */
  secretFlags?: readonly string[]
  /** Environment variables holding credentials. */
  secretEnv?: readonly string[]
}

interface FlagShape {
  allowNo?: boolean
  char?: string
  type: string
}

/** The values in `argv` (and the environment) that must never be printed, by the rule above. */
export function argvSecrets(argv: readonly string[], command?: CommandFlags, env = process.env): string[] {
  const flags = new Map<string, {secret: boolean; takesValue: boolean}>()
  const secretNames = new Set(command?.secretFlags)
  for (const [name, flag] of Object.entries({...command?.baseFlags, ...command?.flags})) {
    const shape = {secret: secretNames.has(name), takesValue: flag.type === 'option'}
    flags.set(`--${name}`, shape)
    if (flag.char) flags.set(`-${flag.char}`, shape)
    if (flag.allowNo) flags.set(`--no-${name}`, shape)
  }

  if (command)
    for (const always of ['--help', '--json', '--version']) flags.set(always, {secret: false, takesValue: false})
  const secrets = (command?.secretEnv ?? []).flatMap((name) => env[name] || [])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') break
    if (!arg.startsWith('-') || arg === '-') continue
    // --name=value, -cvalue, -c=value
    const long = arg.startsWith('--')
    const at = long ? arg.indexOf('=') : 2
    const name = at === -1 ? arg : arg.slice(0, at)
    const inline = at === -1 || at >= arg.length ? undefined : arg.slice(arg[at] === '=' ? at + 1 : at)
    const flag = flags.get(name)
    const next = argv[i + 1]
    if (flag && !flag.takesValue) continue
    const value = inline ?? (next !== undefined && (flag || !next.startsWith('-')) ? next : undefined)
    if (inline === undefined && value !== undefined) i++
    if (value && (!flag || flag.secret)) secrets.push(value)
  }

  return secrets
}

/** `text` with every secret replaced (longest first, so that one secret inside another goes whole). */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of [...new Set(secrets)].sort((a, b) => b.length - a.length)) {
    if (!secret) continue
    if (secret.length >= 4) {
      result = result.split(secret).join(REDACTED)
      continue
    }

    const escaped = secret.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`)
    result = result.replaceAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu'), REDACTED)
  }

  return result
}

/**
 * Makes oclif's debug output (the `debug` package, enabled by DEBUG) redact the secrets of `argv`. Called by
 * bin/run.js before oclif starts, so it finds the command class itself: dist/commands/<id words>.js, as oclif does.
 */
export async function redactDebugOutput(argv: readonly string[]): Promise<void> {
  const secrets = argvSecrets(argv, await findCommand(argv))
  if (secrets.length === 0) return
  // oclif's own copy of `debug`, whichever that is.
  const debug = createRequire(import.meta.resolve('@oclif/core'))('debug') as {
    inspectOpts?: object
    log: (...args: unknown[]) => void
  }
  debug.log = (...args: unknown[]) => {
    process.stderr.write(redact(formatWithOptions(debug.inspectOpts ?? {}, ...args), secrets) + '\n')
  }
}

async function findCommand(argv: readonly string[]): Promise<CommandFlags | undefined> {
  const words: string[] = []
  for (const arg of argv) {
    if (!/^[a-z][\da-z-]*$/.test(arg) || words.length === 3) break
    words.push(arg)
  }

  for (let n = words.length; n > 0; n--) {
    for (const file of [`${words.slice(0, n).join('/')}.js`, `${words.slice(0, n).join('/')}/index.js`]) {
      try {
        const module = (await import(new URL(`../commands/${file}`, import.meta.url).href)) as {default?: CommandFlags}
        if (module.default?.flags) return module.default
      } catch {
        // Not a command file: fewer words.
      }
    }
  }

  return undefined
}
