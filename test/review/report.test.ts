import { describe, expect, it } from 'vitest';
import { SmellKind } from '../../src/health/types.ts';
import type { LocalReview } from '../../src/review/local-review.ts';
import { renderReview } from '../../src/review/report/index.ts';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

function review(overrides: Partial<LocalReview> = {}): LocalReview {
  return {
    base: 'main',
    head: 'HEAD',
    baseSha: SHA_A,
    headSha: SHA_B,
    baseFrom: 'given',
    nothingToReview: false,
    findings: [
      {
        path: 'src/router.ts',
        line: 3,
        endLine: 5,
        side: 'RIGHT',
        severity: 'major',
        category: 'maintainability',
        title: 'Complex Method in route',
        body: 'Complex Method: cyclomatic complexity 14 (threshold 9) (health 10.0 → 6.2).',
        source: 'health',
        fingerprint: '0123456789abcdef0123',
      },
      {
        path: 'src/ünï code.ts',
        line: 1,
        endLine: 1,
        side: 'RIGHT',
        severity: 'info',
        category: 'maintainability',
        title: 'Large File',
        body: '400 lines | a pipe',
        source: 'health',
        fingerprint: 'fedcba9876543210fedc',
      },
    ],
    offDiff: [
      {
        path: 'src/old.ts',
        line: 40,
        endLine: 40,
        side: 'RIGHT',
        severity: 'minor',
        category: 'maintainability',
        title: 'Deep Nesting in walk',
        body: 'nesting depth 5',
        source: 'health',
        fingerprint: '11112222333344445555',
        offDiffReason: 'line 40 of the new file is outside the diff',
      },
    ],
    skipped: [{ path: 'package-lock.json', kind: 'lockfile', reason: 'a lockfile' }],
    health: {
      files: [
        {
          path: 'src/router.ts',
          before: 10,
          after: 6.2,
          delta: -3.8,
          introduced: [
            { kind: SmellKind.complexMethod, function: 'route', line: 3, detail: 'cc 14' },
          ],
          fixed: [],
        },
      ],
    },
    usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    mode: 'offline',
    model: null,
    reason: 'no ANTHROPIC_API_KEY',
    walkthrough: [],
    notReviewed: [],
    since: null,
    changes: [
      {
        path: 'src/router.ts',
        previousPath: null,
        status: 'modified',
        additions: 12,
        deletions: 3,
      },
      {
        path: 'package-lock.json',
        previousPath: null,
        status: 'modified',
        additions: 40,
        deletions: 38,
      },
    ],
    ...overrides,
  };
}

describe('review reports', () => {
  it('sarif: SARIF 2.1.0 with the fields upload-sarif requires', () => {
    const sarif = JSON.parse(renderReview(review(), 'sarif'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe('Steward');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(['health/complex-method', 'health/large-file', 'health/deep-nesting']);
    expect(run.results).toHaveLength(3);
    for (const result of run.results) {
      expect(result.message.text).toEqual(expect.any(String));
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(result.locations).toHaveLength(1);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uri).toEqual(expect.any(String));
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      expect(result.partialFingerprints['stewardFinding/v1']).toMatch(/^[0-9a-f]{20}$/);
    }
    expect(run.results.map((r: { level: string }) => r.level)).toEqual([
      'error',
      'note',
      'warning',
    ]);
    expect(run.results[1].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'src/%C3%BCn%C3%AF%20code.ts',
    );
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({
      startLine: 3,
      endLine: 5,
    });
  });

  it('markdown: counts and the health table up front, long lists folded', () => {
    expect(renderReview(review(), 'markdown')).toMatchInlineSnapshot(`
      "## Steward review

      \`main\` (base tip aaaaaaa) … \`HEAD\` (bbbbbbb) · offline review: no ANTHROPIC\\_API\\_KEY

      **🔴 1 major, 🟡 1 minor, 🔵 1 info**

      | Severity | Findings |
      | --- | ---: |
      | 🛑 critical | 0 |
      | 🔴 major | 1 |
      | 🟡 minor | 1 |
      | 🔵 info | 1 |

      ### Walkthrough

      <details>
      <summary>Changed files (2)</summary>

      | File | Change | Health | Findings |
      | --- | --- | --- | ---: |
      | \`src/router.ts\` | modified +12 −3 | 10.0 → 6.2 | 🔴 1 |
      | \`package-lock.json\` | modified +40 −38; skipped: a lockfile |  |  |

      </details>

      ### Code health

      | File | Before | After | Δ | Introduced | Fixed |
      | --- | ---: | ---: | ---: | ---: | ---: |
      | \`src/router.ts\` | 10.0 | 6.2 | -3.8 | 1 | 0 |

      <details>
      <summary>Findings (2)</summary>

      - 🔴 \`src/router.ts:3\` **Complex Method in route**: Complex Method: cyclomatic complexity 14 (threshold 9) (health 10.0 → 6.2).
      - 🔵 \`src/ünï code.ts:1\` **Large File**: 400 lines \\| a pipe

      </details>

      <details>
      <summary>Outside the diff (1)</summary>

      - 🟡 \`src/old.ts:40\` **Deep Nesting in walk** (line 40 of the new file is outside the diff): nesting depth 5

      </details>

      <details>
      <summary>Skipped files (1)</summary>

      - \`package-lock.json\`: a lockfile

      </details>
      "
    `);
  });

  it('markdown: lists files whose health moved, counts the rest, marks new files', () => {
    const base = review();
    const files = [
      ...base.health.files,
      { path: 'src/new.ts', before: null, after: 9, delta: null, introduced: [], fixed: [] },
      { path: 'src/same.ts', before: 8, after: 8, delta: 0, introduced: [], fixed: [] },
    ];
    const md = renderReview(review({ health: { files } }), 'markdown');
    expect(md).not.toContain('src/same.ts');
    const health = md.slice(md.indexOf('### Code health'));
    expect(health.slice(0, health.indexOf('<details>'))).toMatchInlineSnapshot(`
      "### Code health

      | File | Before | After | Δ | Introduced | Fixed |
      | --- | ---: | ---: | ---: | ---: | ---: |
      | \`src/router.ts\` | 10.0 | 6.2 | -3.8 | 1 | 0 |
      | \`src/new.ts\` | new | 9.0 | — | 0 | 0 |

      1 other changed file(s): health unchanged, no smells added or fixed.

      "
    `);
  });

  it('text: findings grouped by file with icons and counts', () => {
    expect(renderReview(review(), 'text')).toMatchInlineSnapshot(`
      "steward review main (base tip aaaaaaa) … HEAD (bbbbbbb), offline (no ANTHROPIC_API_KEY)

      src/router.ts  (health 10.0 → 6.2, -3.8)
        🔴 major :3  Complex Method in route
            Complex Method: cyclomatic complexity 14 (threshold 9) (health 10.0 → 6.2).

      src/ünï code.ts
        🔵 info :1  Large File
            400 lines | a pipe

      Outside the diff:
        🟡 minor src/old.ts:40  Deep Nesting in walk

      Skipped 1 file(s):
        package-lock.json: a lockfile

      1 major, 1 minor, 1 info; 1 changed file(s) analysed
      "
    `);
  });

  it('json: the documented shape', () => {
    const json = JSON.parse(renderReview(review(), 'json'));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['findings', 'offDiff', 'skipped', 'health', 'usage']),
    );
    expect(Object.keys(json.findings[0]).sort()).toEqual(
      [
        'body',
        'category',
        'endLine',
        'fingerprint',
        'line',
        'path',
        'severity',
        'side',
        'source',
        'title',
      ].sort(),
    );
  });

  it('every format says when there is nothing to review', () => {
    const empty = review({ nothingToReview: true, findings: [], offDiff: [], skipped: [] });
    expect(renderReview(empty, 'text')).toMatchInlineSnapshot(`
      "steward review main (base tip aaaaaaa) … HEAD (bbbbbbb), offline (no ANTHROPIC_API_KEY)
      Nothing to review: the diff is empty.
      "
    `);
    expect(renderReview(empty, 'markdown')).toMatchInlineSnapshot(`
      "## Steward review

      \`main\` (base tip aaaaaaa) … \`HEAD\` (bbbbbbb) · offline review: no ANTHROPIC\\_API\\_KEY

      Nothing to review: the diff is empty.
      "
    `);
    expect(JSON.parse(renderReview(empty, 'sarif')).runs[0].results).toEqual([]);
  });
});
