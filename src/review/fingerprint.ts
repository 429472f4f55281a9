import { createHash } from 'node:crypto';

/**
 * Identity of a finding across reruns: the path, the normalised title and the normalised code it
 * points at. The line number is left out on purpose, so a finding whose code moved (lines added
 * above it) is still recognised as posted; reindenting or re-punctuating the title does not count
 * as a new finding either.
 */
export interface FingerprintInput {
  path: string;
  title: string;
  /** The text of the lines the finding points at; empty when unknown. */
  code: string | readonly string[];
}

export function normaliseTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function normaliseCode(code: string | readonly string[]): string {
  const text = typeof code === 'string' ? code : code.join('\n');
  return text.replace(/\s+/g, ' ').trim();
}

const FINGERPRINT_LENGTH = 20; // hex digits: 80 bits, ample for the comments of one pull request

export function fingerprint(input: FingerprintInput): string {
  const key = JSON.stringify([input.path, normaliseTitle(input.title), normaliseCode(input.code)]);
  return createHash('sha256').update(key).digest('hex').slice(0, FINGERPRINT_LENGTH);
}

// HTML comments do not render on GitHub, so markers ride along in posted bodies unseen. Steward
// writes each at one fixed place, and a marker counts only there: the finding marker is a review
// comment's first line, the review marker the summary's last. Text Steward did not write is
// rendered inert (src/markdown/untrusted.ts) and never starts or ends a body, so it cannot forge one.
const FINDING_MARKER = /^<!-- steward:finding:([0-9a-f]{8,64}) -->(?:\r?\n|$)/;
const REVIEW_MARKER = /(?:^|\n)<!-- steward:review last-sha=([0-9a-f]{7,64}) -->$/;

export function hiddenMarker(fp: string): string {
  if (!/^[0-9a-f]{8,64}$/.test(fp))
    throw new Error(`not a finding fingerprint: ${JSON.stringify(fp)}`);
  return `<!-- steward:finding:${fp} -->`;
}

/** The fingerprint a review comment's first line carries, as Steward writes it; [] otherwise. */
export function parseMarkers(body: string): string[] {
  const match = FINDING_MARKER.exec(body);
  return match ? [match[1]!] : [];
}

export function formatReviewMarker(lastSha: string): string {
  if (!/^[0-9a-f]{7,64}$/.test(lastSha))
    throw new Error(`not a commit SHA: ${JSON.stringify(lastSha)}`);
  return `<!-- steward:review last-sha=${lastSha} -->`;
}

/** The last reviewed head SHA from the last line of a summary comment, or null. */
export function parseReviewMarker(body: string): string | null {
  return REVIEW_MARKER.exec(body.trimEnd())?.[1] ?? null;
}

/** Splits findings into those not yet posted and those whose fingerprint an existing comment has. */
export function partitionPosted<T extends { fingerprint: string }>(
  findings: readonly T[],
  existingBodies: readonly string[],
): { fresh: T[]; alreadyPosted: T[] } {
  const posted = new Set(existingBodies.flatMap(parseMarkers));
  const fresh: T[] = [];
  const alreadyPosted: T[] = [];
  for (const finding of findings)
    (posted.has(finding.fingerprint) ? alreadyPosted : fresh).push(finding);
  return { fresh, alreadyPosted };
}

export type ReviewRange =
  { kind: 'full'; reason: string } | { kind: 'unchanged' } | { kind: 'since'; base: string };

/**
 * What to review on this run: everything (first run, or asked for), nothing new (head already
 * reviewed), or only the commits since the last reviewed SHA. The caller must still check that
 * `base` is an ancestor of head: after a force-push it is not, and a full review is right.
 */
export function reviewRange(options: {
  lastReviewedSha: string | null;
  headSha: string;
  full?: boolean;
}): ReviewRange {
  if (options.full) return { kind: 'full', reason: 'a full review was asked for' };
  if (options.lastReviewedSha === null) return { kind: 'full', reason: 'no earlier review' };
  if (options.lastReviewedSha === options.headSha) return { kind: 'unchanged' };
  return { kind: 'since', base: options.lastReviewedSha };
}
