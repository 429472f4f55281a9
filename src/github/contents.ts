import { z } from 'zod';
import type { GitHubClient } from './client.ts';
import { fileTextsQuery } from './queries.ts';
import { readRepositoryFile } from './raw-files.ts';
import type { Transport } from './transport.ts';

/** Files' text at a ref, many to a GraphQL request, and one raw file of any repository. */

/** Files whose text one GraphQL query asks for. */
export const FILE_TEXTS_PER_QUERY = 50;

/** GraphQL `Blob` (or `{}` for a tree at the path, null for nothing there). */
const blob = z
  .object({ text: z.string().nullish(), isTruncated: z.boolean().optional() })
  .nullable();

type ContentMethods = Pick<GitHubClient, 'getFileText' | 'getFileTexts' | 'readRepositoryFile'>;

export function createContentMethods(t: Transport): ContentMethods {
  const methods: ContentMethods = {
    async getFileText(path, ref) {
      return (await methods.getFileTexts([path], ref)).get(path) ?? null;
    },

    async getFileTexts(paths, ref) {
      const texts = new Map<string, string | null>();
      // One query per batch: a pull request may list 3,000 files, and one query naming them all
      // would run into GitHub's GraphQL time and size limits.
      for (let start = 0; start < paths.length; start += FILE_TEXTS_PER_QUERY) {
        const batch = paths.slice(start, start + FILE_TEXTS_PER_QUERY);
        const variables: Record<string, unknown> = { ...t.base };
        batch.forEach((path, i) => (variables[`e${i}`] = `${ref}:${path}`));
        const answer = z.object({
          repository: z.object(Object.fromEntries(batch.map((_, i) => [`f${i}`, blob]))),
        });
        const what = `the text of ${batch.join(', ')} at ${ref.slice(0, 7)}`;
        const data = await t.read(what, () =>
          t.graphql(what, fileTextsQuery(batch.length), variables, answer),
        );
        batch.forEach((path, i) => {
          const found = data.repository[`f${i}`];
          // A truncated text is not the file: judging it would judge something else.
          texts.set(path, found && found.isTruncated !== true ? (found.text ?? null) : null);
        });
      }
      return texts;
    },

    readRepositoryFile: (file, maxBytes) => readRepositoryFile(t.octokit, file, maxBytes),
  };
  return methods;
}
