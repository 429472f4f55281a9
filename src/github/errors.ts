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
