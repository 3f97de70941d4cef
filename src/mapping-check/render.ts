import {type MappingCheckResult} from './index.js'

/**
 * The human summary of `mapping check`: what was loaded, each rule with what it matched in the sample (never-matched
 * rules first, with the sample's nearest paths), and the coverage with the top unmapped vendor paths.
 */
export function renderMappingCheck(result: MappingCheckResult): string {
  const [file, ...bases] = result.chain
  const own = result.rules.filter((rule) => !rule.rule.startsWith('base '))
  const extending = bases.length > 0 ? ` (extends ${bases.join(' → ')})` : ''
  const lines = [`${file}${extending}: ${own.length} rule${own.length === 1 ? '' : 's'}, valid`]
  const {sample} = result
  if (!sample) return lines.join('\n')
  lines.push(
    `sample ${sample.input}: ${sample.records} record${sample.records === 1 ? '' : 's'}${sample.rejected > 0 ? `, ${sample.rejected} rejected (not counted)` : ''}`,
  )
  // Aligned for the short labels of a user's top-level rules; a long collection label just pushes its line.
  const width = Math.min(24, Math.max(...result.rules.map((rule) => rule.rule.length)))
  for (const rule of result.rules) {
    const head = `  ${rule.rule.padEnd(width)}  ${rule.does}`
    if (rule.matched === null) lines.push(`${head}  (neutral → vendor only: not read from a sample)`)
    else if (rule.matched === 0)
      lines.push(`${head}  never matched${rule.hint ? `\n${' '.repeat(width + 4)}(${rule.hint})` : ''}`)
    else lines.push(`${head}  ${rule.matched} of ${rule.of} ${rule.per}s`)
  }

  lines.push(
    `coverage: ${sample.mapped}% mapped, ${sample.unmapped}% in extensions (unmapped), ${sample.original}% kept as original (${sample.leaves} leaf values)`,
  )
  if (sample.topUnmapped.length > 0) {
    lines.push(`  top unmapped: ${sample.topUnmapped.map(({count, path}) => `${path} (${count})`).join(', ')}`)
  }

  return lines.join('\n')
}
