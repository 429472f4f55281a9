/** What the log says about an installation event: who, what changed, how many repositories. */
export function describeInstallation(
  name: string,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const installation = payload['installation'] as
    { id?: number; account?: { login?: string } | null } | undefined;
  const names = (key: string) =>
    ((payload[key] as { full_name?: string }[] | undefined) ?? []).map((r) => r.full_name);
  return {
    installation: installation?.id,
    account: installation?.account?.login,
    action: payload['action'],
    ...(name === 'installation'
      ? { repositories: names('repositories') }
      : {
          added: names('repositories_added'),
          removed: names('repositories_removed'),
          selection: payload['repository_selection'],
        }),
  };
}
