/**
 * The environment of every process that runs the repository's code (its Stryker config, its tests
 * under mutation). The pull request chooses that code, so it gets none of Steward's secrets: only
 * the variables a Node toolchain needs, never GITHUB_TOKEN, ANTHROPIC_API_KEY, INPUT_* or the like.
 */
const PASSED_ON = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'TZ',
  'CI',
  'SystemRoot',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
];

export function untrustedEnvironment(
  from: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
