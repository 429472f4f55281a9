import type { FileHealthDelta, HotspotRank } from '../health/delta.ts';
import { SMELL_WEIGHTS } from '../health/score.ts';
import { SmellKind } from '../health/types.ts';
import type { Smell } from '../health/types.ts';
import type { AnchoredFinding, Finding } from './anchor.ts';
import { shiftSeverity, type Severity } from './severity.ts';

/** A finding of the offline review, before anchoring: where it came from rides along. */
export interface HealthFinding extends Finding {
  source: 'health';
}

/** A finding as `steward review` reports it: anchored, fingerprinted, with its source. */
export type ReviewFinding = AnchoredFinding & { source: 'health' | 'model' };

/** The health a new file is measured from: it had no smells before it existed. */
const NEW_FILE_HEALTH = 10;

/**
 * Where a smell's own magnitude (see smellMagnitude) makes it `major` or `minor`; below `minor` it
 * is `info`. Twice the threshold of the heaviest kinds (cyclomatic complexity 18, nesting depth 8)
 * is major on its own; a quarter past it (complexity 12) is minor; a smell just at its threshold
 * (complexity 9, `a && b || c`) is worth knowing but not blocking on.
 */
export const MAGNITUDE_THRESHOLDS = Object.freeze({ major: 2, minor: 1.25 });

/** A file among this share of the repository's hottest files raises its findings one level. */
export const TOP_HOTSPOT_SHARE = 0.1;

const HEAVIEST_WEIGHT = Math.max(...Object.values(SMELL_WEIGHTS));

/** How far past its bound a smell is (measured ÷ bound); 1 for a smell without numbers. */
function boundRatio(smell: Smell): number {
  const { measured, bound } = smell as { measured?: unknown; bound?: unknown };
  if (typeof measured !== 'number' || typeof bound !== 'number') return 1;
  const ratio = measured / (bound > 0 ? bound : 1);
  return Number.isFinite(ratio) ? ratio : 1;
}

/** How much a kind weighs in code health relative to the heaviest kinds, 0–1. */
function kindWeight(smell: Smell): number {
  return SMELL_WEIGHTS[smell.kind] / HEAVIEST_WEIGHT;
}

/**
 * How loud one smell is on its own: how far past its bound it is (measured ÷ bound, so complexity
 * 40 against 9 is 4.4 and 2 operators against 2 is 1), times how much its kind weighs in code
 * health relative to the heaviest kinds (Complex Method, Deep Nesting 1; Complex Conditional 0.5;
 * Many Arguments 0.4). A smell without numbers counts as at its bound.
 */
export function smellMagnitude(smell: Smell): number {
  return boundRatio(smell) * kindWeight(smell);
}

/** Whether a file ranks among the repository's top hotspots (at least the hottest one does). */
export function isTopHotspot(rank: HotspotRank | undefined): boolean {
  return rank !== undefined && rank.rank <= Math.max(1, Math.ceil(rank.of * TOP_HOTSPOT_SHARE));
}

/** The severity of smells on one line of a file, and why, in words for the finding's body. */
export function gradeSmells(
  smells: readonly Smell[],
  file: Pick<FileHealthDelta, 'delta' | 'hotspot'>,
): { severity: Severity; why: string } {
  const loudest = smells.reduce((a, b) => (smellMagnitude(b) > smellMagnitude(a) ? b : a));
  const magnitude = smellMagnitude(loudest);
  const own: Severity =
    magnitude >= MAGNITUDE_THRESHOLDS.major
      ? 'major'
      : magnitude >= MAGNITUDE_THRESHOLDS.minor
        ? 'minor'
        : 'info';
  const weight = kindWeight(loudest);
  const weighed =
    weight < 1 ? ` × ${weight.toFixed(1)} for its kind = ${magnitude.toFixed(1)}` : '';
  const reasons = [
    `${loudest.kind} at ${boundRatio(loudest).toFixed(1)}× its bound${weighed} (${own} on its own)`,
  ];
  let steps = 0;
  if (isTopHotspot(file.hotspot)) {
    steps++;
    reasons.push(`the file is hotspot #${file.hotspot!.rank} of ${file.hotspot!.of}, one level up`);
  }
  // Only a rise counts: a file already at health 1.0 stays there however much worse it gets.
  if (file.delta !== null && file.delta > 0) {
    steps--;
    reasons.push(`the change raises the file’s health by ${file.delta.toFixed(1)}, one level down`);
  }
  const severity = shiftSeverity(own, steps, { loudest: 'major' });
  return { severity, why: `Severity ${severity}: ${reasons.join('; ')}.` };
}

const WHY: Readonly<Record<SmellKind, string>> = {
  [SmellKind.complexMethod]:
    'Many paths through one function make it hard to test every case and easy to break one.',
  [SmellKind.largeMethod]:
    'A long function does several things at once, so each change has to understand all of them.',
  [SmellKind.deepNesting]:
    'Deeply nested logic makes a reader hold every enclosing condition in mind at once.',
  [SmellKind.bumpyRoad]:
    'Several separate nested blocks in one function are usually functions waiting to be extracted.',
  [SmellKind.complexConditional]:
    'A condition with many operands is hard to read correctly and a common home for logic bugs.',
  [SmellKind.manyArguments]:
    'Many parameters make calls easy to get wrong and suggest the function does too much.',
  [SmellKind.largeFile]:
    'A large file gathers unrelated responsibilities and becomes a merge-conflict hotspot.',
  [SmellKind.overallComplexity]:
    'High total complexity across a file makes every change in it riskier to review.',
  [SmellKind.codeDuplication]:
    'Duplicated code must be fixed in every copy, and copies drift apart over time.',
};

/** "Complex Method in parse"; smells sharing a line share a title: "Complex Method, Deep Nesting in parse". */
function titleOf(smells: readonly Smell[]): string {
  const kinds = [...new Set(smells.map((s) => s.kind))].join(', ');
  const fn = smells[0]!.function;
  return fn ? `${kinds} in ${fn}` : kinds;
}

/**
 * Introduced smells grouped by line, in line order. A review carries at most one comment per line,
 * so smells on one line (a complex method that is also deeply nested) become one finding.
 */
function byLine(smells: readonly Smell[]): Smell[][] {
  const groups = new Map<number, Smell[]>();
  for (const smell of [...smells].sort((a, b) => a.line - b.line)) {
    const group = groups.get(smell.line);
    if (group) group.push(smell);
    else groups.set(smell.line, [smell]);
  }
  return [...groups.values()];
}

/**
 * The offline review: each smell a change introduced becomes a finding on its line, graded by the
 * smell's own magnitude and the file's importance (see gradeSmells): the worst news is the
 * loudest, whatever file it lands in. A file the change takes below `healthFloor` (from at or
 * above it, or new) is `major`: its new smells become major, or, with none, a finding on line 1
 * says so. Health findings are never `critical`, which is kept for defects. Deleted files have
 * nothing to comment on.
 */
export function healthFindings(
  files: readonly FileHealthDelta[],
  options: { healthFloor: number },
): HealthFinding[] {
  const findings: HealthFinding[] = [];
  for (const file of files) {
    if (file.after === null) continue;
    const before = file.before ?? NEW_FILE_HEALTH;
    const health = `health ${file.before === null ? 'new file' : before.toFixed(1)} → ${file.after.toFixed(1)}`;
    const fellBelow =
      file.after < options.healthFloor &&
      (file.before === null || file.before >= options.healthFloor);
    const floorNote =
      `This change takes the file to code health ${file.after.toFixed(1)}, below the floor of ` +
      `${options.healthFloor}: files under it are where defects and slow changes concentrate.`;
    // Below the floor, the smells that took it there are major; the floor note rides on the first
    // of them rather than a finding of its own, which would compete for the same line.
    byLine(file.introduced).forEach((smells, index) => {
      const grade = gradeSmells(smells, file);
      findings.push({
        path: file.path,
        line: smells[0]!.line,
        severity: fellBelow ? 'major' : grade.severity,
        category: 'maintainability',
        title: titleOf(smells),
        body: [
          ...smells.map((s) => `${s.kind}: ${s.detail} (${health}). ${WHY[s.kind]}`),
          ...(fellBelow && index === 0 ? [floorNote] : [grade.why]),
        ].join('\n\n'),
        source: 'health',
      });
    });
    if (fellBelow && file.introduced.length === 0) {
      findings.push({
        path: file.path,
        line: 1,
        severity: 'major',
        category: 'maintainability',
        title: `Code health below ${options.healthFloor}`,
        body: `${floorNote} (${health})`,
        source: 'health',
      });
    }
  }
  return findings;
}
