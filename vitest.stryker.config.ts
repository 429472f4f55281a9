import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The test suite Stryker runs against mutants of src/ (stryker.conf.json): the suite of
 * vitest.config.ts without the tests that exercise code Stryker's mutants never reach. Stryker
 * switches a mutant on inside the test process, so a test that runs Steward in a child process
 * (the bundled actions, the CLI and app started with `node`, npm pack) or builds bundles with
 * esbuild sees the original code: it cannot kill a mutant and only lengthens the dry run. The
 * tests that run a real Stryker would start Stryker inside Stryker's sandbox.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        'test/e2e/**', // the bundled actions in a child process
        'test/build/**', // esbuild bundles, npm install of the app image
        'test/stryker/**', // a real Stryker run each
        'test/cli/mutate.test.ts', // a real Stryker run each
        'test/cli/main.test.ts', // the CLI in a child process
        'test/cli/readme-main-job.test.ts', // the CLI in a child process
        'test/cli/package.test.ts', // npm pack and the packed CLI
        'test/app/server.test.ts', // the app in a child process
        'test/app/floods.test.ts', // the app in a child process
        'test/app/redis.test.ts', // the app in child processes and a redis-server
        'test/renovate/preset.test.ts', // renovate's validator in a child process
        '**/*.browser.test.ts', // a real browser
      ],
    },
  }),
);
