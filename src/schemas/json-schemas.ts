import {z} from 'zod'

import {mappingJsonSchema} from '../engine/mapping-json-schema.js'
import {ArchiveCreateResult, ArchiveExportResult, ArchiveVerifyResult} from './archive.js'
import {ExportResult} from './export.js'
import {NeutralConversation} from './neutral.js'
import {MigrateResult, projectJsonSchema} from './project.js'
import {ConvertResult, MappingCheckResult} from './results.js'
import {VerifyReport, VerifySummary} from './verify.js'

/** Every published JSON Schema, by file name under schemas/. Generated from the zod models. */
export function jsonSchemas(): Record<string, unknown> {
  const draft = {target: 'draft-2020-12'} as const
  return {
    'archive-create-result.schema.json': z.toJSONSchema(ArchiveCreateResult, draft),
    'archive-export-result.schema.json': z.toJSONSchema(ArchiveExportResult, draft),
    'archive-verify-result.schema.json': z.toJSONSchema(ArchiveVerifyResult, draft),
    'convert-result.schema.json': z.toJSONSchema(ConvertResult, draft),
    'export-result.schema.json': z.toJSONSchema(ExportResult, draft),
    'mapping.schema.json': mappingJsonSchema(),
    'mapping-check-result.schema.json': z.toJSONSchema(MappingCheckResult, draft),
    'migrate-result.schema.json': z.toJSONSchema(MigrateResult, draft),
    'neutral.schema.json': z.toJSONSchema(NeutralConversation, draft),
    'project.schema.json': projectJsonSchema(),
    'verify-report.schema.json': z.toJSONSchema(VerifyReport, draft),
    'verify-summary.schema.json': z.toJSONSchema(VerifySummary, draft),
  }
}

export function renderSchema(schema: unknown): string {
  return JSON.stringify(schema, null, 2) + '\n'
}
