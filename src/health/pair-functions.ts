import type { FunctionMetrics } from './types.ts';

/**
 * Which function of the old revision of a file each function of the new one is, so a health delta
 * compares a smell with the same function's smell before the change, even when names repeat
 * (several `parse` methods, dozens of anonymous test callbacks) and lines moved.
 *
 * Functions pair within one identity: the qualified name (enclosing functions, class and name),
 * with getters and setters kept apart; what is left then pairs the same way by its own name alone,
 * so a function whose enclosing function was renamed is still itself. Within an identity:
 * 1. Functions whose body fingerprint is the same pair first, in order: the same code, moved or
 *    not. These are the anchors that say how far code shifted at each point of the file.
 * 2. The rest pair by an order-preserving alignment that maximises how well they match: how close
 *    the old function is to where the new one would be if only the code above it had shifted (as
 *    the nearest anchor above shows), and how alike the two bodies are. Two functions that are far
 *    apart and whose bodies are unrelated do not pair: one was removed and the other added.
 * Without fingerprints (analyses made before they existed) the alignment goes by position alone.
 */

/** Below this match quality (0–1) two functions are not taken for one. */
const MIN_QUALITY = 0.25;
/** Past this many candidate pairs in one identity, the rest pair in line order. */
const MAX_ALIGNMENT_CELLS = 1_000_000;

interface Side {
  fn: FunctionMetrics;
  index: number;
  /** The fingerprint as two 32-bit halves; null when absent. */
  print: [number, number] | null;
}

/** A function's identity: its qualified name, or with `own`, its own name alone. */
function identityOf(fn: FunctionMetrics, own: boolean): string {
  const accessor = fn.kind === 'getter' || fn.kind === 'setter' ? `#${fn.kind}` : '';
  return `${own ? fn.name : (fn.qualifiedName ?? fn.name)}${accessor}`;
}

function parsePrint(fingerprint: string | undefined): [number, number] | null {
  if (fingerprint === undefined || !/^[0-9a-f]{16}$/.test(fingerprint)) return null;
  return [parseInt(fingerprint.slice(0, 8), 16), parseInt(fingerprint.slice(8), 16)];
}

function popcount(value: number): number {
  let x = value >>> 0;
  let count = 0;
  while (x !== 0) {
    x &= x - 1;
    count++;
  }
  return count;
}

/** 0 for unrelated bodies (half the bits agree by chance), 1 for the same lines; 0.5 unknown. */
function bodyMatch(a: Side, b: Side): number {
  if (!a.print || !b.print) return 0.5;
  const differing = popcount(a.print[0] ^ b.print[0]) + popcount(a.print[1] ^ b.print[1]);
  const agreement = 1 - differing / 64;
  return Math.min(1, Math.max(0, (agreement - 0.5) / 0.5));
}

function groupByIdentity(sides: readonly Side[], own: boolean): Map<string, Side[]> {
  const groups = new Map<string, Side[]>();
  sides.forEach((side) => {
    const key = identityOf(side.fn, own);
    const group = groups.get(key);
    if (group) group.push(side);
    else groups.set(key, [side]);
  });
  for (const group of groups.values()) group.sort((a, b) => a.fn.line - b.fn.line);
  return groups;
}

/** Step 1: the same body under the same identity, in order; returns the anchors' line shifts. */
function pairUnchanged(
  earlier: Map<string, Side[]>,
  later: Map<string, Side[]>,
  pairs: Map<number, number>,
): { line: number; shift: number }[] {
  const anchors: { line: number; shift: number }[] = [];
  for (const [key, now] of later) {
    const byPrint = new Map<string, Side[]>();
    for (const side of earlier.get(key) ?? []) {
      const print = side.fn.fingerprint;
      if (side.print === null || print === undefined) continue;
      const queue = byPrint.get(print);
      if (queue) queue.push(side);
      else byPrint.set(print, [side]);
    }
    for (const side of now) {
      if (side.print === null) continue;
      const match = byPrint.get(side.fn.fingerprint!)?.shift();
      if (!match) continue;
      pairs.set(side.index, match.index);
      anchors.push({ line: side.fn.line, shift: side.fn.line - match.fn.line });
    }
  }
  return anchors.sort((a, b) => a.line - b.line);
}

/** How far code at `line` of the new revision moved: the shift of the nearest anchor above it. */
function shiftAt(anchors: readonly { line: number; shift: number }[], line: number): number {
  let low = 0;
  let high = anchors.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (anchors[middle]!.line <= line) {
      found = anchors[middle]!.shift;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function quality(old: Side, now: Side, shift: number): number {
  const distance = Math.abs(now.fn.line - shift - old.fn.line);
  const closeness = 1 / (1 + distance / Math.max(5, old.fn.length));
  return (closeness + bodyMatch(old, now)) / 2;
}

/** Step 2: an order-preserving alignment of what is left, maximising the summed quality. */
function align(
  old: readonly Side[],
  now: readonly Side[],
  anchors: readonly { line: number; shift: number }[],
  pairs: Map<number, number>,
): void {
  if (old.length === 0 || now.length === 0) return;
  if (old.length * now.length > MAX_ALIGNMENT_CELLS) {
    now.forEach((side, i) => {
      if (i < old.length) pairs.set(side.index, old[i]!.index);
    });
    return;
  }
  const columns = now.length + 1;
  // best[i][j]: the best total for old[i..] and now[j..].
  const best = new Float64Array((old.length + 1) * columns);
  for (let i = old.length - 1; i >= 0; i--) {
    for (let j = now.length - 1; j >= 0; j--) {
      const skip = Math.max(best[(i + 1) * columns + j]!, best[i * columns + j + 1]!);
      const q = quality(old[i]!, now[j]!, shiftAt(anchors, now[j]!.fn.line));
      const take = q >= MIN_QUALITY ? q + best[(i + 1) * columns + j + 1]! : -1;
      best[i * columns + j] = Math.max(skip, take);
    }
  }
  let i = 0;
  let j = 0;
  while (i < old.length && j < now.length) {
    const here = best[i * columns + j]!;
    const q = quality(old[i]!, now[j]!, shiftAt(anchors, now[j]!.fn.line));
    if (q >= MIN_QUALITY && here === q + best[(i + 1) * columns + j + 1]!) {
      pairs.set(now[j]!.index, old[i]!.index);
      i++;
      j++;
    } else if (here === best[(i + 1) * columns + j]!) {
      i++;
    } else {
      j++;
    }
  }
}

/**
 * For each function of the new revision that is one of the old revision's, the index of that one:
 * a map from index in `after` to index in `before`. Functions absent from it are new; functions of
 * `before` no value names were removed.
 */
export function pairFunctions(
  before: readonly FunctionMetrics[],
  after: readonly FunctionMetrics[],
): Map<number, number> {
  const sidesOf = (functions: readonly FunctionMetrics[]): Side[] =>
    functions.map((fn, index) => ({ fn, index, print: parsePrint(fn.fingerprint) }));
  const [earlierSides, laterSides] = [sidesOf(before), sidesOf(after)];
  const pairs = new Map<number, number>();
  const anchors: { line: number; shift: number }[] = [];
  // By qualified name first; then what is left by its own name, for a function whose enclosing
  // function was renamed or which moved into another one.
  for (const own of [false, true]) {
    const taken = new Set(pairs.values());
    const earlier = groupByIdentity(
      earlierSides.filter((side) => !taken.has(side.index)),
      own,
    );
    const later = groupByIdentity(
      laterSides.filter((side) => !pairs.has(side.index)),
      own,
    );
    anchors.push(...pairUnchanged(earlier, later, pairs));
    anchors.sort((a, b) => a.line - b.line);
    const anchored = new Set(pairs.values());
    for (const [key, now] of later) {
      align(
        (earlier.get(key) ?? []).filter((side) => !anchored.has(side.index)),
        now.filter((side) => !pairs.has(side.index)),
        anchors,
        pairs,
      );
    }
  }
  return pairs;
}
