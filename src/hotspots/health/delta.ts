import { SmellKind } from '../types.ts';
import type { FileHealth, Smell } from '../types.ts';

/**
 * Health of each changed file before and after a change, and the smells it introduced and fixed:
 * what the review shows and gates on.
 *
 * Smells are matched between the revisions by kind and function, never by line, because lines
 * move when code is added above. Within one (kind, function) pair (two anonymous functions, two
 * duplicated blocks of one function) they pair up in line order and the surplus on either side is
 * introduced or fixed. A matched smell whose measurement grew (cyclomatic complexity 10 → 14) is
 * listed as introduced, with ", was 10" added to its detail: the change made it worse, which is
 * what a reviewer must see. A matched smell that improved but is still there is neither: the
 * health delta credits it, and calling it fixed would be untrue.
 */
export interface FileHealthDelta {
  path: string;
  /** null: the file is new. */
  before: number | null;
  /** null: the file was deleted. */
  after: number | null;
  /** after − before, one decimal; null when the file is new or deleted. */
  delta: number | null;
  introduced: Smell[];
  fixed: Smell[];
}

export interface HealthDelta {
  files: FileHealthDelta[];
}

/** Only the fields of the JSON shape, whatever else a smell carries. */
function plain(smell: Smell, detail = smell.detail): Smell {
  return { kind: smell.kind, function: smell.function, line: smell.line, detail };
}

function measurement(smell: Smell): number | undefined {
  const { measured } = smell as { measured?: unknown };
  return typeof measured === 'number' ? measured : undefined;
}

/** A measurement as it reads in a detail: integers as they are, means with one decimal. */
function formatMeasurement(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function groupByKindAndFunction(smells: readonly Smell[]): Map<string, Smell[]> {
  const groups = new Map<string, Smell[]>();
  for (const smell of smells) {
    const key = JSON.stringify([smell.kind, smell.function]);
    const group = groups.get(key);
    if (group) group.push(smell);
    else groups.set(key, [smell]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.line - b.line);
  return groups;
}

function compareSmells(
  before: readonly Smell[],
  after: readonly Smell[],
): { introduced: Smell[]; fixed: Smell[] } {
  const introduced: Smell[] = [];
  const fixed: Smell[] = [];
  const earlier = groupByKindAndFunction(before);
  const later = groupByKindAndFunction(after);
  for (const [key, now] of later) {
    const was = earlier.get(key) ?? [];
    now.forEach((smell, index) => {
      const previous = was[index];
      if (!previous) {
        introduced.push(plain(smell));
        return;
      }
      const [old, current] = [measurement(previous), measurement(smell)];
      if (old !== undefined && current !== undefined && current > old) {
        introduced.push(plain(smell, `${smell.detail}, was ${formatMeasurement(old)}`));
      }
    });
    fixed.push(...was.slice(now.length).map((smell) => plain(smell)));
  }
  for (const [key, was] of earlier) {
    if (!later.has(key)) fixed.push(...was.map((smell) => plain(smell)));
  }
  const kinds: readonly string[] = Object.values(SmellKind);
  const byLine = (a: Smell, b: Smell) =>
    a.line - b.line || kinds.indexOf(a.kind) - kinds.indexOf(b.kind);
  return { introduced: introduced.sort(byLine), fixed: fixed.sort(byLine) };
}

function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The delta of every changed path that was analysed in either revision (others are skipped),
 * sorted by path. A new file has `before: null` and all its smells introduced; a deleted one has
 * `after: null` and all its smells fixed.
 */
export function healthDelta(
  before: ReadonlyMap<string, FileHealth>,
  after: ReadonlyMap<string, FileHealth>,
  changedPaths: Iterable<string>,
): HealthDelta {
  const paths = [...new Set(changedPaths)].sort();
  const files: FileHealthDelta[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (!old && !now) continue;
    files.push({
      path,
      before: old?.health ?? null,
      after: now?.health ?? null,
      delta: old && now ? oneDecimal(now.health - old.health) : null,
      ...compareSmells(old?.smells ?? [], now?.smells ?? []),
    });
  }
  return { files };
}
