import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'src/**/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'vitest.soak.config.ts', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a derived union.' },
      ],
    },
  },
  {
    // The domain core stays pure: no I/O, no framework, no database.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'crypto'],
              message: 'core/ is pure: no I/O.',
            },
            {
              group: ['kysely', 'fastify', '@fastify/*', 'pg', 'better-sqlite3', 'pino', 'nodemailer'],
              message: 'core/ must not depend on frameworks or drivers.',
            },
            {
              group: [
                '../../app/*',
                '../../storage/*',
                '../../http/*',
                '../../adapters/*',
                '../../jobs/*',
                '../../cli/*',
                '../app/*',
                '../storage/*',
                '../http/*',
                '../adapters/*',
                '../jobs/*',
                '../cli/*',
              ],
              message: 'core/ imports nothing outside core/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts', 'src/http/**/*.ts', 'src/adapters/**/*.ts', 'src/jobs/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['kysely', 'better-sqlite3', 'pg'], message: 'Only storage/ talks to the database.' }] },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Scripts the browser runs (tracking page, dashboard): plain ES2017, browser globals.
    files: ['src/web/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
);
