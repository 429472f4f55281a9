import type { AutoMergeConfig } from './settings.ts';
import type { GitHubClient } from '../github/client.ts';
import type { MergeOutcome, PullRequestSnapshot } from '../github/client.ts';
import { CheckName, type Decision } from './decision.ts';
import { COMMENT_MARKER, refusalComment, resolvedComment } from './report.ts';

/**
 * Carries out a decision. A merge is pinned to the evaluated head SHA, so a push after the
 * evaluation makes GitHub refuse it. Writes are idempotent: the refusal comment is upserted by its
 * marker and labels and auto-merge are only touched when they differ, so a redelivered event
 * changes nothing.
 *
 * In native mode Steward arms GitHub's auto-merge (pinned to the head) when everything passed but
 * required checks that have not reported yet, and merges itself when everything passed (GitHub
 * will not arm a pull request it could merge at once). It never arms while any check of the head
 * is running, required or not: GitHub's auto-merge waits only for required ones. A later head that
 * no longer qualifies is disarmed, since GitHub keeps auto-merge armed across pushes by writers
 * such as the bots themselves.
 */
export async function executeDecision(
  client: GitHubClient,
  pr: PullRequestSnapshot,
  decision: Decision,
  config: AutoMergeConfig,
  dryRun: boolean,
): Promise<Decision> {
  const armable =
    config.mode === 'native' && decision.outcome === 'pending' && waitsOnlyForChecks(decision);
  const ready = decision.outcome === 'would-merge';

  if (!ready && !armable) {
    if (!dryRun && pr.autoMerge && decision.isBotPullRequest) await client.disableAutoMerge(pr.id);
    if (!dryRun && decision.outcome === 'refused' && decision.isBotPullRequest) {
      await reportRefusal(client, pr, decision, config);
    }
    return decision;
  }
  if (dryRun) return { ...decision, outcome: armable ? 'would-arm' : 'would-merge' };

  if (armable && pr.autoMerge) {
    return { ...decision, outcome: 'armed', reason: 'auto-merge is already armed for this head' };
  }
  const outcome: MergeOutcome = armable
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
    const detail = `GitHub refused the ${armable ? 'auto-merge' : 'merge'}: ${outcome.message}`;
    const refused: Decision = {
      ...decision,
      outcome: 'refused',
      reason: detail,
      verdicts: [
        ...decision.verdicts,
        { check: CheckName.state, status: 'fail', details: [detail] },
      ],
    };
    await reportRefusal(client, pr, refused, config);
    return refused;
  }
  // A pull request refused earlier carries the label: clear it and say the refusal is over, so
  // the comment does not go on claiming the opposite of what happened.
  if (config.refusalLabel && pr.labels.includes(config.refusalLabel)) {
    await client.removeLabel(pr.number, config.refusalLabel);
    if (config.commentOnRefusal) {
      await client.upsertComment(pr.number, COMMENT_MARKER, resolvedComment(decision, armable));
    }
  }
  return armable
    ? {
        ...decision,
        outcome: 'armed',
        reason: `auto-merge armed for ${decision.headSha.slice(0, 7)}; GitHub merges when the required checks pass`,
      }
    : { ...decision, outcome: 'merged', reason: 'every check passed' };
}

function waitsOnlyForChecks(decision: Decision): boolean {
  return decision.verdicts.every(
    (v) =>
      v.status === 'pass' ||
      (v.status === 'pending' && v.check === CheckName.checks && (v.running ?? []).length === 0),
  );
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
