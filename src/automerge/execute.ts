import type { AutoMergeConfig } from '../config/schema.ts';
import type { GitHubClient } from '../github/client.ts';
import type { PullRequestSnapshot } from '../github/types.ts';
import { CheckName, type Decision } from './decision.ts';
import { refusalComment, COMMENT_MARKER } from './report.ts';

/**
 * Carries out a decision. The merge is pinned to the evaluated head SHA, so a push after the
 * evaluation makes GitHub refuse it. Writes are idempotent: the refusal comment is upserted by its
 * marker and labels are only touched when they differ, so a redelivered event changes nothing.
 */
export async function executeDecision(
  client: GitHubClient,
  pr: PullRequestSnapshot,
  decision: Decision,
  config: AutoMergeConfig,
  dryRun: boolean,
): Promise<Decision> {
  if (decision.outcome === 'pending') return decision;
  if (decision.outcome === 'refused') {
    if (!dryRun && decision.isBotPullRequest) await reportRefusal(client, pr, decision, config);
    return decision;
  }
  if (dryRun)
    return { ...decision, outcome: config.mode === 'native' ? 'would-arm' : 'would-merge' };

  const outcome =
    config.mode === 'native'
      ? await client.enableAutoMerge({
          pullRequestId: pr.id,
          expectedHeadSha: decision.headSha,
          method: config.mergeMethod,
        })
      : await client.mergePullRequest({
          number: pr.number,
          sha: decision.headSha,
          method: config.mergeMethod,
        });
  if (outcome.kind === 'head-moved') {
    return {
      ...decision,
      outcome: 'head-moved',
      reason: `the head moved after evaluation: ${outcome.message}`,
    };
  }
  if (outcome.kind === 'not-mergeable') {
    const refused: Decision = {
      ...decision,
      outcome: 'refused',
      reason: `GitHub refused the merge: ${outcome.message}`,
      verdicts: [
        ...decision.verdicts,
        {
          check: CheckName.state,
          status: 'fail',
          details: [`GitHub refused the merge: ${outcome.message}`],
        },
      ],
    };
    await reportRefusal(client, pr, refused, config);
    return refused;
  }
  if (config.refusalLabel && pr.labels.includes(config.refusalLabel)) {
    await client.removeLabel(pr.number, config.refusalLabel);
  }
  return { ...decision, outcome: config.mode === 'native' ? 'armed' : 'merged' };
}

async function reportRefusal(
  client: GitHubClient,
  pr: PullRequestSnapshot,
  decision: Decision,
  config: AutoMergeConfig,
): Promise<void> {
  if (config.refusalLabel && !pr.labels.includes(config.refusalLabel)) {
    await client.addLabels(pr.number, [config.refusalLabel]);
  }
  if (config.commentOnRefusal) {
    await client.upsertComment(pr.number, COMMENT_MARKER, refusalComment(decision));
  }
}
