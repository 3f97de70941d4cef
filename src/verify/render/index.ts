import {extname} from 'node:path'

import {ConvoshiftError, ExitCode} from '../../errors.js'
import {writeFileAtomic} from '../../io/output.js'
import {type VerifyReport} from '../../schemas/verify.js'
import {stableStringify} from '../../util/stable-json.js'
import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'

export {renderTerminal} from './terminal.js'

const RENDERERS: Record<string, (report: VerifyReport) => string> = {
  '.htm': renderHtml,
  '.html': renderHtml,
  '.json': (report) => JSON.stringify(JSON.parse(stableStringify(report)), null, 2) + '\n',
  '.md': renderMarkdown,
}

export function reportFormatOf(path: string): string {
  const extension = extname(path).toLowerCase()
  if (!RENDERERS[extension]) {
    throw new ConvoshiftError(`${path}: unknown report format "${extension}"; use .json, .md or .html`, {
      code: 'USAGE',
      exitCode: ExitCode.Usage,
    })
  }

  return extension
}

export async function writeReports(report: VerifyReport, paths: string[]): Promise<void> {
  for (const path of paths) await writeFileAtomic(path, RENDERERS[reportFormatOf(path)]!(report))
}
