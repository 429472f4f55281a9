import { z } from 'zod';
import { graphqlAccount, graphqlActor } from './accounts.ts';
import { requiredChecksRef, requiredFromRef, statusCheckRollup, toCheckFacts } from './checks.ts';
import type { GitHubClient, PullRequestSnapshot } from './client.ts';
import { describeGraphqlErrors } from './errors.ts';
import { PULL_REQUEST_SNAPSHOT_QUERY } from './queries.ts';
import { checkShape, type Transport } from './transport.ts';

/**
 * One GraphQL query gathers what a merge decision needs: the pull request, its labels, the head
 * commit with its check rollup and root manifest, and the base branch's required checks.
 */

const pullRequest = z.object({
  id: z.string(),
  number: z.number(),
  url: z.string(),
  title: z.string(),
  body: z.string(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  isDraft: z.boolean(),
  isCrossRepository: z.boolean(),
  headRefOid: z.string(),
  headRefName: z.string(),
  baseRefName: z.string(),
  baseRefOid: z.string(),
  mergeable: z.string(),
  mergeStateStatus: z.string(),
  changedFiles: z.number(),
  author: graphqlActor,
  labels: z
    .object({ nodes: z.array(z.object({ name: z.string() }).nullable()).nullable() })
    .nullable(),
  autoMergeRequest: z.object({ mergeMethod: z.string() }).nullable(),
  commits: z.object({
    totalCount: z.number(),
    nodes: z
      .array(
        z
          .object({
            commit: z.object({
              oid: z.string(),
              file: z
                .object({ object: z.object({ text: z.string().nullish() }).nullable() })
                .nullable(),
              statusCheckRollup,
            }),
          })
          .nullable(),
      )
      .nullable(),
  }),
  repository: z.object({ defaultBranchRef: z.object({ name: z.string() }).nullable() }),
  baseRef: requiredChecksRef,
});

const snapshotAnswer = z.object({
  repository: z.object({ pullRequest: pullRequest.nullable() }),
});
type SnapshotAnswer = z.output<typeof snapshotAnswer>;

const MERGEABLE: readonly string[] = ['MERGEABLE', 'CONFLICTING', 'UNKNOWN'];

export function createSnapshotMethods(t: Transport): Pick<GitHubClient, 'getPullRequestSnapshot'> {
  return {
    async getPullRequestSnapshot(number) {
      const what = `the snapshot of pull request #${number}`;
      const variables = { ...t.base, number };
      let rulesetsProblem: string | null = null;
      const data = await t.read(
        what,
        () => t.graphql(what, PULL_REQUEST_SNAPSHOT_QUERY, variables, snapshotAnswer),
        (errors, partial): SnapshotAnswer | null => {
          // Rulesets a token may not read: GitHub's own isRequired still says what is required.
          const onlyRules = errors.every(
            (e) => e.type === 'FORBIDDEN' && e.path?.slice(-2).join('.') === 'baseRef.rules',
          );
          if (!onlyRules) return null;
          const answer = checkShape(snapshotAnswer, partial, {
            what,
            endpoint: 'GraphQL query StewardPullRequestSnapshot',
          });
          // The base branch itself (and its config) must have come back: only `rules` is null.
          if (!answer.repository.pullRequest?.baseRef) return null;
          rulesetsProblem = `the token cannot read the base branch's rulesets (${describeGraphqlErrors(errors)}); grant it read access to the repository's rules (the "metadata: read" permission of a GitHub App or fine-grained token) — Steward relied on GitHub's isRequired for the head instead`;
          return answer;
        },
      );
      const pr = data.repository.pullRequest;
      if (!pr)
        throw new Error(`Pull request #${number} not found in ${t.repo.owner}/${t.repo.repo}`);
      return { ...toSnapshot(pr), requiredChecksProblem: rulesetsProblem };
    },
  };
}

function toSnapshot(pr: z.output<typeof pullRequest>): PullRequestSnapshot {
  const head = pr.commits.nodes?.[0]?.commit;
  return {
    id: pr.id,
    number: pr.number,
    url: pr.url,
    title: pr.title,
    body: pr.body,
    state: pr.state,
    isDraft: pr.isDraft,
    author: graphqlAccount(pr.author),
    isCrossRepository: pr.isCrossRepository,
    headSha: pr.headRefOid,
    headRefName: pr.headRefName,
    baseRefName: pr.baseRefName,
    baseSha: pr.baseRefOid,
    // A state GitHub adds later says nothing about mergeability: UNKNOWN waits for a clear one.
    mergeable: (MERGEABLE.includes(pr.mergeable)
      ? pr.mergeable
      : 'UNKNOWN') as PullRequestSnapshot['mergeable'],
    mergeStateStatus: pr.mergeStateStatus,
    labels: (pr.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
    autoMerge: pr.autoMergeRequest ? { mergeMethod: pr.autoMergeRequest.mergeMethod } : null,
    // The rollup belongs to the last listed commit; if that is not the head, it says nothing.
    checks: head?.oid === pr.headRefOid ? toCheckFacts(head.statusCheckRollup) : [],
    requiredChecks: requiredFromRef(pr.baseRef),
    requiredChecksProblem: null,
    rootManifestAtHead: head?.file?.object?.text ?? null,
    // An empty repository has no default branch: '' is what the auto-merge handler refuses on.
    defaultBranch: pr.repository.defaultBranchRef?.name ?? '',
    commitCount: pr.commits.totalCount,
    changedFiles: pr.changedFiles,
  };
}
