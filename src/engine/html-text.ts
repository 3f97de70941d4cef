/**
 * HTML message bodies (Intercom's `<p>…</p>`) ⇄ plain text, for the `html-text` transform. Plain-text targets show
 * the words, not the markup; the markup itself (links, lists, emphasis) is not kept, so the transform is lossy and a
 * mapping that uses it declares so. A vendor's own round trip stays exact: the engine keeps any body its rebuild does
 * not reproduce in the record's extension.
 */

/** The named entities rich-text editors write; any other is kept as written. */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  apos: "'",
  copy: '©',
  euro: '€',
  gt: '>',
  hellip: '…',
  laquo: '«',
  ldquo: '“',
  lsquo: '‘',
  lt: '<',
  mdash: '—',
  nbsp: '\u00A0',
  ndash: '–',
  quot: '"',
  raquo: '»',
  rdquo: '”',
  reg: '®',
  rsquo: '’',
  trade: '™',
}

/**
 * Block ends and line breaks become newlines; every other tag is dropped; entities are decoded. A newline in the
 * markup itself is whitespace, as a browser shows it.
 */
export function htmlToText(html: string): string {
  const text = html
    .replaceAll(/[ \t]*\r?\n[ \t]*/g, ' ')
    .replaceAll(/<br\s*\/?>/gi, '\n')
    .replaceAll(/<\/(p|div|li|h[1-6]|blockquote|pre|tr)>/gi, '\n')
    .replaceAll(/<[^>]*>/g, '')
    .replaceAll(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => decodeEntity(whole, name))
  return text.replace(/\n+$/, '')
}

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
    return Number.isInteger(code) && code >= 0 && code <= 0x10_ff_ff ? String.fromCodePoint(code) : whole
  }

  return ENTITIES[name] ?? whole
}

/** Each line one paragraph, with `&`, `<` and `>` escaped: the form Intercom gives a plain message. */
export function textToHtml(text: string): string {
  if (text === '') return ''
  return text
    .split('\n')
    .map((line) => `<p>${line.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</p>`)
    .join('')
}
