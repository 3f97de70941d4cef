// The rules of oclif's preset (eslint-config-oclif 6: @eslint/js, typescript-eslint, xo-space, mocha, n, unicorn,
// perfectionist, jsdoc), composed here without its eslint-plugin-import layer. That layer pulled in
// eslint-import-resolver-typescript and unrs-resolver with prebuilt binaries for 21 platforms, whose lockfile entries
// broke `npm ci` on a clean machine. What it checked is covered by tsc (unresolved modules, missing named and default
// exports) and by the core rule no-duplicate-imports. Formatting is prettier's (`npm run lint` checks both).
import {includeIgnoreFile} from '@eslint/compat'
import eslint from '@eslint/js'
import prettier from 'eslint-config-prettier'
import xo from 'eslint-config-xo/space'
import jsdoc from 'eslint-plugin-jsdoc'
import mocha from 'eslint-plugin-mocha'
import nodePlugin from 'eslint-plugin-n'
import perfectionist from 'eslint-plugin-perfectionist'
import unicorn from 'eslint-plugin-unicorn'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import tseslint from 'typescript-eslint'

const gitignorePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.gitignore')

/** oclif's own adjustments to the presets above (eslint-config-oclif 6.0.179, index.js), minus the import plugin's. */
const oclifRules = {
  '@stylistic/comma-dangle': ['error', 'always-multiline'],
  '@stylistic/curly-newline': ['off'],
  '@stylistic/indent': ['error', 2, {MemberExpression: 0, SwitchCase: 0}],
  '@stylistic/no-multi-spaces': 0,
  '@stylistic/quotes': ['error', 'single', {avoidEscape: true}],
  '@stylistic/semi': 0,
  '@typescript-eslint/no-dupe-class-members': 'error',
  '@typescript-eslint/no-redeclare': 'off',
  '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
  '@typescript-eslint/no-useless-constructor': 'error',
  '@typescript-eslint/no-var-requires': 'off',
  'capitalized-comments': 0,
  curly: 0,
  'default-case': 0,
  'jsdoc/require-jsdoc': 'off',
  'jsdoc/require-param': 'off',
  'jsdoc/require-param-type': 'off',
  'jsdoc/require-returns': 'off',
  'jsdoc/require-returns-type': 'off',
  'jsdoc/tag-lines': 'off',
  'logical-assignment-operators': 'off',
  'mocha/no-async-describe': 'off',
  'mocha/no-identical-title': 'off',
  'mocha/no-mocha-arrows': 'off',
  'mocha/no-setup-in-describe': 'off',
  'n/hashbang': 0,
  'n/no-missing-import': 'off',
  'n/no-unsupported-features/es-syntax': 'off',
  'no-dupe-class-members': 'off',
  'no-redeclare': 'off',
  'no-unused-expressions': 'off',
  'no-unused-vars': 'off',
  'no-useless-constructor': 'off',
  'perfectionist/sort-classes': [
    'error',
    {
      groups: [
        'index-signature',
        'static-property',
        'property',
        'private-property',
        'constructor',
        'static-method',
        'static-private-method',
        ['get-method', 'set-method'],
        'method',
        'private-method',
        'unknown',
      ],
      order: 'asc',
      type: 'alphabetical',
    },
  ],
  'perfectionist/sort-modules': 'off',
  'unicorn/import-style': ['error', {styles: {'node:path': {named: true}}}],
  'unicorn/no-await-expression-member': 'off',
  'unicorn/no-null': 'off',
  'unicorn/prefer-module': 'warn',
  'unicorn/prevent-abbreviations': 'off',
}

export default tseslint.config(
  includeIgnoreFile(gitignorePath),
  eslint.configs.recommended,
  tseslint.configs.recommended,
  ...xo,
  mocha.configs.flat.recommended,
  nodePlugin.configs['flat/recommended'],
  unicorn.configs['flat/recommended'],
  perfectionist.configs['recommended-natural'],
  jsdoc.configs['flat/recommended'],
  {
    languageOptions: {globals: {describe: true, it: true, NodeJS: true}},
    rules: {
      ...oclifRules,
      // In place of import/no-duplicates; a type-only import beside a value import of one module stays allowed.
      'no-duplicate-imports': ['error', {allowSeparateTypeImports: true}],
    },
  },
  prettier,
  {
    rules: {
      // Mapping code walks untyped vendor JSON; explicit any-free unknown handling is enforced by tsc instead.
      'no-await-in-loop': 'off',
      'perfectionist/sort-objects': 'off',
      'perfectionist/sort-object-types': 'off',
      'perfectionist/sort-interfaces': 'off',
      'perfectionist/sort-classes': 'off',
      'unicorn/no-array-reduce': 'off',
      'unicorn/prefer-string-replace-all': 'off',
      'max-depth': 'off',
      complexity: 'off',
      'no-new-func': 'off',
      'unicorn/no-new-array': 'off',
      'n/no-unsupported-features/node-builtins': 'off',
    },
  },
  {
    files: ['src/**', 'bin/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              allowTypeImports: true,
              message:
                "Import its parts ('@oclif/core/flags', '/command', …): the index costs every start (base-command.ts).",
              name: '@oclif/core',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'mocha/no-setup-in-describe': 'off',
      'mocha/max-top-level-suites': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'n/no-process-exit': 'off',
      'unicorn/no-process-exit': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {globals: {module: 'writable', process: 'readonly', require: 'readonly'}, sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // Helpers register hooks for the suites that call them.
    files: ['test/helpers/**'],
    rules: {'mocha/no-exports': 'off', 'mocha/no-top-level-hooks': 'off'},
  },
)
