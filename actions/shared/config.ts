import {
  describeSources,
  formatLocatedConfigErrors,
  settingsYaml,
} from '../../src/config/format.ts';
import { loadConfig } from '../../src/config/loader.ts';
import type { ConfigOutcome, LocatedConfigError } from '../../src/config/loader.ts';
import type { StewardConfig } from '../../src/config/schema.ts';
import { configReaderFor } from '../../src/github/config-reader.ts';
import { createGitHubClient } from '../../src/github/octokit-client.ts';
import type { OctokitLike } from '../../src/github/octokit-client.ts';
import type { RepoRef } from '../../src/github/client.ts';
import type { StepLog } from './step.ts';

/** The config was read and is invalid: the step fails naming each error (not a GitHub fault). */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/**
 * How an action reads `.github/steward.yml`: the one loader, through the GitHub API, at the ref
 * the caller names (the pull request's base branch, or the ref the app read when it dispatched
 * the run). The job summary (through `log`) names the files the config came from, as every face does; an invalid
 * config fails the step with each error by file, line and column.
 */
export async function readActionConfig(
  octokit: OctokitLike,
  repo: RepoRef,
  ref: string,
  log: Pick<StepLog, 'notice' | 'summary'>,
): Promise<StewardConfig> {
  const reader = configReaderFor(createGitHubClient(octokit, repo));
  const loaded = await loadConfig({ reader, repo, ref });
  // Written at once: a run that stops early (a draft, nothing new) still says what it read.
  await log.summary(configSummary(loaded, ref));
  if (!loaded.ok) throw new InvalidConfigError(invalidConfigMessage(loaded.errors));
  for (const note of loaded.notes) log.notice(`Steward config: ${note}.`);
  return loaded.config;
}

/** The config line of the job summary: where it was read, or why it is invalid. */
export function configSummary(loaded: ConfigOutcome, ref: string): string {
  const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;
  const where = `${describeSources(loaded.sources, code)} (at ${code(ref)})`;
  if (loaded.ok) {
    const settings = settingsYaml(loaded.merged);
    const details =
      settings === ''
        ? ''
        : `<details><summary>Settings given (everything else is the default)</summary>\n\n\`\`\`yaml\n${settings}\n\`\`\`\n\n</details>\n\n`;
    return `\n**Configuration**: ${where}\n\n${details}`;
  }
  return `\n**Configuration is invalid**: ${where}\n\n\`\`\`\n${formatLocatedConfigErrors(loaded.errors)}\n\`\`\`\n\n`;
}

export function invalidConfigMessage(errors: readonly LocatedConfigError[]): string {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return `the Steward config has ${count}:\n${formatLocatedConfigErrors(errors)}`;
}
