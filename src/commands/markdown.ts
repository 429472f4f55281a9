/**
 * Text someone else wrote, echoed in a comment Steward writes, never carries a live hidden marker:
 * `<!--` gets a zero-width space after its `<`, so it reads the same and is no HTML comment (and
 * no `<!-- steward:… -->` marker) in the raw body a later lookup reads.
 */
export function neutraliseMarkers(text: string): string {
  return text.replace(/<!--/g, '<\u200B!--');
}

/**
 * Text from a comment or a config, shown literally in a comment Steward writes: in a code span,
 * where markdown does nothing and an `@team` mention notifies no one.
 */
export function inlineCode(text: string): string {
  const clean = neutraliseMarkers(text.replace(/\r?\n/g, ' '));
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${clean} ${fence}` : `${fence}${clean}${fence}`;
}
