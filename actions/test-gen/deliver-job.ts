import { existsSync, readFileSync, statSync } from 'node:fs';
import type { StepReport } from '../shared/step.ts';
import { stepReport } from '../shared/step.ts';
import type { GitHubClient, PullRequestSnapshot } from '../../src/github/client.ts';
import { deliverArtifact, type DeliveryMode } from '../../src/testgen/deliver.ts';
import { PATCH_LIMITS, type PatchCheck } from '../../src/testgen/patch.ts';
import type { TestGenConfig } from '../../src/testgen/settings.ts';
import type { TestGenInputs } from './inputs.ts';
import { deliverStepReport, NOT_DELIVERED } from './outputs.ts';
import { testFileRule } from './test-file-rule.ts';

/**
 * The deliver job (the write token, no key, no checkout, no repository code): the patch the
 * generate job left, checked as hostile by src/testgen/deliver.ts, then committed.
 */
export async function deliverJob(input: {
  github: GitHubClient;
  inputs: TestGenInputs;
  config: TestGenConfig;
  pull: PullRequestSnapshot;
}): Promise<StepReport> {
  const { github, inputs, config, pull } = input;
  const mode = deliveryMode(inputs, config);
  if (mode === null)
    return stepReport({
      messages: [
        {
          level: 'notice',
          text: 'Steward delivered nothing: test-gen.delivery is none (the kept tests are in the generate job summary and the patch artifact).',
        },
      ],
      outputs: { ...NOT_DELIVERED },
    });
  const artifact = readPatchFile(inputs.patchFile);
  if (typeof artifact !== 'string') return deliverStepReport(artifact, pull.number);
  if (keptNothing(artifact)) return deliverStepReport({ kind: 'empty' }, pull.number);
  const outcome = await deliverArtifact(github, {
    artifact,
    pullRequest: pull.number,
    mode,
    testFile: testFileRule(config, artifact),
  });
  // A patch for an earlier head of this pull request is stale (a push raced the run); one for
  // a commit the pull request never had is forged.
  if (outcome.kind === 'head-moved' && 'madeFor' in outcome) {
    const commits = await github.listPullRequestCommits(pull.number);
    if (!commits.some((c) => c.sha === outcome.madeFor))
      return deliverStepReport(
        {
          kind: 'refused',
          problems: [
            {
              field: 'headSha',
              message: `is ${outcome.madeFor.slice(0, 12)}, which is not a commit of #${pull.number}`,
            },
          ],
        },
        pull.number,
      );
  }
  return deliverStepReport(outcome, pull.number);
}

/** `push` over the config; null when the config says `none` and no input overrides it. */
function deliveryMode(inputs: TestGenInputs, config: TestGenConfig): DeliveryMode | null {
  if (inputs.push !== undefined) return inputs.push ? 'push' : 'pull-request';
  return config.delivery === 'none' ? null : config.delivery;
}

/** The artifact's text, or the refusal of a file over the cap (never read whole). */
function readPatchFile(path: string): string | PatchCheck {
  if (!existsSync(path))
    throw new Error(
      `Input patch-file ${path} does not exist: download the generate job's artifact there (actions/download-artifact with path: the folder of patch-file)`,
    );
  const size = statSync(path).size;
  if (size > PATCH_LIMITS.artifactBytes)
    return {
      kind: 'refused',
      problems: [
        {
          field: '(artifact)',
          message: `is ${size} bytes, over the ${PATCH_LIMITS.artifactBytes}-byte cap`,
        },
      ],
    };
  return readFileSync(path, 'utf8');
}

/** The generate job kept no test: its patch names this pull request and holds no file. */
function keptNothing(artifact: string): boolean {
  try {
    const value = JSON.parse(artifact) as { files?: unknown };
    return Array.isArray(value.files) && value.files.length === 0;
  } catch {
    // Not JSON: checkPatchText says so, problem by problem.
    return false;
  }
}
