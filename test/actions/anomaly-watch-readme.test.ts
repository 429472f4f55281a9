import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/parse.ts';

/**
 * The anomaly watch as README.md's section shows it, as people copy it: the workflow is valid
 * YAML on a schedule with the permissions the action needs and only inputs action.yml declares;
 * the capacity example is a valid config; every input and output is documented.
 */

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('## Anomaly watch');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

const manifest = parse(readFileSync('actions/anomaly-watch/action.yml', 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
}

describe('the anomaly watch in README.md', () => {
  it('shows a scheduled workflow with the permissions it needs and declared inputs only', () => {
    const workflows = blocks
      .filter((text) => /^jobs:/m.test(text))
      .map((t) => parse(t) as Workflow);
    expect(workflows).toHaveLength(1);
    const [workflow] = workflows;
    expect(workflow!.on).toHaveProperty('schedule');
    expect(workflow!.permissions).toMatchObject({
      issues: 'write',
      contents: 'write',
      'pull-requests': 'write',
    });
    const steps = Object.values(workflow!.jobs).flatMap((job) => job.steps);
    const watch = steps.filter((s) => s.uses?.startsWith('OWNER/steward/actions/anomaly-watch@'));
    expect(watch).toHaveLength(1);
    for (const input of Object.keys(watch[0]!.with ?? {}))
      expect(Object.keys(manifest.inputs)).toContain(input);
    // Credentials come from secrets, never written into the workflow.
    expect(String(watch[0]!.with?.['prometheus-token'])).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
  });

  it('shows a capacity example that is a valid config', () => {
    const capacity = blocks.filter((text) => /^\s+capacity:\n\s+- series:/m.test(text));
    expect(capacity).toHaveLength(1);
    const result = parseConfig(capacity[0]!, 'README.md');
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('documents every input and output of action.yml', () => {
    for (const name of [...Object.keys(manifest.inputs), ...Object.keys(manifest.outputs)])
      expect(section).toContain(`| \`${name}\``);
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.mjs' });
    expect(manifest.inputs['github-token']!.default).toBe('${{ github.token }}');
  });
});
