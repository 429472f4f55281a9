import type { GitHubClient } from './client.ts';
import type { Transport } from './transport.ts';

/** CONTRACT STUB (issue 18): the issue, deployment and history reads and writes incidents use. */
type IssueMethods = Pick<
  GitHubClient,
  | 'createIssue'
  | 'getIssue'
  | 'updateIssue'
  | 'listOurIssues'
  | 'listIssueComments'
  | 'createIssueComment'
  | 'listIssueEvents'
  | 'listDeployments'
  | 'listMergedPullRequests'
  | 'countCommitsTouching'
>;

export function createIssueMethods(_t: Transport): IssueMethods {
  const missing = (name: string) => () => Promise.reject(new Error(`${name}: not built yet`));
  return {
    createIssue: missing('createIssue'),
    getIssue: missing('getIssue'),
    updateIssue: missing('updateIssue'),
    listOurIssues: missing('listOurIssues'),
    listIssueComments: missing('listIssueComments'),
    createIssueComment: missing('createIssueComment'),
    listIssueEvents: missing('listIssueEvents'),
    listDeployments: missing('listDeployments'),
    listMergedPullRequests: missing('listMergedPullRequests'),
    countCommitsTouching: missing('countCommitsTouching'),
  };
}
