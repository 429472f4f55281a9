import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { readActionConfig } from '../shared/config.ts';
import { actionsClient, actionsOctokit, dispatchedConfigRef } from '../shared/runner-env.ts';
import { createAnthropicModelClient, MODEL_CLIENT_DEFAULTS } from '../../src/llm/client.ts';
import { postingNotes, reviewPullRequest } from '../../src/review/pull-request-review.ts';
import { renderReviewMarkdown } from '../../src/review/report/markdown.ts';
import { renderReviewSarif } from '../../src/review/report/sarif.ts';
import { atLeast } from '../../src/review/severity.ts';
import { reviewTargetOf } from '../../src/review/event.ts';
import { parseReviewEnv } from './inputs.ts';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = parseReviewEnv(env);
  const payload = JSON.parse(readFileSync(inputs.eventPath, 'utf8')) as Record<string, unknown>;
  const target = reviewTargetOf(inputs.eventName, payload, inputs.pullRequest);
  if ('ignore' in target) {
    core.notice(`Steward review did nothing: ${target.ignore}.`);
    return;
  }

  const octokit = actionsOctokit(inputs, core.warning);
  const client = actionsClient(inputs, octokit);
  const snapshot = await client.getPullRequestSnapshot(target.number);
  // Config from the base branch only (or the ref the app read when it dispatched this run): a
  // pull request cannot change how it is reviewed.
  const configRef = dispatchedConfigRef(inputs.eventName, payload) ?? snapshot.baseRefName;
  const config = await readActionConfig(octokit, inputs.repo, configRef);
  if (snapshot.isDraft && !config.review.drafts && target.action !== null) {
    core.notice(
      `Steward review skipped #${target.number}: it is a draft (set review.drafts: true to review drafts).`,
    );
    core.setOutput('mode', 'skipped');
    return;
  }

  const model = inputs.apiKey
    ? createAnthropicModelClient({
        apiKey: inputs.apiKey,
        ...(inputs.baseUrl ? { baseURL: inputs.baseUrl } : {}),
        model: config.review.model,
        ...MODEL_CLIENT_DEFAULTS,
      })
    : null;
  const offlineReason = snapshot.isCrossRepository
    ? 'no ANTHROPIC_API_KEY: a pull request from a fork gets no secrets'
    : 'no ANTHROPIC_API_KEY';
  const outcome = await reviewPullRequest(client, {
    pullNumber: target.number,
    snapshot,
    config,
    full: inputs.full || target.full,
    model,
    offlineReason,
    onProgress: core.info,
  });
  const { result, posting } = outcome;
  if (outcome.range === 'unchanged') {
    core.info(`${snapshot.headSha.slice(0, 7)} was already reviewed; nothing new to post.`);
    core.setOutput('mode', 'unchanged');
    return;
  }
  if (outcome.rangeReason) core.info(`Reviewed every change: ${outcome.rangeReason}.`);
  if (result.reason) core.warning(`Steward review: ${result.reason}`);

  const all = [...result.findings, ...result.offDiff];
  const deltas = result.health.files.flatMap((f) => (f.delta === null ? [] : [f.delta]));
  core.setOutput('findings', String(all.length));
  core.setOutput('critical', String(all.filter((f) => f.severity === 'critical').length));
  core.setOutput('health-delta', deltas.length ? Math.min(...deltas).toFixed(1) : '');
  core.setOutput('mode', result.mode);
  core.setOutput('cost-usd', (result.usage.costUsd ?? 0).toFixed(4));
  if (inputs.sarifFile) {
    mkdirSync(dirname(inputs.sarifFile), { recursive: true });
    writeFileSync(inputs.sarifFile, renderReviewSarif(result));
    core.setOutput('sarif-file', inputs.sarifFile);
  }
  if (outcome.notPosted) {
    const fork = snapshot.isCrossRepository
      ? ' A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request`.'
      : '';
    core.warning(
      `Steward could not post the review: ${outcome.notPosted}${fork} The review is in this job's summary.`,
    );
  }
  if (posting) {
    core.info(
      `Posted ${posting.posted} comment(s); ${posting.alreadyPosted} already posted; ${posting.rejected.length} rejected by GitHub; summary ${posting.summary}.`,
    );
  }
  await core.summary
    .addRaw(renderReviewMarkdown(result, posting ? postingNotes(posting) : undefined))
    .write();

  const failOn = inputs.failOn ?? config.review.failOn ?? undefined;
  if (failOn) {
    const failing = all.filter((f) => atLeast(f.severity, failOn));
    if (failing.length)
      core.setFailed(`${failing.length} finding(s) at ${failOn} or above (fail-on: ${failOn}).`);
  }
}

try {
  await run();
} catch (error: unknown) {
  core.setFailed(error instanceof Error ? error.message : String(error));
  if (error instanceof Error && error.stack) core.debug(error.stack);
}
