import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNames, buildActions } from '../../build.ts';

const out = mkdtempSync(join(tmpdir(), 'steward-bundles-'));
beforeAll(() => buildActions('.', out));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('committed action bundles', () => {
  it.each(actionNames())(
    'actions/%s/dist/index.mjs matches a fresh build (run `npm run build`)',
    (name) => {
      const fresh = readFileSync(join(out, 'actions', name, 'dist', 'index.mjs'), 'utf8');
      const committed = readFileSync(join('actions', name, 'dist', 'index.mjs'), 'utf8');
      // Comparing lengths first keeps a stale bundle's failure message short.
      expect(committed.length).toBe(fresh.length);
      expect(committed === fresh).toBe(true);
    },
  );

  it.each(actionNames())('actions/%s/action.yml runs the bundle on node24', (name) => {
    const manifest = readFileSync(join('actions', name, 'action.yml'), 'utf8');
    expect(manifest).toMatch(/using: node24/);
    expect(manifest).toMatch(/main: dist\/index\.mjs/);
  });
});
