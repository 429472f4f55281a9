import { GraphQLError, execute, getOperationAST, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLFieldResolver, GraphQLTypeResolver } from 'graphql';
import { rootValue } from './graphql-mutations.ts';
import { GitHubGraphQLError, githubSchema } from './graphql-support.ts';
import type { GraphQLContext } from './graphql-support.ts';
import type { GraphQLCall } from './types.ts';

export interface GraphQLOutcome {
  body: unknown;
  call: GraphQLCall;
  /** Reasons this request was not what the test set the fake up for. */
  unexpected: string[];
}

/** GitHub rejects these before executing anything, so no partial data comes back. */
const REQUEST_LEVEL = new Set(['MISSING_PAGINATION_BOUNDARIES', 'EXCESSIVE_PAGINATION']);

const fieldResolver: GraphQLFieldResolver<unknown, GraphQLContext> = (source, args, ctx, info) => {
  if (info.parentType === info.schema.getMutationType()) {
    const permission = ctx.deniedPermission(info.fieldName);
    if (permission !== undefined) {
      throw new GitHubGraphQLError('FORBIDDEN', 'Resource not accessible by integration');
    }
  }
  const fault = ctx.fieldFault(`${info.parentType.name}.${info.fieldName}`);
  if (fault) throw new GitHubGraphQLError(fault.type, fault.message);
  if (typeof source === 'object' && source !== null && Object.hasOwn(source, info.fieldName)) {
    const value: unknown = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function'
      ? (value as (a: unknown, c: unknown) => unknown)(args, ctx)
      : value;
  }
  // Answering null would let a client bug pass for "GitHub had no data"; make the gap loud instead.
  const coordinate = `${info.parentType.name}.${info.fieldName}`;
  throw new GitHubGraphQLError(
    undefined,
    `GitHub fake does not implement ${coordinate}`,
    `GraphQL field ${coordinate} is not implemented by the fake`,
  );
};

const typeResolver: GraphQLTypeResolver<unknown, GraphQLContext> = (value) =>
  typeof value === 'object' && value !== null && '__typename' in value
    ? String(value.__typename)
    : undefined;

export async function executeGraphQL(
  body: unknown,
  context: Omit<GraphQLContext, 'unexpected'>,
): Promise<GraphQLOutcome> {
  const unexpected: string[] = [];
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  const source = request['query'];
  const variables = (request['variables'] ?? {}) as Record<string, unknown>;
  const call: GraphQLCall = {
    operationName: typeof request['operationName'] === 'string' ? request['operationName'] : null,
    variables,
    document: typeof source === 'string' ? source : '',
  };
  const reject = (errors: unknown[], reason: string): GraphQLOutcome => {
    unexpected.push(reason);
    return { body: { errors }, call, unexpected };
  };
  if (typeof source !== 'string') {
    return reject(
      [{ message: 'A query attribute must be specified and must be a string.' }],
      'GraphQL request without a query string',
    );
  }

  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error: unknown) {
    if (!(error instanceof GraphQLError)) throw error;
    return reject([formatError(error)], `GraphQL syntax error: ${error.message}`);
  }
  const operation = getOperationAST(document, call.operationName);
  call.operationName ??= operation?.name?.value ?? null;

  const schema = githubSchema();
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) {
    const errors = validationErrors.map(formatError);
    return reject(errors, `GraphQL validation: ${errors.map((e) => e.message).join('; ')}`);
  }

  const contextValue: GraphQLContext = { ...context, unexpected: (r) => unexpected.push(r) };
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(contextValue),
    contextValue,
    variableValues: variables,
    operationName: call.operationName,
    fieldResolver,
    typeResolver,
  });
  const errors = result.errors ?? [];
  for (const error of errors) {
    const original = error.originalError;
    if (original instanceof GitHubGraphQLError) {
      if (original.unexpected !== undefined) unexpected.push(original.unexpected);
    } else {
      unexpected.push(`GraphQL error: ${error.message}`);
    }
  }
  if (errors.length === 0) return { body: { data: result.data }, call, unexpected };
  const requestLevel = errors.some((e) => REQUEST_LEVEL.has(errorType(e) ?? ''));
  const formatted = errors.map(formatError);
  return {
    body: requestLevel ? { errors: formatted } : { data: result.data ?? null, errors: formatted },
    call,
    unexpected,
  };
}

function errorType(error: GraphQLError): string | undefined {
  const original = error.originalError;
  return original instanceof GitHubGraphQLError ? original.type : undefined;
}

/** GitHub's error shape: `type` at top level, and its own wording for unknown fields. */
function formatError(error: GraphQLError) {
  const formatted: {
    type?: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
    locations?: readonly { line: number; column: number }[];
    message: string;
  } = { message: error.message };
  const type = errorType(error);
  if (type !== undefined) formatted.type = type;
  if (error.path) formatted.path = error.path;
  if (error.locations) formatted.locations = error.locations;
  const unknownField = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (unknownField) {
    const [, fieldName = '', typeName = ''] = unknownField;
    formatted.message = `Field '${fieldName}' doesn't exist on type '${typeName}'`;
    formatted.extensions = { code: 'undefinedField', typeName, fieldName };
  }
  return formatted;
}
