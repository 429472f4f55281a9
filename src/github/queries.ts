/**
 * GraphQL documents the client sends. One snapshot query gathers what a merge decision needs
 * (pull request, labels, head commit with its check rollup and root manifest, and the base branch's
 * required checks from classic protection and rulesets) in a single request.
 */

const REQUIRED_CHECKS_FIELDS = `
  refUpdateRule { requiredStatusCheckContexts }
  rules(first: 100) {
    nodes {
      type
      parameters {
        ... on RequiredStatusChecksParameters { requiredStatusChecks { context integrationId } }
      }
    }
  }
`;

export const PULL_REQUEST_SNAPSHOT_QUERY = `
query StewardPullRequestSnapshot($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      id
      number
      url
      title
      body
      state
      isDraft
      isCrossRepository
      headRefOid
      headRefName
      baseRefName
      baseRefOid
      mergeable
      mergeStateStatus
      changedFiles
      author { __typename login }
      labels(first: 100) { nodes { name } }
      autoMergeRequest { mergeMethod }
      commits(last: 1) {
        totalCount
        nodes {
          commit {
            oid
            file(path: "package.json") { object { ... on Blob { text } } }
            statusCheckRollup {
              contexts(first: 100) {
                pageInfo { hasNextPage }
                nodes {
                  __typename
                  ... on CheckRun {
                    name status conclusion detailsUrl isRequired(pullRequestNumber: $number)
                    checkSuite { app { databaseId slug } }
                  }
                  ... on StatusContext { context state targetUrl isRequired(pullRequestNumber: $number) }
                }
              }
            }
          }
        }
      }
      repository {
        defaultBranchRef { name }
      }
      baseRef {
        ${REQUIRED_CHECKS_FIELDS}
      }
    }
  }
}
`;

export const REQUIRED_CHECKS_QUERY = `
query StewardRequiredChecks($owner: String!, $repo: String!, $qualifiedName: String!) {
  repository(owner: $owner, name: $repo) {
    ref(qualifiedName: $qualifiedName) { ${REQUIRED_CHECKS_FIELDS} }
  }
}
`;

/** One aliased `object(expression:)` per path, so many files cost one request. */
export function fileTextsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) => `f${i}: object(expression: $e${i}) { ... on Blob { text isBinary isTruncated } }`,
  ).join('\n    ');
  return `query StewardFileTexts($owner: String!, $repo: String!, ${vars}) {
  repository(owner: $owner, name: $repo) {
    ${fields}
  }
}`;
}

export const ENABLE_AUTO_MERGE_MUTATION = `
mutation StewardEnableAutoMerge($id: ID!, $oid: GitObjectID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(
    input: { pullRequestId: $id, expectedHeadOid: $oid, mergeMethod: $mergeMethod }
  ) {
    pullRequest { autoMergeRequest { mergeMethod } }
  }
}
`;

export const COMMIT_CHECKS_QUERY = `
query StewardCommitChecks($owner: String!, $repo: String!, $sha: String!) {
  repository(owner: $owner, name: $repo) {
    object(expression: $sha) {
      ... on Commit {
        statusCheckRollup {
          contexts(first: 100) {
            pageInfo { hasNextPage }
            nodes {
              __typename
              ... on CheckRun { name status conclusion detailsUrl checkSuite { app { databaseId slug } } }
              ... on StatusContext { context state targetUrl }
            }
          }
        }
      }
    }
  }
}
`;

export const DISABLE_AUTO_MERGE_MUTATION = `
mutation StewardDisableAutoMerge($id: ID!) {
  disablePullRequestAutoMerge(input: { pullRequestId: $id }) {
    pullRequest { autoMergeRequest { mergeMethod } }
  }
}
`;

/**
 * The account the token acts as. For an installation token (an App, or Actions' GITHUB_TOKEN)
 * GitHub answers with the App's bot user as REST names it (`github-actions[bot]`); for a personal
 * token, the person.
 */
export const VIEWER_QUERY = `
query StewardViewer {
  viewer { login databaseId }
}
`;

/** A pull request's review threads, a page at a time, each with the REST id of its first comment. */
export const REVIEW_THREADS_QUERY = `
query StewardReviewThreads($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { fullDatabaseId } } }
      }
    }
  }
}
`;

export const RESOLVE_REVIEW_THREAD_MUTATION = `
mutation StewardResolveReviewThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}
`;

export const UNRESOLVE_REVIEW_THREAD_MUTATION = `
mutation StewardUnresolveReviewThread($threadId: ID!) {
  unresolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}
`;

/** One commit on a branch, signed by GitHub, refused (STALE_DATA) when the branch moved. */
export const CREATE_COMMIT_ON_BRANCH_MUTATION = `
mutation StewardCreateCommitOnBranch($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url }
  }
}
`;
