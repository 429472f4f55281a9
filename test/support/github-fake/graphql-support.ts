import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { GitHubState } from './state.ts';
import type { Actor } from './types.ts';

let cachedSchema: GraphQLSchema | undefined;

/**
 * GitHub's published schema, built once per process. The dump breaks two rules graphql-js 17
 * enforces (a field defined twice, deprecated implementations of non-deprecated interface fields);
 * GitHub's server does not trip on them, so the SDL and schema checks are skipped rather than the
 * dump edited.
 */
export function githubSchema(): GraphQLSchema {
  if (!cachedSchema) {
    const file = new URL('./schema.graphql', import.meta.resolve('@octokit/graphql-schema'));
    cachedSchema = buildSchema(readFileSync(file, 'utf8'), {
      assumeValid: true,
      assumeValidSDL: true,
    });
  }
  return cachedSchema;
}

/** An error GitHub reports with a top-level `type` (NOT_FOUND, FORBIDDEN, UNPROCESSABLE, …). */
export class GitHubGraphQLError extends Error {
  readonly type: string | undefined;
  /** Set when the error means the test did not set the fake up for this request. */
  readonly unexpected: string | undefined;

  constructor(type: string | undefined, message: string, unexpected?: string) {
    super(message);
    this.type = type;
    this.unexpected = unexpected;
  }
}

export interface GraphQLContext {
  state: GitHubState;
  /** The token's bot: who arms auto-merge. */
  actor: Actor;
  /** Record a request detail nothing was set up for, without failing the field (GitHub answers null). */
  unexpected(reason: string): void;
  /** The permission a denial names for this mutation, if the test denied it. */
  deniedPermission(mutation: string): string | undefined;
  /** The error a test made a field fail with (`Type.field`), as GitHub reports FORBIDDEN or TIMEOUT. */
  fieldFault(coordinate: string): FieldFault | undefined;
}

/** A field GitHub answers with an error and null (a partial answer): FORBIDDEN, TIMEOUT, … */
export interface FieldFault {
  coordinate: string;
  type: string;
  message: string;
}

/** A GraphQL object: plain values, or functions of (args, context) for fields with arguments. */
export type Model = { __typename: string } & Record<string, unknown>;
export type Args = Record<string, unknown>;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');
const indexOf = (cursor: string) =>
  Number(/^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1] ?? NaN);

/** A Relay connection with GitHub's pagination rules (first or last required, at most 100). */
export function connection<T>(items: readonly T[], args: ConnectionArgs, field: string) {
  const { first, last, after, before } = args;
  if (first == null && last == null) {
    throw new GitHubGraphQLError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      `connection ${field} queried without first or last`,
    );
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (value > 100 || value < 0)) {
      throw new GitHubGraphQLError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
        `connection ${field} asked for ${name}: ${value}`,
      );
    }
  }
  let start = after ? indexOf(after) + 1 : 0;
  let end = before ? indexOf(before) : items.length;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new GitHubGraphQLError(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${after ?? before}\` does not appear to be a valid cursor.`,
      `bad cursor on ${field}`,
    );
  }
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const nodes = items.slice(start, end);
  const edges = nodes.map((node, i) => ({ cursor: cursorOf(start + i), node }));
  return {
    totalCount: items.length,
    nodes,
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
