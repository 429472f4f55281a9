import { SmellKind } from './types.ts';
import type { FileHealth, Smell } from './types.ts';
import { pairFunctions } from './pair-functions.ts';

/**
 * Health of each changed file before and after a change, and the smells it introduced and fixed:
 * what the review shows and gates on.
 *
 * Smells are matched between the revisions by kind and function, never by line, because lines
 * move when code is added above. Functions are paired first (see pairFunctions: by qualified name,
 * then among same-named ones by body fingerprint and position), so a smell is compared with the
 * same function's smell even in a file with several `parse` methods or anonymous callbacks. A
 * smell in a function that has no counterpart is introduced; one in a function that is gone is
 * fixed. File-level smells, and smells of files analysed without their functions, match by kind
 * and function name. Within one match (two duplicated blocks of one function) they pair up in line
 * order and the surplus on either side is introduced or fixed. A matched smell whose measurement
 * grew (cyclomatic complexity 10 → 14) is listed as introduced, with ", was 10" added to its
 * detail and `was: 10`: the change made it worse, which is what a reviewer must see. A matched
 * smell that improved but is still there is neither: the health delta credits it, and calling it
 * fixed would be untrue. A function that only moved changes nothing.
 */
export interface FileHealthDelta {
  path: string;
  /** null: the file is new. */
  before: number | null;
  /** null: the file was deleted. */
  after: number | null;
  /** after − before, one decimal; null when the file is new or deleted. */
  delta: number | null;
  introduced: DeltaSmell[];
  fixed: DeltaSmell[];
  /**
   * Where the file ranked among the repository's hotspots before the change (1 = hottest, of `of`
   * files), when that is known; absent otherwise (a new file, a review from texts alone).
   */
  hotspot?: HotspotRank;
}

export interface HotspotRank {
  rank: number;
  of: number;
}

/**
 * A smell as a health delta lists it, with the number behind it when it has one: `measured`
 * against its threshold or limit `bound`, and for a smell the change made worse, what it `was`.
 */
export interface DeltaSmell extends Smell {
  measured?: number;
  bound?: number;
  was?: number;
}

export interface HealthDelta {
  files: FileHealthDelta[];
}

interface Numbers {
  measured?: unknown;
  bound?: unknown;
  owner?: unknown;
}

/** The fields of the JSON shape, whatever else a smell carries. */
function plain(smell: Smell, was?: number): DeltaSmell {
  const { measured, bound } = smell as Numbers;
  return {
    kind: smell.kind,
    function: smell.function,
    line: smell.line,
    detail: was === undefined ? smell.detail : `${smell.detail}, was ${formatMeasurement(was)}`,
    ...(typeof measured === 'number' ? { measured } : {}),
    ...(typeof bound === 'number' ? { bound } : {}),
    ...(was === undefined ? {} : { was }),
  };
}

function measurement(smell: Smell): number | undefined {
  const { measured } = smell as Numbers;
  return typeof measured === 'number' ? measured : undefined;
}

function ownerOf(smell: Smell): number | null {
  const { owner } = smell as Numbers;
  return typeof owner === 'number' ? owner : null;
}

/** A measurement as it reads in a detail: integers as they are, means with one decimal. */
function formatMeasurement(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function groupBy(smells: readonly Smell[], keyOf: (smell: Smell) => string): Map<string, Smell[]> {
  const groups = new Map<string, Smell[]>();
  for (const smell of smells) {
    const key = keyOf(smell);
    const group = groups.get(key);
    if (group) group.push(smell);
    else groups.set(key, [smell]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.line - b.line);
  return groups;
}

/**
 * What a smell matches on each side: its kind and the (paired) function it is in, or its kind and
 * function name when functions are not known. A smell of a new function gets a key of its own.
 */
function matchKeys(
  before: FileHealth | undefined,
  after: FileHealth | undefined,
): { earlier: (smell: Smell) => string; later: (smell: Smell) => string } {
  const byName = (smell: Smell) => JSON.stringify([smell.kind, 'name', smell.function]);
  if (!before?.functions || !after?.functions) return { earlier: byName, later: byName };
  const pairs = pairFunctions(before.functions, after.functions);
  return {
    earlier: (smell) => {
      const owner = ownerOf(smell);
      return owner === null ? byName(smell) : JSON.stringify([smell.kind, 'function', owner]);
    },
    later: (smell) => {
      const owner = ownerOf(smell);
      if (owner === null) return byName(smell);
      const paired = pairs.get(owner);
      return JSON.stringify([
        smell.kind,
        paired === undefined ? 'new' : 'function',
        paired ?? owner,
      ]);
    },
  };
}

function compareSmells(
  before: FileHealth | undefined,
  after: FileHealth | undefined,
): { introduced: DeltaSmell[]; fixed: DeltaSmell[] } {
  const introduced: DeltaSmell[] = [];
  const fixed: DeltaSmell[] = [];
  const keys = matchKeys(before, after);
  const earlier = groupBy(before?.smells ?? [], keys.earlier);
  const later = groupBy(after?.smells ?? [], keys.later);
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
        introduced.push(plain(smell, old));
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
      ...compareSmells(old, now),
    });
  }
  return { files };
}
