import { classifyUpdate, isUpdateType, riskiest, type UpdateType } from './update-type.ts';

/**
 * What the pull request's title, body and commit messages say the update is. Anyone with write
 * access can edit these, so they never decide anything: they are compared with the diff, and a
 * disagreement is named in the report.
 */
export interface Claim {
  updateType: UpdateType;
  source: string;
}

const DEPENDABOT_TITLE = /\bbump (?:the )?(\S+) (?:requirement )?from v?(\S+) to v?(\S+)/i;
const DEPENDABOT_UPDATE = /\bupdate (\S+) requirement from (\S+) to (\S+)/i;
const DEPENDABOT_YAML_TYPE = /update-type:\s*version-update:semver-(major|minor|patch)/gi;
const RENOVATE_SUFFIX = /\((major|minor|patch)\)\s*(?:\[security\])?\s*$/i;
const RENOVATE_TO = /\bupdate (?:dependency )?\S+ to v?(\d+(?:\.\d+){0,2})\b/i;
const RENOVATE_TABLE_ROW = /^\|[^|\n]*\|[^|\n]*\|\s*(major|minor|patch|pin|digest)\s*\|/gim;

export function readClaims(
  title: string,
  body: string,
  commitMessages: readonly string[],
): Claim[] {
  const claims: Claim[] = [];
  const add = (type: string | undefined, source: string) => {
    const lower = type?.toLowerCase();
    if (lower && isUpdateType(lower)) claims.push({ updateType: lower, source });
  };

  const bump = DEPENDABOT_TITLE.exec(title) ?? DEPENDABOT_UPDATE.exec(title);
  if (bump) {
    const result = classifyUpdate(bump[2]!, bump[3]!);
    if (result.ok) add(result.type, `title "${title}"`);
  }
  add(RENOVATE_SUFFIX.exec(title)?.[1], `title "${title}"`);
  const renovateTo = RENOVATE_TO.exec(title)?.[1];
  if (renovateTo && !bump && !RENOVATE_SUFFIX.test(title)) {
    // Renovate titles majors as "to v2" and others as "to v1.2.3".
    add(/^\d+$/.test(renovateTo) ? 'major' : undefined, `title "${title}"`);
  }
  const tableTypes = [...body.matchAll(RENOVATE_TABLE_ROW)].map((m) => m[1]!.toLowerCase());
  add(riskiest(tableTypes.filter(isUpdateType)) ?? undefined, 'the Update column of the body');
  for (const message of commitMessages) {
    const types = [...message.matchAll(DEPENDABOT_YAML_TYPE)].map((m) => m[1]!.toLowerCase());
    add(riskiest(types.filter(isUpdateType)) ?? undefined, 'the commit message metadata');
  }
  return claims;
}

/** Claims that disagree with the diff; the diff wins, and the report names each of them. */
export function disagreeingClaims(claims: readonly Claim[], actual: UpdateType): Claim[] {
  return claims.filter((claim) => claim.updateType !== actual);
}
