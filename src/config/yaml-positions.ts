import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/** The string a map key becomes in the parsed object (yaml's toJS turns a null key into ""). */
export function keyString(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? '' : String(key.value);
}

function resolved(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc);
  return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
}

/** 1-based line and column of an offset in the source. */
export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

/**
 * Where a path of the parsed object sits in the source: the key itself when `at` is "key" (an
 * unknown or misplaced key), otherwise its value (a wrong type points at what was written). When
 * the path runs past what the source holds, the deepest part that exists is reported, so every
 * error still gets a line.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  at: 'key' | 'value',
): Position {
  let node = resolved(doc, doc.contents);
  let best = node?.range ? node.range[0] : 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyString(item.key) === String(segment));
      if (!pair) break;
      const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
      if (keyRange) best = keyRange[0];
      if (last && at === 'key') break;
      node = resolved(doc, pair.value);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = resolved(doc, node.items[segment]);
    } else {
      break;
    }
    if (!node) break;
    // An empty value (`bots:` with nothing after it) has a zero-width range; the key says more.
    if (node.range && !(isScalar(node) && node.value === null && node.range[0] === node.range[1])) {
      best = node.range[0];
    }
  }
  return positionAt(lineCounter, best);
}
