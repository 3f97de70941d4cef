import {z} from 'zod'

/**
 * The declarative mapping file format (mappings/*.json). One file per vendor record shape, read in both
 * directions. Published as schemas/mapping.schema.json so editors can autocomplete it.
 */
const Path = z.string().min(1).describe('Field path: a.b, a[0], a["odd.key"], a[].b')

const TransformRef = z.union([
  z.string().describe('Name of a transform in the registry (see mappings/README.md).'),
  z.strictObject({name: z.string(), options: z.record(z.string(), z.unknown()).optional()}),
])

/** Conditions on the array element a difference is in (or any element around it), on either side. */
const Where = z
  .record(z.string(), z.unknown())
  .describe(
    'Applies only to differences inside an array element (at any depth) whose source or target holds these neutral values, e.g. {"role": "bot"}.',
  )

/** Which differences a declaration covers: a value lost, added or changed (default: any). */
const Kind = z
  .enum(['lost', 'added', 'changed'])
  .describe(
    'Applies only to differences of this kind: `lost` for a field the target does not show at all, `changed` for one it shows otherwise.',
  )

/** A value computed from several paths of the side a rule reads (read-only, except `first`, which writes its first). */
const Expression = z
  .union([
    z.strictObject({first: z.array(Path).min(1)}).describe('The first of these paths that has a value.'),
    z.strictObject({all: z.array(Path).min(1)}).describe('The values of all these paths, concatenated into a list.'),
    z
      .strictObject({last: z.array(Path).min(1)})
      .describe('The last value found (a projection counts element by element).'),
    z
      .strictObject({earliest: z.array(Path).min(1)})
      .describe('The earliest time among these paths (ISO 8601 strings).'),
    z.strictObject({latest: z.array(Path).min(1)}).describe('The latest time among these paths (ISO 8601 strings).'),
    z
      .strictObject({join: z.array(Path).min(1), with: z.string().optional()})
      .describe('The non-empty strings among these paths joined with `with` (default a space).'),
    z.strictObject({count: Path}).describe('The number of elements at this path.'),
  ])
  .describe('An expression over paths of the side the rule reads; the rule must then have a direction.')
export type Expression = z.infer<typeof Expression>

/**
 * A condition: keys `vendor:<path>`, `neutral:<path>` (relative to the element; `$…` for the record) and `.` (the value
 * being written), and-ed; `any` or-s a list of conditions. A test is a value (equal), a list (one of; null = empty) or
 * an object of `not`, `exists`, `prefix`, `matches`, `type`, `min`, `max`, `integer`, `nonEmpty`, `every`.
 */
export const Condition = z
  .record(z.string(), z.unknown())
  .describe(
    'Apply the rule only when these hold: {"neutral:role": "customer", "vendor:outMsg": {"type": "string"}, ".": {"min": 1, "max": 5}}; {"any": [...]} for or.',
  )

export const MappingRule = z
  .strictObject({
    neutral: z
      .union([Path, Expression])
      .optional()
      .describe('Path in the neutral conversation (relative to the collection element), or an expression.'),
    vendor: z
      .union([Path, Expression])
      .optional()
      .describe('Path in the vendor record (relative to the collection element), or an expression.'),
    from: z
      .union([Path, Expression])
      .optional()
      .describe(
        'Derived value: read this path (or expression) of the record being written (after the rules and collections), `$` its root, e.g. "$.participants[id=@participantId].role" or {"count": "$.parts"}; fills the named field when empty.',
      ),
    overwrite: z.boolean().optional().describe('With `from`: replace a value already written (only where `if` holds).'),
    if: Condition.optional(),
    except: z
      .union([z.literal('mapped'), z.array(z.string())])
      .optional()
      .describe(
        'The vendor object without these keys ("mapped": every key another rule of this level reads there); written back under the keys rules wrote.',
      ),
    reverseOtherwise: z
      .unknown()
      .optional()
      .describe('Vendor value for a neutral value the map does not list (null: do not write).'),
    aliases: z
      .array(Path)
      .optional()
      .describe('Other vendor paths that hold the same field in some records (read when `vendor` is absent).'),
    transform: TransformRef.optional(),
    map: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Value map, vendor value → neutral value (applied after the transform). A key ending in * matches by prefix ("image/*"), vendor → neutral only; exact keys win.',
      ),
    reverseMap: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Extra neutral value → vendor value entries, for neutral values several vendor values map to.'),
    otherwise: z.unknown().optional().describe('Neutral value for a vendor value the map does not list.'),
    missing: z
      .array(z.unknown())
      .optional()
      .describe(
        'Vendor placeholders meaning "no value" ("undefined", -1, null); the first is written back when the neutral field is empty.',
      ),
    default: z.unknown().optional().describe('Neutral value used when the vendor field is empty.'),
    append: z
      .string()
      .optional()
      .describe(
        'Neutral → vendor only: the value goes after the string the vendor field already holds, after this separator (a line break, say), unless that string already contains it; an empty field is simply set.',
      ),
    const: z
      .unknown()
      .optional()
      .describe(
        'With only `neutral`: a constant neutral value. With only `vendor`: a constant written to the vendor record.',
      ),
    when: Path.optional().describe('Apply a neutral constant only when this neutral path has a value.'),
    tag: z
      .strictObject({prefix: z.string().default('')})
      .optional()
      .describe(
        'Append the vendor value to neutral `tags` as prefix+value; reversed by finding the prefix. A value in `missing` is no tag, and the first of `missing` is written back when no tag has the prefix.',
      ),
    direction: z.enum(['both', 'toNeutral', 'fromNeutral']).optional(),
    entries: z
      .strictObject({
        key: z.string().default('key'),
        value: z.string().default('value'),
        sort: z.boolean().optional().describe("Write the entries back sorted by key (else in the object's order)."),
        scalars: z
          .boolean()
          .optional()
          .describe('Only plain values (string, number, boolean) are entries; a structured value is left out.'),
      })
      .optional()
      .describe(
        'The vendor value is a list of {key, value} objects and the neutral value one object, e.g. customData [{"key": "plan", "value": "gold"}] ⇄ {"plan": "gold"}.',
      ),
    writeWhen: z
      .record(Path, z.array(z.unknown()).min(1))
      .optional()
      .describe(
        'Neutral → vendor only when each of these neutral paths (relative to the element) holds one of the listed values (null: the path is empty), e.g. {"csat.scale": [{"min": 1, "max": 5}]}. Otherwise the vendor field is not written: the value is carried, or counted as having no home.',
      ),
    note: z.string().optional().describe('Why this rule is the way it is (assumptions, vendor quirks).'),
  })
  .describe('One field rule, applied in both directions.')
export type MappingRule = z.infer<typeof MappingRule>

export const HookRefs = z
  .array(z.string())
  .describe(
    'Named code hooks (src/engine/hooks) for logic a declarative rule cannot express; each works in both directions.',
  )

const Route = z
  .union([
    z.strictObject({field: z.string(), values: z.array(z.unknown())}),
    z.strictObject({take: z.number().int().min(1)}),
    z.strictObject({skip: z.number().int().min(1)}),
    z.strictObject({if: Condition}),
  ])
  .describe(
    'Which neutral elements go back to this vendor array: those whose `field` holds one of `values`, the first `take`, those after the first `skip` (what a `take` collection leaves), or those meeting `if`.',
  )

export interface MappingCollection {
  collections?: MappingCollection[] | undefined
  hooks?: undefined | z.infer<typeof HookRefs>
  neutral: string
  note?: string | undefined
  route?: undefined | z.infer<typeof Route>
  rules: MappingRule[]
  vendor: string
  aliases?: string[] | undefined
  one?: boolean | undefined
  zip?: Record<string, string> | undefined
  distinct?: string | undefined
  if?: Record<string, unknown> | undefined
  when?: Record<string, unknown> | undefined
  missing?: undefined | unknown[]
  position?: 'first' | undefined
  omitEmpty?: boolean | undefined
  parse?: 'json-string' | undefined
  at?: string | undefined
  remainder?: 'enclosing' | undefined
  document?: Record<string, unknown> | undefined
  optional?: boolean | undefined
}

export const MappingCollection: z.ZodType<MappingCollection> = z.lazy(() =>
  z
    .strictObject({
      neutral: Path.describe('Neutral array this collection fills.'),
      vendor: Path.describe('Vendor array of objects (see `one`, `zip`, `distinct`, `parse` for other shapes).'),
      aliases: z.array(Path).optional().describe('Other keys some records use for the same array.'),
      route: Route.optional(),
      one: z
        .boolean()
        .optional()
        .describe(
          'The vendor path is one object ("$": the record itself): → one neutral element when a rule found a value; ← the first routed element.',
        ),
      zip: z
        .record(z.string(), Path)
        .optional()
        .describe(
          'Parallel arrays under the vendor path read as elements, e.g. {"id": "agent_id", "name": "agent_name"}; ← split back, one slot per element.',
        ),
      distinct: z
        .string()
        .optional()
        .describe(
          'The vendor path is a projection (messages[].sender): → one element per distinct value of this key (a plain value is the key itself); never written back. With `zip`: the first element per distinct value of this key, written back as zip.',
        ),
      if: Condition.optional().describe('Which elements are read (→, on the vendor element) or written (←).'),
      when: Condition.optional().describe(
        "A condition on the enclosing element (vendor:/neutral: keys, as in a rule's `if`): where it fails, the collection is neither read (→) nor written (←).",
      ),
      missing: z
        .array(z.unknown())
        .optional()
        .describe(
          'A plain array only: → no neutral list when the vendor has no elements (absent, or e.g. [] or null); ← the first value is written when no element goes back (none given: nothing is written).',
        ),
      position: z
        .literal('first')
        .optional()
        .describe('→ puts the elements before those of the collections listed earlier.'),
      omitEmpty: z
        .boolean()
        .optional()
        .describe(
          'No empty arrays: → the neutral array is made only when an element is read, ← the vendor array written only when an element goes back.',
        ),
      parse: z
        .literal('json-string')
        .optional()
        .describe('The vendor path holds a JSON string; the array is inside it.'),
      at: Path.optional().describe('With `parse`: where the array is inside the parsed JSON.'),
      remainder: z
        .literal('enclosing')
        .optional()
        .describe(
          "What an element's rules do not map is kept in the enclosing element's extension (by pointer where smaller: `/quick_replies/0/button_type`), not in the neutral element's own: the collection is not paired.",
        ),
      document: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          'With `parse`: the other fields of the JSON document written (←) around the array, before it, e.g. {"type": "quickReplies", "itemsPerRow": 8}.',
        ),
      optional: z
        .boolean()
        .optional()
        .describe(
          'No neutral array (→) when the vendor has none, and no vendor array (←) when the neutral has none; else both are [] when empty.',
        ),
      rules: z.array(MappingRule),
      collections: z.array(MappingCollection).optional(),
      hooks: HookRefs.optional(),
      note: z.string().optional(),
    })
    .describe('An array of vendor objects mapped element by element to a neutral array.'),
)

export const MappingFile = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    format: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .optional()
      .describe('Record shape name used on the command line (required unless the file extends another).'),
    vendor: z
      .string()
      .optional()
      .describe('Vendor this record shape belongs to (required unless the file extends another).'),
    extends: z.string().optional().describe('A built-in format (or mapping file path) whose rules this file extends.'),
    title: z.string().optional(),
    description: z.string().optional(),
    envelope: z
      .array(z.string())
      .optional()
      .describe('Keys under which the vendor API page holds its records, e.g. conversationHistoryRecords.'),
    require: z
      .record(z.string(), z.enum(['string', 'number', 'boolean', 'object', 'array', 'string|number']))
      .optional()
      .describe('Vendor paths a record must have (and their JSON types) to be accepted.'),
    identity: Path.optional().describe('Vendor path of the conversation id, used to name records in reports.'),
    rules: z.array(MappingRule).default([]),
    collections: z.array(MappingCollection).optional(),
    hooks: HookRefs.optional(),
    carry: z
      .strictObject({
        vendor: Path.describe(
          'Object path of the key that holds the carried document (e.g. variables.convoshift), or of the key/value list with `entry`.',
        ),
        entry: z
          .strictObject({
            key: z.string().default('key').describe('Member of a list element that holds its name.'),
            value: z.string().default('value').describe('Member of a list element that holds its value.'),
            name: z.string().describe('Name of the element that holds the carried document, e.g. convoshift.'),
          })
          .optional()
          .describe(
            'The free-form field is a list of {key, value} elements: the document is the value of the element with this name.',
          ),
        transform: TransformRef.optional().describe(
          'How the document is written there: json-string where the field holds strings.',
        ),
        note: z.string().optional(),
      })
      .optional()
      .describe(
        "The vendor's free-form field: what a conversation from another shape has no native field for is kept here as one JSON document, and restored when converting back.",
      ),
    unsupported: z
      .array(
        z.union([
          z.string(),
          z.strictObject({
            field: z.string(),
            where: Where.optional(),
            kind: Kind.optional(),
            note: z.string().optional(),
          }),
        ]),
      )
      .optional()
      .describe(
        'Neutral paths this record shape cannot hold; verify treats their loss as expected. An object entry gives the reason (`note`), and with `where` applies only to elements holding those values.',
      ),
    lossy: z
      .array(
        z.strictObject({
          field: z.string().describe('A neutral field pattern, e.g. participants[].role.'),
          where: Where.optional(),
          kind: Kind.optional(),
          note: z.string(),
        }),
      )
      .optional()
      .describe(
        'Neutral fields this shape holds only approximately (a value map that merges values, a coarser scale): verify classifies their differences as transformed, with the note.',
      ),
    assumptions: z.array(z.string()).optional().describe('Where the vendor documentation is silent: what we assumed.'),
  })
  .describe('A convoshift mapping file.')
export type MappingFileInput = z.infer<typeof MappingFile>

/** A mapping after `extends` is resolved: format and vendor are always known. */
export type MappingFile = MappingFileInput & {format: string; vendor: string}
