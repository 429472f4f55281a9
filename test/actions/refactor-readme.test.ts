import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REFACTOR_WORKFLOW } from '../../app/handlers/refactor.ts';

/**
 * The refactoring workflow README.md shows, as people copy it: valid YAML, only inputs action.yml
 * declares, and the two-job shape: the key and the repository's code in a read-only job whose
 * checkout keeps no token, the write token in a job that checks nothing out and has no key. The
 * app's missing-workflow reply shows the same text.
 */

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('## Refactoring pull requests');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  needs?: string;
  outputs?: Record<string, string>;
  steps: Step[];
}

const workflows = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((text) => text.includes('actions/refactor@'))
  .map((text) => parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> });

const manifest = parse(readFileSync('actions/refactor/action.yml', 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};

const actionStep = (job: Job) =>
  job.steps.find((s) => s.uses?.startsWith('OWNER/steward/actions/refactor@'));

describe('the refactoring workflow in README.md', () => {
  it('is one workflow, weekly and dispatched', () => {
    expect(workflows).toHaveLength(1);
    expect(Object.keys(workflows[0]!.on)).toEqual(['schedule', 'workflow_dispatch']);
  });

  it('passes only inputs the action declares, and reads only outputs it sets', () => {
    const [workflow] = workflows;
    for (const job of Object.values(workflow!.jobs))
      for (const input of Object.keys(actionStep(job)?.with ?? {}))
        expect(Object.keys(manifest.inputs)).toContain(input);
    const text = JSON.stringify(workflow);
    for (const [, output] of text.matchAll(/steps\.refactor\.outputs\.([\w-]+)/g))
      expect(Object.keys(manifest.outputs)).toContain(output);
  });

  it('proposes with a read-only token, the history and no token on disk; delivers with write and no checkout or key', () => {
    const { propose, deliver } = workflows[0]!.jobs;
    expect(propose!.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    const checkout = propose!.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
    expect(String(actionStep(propose!)!.with?.['anthropic-api-key'])).toContain(
      'secrets.ANTHROPIC_API_KEY',
    );

    expect(deliver!.needs).toBe('propose');
    expect(deliver!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(deliver!.steps.find((s) => s.uses?.startsWith('actions/checkout@'))).toBeUndefined();
    expect(actionStep(deliver!)!.with).toEqual({ mode: 'deliver' });
    // The deliver step always runs (it tends the open pull requests); the artifact only when proven.
    expect(actionStep(deliver!)!.if).toBeUndefined();
    const download = deliver!.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.if).toBe("needs.propose.outputs.proven == 'true'");
  });

  it('is the workflow the app shows when /steward refactor finds none, word for word', () => {
    expect(section).toContain(
      `# .github/workflows/steward-refactor.yml (weekly, and dispatched by \`/steward refactor\`)\n${REFACTOR_WORKFLOW}\n`,
    );
  });

  it('quotes the measured figures and the bench that reruns them', () => {
    const figures = section.slice(section.indexOf('### Proven, measured'));
    expect(figures).toContain('npm run bench:refactor');
    expect(figures).toMatch(/total per target[^\n]*\|\s*[\d.–]+ s\s*\|/);
    expect(section).not.toContain('<!-- figures -->');
  });
});
