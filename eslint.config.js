// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'actions/*/dist/**',
      'app/dist/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The core takes plain data: no Octokit, no process.env, no @actions/* (ARCHITECTURE.md).
    files: [
      'src/commands/**',
      'src/automerge/**',
      'src/config/**',
      'src/settings/**',
      'src/hotspots/**',
      'src/review/**',
      'src/diff/**',
      'src/markdown/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@actions/*', '@octokit/*', 'node:child_process'] },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env' }],
    },
  },
  {
    // Capabilities declare their own settings (src/<capability>/settings.ts) and get them passed
    // in; src/config composes them and sits above the capabilities, never below (ARCHITECTURE.md).
    files: [
      'src/automerge/**',
      'src/hotspots/**',
      'src/review/**',
      'src/diff/**',
      'src/settings/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*', '@octokit/*', 'node:child_process'] },
            {
              regex: '(^|/)config/',
              message:
                'A capability does not import src/config: declare settings in its own settings.ts and take them as a parameter.',
            },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env' }],
    },
  },
);
