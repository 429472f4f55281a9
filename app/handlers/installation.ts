import type { EmitterWebhookEvent } from '@octokit/webhooks';

type InstallationPayload = EmitterWebhookEvent<
  'installation' | 'installation_repositories'
>['payload'];

/**
 * What the log says about an installation event: who, what changed, how many repositories. The
 * payload is signed but still read defensively: a field it lacks is left out of the line.
 */
export function describeInstallation(payload: InstallationPayload): Record<string, unknown> {
  const names = (list: readonly { full_name?: unknown }[] | null | undefined) =>
    (Array.isArray(list) ? list : []).map((r) => r?.full_name);
  const account = payload.installation?.account;
  return {
    installation: payload.installation?.id,
    account:
      typeof account === 'object' && account !== null && 'login' in account
        ? account.login
        : undefined,
    action: payload.action,
    ...('repositories_added' in payload
      ? {
          added: names(payload.repositories_added),
          removed: names(payload.repositories_removed),
          selection: payload.repository_selection,
        }
      : { repositories: names(payload.repositories) }),
  };
}
