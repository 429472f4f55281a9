import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Root } from 'mdast';

/**
 * What GitHub makes of a posted body, read with a real CommonMark + GFM parser (micromark), so
 * tests judge the markdown Steward emits by how it parses, not by how Steward built it.
 */
export function parseGfm(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

/**
 * `@name` mentions GitHub would link, by its own rule: in each text node outside code and links,
 * an `@` at the node's start or after a character that is not a word character, then a letter or
 * digit. GitHub runs it on the rendered HTML's text nodes, so `*@x*` is a mention.
 */
export function mentionsOutsideCode(markdown: string): string[] {
  const found: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'link') return;
    if (node.type === 'text')
      for (const m of node.value.matchAll(/(?:^|[^A-Za-z0-9_])(@[A-Za-z0-9][A-Za-z0-9-]*)/g))
        found.push(m[1]!);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(parseGfm(markdown));
  return found;
}

/** Raw HTML as GitHub would pass it through: comments, tags. */
export function htmlNodes(markdown: string): string[] {
  const found: string[] = [];
  walk(parseGfm(markdown), (node) => {
    if (node.type === 'html') found.push(node.value);
  });
  return found;
}

/** Fenced blocks GitHub would offer as a committable suggestion. */
export function suggestionBlocks(markdown: string): string[] {
  const found: string[] = [];
  walk(parseGfm(markdown), (node) => {
    if (node.type === 'code' && /^suggestion$/i.test(node.lang ?? '')) found.push(node.value);
  });
  return found;
}

/** Every character a reader sees, in order: text, code spans, code blocks (info string too). */
export function visibleText(markdown: string): string {
  const parts: string[] = [];
  walk(parseGfm(markdown), (node) => {
    if (node.type === 'text' || node.type === 'inlineCode') parts.push(node.value);
    else if (node.type === 'code')
      parts.push(' ', [node.lang, node.meta].filter(Boolean).join(' '), '\n', node.value, ' ');
    else if (node.type === 'break' || node.type === 'paragraph' || node.type === 'tableCell')
      parts.push(' ');
  });
  return parts.join('');
}
