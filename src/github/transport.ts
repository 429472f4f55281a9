import { z } from 'zod';
import type { RepoRef } from './client.ts';
import {
  describeGraphqlErrors,
  explainGitHubError,
  GitHubAnswerError,
  GitHubShapeError,
  graphqlFailure,
  serverFailure,
  type GraphqlErrorItem,
} from './errors.ts';
import { VIEWER_QUERY } from './queries.ts';

/**
 * What every area of the client (pulls, comments, reviews, checks, merge, collaboration) shares:
 * the Octokit it talks through, answers checked against GitHub's documented shape, pages, the
 * errors a read or a write ends in, and the account the token acts as.
 */

/**
 * The slice of Octokit Steward uses. @actions/github's getOctokit and Probot's context.octokit
 * both satisfy it, so the same client serves the actions and the app. Request deadlines, retries
 * and rate limits are the Octokit's own (actions-octokit.ts, app/server.ts).
 */
export interface OctokitLike {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
  graphql: <T>(query: string, parameters?: Record<string, unknown>) => Promise<T>;
}

/** The account the client's token acts as, as GraphQL's `viewer` names it. */
export interface OwnAccount {
  login: string;
  /** The REST `user.id` of the account; null when GitHub did not say. */
  databaseId: number | null;
}

export interface GitHubClientOptions {
  /**
   * The account the token acts as, when the face already knows it (an App learns its bot user from
   * `GET /app`); otherwise the client asks GitHub once, the first time it needs to tell its own
   * comments apart.
   */
  ownAccount?: OwnAccount | (() => Promise<OwnAccount>);
}

export interface Transport {
  readonly octokit: OctokitLike;
  readonly repo: RepoRef;
  /** `owner` and `repo`, as every route of the repository takes them. */
  readonly base: { owner: string; repo: string };
  /** A REST request whose answer must have `schema`'s shape (GitHubShapeError otherwise). */
  request<S extends z.ZodType>(
    what: string,
    route: string,
    parameters: Record<string, unknown>,
    schema: S,
  ): Promise<z.output<S>>;
  /** A GraphQL query or mutation whose data must have `schema`'s shape. */
  graphql<S extends z.ZodType>(
    what: string,
    document: string,
    variables: Record<string, unknown>,
    schema: S,
  ): Promise<z.output<S>>;
  /** Every item of a list route, page by page, up to `max`; each item must have `item`'s shape. */
  paginate<S extends z.ZodType>(
    what: string,
    route: string,
    parameters: Record<string, unknown>,
    max: number,
    item: S,
  ): Promise<z.output<S>[]>;
  /**
   * A read whose answer a decision rests on: GraphQL errors and partial answers, and 5xx after the
   * retries, become GitHubAnswerError naming what was asked. `tolerate` lets a caller accept a
   * partial answer whose errors it can work around (and say so).
   */
  read<T>(
    what: string,
    call: () => Promise<T>,
    tolerate?: (errors: GraphqlErrorItem[], data: unknown) => T | null,
  ): Promise<T>;
  /** A write whose 403 becomes MissingPermissionError naming `permission`. */
  write<T>(action: string, permission: string, call: () => Promise<T>): Promise<T>;
  /**
   * Steward's own account: markers count only in its comments, so a person or another bot cannot
   * forge what Steward wrote. Asked once per client; a failed answer is not cached.
   */
  ownAccount(): Promise<OwnAccount>;
}

const PER_PAGE = 100;

const viewerAnswer = z.object({
  viewer: z.object({ login: z.string().min(1), databaseId: z.number().nullish() }),
});

export function createTransport(
  octokit: OctokitLike,
  repo: RepoRef,
  options: GitHubClientOptions = {},
): Transport {
  const base = { owner: repo.owner, repo: repo.repo };
  const given = options.ownAccount;
  let own: Promise<OwnAccount> | undefined =
    typeof given === 'function' ? undefined : given && Promise.resolve(given);

  const transport: Transport = {
    octokit,
    repo,
    base,

    async request(what, route, parameters, schema) {
      const { data } = await octokit.request(route, { ...base, ...parameters });
      return checkShape(schema, data, { what, endpoint: route });
    },

    async graphql(what, document, variables, schema) {
      const data = await octokit.graphql<unknown>(document, variables);
      return checkShape(schema, data, { what, endpoint: operationOf(document) });
    },

    async paginate(what, route, parameters, max, item) {
      const items: z.output<typeof item>[] = [];
      const page = z.array(item);
      for (let n = 1; items.length < max; n++) {
        const { data } = await octokit.request(route, {
          ...base,
          ...parameters,
          per_page: PER_PAGE,
          page: n,
        });
        const offset = items.length;
        const checked = checkShape(page, data, { what, endpoint: route, offset });
        items.push(...checked);
        if (checked.length < PER_PAGE) break;
      }
      return items;
    },

    async read(what, call, tolerate) {
      try {
        return await call();
      } catch (error: unknown) {
        const graphql = graphqlFailure(error);
        if (graphql) {
          const accepted = tolerate?.(graphql.errors, graphql.data) ?? null;
          if (accepted !== null) return accepted;
          throw new GitHubAnswerError(what, describeGraphqlErrors(graphql.errors));
        }
        const server = serverFailure(error);
        if (server) throw new GitHubAnswerError(what, server);
        throw error;
      }
    },

    async write(action, permission, call) {
      try {
        return await call();
      } catch (error: unknown) {
        throw explainGitHubError(error, action, permission);
      }
    },

    ownAccount() {
      if (typeof given === 'function') return given();
      own ??= transport
        .graphql('the account this token acts as', VIEWER_QUERY, {}, viewerAnswer)
        .then(
          ({ viewer }) => ({ login: viewer.login, databaseId: viewer.databaseId ?? null }),
          (error: unknown) => {
            own = undefined;
            const why = error instanceof Error ? error.message : String(error);
            throw new Error(
              `Could not learn which GitHub account this token acts as (GraphQL viewer): ${why}. Steward needs it to tell its own comments apart; check the token and GITHUB_GRAPHQL_URL.`,
              { cause: error },
            );
          },
        );
      return own;
    },
  };
  return transport;
}

/** Where an answer came from, for the error that says it left GitHub's documented shape. */
export interface AnswerSource {
  /** What was asked, in words: `the files of pull request #7`. */
  what: string;
  /** The REST route or GraphQL operation. */
  endpoint: string;
  /** Shifts a list page's indices to the item's place in the whole list. */
  offset?: number;
  /** The answer is a write's (a merge): it took effect even though its answer is unreadable. */
  duringWrite?: boolean;
}

/**
 * `data` checked against `schema`: GitHub-legal extras pass (and are dropped), a missing or
 * mistyped field GitHub documents as required is a GitHubShapeError naming the endpoint and field.
 */
export function checkShape<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: AnswerSource,
): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: fieldPath(issue.path, source.offset ?? 0),
    expected: issue.message.replace(/^Invalid input: /, ''),
  }));
  throw new GitHubShapeError(source.what, source.endpoint, problems, source.duringWrite);
}

function fieldPath(path: readonly PropertyKey[], offset: number): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${i === 0 ? key + offset : key}]`;
      return i === 0 ? String(key) : `.${String(key)}`;
    })
    .join('');
}

/** `GraphQL StewardPullRequestSnapshot`: the operation a document names, for errors. */
function operationOf(document: string): string {
  const name = /\b(query|mutation)\s+(\w+)/.exec(document);
  return name ? `GraphQL ${name[1]} ${name[2]}` : 'GraphQL';
}
