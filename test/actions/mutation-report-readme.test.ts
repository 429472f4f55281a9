import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The workflows README.md's Mutation report section shows, as people copy them: valid YAML, only
 * inputs action.yml declares, the documented cache key, and the fork-safe shape where the job's
 * token could write.
 */

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(
  readme.indexOf('## Mutation report'),
  readme.indexOf('\n## ', readme.indexOf('## Mutation report') + 1),
);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflows = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((text) => text.includes('actions/mutation-report@'))
  .map((text) => parse(text) as { on?: Record<string, unknown>; jobs: Record<string, Job> });

const manifest = parse(readFileSync('actions/mutation-report/action.yml', 'utf8')) as {
  inputs: Record<string, unknown>;
};

const actionSteps = (job: Job) =>
  job.steps.filter((s) => s.uses?.startsWith('OWNER/steward/actions/mutation-report@'));

describe('the mutation-report workflows in README.md', () => {
  it('are the single job, the matrix and the two-job shapes', () => {
    expect(workflows).toHaveLength(3);
  });

  it('pass only inputs the action declares', () => {
    for (const workflow of workflows)
      for (const job of Object.values(workflow.jobs))
        for (const step of actionSteps(job))
          for (const input of Object.keys(step.with ?? {}))
            expect(Object.keys(manifest.inputs)).toContain(input);
  });

  it('check out with history and without the token on disk wherever Stryker runs', () => {
    for (const workflow of workflows)
      for (const job of Object.values(workflow.jobs)) {
        const runs = actionSteps(job).some((s) => s.with?.['mode'] !== 'merge');
        const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
        if (!runs) {
          // The publish job runs no repository code.
          expect(checkout).toBeUndefined();
          continue;
        }
        expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
      }
  });

  it('on pull_request_target, run Stryker only as a report-only job with a read-only token', () => {
    const target = workflows.filter((w) => w.on !== undefined && 'pull_request_target' in w.on);
    expect(target).toHaveLength(1);
    for (const job of Object.values(target[0]!.jobs)) {
      const step = actionSteps(job)[0]!;
      if (step.with?.['mode'] === 'merge') continue;
      expect(step.with?.['shard']).toBeDefined();
      expect(job.permissions).toEqual({ contents: 'read' });
    }
  });

  it('cache the incremental file under the documented per-pull-request key', () => {
    const cache = Object.values(workflows[0]!.jobs)[0]!.steps.find((s) =>
      s.uses?.startsWith('actions/cache@'),
    );
    expect(cache?.with).toEqual({
      path: '.steward/mutation-incremental.json',
      key: 'steward-mutation-${{ github.event.pull_request.number }}-${{ github.sha }}',
      'restore-keys': 'steward-mutation-${{ github.event.pull_request.number }}-',
    });
    expect((manifest.inputs['incremental-file'] as { default: string }).default).toBe(
      '.steward/mutation-incremental.json',
    );
  });
});

describe('Steward’s own mutation workflow (.github/workflows/steward-mutation.yml)', () => {
  const dogfood = parse(readFileSync('.github/workflows/steward-mutation.yml', 'utf8')) as {
    jobs: Record<string, Job>;
  };
  const localSteps = (job: Job) => job.steps.filter((s) => s.uses === './actions/mutation-report');

  it('passes only inputs the action declares', () => {
    const inputs = Object.values(dogfood.jobs).flatMap((job) =>
      localSteps(job).flatMap((s) => Object.keys(s.with ?? {})),
    );
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect(Object.keys(manifest.inputs)).toContain(input);
  });

  it('never leaves the token on disk where the pull request’s code runs', () => {
    for (const job of Object.values(dogfood.jobs)) {
      if (!localSteps(job).some((s) => s.with?.['mode'] !== 'merge')) continue;
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
    }
  });
});
