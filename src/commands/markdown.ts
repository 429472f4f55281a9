import { oneLine } from '../markdown/one-line.ts';
import { codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';

/**
 * Text someone else wrote, echoed in a comment Steward writes, never carries a live hidden marker:
 * `<!--` gets a zero-width space after its `<`, so it reads the same and is no HTML comment (and
 * no `<!-- steward:… -->` marker) in the raw body a later lookup reads.
 */
export function neutraliseMarkers(text: string): string {
  return text.replace(/<!--/g, '<\u200B!--');
}

/**
 * Text from a comment or a config, shown literally in a comment Steward writes: in a code span
 * (the untrusted-text renderer's), where markdown does nothing and an `@team` mention notifies no
 * one, and with no marker a later lookup could read in the raw body.
 */
export function inlineCode(text: string): string {
  return codeSpan(neutraliseMarkers(text), { padded: true });
}

/**
 * Text someone else wrote (a reason, a failure) as a markdown table cell: on one line, at most
 * `max` characters, inert, and with no marker.
 */
export function tableCell(text: string, max: number): string {
  return inlineMarkdown(neutraliseMarkers(oneLine(text, max)), { table: true });
}
