/** What Octokit's RequestError carries that Steward reads; duck-typed so any Octokit works. */
interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** A GitHub call the token may not make; the message names the permission to grant. */
export class MissingPermissionError extends Error {
  readonly permission: string;
  constructor(action: string, permission: string) {
    super(
      `The token cannot ${action}: it lacks the "${permission}" permission. Add it to the workflow's \`permissions:\` (for example \`${permission.replace('=', ': ')}\`) or to the GitHub App.`,
    );
    this.name = 'MissingPermissionError';
    this.permission = permission;
  }
}

/**
 * Turns GitHub's 403 "Resource not accessible by integration" into an error naming the permission
 * GitHub says it wanted (x-accepted-github-permissions), with what to do about it.
 */
export function explainGitHubError(
  error: unknown,
  action: string,
  fallbackPermission: string,
): unknown {
  if (!isRequestError(error) || error.status !== 403) return error;
  if (!/not accessible|permission/i.test(error.message)) return error;
  const header = error.response?.headers?.['x-accepted-github-permissions'];
  const permission =
    typeof header === 'string' && header.length > 0
      ? header.split(',')[0]!.trim()
      : fallbackPermission;
  return new MissingPermissionError(action, permission);
}

/** GraphQL errors arrive as one error with an `errors` array; FORBIDDEN means a missing permission. */
export function isGraphqlForbidden(error: unknown): boolean {
  const errors = (error as { errors?: { type?: string }[] } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e.type === 'FORBIDDEN');
}

/**
 * GitHub answered a read with something Steward cannot decide on: GraphQL errors or a partial
 * answer (a field FORBIDDEN or TIMEOUT), or a 5xx that outlasted the retries. Callers that decide
 * on GitHub's answers turn it into a refusal for this run, never a merge.
 */
export class GitHubAnswerError extends Error {
  /** Set when the failed request was a write (a merge): whether it took effect is unknown. */
  readonly duringWrite: boolean;
  constructor(what: string, detail: string, duringWrite = false) {
    super(`GitHub could not answer ${what}: ${detail}`);
    this.name = 'GitHubAnswerError';
    this.duringWrite = duringWrite;
  }
}

/** One error of a GraphQL answer, as GitHub words it. */
export interface GraphqlErrorItem {
  type?: string;
  message?: string;
  path?: readonly (string | number)[];
}

/** The errors and partial data of a GraphQL answer Octokit threw for; null for other errors. */
export function graphqlFailure(
  error: unknown,
): { errors: GraphqlErrorItem[]; data: unknown } | null {
  const errors = (error as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  return {
    errors: errors.filter((e): e is GraphqlErrorItem => typeof e === 'object' && e !== null),
    data: (error as { data?: unknown }).data ?? null,
  };
}

export function describeGraphqlErrors(errors: readonly GraphqlErrorItem[]): string {
  return errors
    .map(
      (e) =>
        `${e.type ?? 'error'}${e.path ? ` at ${e.path.join('.')}` : ''}: ${e.message ?? 'no message'}`,
    )
    .join('; ');
}

/** A REST or GraphQL transport failure GitHub gave after the retries: 5xx, or no answer at all. */
export function serverFailure(error: unknown): string | null {
  if (isRequestError(error) && error.status >= 500)
    return `HTTP ${error.status} (${error.message})`;
  return null;
}

/** Where an answer left the shape GitHub documents, as `shapeProblems` words it. */
export interface ShapeProblem {
  /** The field, from the top of the answer: `[3].filename`, `repository.pullRequest.headRefOid`. */
  field: string;
  /** What GitHub documents there and what came instead: `expected string, received undefined`. */
  expected: string;
}

/**
 * GitHub answered, but not in the shape its REST description or GraphQL schema promises: a
 * required field missing, a string where a number belongs. Steward stops on it rather than decide
 * on a default, and says which request, which field and what was expected. It is a GitHubAnswerError,
 * so an auto-merge decision ends in a refusal for this run, never in a merge.
 */
export class GitHubShapeError extends GitHubAnswerError {
  /** The request: a REST route (`GET /repos/{owner}/{repo}/pulls/{pull_number}/files`) or GraphQL operation. */
  readonly endpoint: string;
  readonly problems: readonly ShapeProblem[];
  constructor(
    what: string,
    endpoint: string,
    problems: readonly ShapeProblem[],
    duringWrite = false,
  ) {
    const listed = problems
      .slice(0, 5)
      .map((p) => `${p.field || 'the answer'}: ${p.expected}`)
      .join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    super(
      what,
      `${endpoint} answered in a shape GitHub does not document, at ${listed}${more}. Steward stopped rather than guess; if GitHub changed this answer, report it to Steward`,
      duringWrite,
    );
    this.name = 'GitHubShapeError';
    this.endpoint = endpoint;
    this.problems = problems;
  }
}

/** One error for a dispatch GitHub refused, naming what to fix in the repository. */
export class DispatchError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'DispatchError';
    this.status = status;
  }
}
