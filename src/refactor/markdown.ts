import type { Smell } from '../health/types.ts';
import { blockMarkdown, codeSpan, inlineMarkdown, plainText } from '../markdown/untrusted.ts';
import type { RefactorDelivery, TendedPullRequest } from './deliver.ts';
import type {
  FunctionMeasures,
  HealthComparison,
  ProofStep,
  RefactorTarget,
  SkippedTarget,
  TargetOutcome,
} from './types.ts';

/**
 * The refactoring pull request as a reviewer reads it in a minute: a title with the health rise,
 * why this function, the measures before and after, the techniques, the model's rationale, the
 * proof log folded, and how to say no. The hidden first line marks it as Steward's and names the
 * function's fingerprint, so a closed, unmerged one is remembered as "not wanted". The rationale,
 * the techniques and the proofs' details come from the job that ran the model and the repository's
 * code: they are shown as inert text (src/markdown/untrusted.ts), never as markup.
 */

/** GitHub refuses a pull request body over 65,536 characters; the body stays well under. */
export const REFACTOR_BODY_LIMIT = 60_000;

/** The label every refactoring pull request carries. */
export const REFACTOR_LABEL = 'steward:refactor';

/** What the hidden first line of a refactoring pull request says. */
export interface RefactorMarker {
  fingerprint: string;
  path: string;
  function: string;
  /**
   * Steward closed it itself because its base moved under it: not a person's "not wanted", so the
   * function may be proposed again.
   */
  stale: boolean;
}

const FINGERPRINT = /^[0-9a-f]{16}$/;
const MARKER =
  /^<!-- steward:refactor fingerprint=([0-9a-f]{16}) path=(\S+) function=(\S+)( closed=stale)? -->(?:\r?\n|$)/;

/** The hidden first line: path and function URI-encoded, so nothing in them ends the comment. */
export function refactorMarker(
  marker: Omit<RefactorMarker, 'stale'> & { stale?: boolean },
): string {
  if (!FINGERPRINT.test(marker.fingerprint))
    throw new Error(`not a fingerprint: ${JSON.stringify(marker.fingerprint)}`);
  const stale = marker.stale === true ? ' closed=stale' : '';
  return `<!-- steward:refactor fingerprint=${marker.fingerprint} path=${encodeURIComponent(marker.path)} function=${encodeURIComponent(marker.function)}${stale} -->`;
}

/** The marker of a body, read only from its first line; null when it opens with none. */
export function readRefactorMarker(body: string): RefactorMarker | null {
  const match = MARKER.exec(body);
  if (!match) return null;
  try {
    return {
      fingerprint: match[1]!,
      path: decodeURIComponent(match[2]!),
      function: decodeURIComponent(match[3]!),
      stale: match[4] !== undefined,
    };
  } catch {
    return null;
  }
}

/** The same body with its marker saying Steward closed it as stale (first line rewritten). */
export function markStale(body: string): string {
  const marker = readRefactorMarker(body);
  if (!marker) return body;
  const rest = body.replace(/^[^\n]*(?:\n|$)/, '');
  return `${refactorMarker({ ...marker, stale: true })}\n${rest}`;
}

/** `Refactor parseOptions in src/cli/args.ts: health 3.1 → 6.4` (plain text: titles are not markdown). */
export function refactorTitle(outcome: {
  target: Pick<RefactorTarget, 'path' | 'function'>;
  health: HealthComparison;
}): string {
  const { before, after } = outcome.health;
  return plainText(
    `Refactor ${outcome.target.function} in ${outcome.target.path}: health ${one(before.fileHealth)} → ${one(after.fileHealth)}`,
  ).replace(/\s+/g, ' ');
}

export interface RefactorBodyInput {
  target: RefactorTarget;
  health: HealthComparison;
  proposal: { rationale: string; techniques: readonly string[] };
  proofs: readonly ProofStep[];
  /** The default branch's commit the refactoring was made and proven on. */
  baseSha: string;
}

export function renderRefactorBody(input: RefactorBodyInput): string {
  const { target, health, proposal } = input;
  const fn = codeSpan(target.function);
  const file = codeSpan(target.path);
  const sections = [
    refactorMarker({
      fingerprint: target.fingerprint,
      path: target.path,
      function: target.function,
    }),
    `### Refactor ${fn} in ${file}`,
    '',
    `The file's code health rises from **${one(health.before.fileHealth)}** to **${one(health.after.fileHealth)}**, and ${fn} keeps its behaviour: Steward proved on ${input.baseSha.slice(0, 7)} that ${provenClaims(input.proofs)}.`,
    '',
    '#### Why this function',
    '',
    `- ${file} is hotspot number ${target.hotspotRank}: changed in ${plural(target.revisions, 'commit')} of the history window, with code health ${one(target.fileHealth)}.`,
    ...smellLines(target.smells),
    '',
    '#### Before and after',
    '',
    measuresTable(health),
    '',
    '#### Techniques',
    '',
    ...(proposal.techniques.length === 0
      ? ['None named.']
      : proposal.techniques.map((t) => `- ${inlineMarkdown(t)}`)),
    '',
    "#### The model's rationale",
    '',
    blockMarkdown(proposal.rationale) || 'None given.',
    '',
    '<details><summary>Proof log</summary>',
    '',
    proofTable(input.proofs),
    '',
    '</details>',
    '',
    '#### Not wanted?',
    '',
    `Close this pull request without merging: Steward remembers ${fn} by its fingerprint ${codeSpan(target.fingerprint)} and does not propose it again while its code stays the same. If the default branch moves, Steward rebases this pull request when ${file} is unchanged there, and closes it with the reason when it changed.`,
  ];
  let body = sections.join('\n');
  if (body.length > REFACTOR_BODY_LIMIT) {
    // Only the model's rationale can make it this long: cut it, the rest is bounded.
    const cut = blockMarkdown(proposal.rationale.slice(0, 4_000));
    body = sections
      .map((s) => (s === blockMarkdown(proposal.rationale) ? `${cut}\n\n…(rationale cut)` : s))
      .join('\n');
  }
  return `${body}\n`;
}

function provenClaims(proofs: readonly ProofStep[]): string {
  const names = new Set(proofs.filter((p) => p.ok).map((p) => p.name));
  const claims = [
    names.has('types') && 'the project type-checks with no new diagnostics',
    names.has('tests') && 'the tests pass, twice',
    names.has('api') && 'the exported API is unchanged',
    names.has('health') && "the function's cognitive complexity falls with no new smell",
    names.has('mutation') && 'the mutation score on its lines does not fall',
  ].filter((c): c is string => typeof c === 'string');
  if (claims.length === 0) return 'it applies';
  return claims.length === 1
    ? claims[0]!
    : `${claims.slice(0, -1).join(', ')} and ${claims.at(-1)!}`;
}

function smellLines(smells: readonly Smell[]): string[] {
  return smells.map((s) => `- ${s.kind}${s.detail === '' ? '' : `: ${inlineMarkdown(s.detail)}`}`);
}

function measuresTable(health: HealthComparison): string {
  const rows: [string, (m: FunctionMeasures) => string][] = [
    ["File's code health (1–10)", (m) => one(m.fileHealth)],
    ['Cognitive complexity', (m) => String(m.cognitive)],
    ['Cyclomatic complexity', (m) => String(m.cyclomatic)],
    ['Deepest nesting', (m) => String(m.nesting)],
    ['Length (lines)', (m) => String(m.length)],
    ['Smells', (m) => String(m.smells.length)],
  ];
  return [
    '| Measure | Before | After |',
    '| --- | ---: | ---: |',
    ...rows.map(
      ([name, value]) => `| ${name} | ${value(health.before)} | ${value(health.after)} |`,
    ),
  ].join('\n');
}

/** A proof's detail in the log: one line, at most this long. */
const DETAIL_LIMIT = 400;

function proofTable(proofs: readonly ProofStep[]): string {
  if (proofs.length === 0) return 'No proof was recorded.';
  return [
    '| Proof | Result | Detail | Time |',
    '| --- | --- | --- | ---: |',
    ...proofs.map((p) => {
      const detail =
        p.detail.length > DETAIL_LIMIT ? `${p.detail.slice(0, DETAIL_LIMIT)}…` : p.detail;
      return `| ${p.name} | ${p.ok ? 'passed' : 'failed'} | ${inlineMarkdown(detail, { table: true })} | ${seconds(p.durationMs)} |`;
    }),
  ].join('\n');
}

/**
 * A run's outcomes as markdown, for the job summary and `--format markdown`: each target with
 * what became of it, then the functions passed over with the reason.
 */
export function renderRefactorReport(run: {
  outcomes: readonly TargetOutcome[];
  skipped: readonly SkippedTarget[];
}): string {
  const lines = ['### Refactoring', ''];
  if (run.outcomes.length === 0) lines.push('No target was tried.');
  else {
    lines.push('| Function | File | Result |', '| --- | --- | --- |');
    for (const o of run.outcomes) {
      const result =
        o.kind === 'proven'
          ? `proven: health ${one(o.health.before.fileHealth)} → ${one(o.health.after.fileHealth)}`
          : `skipped: ${inlineMarkdown(o.reason, { table: true })}`;
      lines.push(
        `| ${codeSpan(o.target.function, { table: true })} | ${codeSpan(o.target.path, { table: true })} | ${result} |`,
      );
    }
  }
  if (run.skipped.length > 0) {
    lines.push('', `<details><summary>Passed over (${run.skipped.length})</summary>`, '');
    for (const s of run.skipped) {
      const where =
        s.function === null ? codeSpan(s.path) : `${codeSpan(s.function)} in ${codeSpan(s.path)}`;
      lines.push(`- ${where}: ${inlineMarkdown(s.reason)}`);
    }
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

/** What the delivery job did, as markdown for the job summary. */
export function renderDeliverySummary(
  delivery: RefactorDelivery | { ok: false; problems: readonly string[] },
  tended: readonly TendedPullRequest[] = [],
): string {
  const lines =
    'problems' in delivery
      ? [
          'Steward refused the artifact and delivered nothing:',
          '',
          ...delivery.problems.map((p) => `- ${inlineMarkdown(p)}`),
        ]
      : [deliveryLine(delivery)];
  for (const t of tended) {
    lines.push(
      `- #${t.number}: ${t.action}${t.reason === '' ? '' : `: ${inlineMarkdown(t.reason)}`}`,
    );
  }
  return lines.join('\n');
}

function deliveryLine(delivery: RefactorDelivery): string {
  switch (delivery.kind) {
    case 'not-delivered':
      return `Nothing delivered: ${inlineMarkdown(delivery.reason)}.`;
    case 'opened':
      return `Opened #${delivery.number} (${delivery.url}), commit ${delivery.commitSha.slice(0, 7)}.`;
    case 'existing':
      return `#${delivery.number} (${delivery.url}) is already open for this function: nothing changed.`;
  }
}

function one(n: number): string {
  return n.toFixed(1);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
