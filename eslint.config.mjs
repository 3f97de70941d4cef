import {includeIgnoreFile} from '@eslint/compat'
import oclif from 'eslint-config-oclif'
import prettier from 'eslint-config-prettier'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const gitignorePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.gitignore')

export default [
  includeIgnoreFile(gitignorePath),
  ...oclif,
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
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'mocha/no-setup-in-describe': 'off',
      // fast-check is used as `fc.*`, its documented style.
      'import/no-named-as-default-member': 'off',
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
]
