import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FilePlacement } from '../../src/testgen/chain.ts';
import type { TestCandidate } from '../../src/testgen/types.ts';
import { MATH_TEST_TS, createFixture, type Fixture } from '../stryker/fixture.ts';

/**
 * The fixture project for the chain's edge: the mutation fixture (src/math.ts, whose
 * `age >= 18` on line 7 survives its tests) plus a module with a real bug and a tsconfig for the
 * tests. Candidates are inserted by appending (the real insertion is by AST, elsewhere).
 */
export const DISCOUNT_TS = `/** The price after \`percent\` percent off. */
export function percentOff(price: number, percent: number): number {
  return price - (price * percent) / 10;
}
`;

export const TEST_TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['**/*.ts'],
});

export function createChainFixture(): Fixture {
  return createFixture({
    files: { 'src/discount.ts': DISCOUNT_TS, 'test/tsconfig.json': TEST_TSCONFIG },
  });
}

export const TEST_PATH = 'test/math.test.ts';

/** The existing test file with the candidates' imports on top and their code at the end. */
export const appendPlacement: FilePlacement = {
  path: TEST_PATH,
  build(candidates: readonly TestCandidate[]): string {
    const imports = [...new Set(candidates.flatMap((c) => c.imports))];
    return [...imports, MATH_TEST_TS, ...candidates.map((c) => c.code)].join('\n');
  },
};

export function candidate(
  name: string,
  code: string,
  options: { imports?: string[]; target?: string; kind?: 'example' | 'property' } = {},
): TestCandidate {
  return {
    name,
    code,
    imports: options.imports ?? [],
    target: options.target ?? 'isAdult',
    kind: options.kind ?? 'example',
    origin: 'model',
  };
}

/** Every file of the checkout but node_modules, with its bytes: what "left as it was" compares. */
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (dir === root && name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path.slice(root.length + 1), readFileSync(path).toString('base64'));
    }
  };
  walk(root);
  return files;
}
