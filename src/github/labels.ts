import type { GitHubClient } from './client.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { Transport } from './transport.ts';

/** Labels on an issue or pull request. Both writes reach their goal however often they run. */
export function createLabelMethods(t: Transport): Pick<GitHubClient, 'addLabels' | 'removeLabel'> {
  return {
    async addLabels(issueNumber, labels) {
      await t.write('label pull requests', 'issues=write', () =>
        t.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          ...t.base,
          issue_number: issueNumber,
          labels: [...labels],
        }),
      );
    },

    async removeLabel(issueNumber, label) {
      try {
        await t.octokit.request(
          'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
          { ...t.base, issue_number: issueNumber, name: label },
        );
      } catch (error: unknown) {
        // Already gone (a redelivered event, or a person removed it): the goal is reached.
        if (isRequestError(error) && error.status === 404) return;
        throw explainGitHubError(error, 'label pull requests', 'issues=write');
      }
    },
  };
}
