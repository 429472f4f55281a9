import { createHash, randomBytes } from 'node:crypto';

/** Real ids of well-known App bots, so fixtures that hard-code them keep matching. */
const KNOWN_ACTOR_IDS: Record<string, number> = {
  'github-actions[bot]': 41898282,
  'dependabot[bot]': 49699333,
  'renovate[bot]': 29139614,
};

export function randomSha(): string {
  return randomBytes(20).toString('hex');
}

export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

/** Git's blob id, so `sha` in contents answers is what git would compute. */
export function blobSha(text: string): string {
  const content = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A stable positive 31-bit id, so the same seed yields the same ids across runs. */
export function stableId(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) >>> 1 || 1;
}

export function actorId(login: string): number {
  return KNOWN_ACTOR_IDS[login] ?? stableId(`actor:${login}`);
}

/** Shaped like GitHub's new global ids (`PR_kwDO…`); opaque to clients either way. */
export function nodeId(prefix: string, key: string): string {
  return `${prefix}_kwDO${Buffer.from(key).toString('base64url')}`;
}

/** GitHub timestamps carry no milliseconds. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Request ids look like `C0DE:1A2B:3C4D5E:6F7A8B:65F0A1B2`. */
export function requestId(): string {
  const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}
