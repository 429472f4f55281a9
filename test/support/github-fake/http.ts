/** What a route answers. `unexpected` marks an answer the test did not set the fake up for. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  /** Sent as-is instead of JSON (raw media types). */
  text?: string;
  headers?: Record<string, string>;
  unexpected?: string;
}

/** Thrown by route helpers to stop a handler with a ready answer. */
export class RouteFailure extends Error {
  readonly response: FakeResponse;

  constructor(response: FakeResponse) {
    super(response.unexpected ?? `GitHub fake answered ${response.status}`);
    this.response = response;
  }
}

const REST_DOCS = 'https://docs.github.com/rest';

/** GitHub's error body; `status` became part of it in 2024. */
export function errorBody(status: number, message: string, documentationUrl = REST_DOCS) {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

export function fail(status: number, message: string, unexpected?: string): RouteFailure {
  return new RouteFailure({ status, body: errorBody(status, message), unexpected });
}

export function notFound(unexpected?: string): RouteFailure {
  return fail(404, 'Not Found', unexpected);
}

export interface PageRequest {
  /** Public URL of the request, including any `/api/v3` prefix, so `link` URLs are followable. */
  url: URL;
}

/**
 * One page of `items` and GitHub's `link` header (prev, next, last, first, in GitHub's order), which
 * octokit.paginate follows through rel="next".
 */
export function paginate<T>(
  items: readonly T[],
  request: PageRequest,
  defaultPerPage = 30,
): { items: T[]; headers: Record<string, string> } {
  const params = request.url.searchParams;
  const perPage = Math.min(100, Math.max(1, intParam(params.get('per_page')) ?? defaultPerPage));
  const page = Math.max(1, intParam(params.get('page')) ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const pageUrl = (n: number) => {
    const url = new URL(request.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return { items: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function intParam(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
