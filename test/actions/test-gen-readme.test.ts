import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The test generation workflows README.md shows, as people copy them: valid YAML, only inputs
 * action.yml declares, and the two-job shape: the key and the pull request's code in a read-only
 * job whose checkout keeps no token, the write token in a job that checks nothing out and has no key.
 */

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('## Test generation');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

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
  .filter((text) => text.includes('actions/test-gen@'))
  .map((text) => parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> });

const manifest = parse(readFileSync('actions/test-gen/action.yml', 'utf8')) as {
  inputs: Record<string, unknown>;
};

const actionStep = (job: Job) =>
  job.steps.find((s) => s.uses?.startsWith('OWNER/steward/actions/test-gen@'));

describe('the test-gen workflows in README.md', () => {
  it('are the pull_request and the workflow_dispatch shapes', () => {
    expect(workflows.map((w) => Object.keys(w.on))).toEqual([
      ['pull_request'],
      ['workflow_dispatch'],
    ]);
  });

  it('pass only inputs the action declares', () => {
    for (const workflow of workflows)
      for (const job of Object.values(workflow.jobs))
        for (const input of Object.keys(actionStep(job)?.with ?? {}))
          expect(Object.keys(manifest.inputs)).toContain(input);
  });

  it('generate with a read-only token, history and no token on disk; deliver with write and no checkout or key', () => {
    for (const workflow of workflows) {
      const jobs = Object.values(workflow.jobs).filter((job) => actionStep(job) !== undefined);
      expect(jobs).toHaveLength(2);
      for (const job of jobs) {
        const step = actionStep(job)!;
        const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
        if (step.with?.['mode'] === 'deliver') {
          expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
          expect(checkout).toBeUndefined();
          expect(step.with['anthropic-api-key']).toBeUndefined();
        } else {
          expect(job.permissions).toEqual({ contents: 'read' });
          expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
          // The key only where the pull request comes from this repository.
          expect(String(step.with?.['anthropic-api-key'])).toMatch(
            /== github\.repository|== 'true'/,
          );
        }
      }
    }
  });
});

describe('the workflow the app shows when /steward tests finds none', () => {
  it('is the README’s dispatch workflow, word for word', async () => {
    const { TESTS_WORKFLOW } = await import('../../app/handlers/tests.ts');
    expect(section).toContain(
      `# .github/workflows/steward-tests.yml (dispatched by \`/steward tests\`)\n${TESTS_WORKFLOW}\n`,
    );
  });
});
