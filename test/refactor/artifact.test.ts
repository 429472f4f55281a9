import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_MAX_CHARS,
  checkArtifact,
  renderArtifact,
  type ArtifactCheck,
} from '../../src/refactor/artifact.ts';
import {
  markStale,
  readRefactorMarker,
  refactorMarker,
  refactorTitle,
  renderDeliverySummary,
  renderRefactorBody,
  renderRefactorReport,
} from '../../src/refactor/markdown.ts';
import {
  AFTER,
  BEFORE,
  FUNCTION,
  PATH,
  artifactJson,
  checkers,
  targetIn,
} from './deliver-fixtures.ts';

const BASE = 'b'.repeat(40);

function check(text: string): ArtifactCheck {
  return checkArtifact(text, { checkers });
}

function refused(result: ArtifactCheck): string {
  if (result.ok) throw new Error('the artifact was accepted');
  return result.problems.join('\n');
}

describe('checkArtifact: the propose job wrote it, so nothing in it is believed unchecked', () => {
  it('accepts a proven refactoring, with the target found again and health computed here', () => {
    const result = check(
      artifactJson(BASE, (a) => {
        // Numbers from the artifact are never taken: these are overwritten by the recomputation.
        (a['target'] as Record<string, unknown>)['fileHealth'] = 1;
        (a['target'] as Record<string, unknown>)['line'] = 99;
      }),
    );
    if (!result.ok) throw new Error(result.problems.join('; '));
    const { artifact } = result;
    expect(artifact.target).toMatchObject({ path: PATH, function: FUNCTION, line: 4, endLine: 35 });
    expect(artifact.target.fileHealth).toBe(6.8);
    expect(artifact.target.smells.map((s) => s.kind)).toEqual(['Complex Method', 'Deep Nesting']);
    expect(artifact.health.after.fileHealth).toBeGreaterThan(artifact.health.before.fileHealth);
    expect(artifact.target.fingerprint).toBe(targetIn().fingerprint);
  });

  it('reads back what renderArtifact writes', () => {
    const target = targetIn();
    const text = renderArtifact(
      {
        kind: 'proven',
        target,
        proposal: {
          path: PATH,
          function: FUNCTION,
          code: '',
          helpers: [],
          rationale: 'r',
          techniques: [],
        },
        before: BEFORE,
        after: AFTER,
        health: checkers.compareHealth(PATH, BEFORE, AFTER, target).comparison,
        proofs: ['apply', 'health', 'api', 'types', 'tests'].map((name) => ({
          name: name as 'apply',
          ok: true,
          detail: 'ok',
          durationMs: 1,
        })),
        attempts: 1,
      },
      BASE,
    );
    expect(check(text).ok).toBe(true);
  });

  it.each([
    ['../outside.ts', /leaves its directory/],
    ['src/../../etc/passwd.ts', /leaves its directory/],
    ['/etc/calc.ts', /plain segments/],
    ['src\\calc.ts', /plain segments/],
    ['.github/workflows/ci.ts', /not a source file/],
    ['src/calc.d.ts', /not a TypeScript or JavaScript source/],
    ['package.json', /not a TypeScript or JavaScript source/],
    ['node_modules/x/index.js', /dependency/],
    ['src/a b.ts', /plain segments/],
  ])('refuses the path %s', (path, problem) => {
    const text = artifactJson(BASE, (a) => {
      a['path'] = path;
      (a['target'] as Record<string, unknown>)['path'] = path;
    });
    expect(refused(check(text))).toMatch(problem);
  });

  it('refuses another file than the one the function and its fingerprint are in', () => {
    const other = artifactJson(BASE, (a) => (a['path'] = 'src/other.ts'));
    expect(refused(check(other))).toMatch(/target names another function/);
    const both = artifactJson(BASE, (a) => {
      a['path'] = 'src/other.ts';
      (a['target'] as Record<string, unknown>)['path'] = 'src/other.ts';
    });
    expect(refused(check(both))).toMatch(/fingerprint .* is not that of/);
  });

  it('refuses a forged fingerprint: a rejected function cannot come back under another one', () => {
    const text = artifactJson(BASE, (a) => (a['fingerprint'] = '0123456789abcdef'));
    expect(refused(check(text))).toMatch(/fingerprint 0123456789abcdef/);
  });

  it('refuses `after` that edits outside the function, whatever the artifact claims', () => {
    const outside = artifactJson(BASE, (a) => {
      a['after'] = AFTER.replace('return x + 1;', 'return x + 2;');
    });
    expect(refused(check(outside))).toMatch(/changes more than the function/);
    const imports = artifactJson(BASE, (a) => {
      a['after'] = `import { exec } from 'node:child_process';\n${AFTER}`;
    });
    expect(refused(check(imports))).toMatch(/changes more than the function/);
  });

  it('refuses when the health proof does not hold when computed here', () => {
    const text = artifactJson(
      BASE,
      (a) => (a['after'] = BEFORE.replace("let out = '';", "let out = '' ;")),
    );
    expect(refused(check(text))).toMatch(/health proof does not hold/);
  });

  it('refuses an unchanged file, a failed proof and a missing one', () => {
    expect(refused(check(artifactJson(BASE, (a) => (a['after'] = BEFORE))))).toMatch(
      /same as `before`/,
    );
    const failed = artifactJson(BASE, (a) => {
      (a['proofs'] as { ok: boolean }[])[4]!.ok = false;
    });
    expect(refused(check(failed))).toMatch(/tests did not pass/);
    const missing = artifactJson(BASE, (a) => {
      a['proofs'] = (a['proofs'] as { name: string }[]).filter((p) => p.name !== 'types');
    });
    expect(refused(check(missing))).toMatch(/types are missing/);
  });

  it('refuses huge artifacts unread, and huge texts, rationales and proof logs', () => {
    expect(refused(check(' '.repeat(ARTIFACT_MAX_CHARS + 1)))).toMatch(/larger than/);
    const big = artifactJson(BASE, (a) => (a['after'] = `${AFTER}//${'x'.repeat(1_000_001)}`));
    expect(refused(check(big))).toMatch(/^after:/);
    const rationale = artifactJson(BASE, (a) => {
      (a['proposal'] as Record<string, unknown>)['rationale'] = 'x'.repeat(5_000);
    });
    expect(refused(check(rationale))).toMatch(/proposal\.rationale/);
    const proofs = artifactJson(BASE, (a) => {
      a['proofs'] = Array.from({ length: 21 }, () => ({
        name: 'tests',
        ok: true,
        detail: '',
        durationMs: 0,
      }));
    });
    expect(refused(check(proofs))).toMatch(/^proofs:/);
  });

  it('refuses what is not the artifact: not JSON, another version, unknown fields, a bad SHA or name', () => {
    expect(refused(check('{'))).toMatch(/not JSON/);
    expect(refused(check(artifactJson(BASE, (a) => (a['version'] = 2))))).toMatch(/version/);
    expect(refused(check(artifactJson(BASE, (a) => (a['extra'] = 1))))).toMatch(/extra/);
    expect(refused(check(artifactJson('main')))).toMatch(/baseSha/);
    const name = artifactJson(BASE, (a) => {
      a['function'] = 'classify -->';
      (a['target'] as Record<string, unknown>)['function'] = 'classify -->';
    });
    expect(refused(check(name))).toMatch(/not a function or Class\.method name/);
  });
});

describe('the refactoring pull request markdown', () => {
  const target = targetIn();
  const health = checkers.compareHealth(PATH, BEFORE, AFTER, target).comparison;

  it('titles it with the function, the file and the health rise', () => {
    expect(refactorTitle({ target, health })).toBe(
      'Refactor classify in src/calc.ts: health 6.8 → 9.1',
    );
  });

  it('reads its marker back from the first line only, path and function whatever they hold', () => {
    const marker = { fingerprint: target.fingerprint, path: 'src/a b-->.ts', function: 'A.b' };
    expect(readRefactorMarker(`${refactorMarker(marker)}\nbody`)).toEqual({
      ...marker,
      stale: false,
    });
    expect(readRefactorMarker(`text\n${refactorMarker(marker)}`)).toBeNull();
    expect(readRefactorMarker(markStale(`${refactorMarker(marker)}\nbody`))).toEqual({
      ...marker,
      stale: true,
    });
  });

  it('shows why, the table, the techniques, the rationale and the folded proof log', () => {
    const body = renderRefactorBody({
      target,
      health,
      proposal: { rationale: 'Guard clauses.', techniques: ['Extract Function'] },
      proofs: [
        { name: 'types', ok: true, detail: 'no new diagnostics', durationMs: 2100 },
        { name: 'tests', ok: true, detail: '2 runs', durationMs: 5300 },
      ],
      baseSha: BASE,
    });
    expect(readRefactorMarker(body)).toMatchObject({ fingerprint: target.fingerprint, path: PATH });
    expect(body).toContain('hotspot number 2: changed in 17 commits');
    expect(body).toContain('- Complex Method');
    expect(body).toContain("| File's code health (1–10) | 6.8 | 9.1 |");
    expect(body).toContain('| Cognitive complexity | 27 | 3 |');
    expect(body).toContain('- Extract Function');
    expect(body).toContain('<details><summary>Proof log</summary>');
    expect(body).toContain('| tests | passed | 2 runs | 5.3 s |');
    expect(body).toContain('Close this pull request without merging');
  });

  it('neutralises a rationale and techniques that forge a marker, mention people or inject HTML', () => {
    const forged = refactorMarker({ fingerprint: '0123456789abcdef', path: 'x.ts', function: 'y' });
    const body = renderRefactorBody({
      target,
      health,
      proposal: {
        rationale: `${forged}\n@octocat please merge, fixes #12 <img src=x onerror=alert(1)>\n<!-- hidden -->`,
        techniques: [`${forged} @team/all`],
      },
      proofs: [{ name: 'tests', ok: true, detail: '@admin <b>x</b> | cell', durationMs: 1 }],
      baseSha: BASE,
    });
    expect(readRefactorMarker(body)?.fingerprint).toBe(target.fingerprint);
    // Markup characters are backslash-escaped: GitHub shows them as text, never as HTML.
    expect(body.split('\n').slice(1).join('\n')).not.toMatch(/(^|[^\\])<!--/m);
    expect(body).not.toMatch(/@octocat|@team|@admin|#12/);
    expect(body).not.toMatch(/(^|[^\\])<(img|b>)/m);
  });

  it('reports a run: each target with what became of it, and what was passed over', () => {
    const report = renderRefactorReport({
      outcomes: [
        { kind: 'skipped', target, reason: 'the tests fail @everyone', proofs: [], attempts: 1 },
      ],
      skipped: [{ path: 'src/gen.ts', function: null, reason: 'generated' }],
    });
    expect(report).toContain(
      '| `classify` | `src/calc.ts` | skipped: the tests fail @\u2060everyone |',
    );
    expect(report).toContain('- `src/gen.ts`: generated');
  });

  it('summarises the delivery job, its refusals inert', () => {
    expect(renderDeliverySummary({ ok: false, problems: ['path <!-- x --> @admin'] })).toContain(
      '- path \\<!-- x --\\> @\u2060admin',
    );
    expect(
      renderDeliverySummary(
        { kind: 'opened', number: 9, url: 'u', branch: 'b', commitSha: 'abcdef0123' },
        [{ number: 3, action: 'rebased', reason: 'unchanged' }],
      ),
    ).toBe('Opened #9 (u), commit abcdef0.\n- #3: rebased: unchanged');
  });
});
