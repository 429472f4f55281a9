/**
 * A nested squarified treemap (Bruls, Huizing and van Wijk, 2000): folders are boxes that hold
 * their files and subfolders, each box's area proportional to its value (lines of code). Written
 * here rather than bundling d3-hierarchy: the algorithm is short, and the report must carry no
 * code it does not use.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TreemapItem {
  /** Slash-separated path; folders come from its directories. */
  path: string;
  /** Size of the item; non-positive or non-finite values get no area but are still placed. */
  value: number;
}

export interface PlacedFile {
  /** Index of the item in the input. */
  index: number;
  box: Box;
  /** Folders around the file. */
  depth: number;
}

export interface PlacedFolder {
  /** Full path of the folder (its last directory when single-child chains were merged). */
  path: string;
  /** What the header shows: the folder's name, or "a/b/c" for a merged chain. */
  name: string;
  box: Box;
  depth: number;
  /** Whether a header strip was reserved at the top of the box for the name. */
  header: boolean;
  files: number;
  value: number;
}

export interface TreemapLayout {
  folders: PlacedFolder[];
  /** One entry per input item, in input order. */
  files: PlacedFile[];
}

export interface TreemapOptions {
  /** Space between a folder's edge and its contents. */
  padding: number;
  /** Height of a folder's name strip. */
  header: number;
}

interface FolderNode {
  name: string;
  path: string;
  value: number;
  files: number;
  folders: Map<string, FolderNode>;
  items: { index: number; name: string; value: number }[];
}

type Child =
  | { folder: FolderNode; value: number; name: string }
  | {
      item: { index: number; name: string; value: number };
      value: number;
      name: string;
    };

/** Lays out `items` in `box`: every item gets a box, inside the boxes of its folders. */
export function layoutTreemap(
  items: readonly TreemapItem[],
  box: Box,
  options: TreemapOptions,
): TreemapLayout {
  const root = buildTree(items);
  const layout: TreemapLayout = { folders: [], files: new Array<PlacedFile>(items.length) };
  // A repository whose code all sits in one folder (src/) shows that folder as the outer frame.
  if (root.items.length === 0 && root.folders.size === 1)
    placeFolder(collapse([...root.folders.values()][0]!), box, 0, options, layout);
  else placeChildren(root, box, 0, options, layout);
  return layout;
}

function buildTree(items: readonly TreemapItem[]): FolderNode {
  const root = folderNode('', '');
  items.forEach((item, index) => {
    const value = Number.isFinite(item.value) && item.value > 0 ? item.value : 0;
    const parts = item.path.split('/').filter((p) => p !== '');
    const name = parts.pop() ?? item.path;
    let node = root;
    node.value += value;
    node.files++;
    for (const part of parts) {
      let next = node.folders.get(part);
      if (!next) {
        next = folderNode(part, node.path ? `${node.path}/${part}` : part);
        node.folders.set(part, next);
      }
      node = next;
      node.value += value;
      node.files++;
    }
    node.items.push({ index, name, value });
  });
  return root;
}

function folderNode(name: string, path: string): FolderNode {
  return { name, path, value: 0, files: 0, folders: new Map(), items: [] };
}

/** src → main → java → org as one box headed "src/main/java/org": nesting that says nothing. */
function collapse(node: FolderNode): FolderNode {
  let merged = node;
  while (merged.items.length === 0 && merged.folders.size === 1) {
    const only = [...merged.folders.values()][0]!;
    merged = { ...only, name: `${merged.name}/${only.name}` };
  }
  return merged;
}

function children(node: FolderNode): Child[] {
  const list: Child[] = [
    ...[...node.folders.values()].map((f) => {
      const folder = collapse(f);
      return { folder, value: folder.value, name: folder.name };
    }),
    ...node.items.map((item) => ({ item, value: item.value, name: item.name })),
  ];
  // Largest first, as squarify needs; names break ties so the layout is deterministic.
  return list.sort((x, y) => y.value - x.value || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function placeFolder(
  folder: FolderNode,
  box: Box,
  depth: number,
  options: TreemapOptions,
  layout: TreemapLayout,
): void {
  const { padding, header } = options;
  // A header only where the name can be read; tiny folders give all their room to their files.
  const hasHeader = box.h >= header * 2.5 && box.w >= header * 3;
  const pad = box.w > padding * 6 && box.h > padding * 6 ? padding : 0;
  layout.folders.push({
    path: folder.path,
    name: folder.name,
    box,
    depth,
    header: hasHeader,
    files: folder.files,
    value: folder.value,
  });
  const top = hasHeader ? header : pad;
  const inner: Box = {
    x: box.x + pad,
    y: box.y + top,
    w: Math.max(0, box.w - 2 * pad),
    h: Math.max(0, box.h - top - pad),
  };
  placeChildren(folder, inner, depth + 1, options, layout);
}

function placeChildren(
  node: FolderNode,
  box: Box,
  depth: number,
  options: TreemapOptions,
  layout: TreemapLayout,
): void {
  const list = children(node);
  const boxes = squarify(
    list.map((c) => c.value),
    box,
  );
  list.forEach((child, i) => {
    const placed = boxes[i]!;
    if ('folder' in child) placeFolder(child.folder, placed, depth, options, layout);
    else layout.files[child.item.index] = { index: child.item.index, box: placed, depth };
  });
}

/**
 * Squarified layout of `values` (largest first) in `box`: rows are filled along the shorter side
 * while adding a value makes the row's worst aspect ratio no worse. Returns one box per value, in
 * order; zero values get empty boxes at the corner of the space left.
 */
export function squarify(values: readonly number[], box: Box): Box[] {
  const total = values.reduce((s, v) => s + (v > 0 ? v : 0), 0);
  const out: Box[] = [];
  let { x, y, w, h } = box;
  if (total <= 0 || w <= 0 || h <= 0) return values.map(() => ({ x, y, w: 0, h: 0 }));
  // Share first, then area: total × scale would overflow for denormal totals.
  const areas = values.map((v) => (v > 0 ? (v / total) * w * h : 0));

  let i = 0;
  while (i < areas.length) {
    const side = Math.min(w, h);
    if (areas[i]! <= 0 || side <= 1e-9) {
      out.push({ x, y, w: 0, h: 0 });
      i++;
      continue;
    }
    const largest = areas[i]!;
    let sum = largest;
    let worst = worstRatio(largest, largest, sum, side);
    let end = i + 1;
    while (end < areas.length && areas[end]! > 0) {
      const next = worstRatio(largest, areas[end]!, sum + areas[end]!, side);
      if (next > worst) break;
      worst = next;
      sum += areas[end]!;
      end++;
    }
    const thickness = Math.min(sum / side, w >= h ? w : h);
    let offset = 0;
    for (let k = i; k < end; k++) {
      const length = areas[k]! / thickness;
      out.push(
        w >= h
          ? { x, y: y + offset, w: thickness, h: length }
          : { x: x + offset, y, w: length, h: thickness },
      );
      offset += length;
    }
    if (w >= h) {
      x += thickness;
      w = Math.max(0, w - thickness);
    } else {
      y += thickness;
      h = Math.max(0, h - thickness);
    }
    i = end;
  }
  return out;
}

/** The worst aspect ratio of a row with these largest and smallest areas and this total. */
function worstRatio(largest: number, smallest: number, sum: number, side: number): number {
  const s2 = sum * sum;
  const side2 = side * side;
  return Math.max((side2 * largest) / s2, s2 / (side2 * smallest));
}
