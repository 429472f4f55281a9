import type { components } from '@octokit/openapi-types';
import { errorBody, fail, notFound, paginate } from './http.ts';
import { blobSha, isoNow } from './ids.ts';
import { HTML, commitJson, repoApi, simpleUser } from './rest-shapes.ts';
import { ok, repoOf } from './router.ts';
import type { Route } from './router.ts';
import type { PermissionLevel } from './types.ts';

type Schemas = components['schemas'];

/** What installation tokens carry unless a test narrows it with denyPermission. */
export const TOKEN_PERMISSIONS: Schemas['app-permissions'] = {
  metadata: 'read',
  contents: 'read',
  pull_requests: 'write',
  issues: 'write',
  checks: 'read',
  statuses: 'read',
};

export const repoRoutes: Route[] = [
  {
    // The authenticated App: its slug is the login of the account it writes as (`<slug>[bot]`).
    method: 'GET',
    pattern: '/app',
    auth: 'app',
    handle: (ctx) => {
      const slug = ctx.actor.login.replace(/\[bot\]$/, '');
      const now = isoNow();
      const body: NonNullable<Schemas['integration']> = {
        id: 1,
        slug,
        node_id: 'A_kwDOAAAAAQ',
        client_id: 'Iv1.0000000000000001',
        owner: simpleUser({ login: 'acme', type: 'User' }, ctx.api),
        name: slug,
        description: null,
        external_url: `${HTML}/${slug}`,
        html_url: `${HTML}/apps/${slug}`,
        created_at: now,
        updated_at: now,
        permissions: TOKEN_PERMISSIONS as Record<string, string>,
        events: ['pull_request', 'issue_comment'],
        installations_count: 1 + ctx.moreInstallationIds.length,
      };
      return ok(body);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/contents/*path',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const path = ctx.params['path'] ?? '';
      const ref = ctx.url.searchParams.get('ref') ?? repo.defaultBranch;
      const text = ctx.state.fileText(repo, ref, path);
      if (text === undefined) {
        throw fail(
          404,
          `No commit found for the ref ${ref}`,
          `unknown ref ${ref} in ${repo.owner}/${repo.repo}`,
        );
      }
      // A missing file is an answer clients must handle (optional config), not a test mistake.
      if (text === null) throw notFound();
      if (/application\/vnd\.github(\.v3)?\.raw/.test(ctx.headers['accept'] ?? '')) {
        return {
          status: 200,
          text,
          headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' },
        };
      }
      const sha = blobSha(text);
      const self = `${repoApi(repo, ctx.api)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
      const html = `${HTML}/${repo.owner}/${repo.repo}/blob/${ref}/${path}`;
      const gitUrl = `${repoApi(repo, ctx.api)}/git/blobs/${sha}`;
      const body: Schemas['content-file'] = {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        name: path.split('/').at(-1) ?? path,
        path,
        // GitHub wraps base64 content at 60 characters.
        content:
          (
            Buffer.from(text)
              .toString('base64')
              .match(/.{1,60}/g) ?? []
          ).join('\n') + '\n',
        sha,
        url: self,
        git_url: gitUrl,
        html_url: html,
        download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.repo}/${ref}/${path}`,
        _links: { self, git: gitUrl, html },
      };
      return ok(body);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/rules/branches/*branch',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const contexts = repo.required.get(ctx.params['branch'] ?? '')?.rulesets;
      const rules: Schemas['repository-rule-detailed'][] = contexts
        ? [
            {
              type: 'required_status_checks',
              parameters: {
                required_status_checks: contexts.map((r) =>
                  r.appId === null
                    ? { context: r.context }
                    : { context: r.context, integration_id: r.appId },
                ),
                strict_required_status_checks_policy: false,
              },
              ruleset_source_type: 'Repository',
              ruleset_source: `${repo.owner}/${repo.repo}`,
              ruleset_id: 1,
            },
          ]
        : [];
      const page = paginate(rules, ctx);
      return ok(page.items, page.headers);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/branches/*branch',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const name = ctx.params['branch'] ?? '';
      const sha = repo.branches.get(name);
      const commit = sha === undefined ? undefined : repo.commits.get(sha);
      if (!commit)
        throw fail(404, 'Branch not found', `unknown branch ${name} in ${repo.owner}/${repo.repo}`);
      const required = repo.required.get(name);
      const classic = required?.classic ?? [];
      const base = `${repoApi(repo, ctx.api)}/branches/${name}`;
      const body: Schemas['branch-with-protection'] = {
        name,
        commit: commitJson(repo, commit, ctx.api),
        _links: { self: base, html: `${HTML}/${repo.owner}/${repo.repo}/tree/${name}` },
        protected: required !== undefined,
        protection: {
          enabled: required?.classic !== undefined,
          required_status_checks: {
            enforcement_level: classic.length > 0 ? 'non_admins' : 'off',
            contexts: classic.map((r) => r.context),
            checks: classic.map((r) => ({ context: r.context, app_id: r.appId })),
          },
        },
        protection_url: `${base}/protection`,
      };
      return ok(body);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/collaborators/:username/permission',
    handle: (ctx) => {
      const repo = repoOf(ctx);
      const login = ctx.params['username'] ?? '';
      const level = repo.permissions.get(login.toLowerCase());
      if (level === undefined) {
        throw notFound(
          `no permission seeded for ${login} on ${repo.owner}/${repo.repo} (fake.setPermission)`,
        );
      }
      const user = simpleUser({ login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, ctx.api);
      const body: Schemas['repository-collaborator-permission'] = {
        permission: LEGACY_PERMISSION[level],
        role_name: level === 'none' ? '' : level,
        user: { ...user, permissions: permissionFlags(level), role_name: level },
      };
      return ok(body);
    },
  },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/installation',
    auth: 'app',
    handle: (ctx) => {
      const repo = ctx.state.repo(ctx.params['owner'] ?? '', ctx.params['repo'] ?? '');
      // GitHub's answer for a repository the App is not installed on (or that does not exist):
      // a legitimate 404 the app must handle, so not an unexpected request.
      if (!repo?.installed) {
        return {
          status: 404,
          body: errorBody(
            404,
            'Not Found',
            'https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app',
          ),
        };
      }
      const now = isoNow();
      const body: Schemas['installation'] = {
        id: ctx.installationId,
        account: simpleUser({ login: repo.owner, type: 'User' }, ctx.api),
        repository_selection: 'all',
        access_tokens_url: `${ctx.api}/app/installations/${ctx.installationId}/access_tokens`,
        repositories_url: `${ctx.api}/installation/repositories`,
        html_url: `${HTML}/settings/installations/${ctx.installationId}`,
        app_id: 1,
        target_id: repo.id,
        target_type: 'User',
        permissions: TOKEN_PERMISSIONS,
        events: ['pull_request', 'check_suite', 'issue_comment'],
        created_at: now,
        updated_at: now,
        single_file_name: null,
        app_slug: ctx.actor.login.replace(/\[bot\]$/, ''),
        suspended_by: null,
        suspended_at: null,
      };
      return ok(body);
    },
  },
  {
    method: 'POST',
    pattern: '/app/installations/:id/access_tokens',
    auth: 'app',
    handle: (ctx) => {
      const id = Number(ctx.params['id']);
      if (id !== ctx.installationId && !ctx.moreInstallationIds.includes(id)) {
        throw notFound(`no installation ${ctx.params['id']} (the fake's is ${ctx.installationId})`);
      }
      const body: Schemas['installation-token'] = {
        token: ctx.token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: TOKEN_PERMISSIONS,
        repository_selection: 'all',
      };
      return { status: 201, body };
    },
  },
];

const LEGACY_PERMISSION: Record<PermissionLevel, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

function permissionFlags(level: PermissionLevel) {
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(level);
  return {
    pull: rank >= 1,
    triage: rank >= 2,
    push: rank >= 3,
    maintain: rank >= 4,
    admin: rank >= 5,
  };
}
