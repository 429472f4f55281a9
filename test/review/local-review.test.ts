import { afterEach, describe, expect, it } from 'vitest';
import { NoReviewBaseError, reviewLocal } from '../../src/review/local-review.ts';
import { createAnthropicModelClient } from '../../src/llm/client.ts';
import { startAnthropicFake } from '../support/anthropic-fake.ts';
import { renderReviewMarkdown } from '../../src/review/report/markdown.ts';
import { renderReviewText } from '../../src/review/report/text.ts';
import { GitRepo } from '../support/git-repo.ts';
import { openLocalRepository } from '../../src/cli/local-repository.ts';
import { defaultHotspotsConfig } from '../../src/hotspots/settings.ts';
import { branchRepository, COMPLEX, SIMPLE } from './review-fixture.ts';

/** The offline review on real repositories: a branch against main. */

let repo: GitRepo | undefined;
afterEach(() => repo?.dispose());

describe('reviewLocal', () => {
  it('reports a complex function a branch adds as a health finding on its line', async () => {
    repo = branchRepository();
    repo.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`).commit('add route');
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      base: 'main',
    });
    expect(review.nothingToReview).toBe(false);
    // One finding per line: the method's smells that share its first line share a finding.
    const finding = review.findings.find((f) => f.line === 3);
    expect(finding).toMatchObject({
      path: 'src/simple.ts',
      endLine: 3,
      side: 'RIGHT',
      category: 'maintainability',
      title: 'Complex Method, Deep Nesting in route',
      source: 'health',
    });
    expect(finding!.body).toContain('cyclomatic complexity 14');
    expect(review.findings.map((f) => f.line)).toEqual([1, 3, 4]);
    expect(['major', 'minor', 'info']).toContain(finding!.severity);
    expect(finding!.fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(review.health.files.map((f) => f.path)).toEqual(['src/simple.ts']);
    expect(review.usage).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(review.mode).toBe('offline');
  });

  it('compares with the merge base, and names it, when main moved on after the branch', async () => {
    repo = branchRepository();
    const forkPoint = repo.git('rev-parse', 'HEAD').trim();
    repo.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`).commit('add route');
    repo.git('checkout', '-q', 'main');
    const tip = repo.write('src/main-only.ts', COMPLEX).commit('main moves on');
    repo.git('checkout', '-q', 'feature');
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      base: 'main',
    });
    expect(review).toMatchObject({ baseSha: tip, mergeBaseSha: forkPoint });
    expect(review.health.files.map((f) => f.path)).toEqual(['src/simple.ts']);
    expect(renderReviewText(review).split('\n')[0]).toContain(
      `main (merge base ${forkPoint.slice(0, 7)}) … HEAD`,
    );
    expect(renderReviewMarkdown(review)).toContain(`(merge base ${forkPoint.slice(0, 7)})`);
  });

  it('grades a smell one level louder in a top hotspot than in a quiet file', async () => {
    repo = new GitRepo();
    // Recent commits, inside the default window of 12 months; src/busy.ts changes most.
    const daysAgo = (days: number) => ({
      date: new Date(Date.now() - days * 86_400_000).toISOString(),
    });
    const quiet = Array.from({ length: 12 }, (_, i) => `src/quiet${i}.ts`);
    for (const path of quiet) repo.write(path, SIMPLE);
    repo.write('src/busy.ts', SIMPLE).commit('start', daysAgo(20));
    for (let i = 0; i < 6; i++)
      repo.write('src/busy.ts', `${SIMPLE}// ${i}\n`).commit(`busy ${i}`, daysAgo(19 - i));
    repo.git('checkout', '-q', '-b', 'feature');
    // The same function, cyclomatic complexity 12 (minor on its own), in the hottest file and in
    // a quiet one.
    const twelve = (name: string) =>
      `export function ${name}(k: string): number {\n${Array.from(
        { length: 11 },
        (_, i) => `  if (k === '${name}${i}') return ${i};`,
      ).join('\n')}\n  return -1;\n}\n`;
    repo
      .write('src/busy.ts', `${SIMPLE}${twelve('hot')}`)
      .write('src/quiet9.ts', `${SIMPLE}${twelve('cold')}`)
      .commit('add two functions', daysAgo(1));
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      base: 'main',
    });
    const finding = (title: string) => review.findings.find((f) => f.title === title);
    expect(review.health.files.find((f) => f.path === 'src/busy.ts')?.hotspot).toMatchObject({
      rank: 1,
    });
    expect(finding('Complex Method in hot')).toMatchObject({ severity: 'major' });
    expect(finding('Complex Method in hot')!.body).toContain('hotspot #1 of 13, one level up');
    // Equally quiet files rank in path order: quiet9 is last.
    expect(review.health.files.find((f) => f.path === 'src/quiet9.ts')?.hotspot).toEqual({
      rank: 13,
      of: 13,
    });
    expect(finding('Complex Method in cold')).toMatchObject({ severity: 'minor' });
  });

  it('finds nothing in a clean change, and lists a lockfile as skipped with its reason', async () => {
    repo = branchRepository();
    repo
      .write('src/more.ts', SIMPLE.replace('add', 'sum'))
      .write('package-lock.json', '{ "lockfileVersion": 3 }\n')
      .commit('clean');
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      base: 'main',
    });
    expect(review.findings).toEqual([]);
    expect(review.offDiff).toEqual([]);
    expect(review.skipped).toEqual([
      { path: 'package-lock.json', kind: 'lockfile', reason: expect.any(String) },
    ]);
  });

  it('says there is nothing to review for an empty diff', async () => {
    repo = branchRepository();
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      base: 'main',
    });
    expect(review.nothingToReview).toBe(true);
    expect(review.findings).toEqual([]);
  });

  it('defaults the base to the upstream, else the default branch', async () => {
    repo = branchRepository();
    repo.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`).commit('add route');
    const review = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
    });
    expect(review).toMatchObject({ base: 'main', baseFrom: 'default-branch' });
    expect(review.findings.length).toBeGreaterThan(0);
    repo.git('branch', '-q', '--set-upstream-to=main');
    expect(
      await reviewLocal({ ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())) }),
    ).toMatchObject({
      base: 'main',
      baseFrom: 'upstream',
    });
  });

  it("passes over an upstream that is the branch's own copy on the remote", async () => {
    repo = branchRepository();
    repo.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`).commit('add route');
    const remote = new GitRepo(undefined, { bare: true });
    try {
      repo.git('remote', 'add', 'origin', remote.dir);
      repo.git('push', '-q', 'origin', 'main', 'feature');
      repo.git('remote', 'set-head', 'origin', 'main');
      repo.git('branch', '-q', '--set-upstream-to=origin/feature');
      const review = await reviewLocal({
        ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
      });
      expect(review).toMatchObject({ base: 'origin/main', baseFrom: 'default-branch' });
      expect(review.findings.length).toBeGreaterThan(0);
      repo.git('checkout', '-q', 'main');
      repo.git('branch', '-q', '--set-upstream-to=origin/main');
      expect(
        await reviewLocal({ ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())) }),
      ).toMatchObject({
        base: 'origin/main',
        baseFrom: 'upstream',
        nothingToReview: true,
      });
    } finally {
      remote.dispose();
    }
  });

  it('names --base when no base can be found', async () => {
    repo = new GitRepo();
    repo.write('a.ts', SIMPLE).commit('start');
    repo.git('branch', '-q', '-m', 'trunk');
    const error = await reviewLocal({
      ...(await openLocalRepository(repo.dir, defaultHotspotsConfig())),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoReviewBaseError);
    expect((error as NoReviewBaseError).hint).toContain('--base');
  });
});

describe('reviewLocal with a model, through the Anthropic fake', () => {
  const lines = (n: number, changed: number) =>
    Array.from({ length: n }, (_, i) =>
      i + 1 === changed ? `export const v${i + 1} = 0;\n` : `export const v${i + 1} = ${i + 1};\n`,
    ).join('');

  async function withModel<T>(
    answer: Parameters<Awaited<ReturnType<typeof startAnthropicFake>>['enqueue']>[0],
    run: (model: ReturnType<typeof createAnthropicModelClient>) => Promise<T>,
  ): Promise<T> {
    const fake = await startAnthropicFake({ apiKey: 'sk-test' });
    try {
      fake.enqueue(answer);
      return await run(
        createAnthropicModelClient({
          apiKey: 'sk-test',
          baseURL: fake.url,
          model: 'claude-sonnet-5-5',
          timeoutMs: 5_000,
          maxRetries: 0,
        }),
      );
    } finally {
      await fake.close();
    }
  }

  it('keeps a finding off the inline list when only a wider diff.context would show its line', async () => {
    repo = branchRepository();
    repo.write('src/values.ts', lines(60, 0)).commit('values');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', 'feature');
    repo.git('checkout', '-q', 'feature');
    repo.write('src/values.ts', lines(60, 30)).commit('change v30');
    // The user's git would show ten lines of context; GitHub shows three.
    repo.git('config', 'diff.context', '10');
    const finding = (line: number, title: string) => ({
      path: 'src/values.ts',
      line,
      severity: 'minor',
      category: 'correctness',
      title,
      body: 'Check it.',
    });
    const review = await withModel(
      {
        toolUse: {
          name: 'report_findings',
          input: {
            findings: [finding(30, 'On the change'), finding(24, 'Six lines above')],
            summary: 'Changes v30.',
          },
        },
      },
      async (model) =>
        reviewLocal({
          ...(await openLocalRepository(repo!.dir, defaultHotspotsConfig())),
          base: 'main',
          model,
        }),
    );
    expect(review.findings.map((f) => [f.line, f.title])).toEqual([[30, 'On the change']]);
    expect(review.offDiff.map((f) => [f.line, f.offDiffReason])).toEqual([
      [24, 'line 24 of the new file is outside the diff'],
    ]);
  });

  it('falls back to the offline review, with the reason, when the API answers an HTML page', async () => {
    repo = branchRepository();
    repo.write('src/simple.ts', `${SIMPLE}\n${COMPLEX}`).commit('add route');
    const review = await withModel(
      { raw: { contentType: 'text/html', body: '<html><body>Sign in to the proxy</body></html>' } },
      async (model) =>
        reviewLocal({
          ...(await openLocalRepository(repo!.dir, defaultHotspotsConfig())),
          base: 'main',
          model,
        }),
    );
    expect(review.mode).toBe('offline');
    expect(review.reason).toMatch(/not a Messages response: an HTML page/);
    expect(review.findings.some((f) => f.source === 'health')).toBe(true);
  });
});
