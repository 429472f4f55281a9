import type { FileHealthDelta } from '../hotspots/health/delta.ts';
import { SmellKind } from '../hotspots/types.ts';
import type { Smell } from '../hotspots/types.ts';
import type { AnchoredFinding, Finding } from './anchor.ts';
import type { Severity } from './severity.ts';

/** A finding of the offline review, before anchoring: where it came from rides along. */
export interface HealthFinding extends Finding {
  source: 'health';
}

/** A finding as `steward review` reports it: anchored, fingerprinted, with its source. */
export type ReviewFinding = AnchoredFinding & { source: 'health' | 'model' };

/**
 * How far a file's health (1–10) must drop for its new smells to matter more. A drop of 2 is a
 * file going from good to mediocre in one change (CodeScene's bands are 4 and 8 apart), worth a
 * reviewer's attention; half a point is one moderate smell; anything smaller (or a smell whose
 * penalty another fix offset) is worth knowing but not blocking on.
 */
export const HEALTH_DROP_THRESHOLDS = Object.freeze({ major: 2, minor: 0.5 });

/** The health a new file is measured from: it had no smells before it existed. */
const NEW_FILE_HEALTH = 10;

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

/** Severity of the smells a change introduced into a file, by how far the file's health fell. */
export function severityForDrop(drop: number): Severity {
  if (drop >= HEALTH_DROP_THRESHOLDS.major) return 'major';
  if (drop >= HEALTH_DROP_THRESHOLDS.minor) return 'minor';
  return 'info';
}

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
 * The offline review: each smell a change introduced becomes a finding on its line, with a
 * severity from the file's health drop. A file the change takes below `healthFloor` (from at or
 * above it, or new) is `major`: its new smells become major, or, with none, a finding on line 1
 * says so. Deleted files have nothing to comment on.
 */
export function healthFindings(
  files: readonly FileHealthDelta[],
  options: { healthFloor: number },
): HealthFinding[] {
  const findings: HealthFinding[] = [];
  for (const file of files) {
    if (file.after === null) continue;
    const before = file.before ?? NEW_FILE_HEALTH;
    const drop = Math.round((before - file.after) * 10) / 10;
    const severity = severityForDrop(drop);
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
      findings.push({
        path: file.path,
        line: smells[0]!.line,
        severity: fellBelow ? 'major' : severity,
        category: 'maintainability',
        title: titleOf(smells),
        body: [
          ...smells.map((s) => `${s.kind}: ${s.detail} (${health}). ${WHY[s.kind]}`),
          ...(fellBelow && index === 0 ? [floorNote] : []),
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
