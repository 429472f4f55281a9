/**
 * Edit distance where insertions, deletions, substitutions and swaps of two neighbouring
 * characters each cost 1 (optimal string alignment), since a swap is the commonest typo
 * (`reveiw`) and plain Levenshtein would charge it 2.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How far a candidate may be from the input: about one edit per three characters. */
function maxDistance(input: string, candidate: string): number {
  return Math.max(1, Math.floor(Math.max(input.length, candidate.length) / 3));
}

/**
 * The known name nearest to `input`, ignoring case, or undefined when none is close enough to be
 * a likely typo. A wild guess is worse than no guess, so a candidate must be within roughly a
 * third of its length and closer than the length of the shorter word. Ties go to the earlier
 * candidate.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance > maxDistance(typed, candidate)) continue;
    if (distance >= Math.min(typed.length, candidate.length)) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}
