import { describe, expect, it } from 'vitest';
import type { FileHealthDelta } from '../../src/hotspots/health/delta.ts';
import { SmellKind } from '../../src/hotspots/types.ts';
import { healthFindings, severityForDrop } from '../../src/review/health-findings.ts';

const smell = (line: number) => ({
  kind: SmellKind.complexMethod,
  function: 'parse',
  line,
  detail: 'cyclomatic complexity 14 (threshold 10)',
});

function file(overrides: Partial<FileHealthDelta>): FileHealthDelta {
  return {
    path: 'src/a.ts',
    before: 9,
    after: 8.7,
    delta: -0.3,
    introduced: [],
    fixed: [],
    ...overrides,
  };
}

describe('healthFindings', () => {
  it('maps the health drop to a severity: ≥ 2 major, ≥ 0.5 minor, else info', () => {
    expect(severityForDrop(2)).toBe('major');
    expect(severityForDrop(1.9)).toBe('minor');
    expect(severityForDrop(0.5)).toBe('minor');
    expect(severityForDrop(0.4)).toBe('info');
  });

  it('turns each introduced smell into a finding on its line', () => {
    const findings = healthFindings([file({ before: 9, after: 6.5, introduced: [smell(12)] })], {
      healthFloor: 4,
    });
    expect(findings).toEqual([
      {
        path: 'src/a.ts',
        line: 12,
        severity: 'major',
        category: 'maintainability',
        title: 'Complex Method in parse',
        body: expect.stringContaining('cyclomatic complexity 14 (threshold 10)'),
        source: 'health',
      },
    ]);
    expect(findings[0]!.body).toContain('health 9.0 → 6.5');
  });

  it('puts smells that share a line into one finding, since a line carries one comment', () => {
    const nested = { ...smell(12), kind: SmellKind.deepNesting, detail: 'nesting depth 4' };
    const findings = healthFindings(
      [file({ before: 9, after: 8, introduced: [smell(12), nested] })],
      {
        healthFloor: 4,
      },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      title: 'Complex Method, Deep Nesting in parse',
      severity: 'minor',
    });
    expect(findings[0]!.body).toContain('nesting depth 4');
  });

  it('makes a file that falls below the floor major, and says so once', () => {
    const findings = healthFindings(
      [file({ before: 4.2, after: 3.9, introduced: [smell(3), smell(20)] })],
      { healthFloor: 4 },
    );
    expect(findings.map((f) => f.severity)).toEqual(['major', 'major']);
    expect(findings[0]!.body).toContain('below the floor of 4');
    expect(findings[1]!.body).not.toContain('below the floor');
  });

  it('gives a floor finding of its own on line 1 when no smell was introduced', () => {
    const [finding] = healthFindings([file({ before: 5, after: 3 })], { healthFloor: 4 });
    expect(finding).toMatchObject({ line: 1, severity: 'major', title: 'Code health below 4' });
  });

  it('says nothing of clean, deleted, or already-unhealthy unchanged files', () => {
    expect(
      healthFindings(
        [
          file({}),
          file({ path: 'gone.ts', after: null, delta: null }),
          file({ path: 'bad.ts', before: 3, after: 3, delta: 0 }),
        ],
        { healthFloor: 4 },
      ),
    ).toEqual([]);
  });
});
