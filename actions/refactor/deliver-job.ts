import { existsSync, readFileSync, statSync } from 'node:fs';
import type { StepReport } from '../shared/step.ts';
import type { GitHubClient } from '../../src/github/client.ts';
import { checkArtifact } from '../../src/refactor/artifact.ts';
import { deliverRefactor, tendRefactorPullRequests } from '../../src/refactor/deliver.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import type { RefactorInputs } from './inputs.ts';
import { deliverStepReport } from './outputs.ts';
import type { RefactorActionDependencies } from './propose-job.ts';

/**
 * The artifact is read only up to this size: a file over it is refused unread (before and after
 * texts of one source file, the proof log and the target; src/refactor/artifact.ts checks each part).
 */
export const ARTIFACT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The deliver job (the write token, no key, no checkout, no repository code): the open refactoring
 * pull requests whose base moved are rebased or closed, then the artifact the propose job left is
 * checked as hostile by src/refactor/artifact.ts (its health recomputed) and opened as a pull
 * request by src/refactor/deliver.ts.
 */
export async function deliverJob(input: {
  github: GitHubClient;
  inputs: RefactorInputs;
  config: StewardConfig;
  defaultBranch: string;
  deps: RefactorActionDependencies;
}): Promise<StepReport> {
  const { github, inputs, config, defaultBranch, deps } = input;
  const tip = await github.getBranchTip(defaultBranch);
  if (tip === null) throw new Error(`The default branch ${defaultBranch} does not exist`);
  // Stale pull requests first: one closed here frees its place under max-open.
  const tended = await (deps.tendRefactorPullRequests ?? tendRefactorPullRequests)(github, tip.sha);
  const artifact = readArtifact(inputs.artifactFile);
  if (artifact.kind === 'missing') return deliverStepReport({ kind: 'none', tended });
  if (artifact.kind === 'too-large')
    return deliverStepReport({
      kind: 'refused',
      problems: [
        `the artifact is ${artifact.bytes} bytes, over the ${ARTIFACT_MAX_BYTES}-byte cap`,
      ],
      tended,
    });
  // The health is recomputed with the repository's thresholds and gain: no number is taken from the artifact.
  const checked = (deps.checkArtifact ?? checkArtifact)(artifact.text, {
    minHealthGain: config.refactor.minHealthGain,
    thresholds: config.hotspots.thresholds,
  });
  if (!checked.ok)
    return deliverStepReport({ kind: 'refused', problems: checked.problems, tended });
  const delivery = await (deps.deliverRefactor ?? deliverRefactor)(github, checked, {
    defaultBranch,
    maxOpen: config.refactor.maxOpen,
  });
  return deliverStepReport({ kind: 'delivered', artifact: checked, delivery, tended });
}

type ArtifactRead =
  { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'too-large'; bytes: number };

/** The artifact's text; missing when the propose job proved nothing (it then uploads none). */
function readArtifact(path: string): ArtifactRead {
  if (!existsSync(path)) return { kind: 'missing' };
  const bytes = statSync(path).size;
  if (bytes > ARTIFACT_MAX_BYTES) return { kind: 'too-large', bytes };
  return { kind: 'text', text: readFileSync(path, 'utf8') };
}
