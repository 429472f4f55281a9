import { describe, expect, it } from 'vitest';
import { applyProposal } from '../../src/refactor/apply.ts';
import { compareHealth } from '../../src/refactor/health-proof.ts';
import { defaultThresholds } from '../../src/health/thresholds.ts';
import { proposal, target } from './apply-fixtures.ts';

/**
 * A function as found in real code (a config loader's merge of layered settings): four levels of
 * loops and ifs and a condition with three operators.
 */
const NESTED = `import type { Layer } from './layers.ts';

export interface Merged {
  values: Map<string, string>;
  sources: Map<string, string>;
  warnings: string[];
}

/** Merges the layers in order: a later layer wins, unless the earlier value is locked. */
export function mergeLayers(layers: readonly Layer[], locked: ReadonlySet<string>): Merged {
  const merged: Merged = { values: new Map(), sources: new Map(), warnings: [] };
  for (const layer of layers) {
    if (layer.enabled) {
      for (const [key, value] of Object.entries(layer.values)) {
        if (merged.values.has(key)) {
          if (locked.has(key) && layer.name !== 'cli' && value !== merged.values.get(key) && !layer.force) {
            merged.warnings.push(\`\${key}: locked by \${merged.sources.get(key)}, \${layer.name} ignored\`);
            continue;
          }
        }
        merged.values.set(key, value);
        merged.sources.set(key, layer.name);
      }
    } else {
      if (layer.required) {
        if (layers.length > 1) {
          merged.warnings.push(\`\${layer.name}: required but disabled\`);
        }
      }
    }
  }
  return merged;
}

export function describeLayer(layer: Layer): string {
  return \`\${layer.name} (\${Object.keys(layer.values).length} values)\`;
}
`;

const FLAT = `export function mergeLayers(layers: readonly Layer[], locked: ReadonlySet<string>): Merged {
  const merged: Merged = { values: new Map(), sources: new Map(), warnings: [] };
  for (const layer of layers) {
    if (layer.enabled) mergeValues(merged, layer, locked);
    else if (layer.required && layers.length > 1) merged.warnings.push(\`\${layer.name}: required but disabled\`);
  }
  return merged;
}`;

const MERGE_VALUES = `function mergeValues(merged: Merged, layer: Layer, locked: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(layer.values)) {
    if (isKeptLocked(merged, layer, locked, [key, value])) {
      merged.warnings.push(\`\${key}: locked by \${merged.sources.get(key)}, \${layer.name} ignored\`);
      continue;
    }
    merged.values.set(key, value);
    merged.sources.set(key, layer.name);
  }
}`;

const IS_KEPT_LOCKED = `function isKeptLocked(merged: Merged, layer: Layer, locked: ReadonlySet<string>, [key, value]: [string, string]): boolean {
  if (!merged.values.has(key) || !locked.has(key)) return false;
  if (layer.name === 'cli' || layer.force) return false;
  return value !== merged.values.get(key);
}`;

const MERGE = { ...target('mergeLayers', 11), path: 'src/layers-merge.ts' };

function refactored(code: string, helpers: string[]): string {
  const result = applyProposal(NESTED, MERGE, {
    ...proposal('mergeLayers', code, helpers),
    path: MERGE.path,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.text;
}

describe('compareHealth', () => {
  it('passes a deeply nested function made flat: health rises, cognitive complexity falls', () => {
    const after = refactored(FLAT, [MERGE_VALUES, IS_KEPT_LOCKED]);
    const proof = compareHealth(MERGE.path, NESTED, after, MERGE, defaultThresholds(), 0.5);
    expect(proof.ok).toBe(true);
    const { before, after: now } = proof.comparison;
    expect(before.smells.map((s) => s.kind).sort()).toEqual([
      'Complex Conditional',
      'Complex Method',
      'Deep Nesting',
      'Overall Complexity',
    ]);
    expect(before.nesting).toBe(5);
    expect(now.smells).toEqual([]);
    expect(now.fileHealth - before.fileHealth).toBeGreaterThanOrEqual(0.5);
    expect(now.fileHealth).toBe(10);
    expect(now.cognitive).toBeLessThan(before.cognitive);
    expect(now.nesting).toBe(2);
    expect(proof.detail).toBe(
      `health ${before.fileHealth.toFixed(1)} → 10.0, cognitive complexity ${before.cognitive} → ${now.cognitive}, no new smell`,
    );
  });

  it('refuses a change that adds nesting: health falls and the function is more complex', () => {
    const deeper = NESTED.replace(
      '          merged.warnings.push(`${layer.name}: required but disabled`);',
      "          if (layer.name !== '') {\n            for (const key of Object.keys(layer.values)) {\n              if (key !== '') merged.warnings.push(`${layer.name}: required but disabled`);\n            }\n          }",
    );
    expect(deeper).not.toBe(NESTED);
    const proof = compareHealth(MERGE.path, NESTED, deeper, MERGE, defaultThresholds(), 0.5);
    expect(proof.ok).toBe(false);
    expect(proof.comparison.after.fileHealth).toBeLessThan(proof.comparison.before.fileHealth);
    expect(proof.comparison.after.nesting).toBeGreaterThan(proof.comparison.before.nesting);
    expect(proof.detail).toMatch(/health fell by \d\.\d, under the 0\.5 asked for/);
    expect(proof.detail).toMatch(/cognitive complexity did not fall/);
  });

  it('refuses moving the nesting into a helper: the helper smell is new', () => {
    const helper = `function mergeValues(merged: Merged, layer: Layer, locked: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(layer.values)) {
    if (merged.values.has(key)) {
      if (locked.has(key)) {
        if (layer.name !== 'cli') {
          if (value !== merged.values.get(key) && !layer.force) {
            merged.warnings.push(\`\${key}: locked\`);
            continue;
          }
        }
      }
    }
    merged.values.set(key, value);
    merged.sources.set(key, layer.name);
  }
}`;
    const after = refactored(FLAT, [helper]);
    const proof = compareHealth(MERGE.path, NESTED, after, MERGE, defaultThresholds(), 0);
    expect(proof.ok).toBe(false);
    expect(proof.detail).toMatch(/new smells?: .*Deep Nesting in mergeValues/);
    expect(proof.comparison.after.smells.some((s) => s.function === 'mergeValues')).toBe(true);
  });

  it('refuses a gain under min-health-gain', () => {
    const after = refactored(FLAT, [MERGE_VALUES, IS_KEPT_LOCKED]);
    const proof = compareHealth(MERGE.path, NESTED, after, MERGE, defaultThresholds(), 9);
    expect(proof.ok).toBe(false);
    expect(proof.detail).toMatch(/health rose by \d\.\d, under the 9\.0 asked for/);
  });

  it('refuses a refactored file that does not parse or has lost the function', () => {
    const broken = compareHealth(MERGE.path, NESTED, `${NESTED}\n}`, MERGE, defaultThresholds(), 0);
    expect(broken.ok).toBe(false);
    expect(broken.detail).toMatch(/does not parse/);
    const gone = NESTED.replace('function mergeLayers', 'function mergeAll');
    const lost = compareHealth(MERGE.path, NESTED, gone, MERGE, defaultThresholds(), 0);
    expect(lost.ok).toBe(false);
    expect(lost.detail).toMatch(/no function mergeLayers in the refactored file/);
  });
});
