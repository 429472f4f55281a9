import { describe, expect, it } from 'vitest';
import { frameworkOfCommand } from '../../src/testgen/framework.ts';

describe('frameworkOfCommand', () => {
  it.each([
    ['npx vitest run', 'vitest'],
    ['vitest', 'vitest'],
    ['./node_modules/.bin/vitest run --config vitest.unit.ts', 'vitest'],
    ['pnpm exec jest --ci', 'jest'],
    ['node --test test/', 'node:test'],
    ['node --experimental-strip-types --test', 'node:test'],
    ['npm test', null],
    ['make check', null],
    ['npx vitest-preview', null],
    ['echo jest-like', null],
    [null, null],
  ] as const)('%s runs %s', (command, expected) => {
    expect(frameworkOfCommand(command)).toBe(expected);
  });
});
