import {z} from 'zod'

/**
 * How a record departs from a conformance schema, one line per problem: `path: message, got value`
 * (`info.csatRate: expected 1 to 5, got 8`). Checks with a message of their own keep it; zod's built-in checks get a
 * short one in the same style.
 */
export function conformanceIssues(schema: z.ZodType, record: unknown): string[] {
  const result = schema.safeParse(record, {error: plainMessage, reportInput: true})
  return result.success ? [] : result.error.issues.map((issue) => oneLine(issue, record))
}

/** The first line of `conformanceIssues`, or undefined when the record conforms. */
export function firstIssue(schema: z.ZodType, record: unknown): string | undefined {
  return conformanceIssues(schema, record)[0]
}

/** Messages for the checks that have none of their own. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined) return 'required'
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`
  if (issue.code === 'invalid_value')
    return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`
  const unit = issue.origin === 'string' ? ' characters' : ''
  if (issue.code === 'too_small') return `expected at least ${issue.minimum}${unit}`
  if (issue.code === 'too_big') return `expected at most ${issue.maximum}${unit}`
  return undefined
}

function oneLine(issue: z.core.$ZodIssue, record: unknown): string {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  )
  const value = issue.path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    record,
  )
  const message = issue.message.replace(/^Invalid (input|option): /, '')
  return `${path || '(record)'}: ${message}${value === undefined ? '' : `, got ${preview(value)}`}`
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
