// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** What a core folder (src/<capability>, and the port types in src/revision) never imports. */
const BELOW_THE_CORE = [
  {
    path: 'src/git',
    why: 'it is the git edge: take a RevisionReader (src/revision/reader.ts) as a parameter, and let the face open it with openGitRevisionReader',
  },
  {
    path: 'src/stryker',
    why: 'it is the Stryker edge: take a MutationRunner (src/mutation/runner.ts) as a parameter, and let the face build it with createStrykerRunner',
  },
  {
    path: 'src/prettier',
    why: 'it is the prettier edge (it runs the repository’s prettier): take a TestFileFormatter (src/testgen/formatter.ts) as a parameter, and let the face build it with createPrettierFormatter',
  },
  {
    path: 'src/testrun',
    why: 'it is the test-run edge: take a TestRunPort (src/testgen/test-runner.ts) as a parameter, and let the face build it with createTestRunPort',
  },
  {
    path: 'src/config',
    why: 'declare settings in the capability’s own settings.ts and take them as a parameter',
  },
  { path: 'src/cli', why: 'it is a face: the CLI calls the core, never the other way round' },
  { path: 'actions', why: 'it is a face: an action calls the core, never the other way round' },
  { path: 'app', why: 'it is a face: the app calls the core, never the other way round' },
];

/** Code health sits below the capabilities that use it: it never reaches up into them. */
const ABOVE_HEALTH = ['src/hotspots', 'src/review'].map((path) => ({
  path,
  why: 'code health is used by review, hotspots and the capabilities to come, and uses none of them; move what both need into src/health',
}));

/**
 * steward/core-imports: resolves every relative import, export-from and import() of a core file
 * and reports one that lands in an edge implementation, src/config or a face (ARCHITECTURE.md,
 * "ports, not imports").
 */
const stewardPlugin = {
  rules: {
    'core-imports': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          forbidden:
            '{{from}} must not import {{target}}: {{why}} (ARCHITECTURE.md, ports, not imports).',
        },
      },
      create(context) {
        const from = relative(ROOT, context.filename).split('\\').join('/');
        const check = (source) => {
          if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
          if (!source.value.startsWith('.')) return;
          const target = relative(ROOT, resolve(dirname(context.filename), source.value))
            .split('\\')
            .join('/');
          const within = (path) => target === path || target.startsWith(`${path}/`);
          const layer =
            BELOW_THE_CORE.find(({ path }) => within(path)) ??
            (from.startsWith('src/health/')
              ? ABOVE_HEALTH.find(({ path }) => within(path))
              : undefined);
          if (layer) {
            context.report({
              node: source,
              messageId: 'forbidden',
              data: { from, target: layer.path, why: layer.why },
            });
          }
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
        };
      },
    },
  },
};

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
    files: ['eslint.config.js', 'vitest.config.ts', 'vitest.stryker.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The core takes plain data: no Octokit, no process.env, no @actions/* (ARCHITECTURE.md).
    files: [
      'src/anomaly/**',
      'src/commands/**',
      'src/automerge/**',
      'src/chaos/**',
      'src/config/**',
      'src/settings/**',
      'src/health/**',
      'src/hotspots/**',
      'src/mutation/**',
      'src/review/**',
      'src/diff/**',
      'src/markdown/**',
      'src/mutation/**',
      'src/revision/**',
      'src/testgen/**',
      'src/refactor/**',
      'src/incidents/**',
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
    // in; they get git and GitHub as ports; src/config, the edges' implementations and the faces
    // sit above them, never below (ARCHITECTURE.md).
    files: [
      'src/anomaly/**',
      'src/automerge/**',
      'src/chaos/**',
      'src/commands/**',
      'src/diff/**',
      'src/health/**',
      'src/hotspots/**',
      'src/markdown/**',
      'src/mutation/**',
      'src/review/**',
      'src/settings/**',
      'src/revision/**',
      'src/testgen/**',
      'src/refactor/**',
      'src/incidents/**',
    ],
    plugins: { steward: stewardPlugin },
    rules: { 'steward/core-imports': 'error' },
  },
);
