import type { ConfigLocation, ConfigRead, ConfigReader } from '../config/reader.ts';
import { repositoryLabel } from '../config/reader.ts';
import { explainGitHubError, isRequestError } from './errors.ts';
import type { OctokitLike } from './octokit-client.ts';

/**
 * The config loader's reader over the GitHub API: a file's raw text at a ref of any repository the
 * token can read. 404 is "missing" (GitHub says the same for a missing file, a missing
 * repository and one the token cannot see); other failures are thrown. The loader checks every
 * name in `_extends` before it asks, so what reaches this reader is a plain owner, repository and
 * path.
 */
export function createGitHubConfigReader(octokit: Pick<OctokitLike, 'request'>): ConfigReader {
  return {
    label: repositoryLabel,
    async read(location: ConfigLocation): Promise<ConfigRead> {
      if (location.repo === null)
        throw new Error(`cannot read ${location.path} from GitHub without its repository`);
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
          owner: location.repo.owner,
          repo: location.repo.repo,
          path: location.path,
          ...(location.ref === undefined ? {} : { ref: location.ref }),
          mediaType: { format: 'raw' },
        });
        // A directory at the path answers with a JSON listing: not a config file.
        if (typeof data !== 'string') return { kind: 'missing' };
        return { kind: 'text', text: data };
      } catch (error: unknown) {
        if (isRequestError(error) && error.status === 404) return { kind: 'missing' };
        throw explainGitHubError(error, `read ${repositoryLabel(location)}`, 'contents=read');
      }
    },
  };
}
