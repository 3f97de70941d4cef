/**
 * Interactive content between vendors.
 *
 * Quick replies have one neutral form, so that each vendor writes its own structure from another's: a list of
 * `{title, value?, url?}` (the button's label; what choosing it sends, when that differs from the label; the page a
 * link button opens). Each mapping reads its vendor's structure into it and writes it back; whatever else the vendor's
 * structure holds (styles, per-row counts, metadata) is kept by the lossless diff in the message's extension.
 *
 * Rich content (cards, carousels, layouts) stays in each vendor's own structure: their layouts do not translate into
 * one another. A target without a structure for it shows `richText` of it as the message's text (its declared text
 * fallback), and the structure itself is carried.
 */
import {isPlainObject, type JsonObject} from './json.js'

export interface QuickReply {
  title: string
  url?: string
  value?: string
}

/** The neutral quick replies of a message, when they are in the neutral form (an older record may hold a vendor's). */
export function neutralQuickReplies(value: unknown): QuickReply[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined
  const ok = value.every(
    (reply) =>
      isPlainObject(reply) &&
      typeof reply.title === 'string' &&
      (reply.value === undefined || typeof reply.value === 'string') &&
      (reply.url === undefined || typeof reply.url === 'string'),
  )
  return ok ? (value as QuickReply[]) : undefined
}

/** A quick reply without the members it does not need (`value` equal to its title). */
export function quickReply(title: string, value?: unknown, url?: unknown): QuickReply {
  const reply: QuickReply = {title}
  if (typeof value === 'string' && value !== title) reply.value = value
  if (typeof url === 'string') reply.url = url
  return reply
}

/** Keys whose string values are what a person reads in a card, in reading order. */
const READABLE = new Set(['alt', 'description', 'label', 'subtitle', 'text', 'title', 'tooltip'])

/**
 * What a person reads in rich content, as plain text: every title, text and label in document order, each once, one
 * per line. Undefined when there is none. Rich content given as a JSON string (LivePerson's `content`) is read too.
 */
export function richText(richContent: unknown): string | undefined {
  const lines: string[] = []
  const seen = new Set<string>()
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const parsed = parseJson(value)
      if (parsed !== undefined) visit(parsed)
      return
    }

    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }

    if (!isPlainObject(value)) return
    for (const [key, member] of Object.entries(value as JsonObject)) {
      if (READABLE.has(key) && typeof member === 'string') {
        const line = member.trim()
        if (line && !seen.has(line)) {
          seen.add(line)
          lines.push(line)
        }
      } else if (typeof member === 'object' && member !== null) {
        visit(member)
      }
    }
  }

  visit(richContent)
  return lines.length > 0 ? lines.join('\n') : undefined
}

function parseJson(text: string): unknown {
  const first = text.trimStart()[0]
  if (first !== '{' && first !== '[') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
