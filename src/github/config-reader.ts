import { MAX_CONFIG_BYTES } from '../config/limits.ts';
import type { ConfigLocation, ConfigRead, ConfigReader } from '../config/reader.ts';
import { repositoryLabel } from '../config/reader.ts';
import type { GitHubClient } from './client.ts';
import { readRepositoryFile } from './raw-files.ts';
import type { OctokitLike } from './transport.ts';

/**
 * The config loader's reader over the GitHub client: a file's raw text at a ref of any repository
 * the token can read, through the client's one door (`readRepositoryFile`). The loader checks every
 * name in `_extends` before it asks, so what reaches this reader is a plain owner, repository and
 * path. The body is read only up to MAX_CONFIG_BYTES.
 */
export function configReaderFor(files: Pick<GitHubClient, 'readRepositoryFile'>): ConfigReader {
  return {
    label: repositoryLabel,
    async read(location: ConfigLocation): Promise<ConfigRead> {
      if (location.repo === null)
        throw new Error(`cannot read ${location.path} from GitHub without its repository`);
      const { owner, repo } = location.repo;
      const ref = location.ref === undefined ? {} : { ref: location.ref };
      return files.readRepositoryFile(
        { owner, repo, path: location.path, ...ref },
        MAX_CONFIG_BYTES,
      );
    },
  };
}

/**
 * The same reader for the CLI, which reads `_extends` from GitHub with a bare Octokit and has no
 * repository of its own to build a client for (a checkout may have no GitHub remote).
 */
export function createGitHubConfigReader(octokit: Pick<OctokitLike, 'request'>): ConfigReader {
  return configReaderFor({
    readRepositoryFile: (file, max) => readRepositoryFile(octokit, file, max),
  });
}
