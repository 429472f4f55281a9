import { describe, expect, it } from 'vitest';
import type { FileHealthDelta } from '../../src/health/delta.ts';
import { SmellKind } from '../../src/health/types.ts';
import type { DeltaSmell } from '../../src/health/delta.ts';
import { gradeSmells, healthFindings, smellMagnitude } from '../../src/review/health-findings.ts';

const smell = (line: number, measured = 14): DeltaSmell => ({
  kind: SmellKind.complexMethod,
  function: 'parse',
  line,
  detail: `cyclomatic complexity ${measured} (threshold 9)`,
  measured,
  bound: 9,
});

const conditional = (line: number, operators: number): DeltaSmell => ({
  kind: SmellKind.complexConditional,
  function: 'check',
  line,
  detail: `${operators} logical operators in one condition (threshold 2)`,
  measured: operators,
  bound: 2,
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
  it('weighs a smell by how far past its bound it is and how much its kind weighs', () => {
    expect(smellMagnitude(smell(1, 9))).toBe(1);
    expect(smellMagnitude(smell(1, 18))).toBe(2);
    expect(smellMagnitude(conditional(1, 2))).toBe(0.5);
    const bare = { kind: SmellKind.complexMethod, function: 'f', line: 1, detail: 'old shape' };
    expect(smellMagnitude(bare)).toBe(1);
  });

  it('grades by the smell: twice its bound major, a quarter past minor, at its bound info', () => {
    const grade = (s: DeltaSmell) => gradeSmells([s], { delta: -0.4 }).severity;
    expect(grade(smell(1, 18))).toBe('major');
    expect(grade(smell(1, 17))).toBe('minor');
    expect(grade(smell(1, 12))).toBe('minor');
    expect(grade(smell(1, 11))).toBe('info');
    expect(grade(smell(1, 9))).toBe('info');
    expect(grade(conditional(1, 8))).toBe('major');
    expect(grade(conditional(1, 3))).toBe('info');
  });

  it('puts the worst news loudest: complexity 40 in the worst file above a && b || c in a new one', () => {
    // The worst file in the repository is at health 1.0 already: its drop is 0.
    const [worst] = healthFindings(
      [
        file({
          path: 'src/worst.ts',
          before: 1,
          after: 1,
          delta: 0,
          introduced: [smell(40, 40)],
          hotspot: { rank: 1, of: 120 },
        }),
      ],
      { healthFloor: 4 },
    );
    const [small] = healthFindings(
      [
        file({
          path: 'src/new.ts',
          before: null,
          after: 9.5,
          delta: null,
          introduced: [conditional(3, 2)],
        }),
      ],
      { healthFloor: 4 },
    );
    expect(worst!.severity).toBe('major');
    expect(small!.severity).toBe('info');
    expect(worst!.body).toContain('4.4× its bound');
    expect(worst!.body).toContain('hotspot #1 of 120');
    expect(small!.body).toContain(
      'Severity info: Complex Conditional at 1.0× its bound × 0.5 for its kind = 0.5 (info on its own).',
    );
  });

  it('raises a finding in a top hotspot one level, and lowers one in a file the change improves', () => {
    const at = (overrides: Partial<FileHealthDelta>) =>
      gradeSmells([smell(1, 12)], { delta: -0.5, ...overrides }).severity;
    expect(at({})).toBe('minor');
    expect(at({ hotspot: { rank: 3, of: 30 } })).toBe('major');
    expect(at({ hotspot: { rank: 4, of: 30 } })).toBe('minor');
    expect(at({ hotspot: { rank: 1, of: 3 } })).toBe('major');
    expect(at({ delta: 0.6 })).toBe('info');
    expect(at({ delta: 0.6, hotspot: { rank: 1, of: 30 } })).toBe('minor');
    // Never louder than major: critical is for defects.
    expect(gradeSmells([smell(1, 40)], { delta: -3, hotspot: { rank: 1, of: 9 } }).severity).toBe(
      'major',
    );
  });

  it('turns each introduced smell into a finding on its line', () => {
    const findings = healthFindings(
      [file({ before: 9, after: 6.5, delta: -2.5, introduced: [smell(12, 18)] })],
      { healthFloor: 4 },
    );
    expect(findings).toEqual([
      {
        path: 'src/a.ts',
        line: 12,
        severity: 'major',
        category: 'maintainability',
        title: 'Complex Method in parse',
        body: expect.stringContaining('cyclomatic complexity 18 (threshold 9)'),
        source: 'health',
      },
    ]);
    expect(findings[0]!.body).toContain('health 9.0 → 6.5');
  });

  it('puts smells that share a line into one finding, since a line carries one comment', () => {
    const nested: DeltaSmell = {
      ...smell(12),
      kind: SmellKind.deepNesting,
      detail: 'nesting depth 6 (threshold 4)',
      measured: 6,
      bound: 4,
    };
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
    expect(findings[0]!.body).toContain('nesting depth 6');
    // The louder of the two decides: nesting 6 is 1.5× its threshold, complexity 14 only 1.6×.
    expect(findings[0]!.body).toContain('Severity minor: Complex Method at 1.6× its bound');
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
