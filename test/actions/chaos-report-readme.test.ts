import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHAOS_WORKFLOW } from '../../app/handlers/chaos.ts';

/**
 * The chaos workflows README.md's Chaos report section and the app's missing-workflow reply show,
 * as people copy them: valid YAML, only inputs action.yml declares, the report after the
 * experiments whatever their outcome, and the dispatch input `/steward chaos` sends.
 */

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('## Chaos report');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, unknown> } | null>;
  jobs: Record<string, { steps: Step[] }>;
}

const manifest = parse(readFileSync('actions/chaos-report/action.yml', 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

const workflows = [
  // The section's workflows; its configuration block is checked with the other configs.
  ...[...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((text) => /^jobs:/m.test(text)),
  CHAOS_WORKFLOW,
].map((text) => parse(text) as Workflow);

describe('the chaos workflows in README.md and the app', () => {
  it('are the README workflow and the app’s minimal one', () => {
    expect(workflows).toHaveLength(2);
  });

  it('run the action after the experiments whatever their outcome, with declared inputs only', () => {
    for (const workflow of workflows) {
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const report = steps.filter((s) => s.uses?.startsWith('OWNER/steward/actions/chaos-report@'));
      expect(report).toHaveLength(1);
      expect(report[0]!.if).toBe('always()');
      expect(steps.at(-1)).toBe(report[0]);
      for (const input of Object.keys(report[0]!.with ?? {}))
        expect(Object.keys(manifest.inputs)).toContain(input);
      expect(report[0]!.with?.['files']).toBeTruthy();
      expect(workflow.on['workflow_dispatch']?.inputs).toHaveProperty('pull-request');
    }
  });

  it('documents every input and output of action.yml', () => {
    for (const name of [...Object.keys(manifest.inputs), ...Object.keys(manifest.outputs)])
      expect(section).toContain(`| \`${name}\``);
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.mjs' });
    expect(manifest.inputs['github-token']!.default).toBe('${{ github.token }}');
    expect(manifest.inputs['fail-on-verdict']!.default).toBe('fail');
    expect(manifest.inputs['comment']!.default).toBe('true');
  });
});
