import { codeBlock, codeSpan } from '../markdown/untrusted.ts';
import type { DeliveryOutcome } from './deliver.ts';
import type {
  DeliveryReport,
  KeptTestReport,
  KilledMutant,
  PatchCheck,
  PossibleBugReport,
} from './patch.ts';
import type { Funnel } from './types.ts';

/**
 * The body of the "Tests for #N" pull request: short and scannable. The funnel beside TestGen-LLM's
 * published one, each kept test with the mutants it kills (their diffs folded), and the possible
 * bugs apart with their failing assertions. Test names, mutants and assertions come from the
 * model and the pull request's code: they are shown as inert code, never as markup.
 */

/** Meta's TestGen-LLM funnel, as shares of candidates: built, passed reliably, added coverage. */
export const TESTGEN_LLM_FUNNEL = { typeChecks: 0.75, stable: 0.57, addsValue: 0.25 } as const;

/** GitHub refuses a pull request body over 65,536 characters; the body stays well under. */
export const BODY_LIMIT = 60_000;

const MARKER = /^<!-- steward:tests pr:(\d+) head:([0-9a-f]{40}|[0-9a-f]{64}) -->(?:\r?\n|$)/;

/** The hidden first line of the tests pull request: which pull request and head it is for. */
export function testsMarker(pullRequest: number, headSha: string): string {
  return `<!-- steward:tests pr:${pullRequest} head:${headSha} -->`;
}

/** The marker of a body, read only from its first line; null when it opens with none. */
export function readTestsMarker(body: string): { pullRequest: number; headSha: string } | null {
  const match = MARKER.exec(body);
  return match ? { pullRequest: Number(match[1]), headSha: match[2]! } : null;
}

export interface TestsBodyInput {
  pullRequest: number;
  headSha: string;
  /** The head branch the tests pull request goes into. */
  headRefName: string;
  report: DeliveryReport;
}

/** The commit's headline: `Tests for #7: 2 tests killing 3 mutants`. */
export function testsHeadline(pullRequest: number, report: DeliveryReport): string {
  const tests = report.kept.length;
  const mutants = killedMutants(report).size;
  const what = plural(tests, 'test');
  return mutants > 0
    ? `Tests for #${pullRequest}: ${what} killing ${plural(mutants, 'mutant')}`
    : `Tests for #${pullRequest}: ${what} covering changed lines`;
}

export function renderTestsBody(input: TestsBodyInput): string {
  const { report } = input;
  const head = [
    testsMarker(input.pullRequest, input.headSha),
    `### Tests for #${input.pullRequest}`,
    '',
    `Steward kept ${plural(report.kept.length, 'test')} of ${plural(report.funnel.candidates, 'candidate')} for ${codeSpan(input.headRefName)} at ${input.headSha.slice(0, 7)}: each type-checks, passes every run, and kills a mutant that survived or covers a changed line no test covered. Merging this pull request adds them to #${input.pullRequest}.`,
    '',
    renderFunnelTable(report.funnel),
  ];
  const withDiffs = [...head, '', renderKeptAndBugs(report, true)].join('\n');
  if (withDiffs.length <= BODY_LIMIT) return `${withDiffs}\n`;
  // Too long for GitHub: the folded diffs go first, then tests and bugs from the end of the lists.
  let body = [...head, '', renderKeptAndBugs(report, false)].join('\n');
  if (body.length > BODY_LIMIT) {
    body = `${body.slice(0, BODY_LIMIT - 200).replace(/\n[^\n]*$/, '')}\n\n…and more: the whole report is in the job summary and the patch artifact.`;
    // A cut inside a fenced block or <details> would swallow the note: close them.
    if ((body.match(/^```/gm) ?? []).length % 2 === 1) body += '\n```';
    const open =
      (body.match(/<details>/g) ?? []).length - (body.match(/<\/details>/g) ?? []).length;
    body += '\n</details>'.repeat(Math.max(0, open));
  }
  return `${body}\n`;
}

/**
 * What the delivery job did, as one line of markdown for the job summary. A patch that `checkPatch`
 * did not accept is listed problem by problem: its paths come from the artifact, so they are inert.
 */
export function renderDeliverySummary(result: PatchCheck | DeliveryOutcome): string {
  switch (result.kind) {
    case 'ok':
      return `The patch holds ${plural(result.patch.files.length, 'test file')}: ${result.patch.files.map((f) => inert(f.path)).join(', ')}.`;
    case 'refused':
      return [
        'Steward refused the patch and delivered nothing:',
        '',
        ...result.problems.map(
          (p) =>
            `- ${inert(p.field)}${p.path === undefined ? '' : ` (${inert(p.path)})`}: ${inert(p.message)}`,
        ),
      ].join('\n');
    case 'head-moved':
      return `Nothing delivered: ${inert(result.message)}.`;
    case 'not-delivered':
      return `Nothing delivered: ${inert(result.reason)}.`;
    case 'pushed':
      return result.committed
        ? `Pushed the tests onto the head branch as ${result.commitSha.slice(0, 7)}, signed by GitHub.`
        : `The tests are already on the head branch (${result.commitSha.slice(0, 7)}): nothing pushed.`;
    case 'pull-request': {
      const what = {
        created: 'Opened',
        updated: 'Updated',
        unchanged: 'Nothing to change in',
      }[result.action];
      return `${what} #${result.number} (${result.url}), tests commit ${result.commitSha.slice(0, 7)}.`;
    }
  }
}

/** The funnel beside TestGen-LLM's published shares: the PR body's, the job summary's and the CLI's. */
export function renderFunnelTable(funnel: Funnel): string {
  const share = (n: number) =>
    funnel.candidates === 0 ? '–' : `${Math.round((100 * n) / funnel.candidates)}%`;
  const theirs = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
  const rows: [string, number, number | null][] = [
    ['Candidates', funnel.candidates, 1],
    ['Type-check', funnel.typeChecks, TESTGEN_LLM_FUNNEL.typeChecks],
    ['Pass', funnel.passes, null],
    ['Pass every run (stable)', funnel.stable, TESTGEN_LLM_FUNNEL.stable],
    [
      'Add value (kill a mutant or cover a changed line)',
      funnel.addsValue,
      TESTGEN_LLM_FUNNEL.addsValue,
    ],
    ['Kept', funnel.kept, null],
  ];
  const lines = [
    '| Stage | Tests | Share | TestGen-LLM |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([stage, n, published]) => `| ${stage} | ${n} | ${share(n)} | ${theirs(published)} |`,
    ),
  ];
  if (funnel.possibleBugs > 0)
    lines.push(
      '',
      `${plural(funnel.possibleBugs, 'candidate')} failed on an assertion: see possible bugs below.`,
    );
  return lines.join('\n');
}

/**
 * The kept tests, each with what it kills or covers (the mutants' diffs folded when `diffs`), and
 * the possible bugs apart with their failing assertions: the PR body's sections, and the CLI's.
 */
export function renderKeptAndBugs(report: DeliveryReport, diffs = true): string {
  return [keptSection(report.kept, diffs), ...possibleBugsSection(report.possibleBugs)].join('\n');
}

function keptSection(kept: readonly KeptTestReport[], diffs: boolean): string {
  if (kept.length === 0) return '#### Kept tests\n\nNone.';
  const items = kept.map((test) => {
    const gains: string[] = [];
    if (test.kills.length > 0) gains.push(`kills ${plural(test.kills.length, 'mutant')}`);
    if (test.covers.length > 0)
      gains.push(`covers ${test.covers.length === 1 ? 'line' : 'lines'} ${test.covers.join(', ')}`);
    const line = `- ${inert(test.name)} in ${inert(test.testPath)}, for ${inert(test.target)} (${inert(test.sourcePath)}): ${gains.join(', ') || 'adds value'}`;
    if (!diffs || test.kills.length === 0) return line;
    const blocks = test.kills.map(mutantBlock).join('\n\n');
    return `${line}\n\n  <details><summary>The mutants it kills</summary>\n\n${indent(blocks)}\n\n  </details>\n`;
  });
  return ['#### Kept tests', '', ...items].join('\n');
}

function possibleBugsSection(bugs: readonly PossibleBugReport[]): string[] {
  if (bugs.length === 0) return [];
  const items = bugs.map(
    (bug) =>
      `- ${inert(bug.name)}, for ${inert(bug.target)} (${inert(bug.sourcePath)}), fails with:\n\n${indent(codeBlock(bug.assertion, 'text'))}\n`,
  );
  return [
    '',
    '#### Possible bugs',
    '',
    'These tests fail on this code every time, on an assertion. They are not committed: either the code or the test is wrong, and a person should look.',
    '',
    ...items,
  ];
}

/** A mutant as a small diff: `line N (Mutator)`, then the original and the replacement. */
function mutantBlock(mutant: KilledMutant): string {
  const side = (sign: string, text: string) =>
    text
      .split(/\r?\n/)
      .map((l) => `${sign} ${l}`)
      .join('\n');
  const title = `Line ${mutant.line}, ${inert(mutant.mutator)}:`;
  return `${title}\n\n${codeBlock(`${side('-', mutant.original)}\n${side('+', mutant.replacement)}`, 'diff')}`;
}

/**
 * Text from the model or the pull request as one code span: no mention pings, no HTML, no link,
 * and no `<!--` a later reader of the raw body could take for a marker.
 */
function inert(text: string): string {
  return codeSpan(text.replace(/<!--/g, '<\u200B!--'));
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : `  ${l}`))
    .join('\n');
}

function killedMutants(report: DeliveryReport): Set<string> {
  return new Set(report.kept.flatMap((t) => t.kills.map((k) => k.id)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
