import { fc } from '@fast-check/vitest';

/**
 * Under Stryker, property tests need a fixed seed: @fast-check/vitest puts the seed in each test's
 * name, and Stryker reruns tests by the names of its first run, so random seeds would silently
 * skip every property test against mutants. Plain `vitest run` keeps random seeds.
 */
if ('__stryker__' in globalThis) fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 42) });
