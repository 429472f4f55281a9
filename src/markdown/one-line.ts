/**
 * Text from elsewhere (a query, a reason, an error) quoted on one line: every run of whitespace,
 * line breaks included, becomes one space, and more than `max` characters end in "…" within `max`.
 */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
