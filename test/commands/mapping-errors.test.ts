import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode} from '../../src/errors.js'
import {FIXTURES} from '../helpers/liveperson.js'
import {useTempDir} from '../helpers/tmp.js'

const PAGE = join(FIXTURES, 'liveperson', 'msgint-page.json')

/** A user mapping extending LivePerson, one rule per line so each case knows its line and column. */
function userMapping(lines: string[]): string {
  return ['{', '  "extends": "liveperson",', '  "version": 1,', ...lines, '}', ''].join('\n')
}

const CASES: Array<{file: string; name: string; text: string; wanted: string}> = [
  {
    file: 'broken.json',
    name: 'invalid JSON, with the line and column of the fault',
    text: userMapping(['  "rules": [', '    {"neutral": "externalId", "vendor": "info.x"}', '  ]', '  "note": "x"']),
    wanted: 'broken.json:7:3: not valid JSON: ',
  },
  {
    file: 'transform.json',
    name: 'an unknown transform, in the rule numbering of the user file',
    text: userMapping([
      '  "rules": [',
      '    {"neutral": "externalId", "vendor": "campaign.campaignEngagementId"},',
      '    {"neutral": "startedAt", "vendor": "info.startTimeL", "transform": "epoch-sec"}',
      '  ]',
    ]),
    wanted: 'transform.json:6:72: rule 2: unknown transform "epoch-sec" (did you mean epoch-s?)',
  },
  {
    file: 'neutral.json',
    name: 'a neutral path the model lacks (found when compiling the merged mapping)',
    text: userMapping(['  "rules": [', '    {"neutral": "startedAtt", "vendor": "info.x"}', '  ]']),
    wanted: 'neutral.json:5:17: rule 1: neutral path startedAtt: "startedAtt" is not a field of the neutral model here',
  },
  {
    file: 'collection.json',
    name: 'a collection rule, named by its collection',
    text: userMapping([
      '  "collections": [{"vendor": "messageRecords", "neutral": "messages", "rules": [',
      '    {"neutral": "text", "vendor": "messageData.msg.text"},',
      '    {"neutral": "txet", "vendor": "messageData.msg.text"}',
      '  ]}]',
    ]),
    wanted: 'collection.json:6:17: collection "messageRecords" rule 2: neutral path txet',
  },
  {
    file: 'key.json',
    name: 'an unknown key, with the key it resembles',
    text: userMapping(['  "rules": [', '    {"nuetral": "externalId", "vendor": "info.x"}', '  ]']),
    wanted: 'key.json:5:6: rule 1: unknown key "nuetral" (did you mean "neutral"?)',
  },
  {
    file: 'hook.json',
    name: 'an unknown hook, with the closest name',
    // ada.topics is one of the hooks that stay code (mappings/README.md says why).
    text: userMapping(['  "hooks": ["ada.topic"]']),
    wanted: 'hook.json:4:13: "hooks": unknown hook "ada.topic" (did you mean ada.topics?)',
  },
  {
    file: 'extends.json',
    name: 'a bad extends, with the file it was resolved from',
    text: '{\n  "extends": "livepersn",\n  "version": 1\n}\n',
    wanted: 'extends.json:2:14: "extends": no built-in shape "livepersn" (did you mean liveperson?), resolved from ',
  },
]

describe('mapping errors', () => {
  const tmp = useTempDir('each')

  for (const {file, name, text, wanted} of CASES) {
    it(`convert --mapping reports ${name} on one line, exit 5`, async () => {
      const path = join(tmp.dir, file)
      await writeFile(path, text)
      const {error, stderr} = await runCommand(
        `convert --from liveperson --to neutral --input ${PAGE} --dry-run --mapping ${path}`,
      )
      expect(error?.oclif?.exit).to.equal(ExitCode.InvalidMapping)
      const lines = stderr.split('\n').filter((line) => line.startsWith('Error: '))
      expect(lines, stderr).to.have.length(1)
      expect(lines[0]!.slice('Error: '.length).replace(tmp.dir + '/', '')).to.contain(wanted)
      expect(stderr).not.to.match(/liveperson rule|\n\s+at |ZodError/)
    })
  }
})
