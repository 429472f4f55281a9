import { z } from 'zod';
import type { CheckFacts, CheckState, GitHubClient, RequiredCheck } from './client.ts';
import { GitHubAnswerError, isRequestError, serverFailure } from './errors.ts';
import { COMMIT_CHECKS_QUERY, REQUIRED_CHECKS_QUERY } from './queries.ts';
import type { Transport } from './transport.ts';

/** The checks of a commit, and the checks a branch requires (classic protection and rulesets). */

type CheckMethods = Pick<
  GitHubClient,
  'getCommitChecks' | 'getRequiredChecks' | 'getBranchProtectionChecks'
>;

const checkRun = z.object({
  __typename: z.literal('CheckRun'),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  detailsUrl: z.string().nullable(),
  // Asked only with a pull request number (the snapshot query).
  isRequired: z.boolean().optional(),
  checkSuite: z.object({
    app: z.object({ databaseId: z.number().nullable(), slug: z.string() }).nullable(),
  }),
});

const statusContext = z.object({
  __typename: z.literal('StatusContext'),
  context: z.string(),
  state: z.string(),
  targetUrl: z.string().nullable(),
  isRequired: z.boolean().optional(),
});

/** GraphQL `StatusCheckRollup` (nullable on a commit) with its first page of contexts. */
export const statusCheckRollup = z
  .object({
    contexts: z.object({
      pageInfo: z.object({ hasNextPage: z.boolean() }),
      nodes: z
        .array(z.discriminatedUnion('__typename', [checkRun, statusContext]).nullable())
        .nullable(),
    }),
  })
  .nullable();

/** GraphQL `Ref` with classic protection's contexts and rulesets' required status checks. */
export const requiredChecksRef = z
  .object({
    refUpdateRule: z
      .object({ requiredStatusCheckContexts: z.array(z.string().nullable()).nullable() })
      .nullable(),
    // Null in a partial answer when the token may not read the rulesets.
    rules: z
      .object({
        nodes: z
          .array(
            z
              .object({
                parameters: z
                  .object({
                    // Only RequiredStatusChecksParameters carry it; other rules' parameters are {}.
                    requiredStatusChecks: z
                      .array(
                        z.object({ context: z.string(), integrationId: z.number().nullable() }),
                      )
                      .optional(),
                  })
                  .nullable(),
              })
              .nullable(),
          )
          .nullable(),
      })
      .nullable(),
  })
  .nullable();

const commitChecksAnswer = z.object({
  repository: z.object({
    object: z.object({ statusCheckRollup: statusCheckRollup.optional() }).nullable(),
  }),
});

const requiredChecksAnswer = z.object({ repository: z.object({ ref: requiredChecksRef }) });

/** REST `branch-with-protection`, as much as classic protection's App bindings need. */
const branchWithProtection = z.object({
  protection: z.object({
    required_status_checks: z
      .object({
        checks: z.array(z.object({ context: z.string(), app_id: z.number().nullable() })),
      })
      .optional(),
  }),
});

export function createCheckMethods(t: Transport): CheckMethods {
  return {
    async getCommitChecks(sha) {
      const what = `the checks of commit ${sha.slice(0, 7)}`;
      const data = await t.read(what, () =>
        t.graphql(what, COMMIT_CHECKS_QUERY, { ...t.base, sha }, commitChecksAnswer),
      );
      // Not a commit (a tree, a tag) or no such object: no checks, as before.
      return toCheckFacts(data.repository.object?.statusCheckRollup ?? null);
    },

    async getRequiredChecks(branch) {
      const what = `the required checks of branch ${branch}`;
      const variables = { ...t.base, qualifiedName: `refs/heads/${branch}` };
      const data = await t.read(what, () =>
        t.graphql(what, REQUIRED_CHECKS_QUERY, variables, requiredChecksAnswer),
      );
      return requiredFromRef(data.repository.ref);
    },

    async getBranchProtectionChecks(branch) {
      const what = `the protection of branch ${branch}`;
      try {
        const data = await t.request(
          what,
          'GET /repos/{owner}/{repo}/branches/{branch}',
          { branch },
          branchWithProtection,
        );
        return toProtectionChecks(data);
      } catch (error: unknown) {
        if (isRequestError(error) && (error.status === 403 || error.status === 404)) return null;
        const server = serverFailure(error);
        if (server) throw new GitHubAnswerError(what, server);
        throw error;
      }
    },
  };
}

const CHECK_RUN_STATE: Record<string, CheckState> = {
  SUCCESS: 'success',
  FAILURE: 'failure',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'timed_out',
  ACTION_REQUIRED: 'action_required',
  STALE: 'stale',
  STARTUP_FAILURE: 'startup_failure',
  SKIPPED: 'skipped',
  NEUTRAL: 'neutral',
};
const STATUS_STATE: Record<string, CheckState> = {
  SUCCESS: 'success',
  PENDING: 'pending',
  EXPECTED: 'pending',
  FAILURE: 'failure',
  ERROR: 'error',
};

/** A state GitHub adds later is read as `error`: it claims nothing green. */
export function toCheckFacts(rollup: z.output<typeof statusCheckRollup>): CheckFacts[] {
  if (!rollup) return [];
  const nodes = (rollup.contexts.nodes ?? []).filter((n) => n !== null);
  const facts = nodes.map((node): CheckFacts => {
    if (node.__typename === 'StatusContext') {
      return {
        name: node.context,
        kind: 'status',
        state: STATUS_STATE[node.state] ?? 'error',
        required: node.isRequired === true,
        url: node.targetUrl || null,
        app: null,
      };
    }
    const completed = node.status === 'COMPLETED';
    const app = node.checkSuite.app;
    return {
      name: node.name,
      kind: 'check-run',
      state: completed ? (CHECK_RUN_STATE[node.conclusion ?? ''] ?? 'error') : 'pending',
      required: node.isRequired === true,
      url: node.detailsUrl || null,
      app: app && app.databaseId !== null ? { id: app.databaseId, slug: app.slug } : null,
    };
  });
  // More contexts than one page: the unseen ones might be red, so say so as a failing entry.
  if (rollup.contexts.pageInfo.hasNextPage) {
    facts.push({
      name: 'more than 100 checks',
      kind: 'status',
      state: 'error',
      required: false,
      url: null,
      app: null,
    });
  }
  return facts;
}

/**
 * What a branch requires: classic protection's contexts (their App binding is not in GraphQL's
 * refUpdateRule, so appId is null until the REST branch read fills it in) and rulesets' required
 * status checks with their `integrationId`.
 */
export function requiredFromRef(ref: z.output<typeof requiredChecksRef>): RequiredCheck[] {
  const required: RequiredCheck[] = [];
  const add = (check: RequiredCheck) => {
    if (check.context === '') return;
    if (required.some((r) => r.context === check.context && r.appId === check.appId)) return;
    required.push(check);
  };
  for (const context of ref?.refUpdateRule?.requiredStatusCheckContexts ?? [])
    if (context !== null) add({ context, appId: null, source: 'branch protection' });
  for (const rule of ref?.rules?.nodes ?? []) {
    for (const check of rule?.parameters?.requiredStatusChecks ?? [])
      add({ context: check.context, appId: check.integrationId, source: 'ruleset' });
  }
  return required.sort((a, b) => a.context.localeCompare(b.context));
}

/** REST branch protection's `required_status_checks.checks`: each context with its `app_id`. */
function toProtectionChecks(branch: z.output<typeof branchWithProtection>): RequiredCheck[] {
  const checks = branch.protection.required_status_checks?.checks ?? [];
  return checks
    .map((c): RequiredCheck => ({
      context: c.context,
      appId: c.app_id !== null && c.app_id > 0 ? c.app_id : null,
      source: 'branch protection',
    }))
    .filter((c) => c.context !== '');
}
