import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  layoutTreemap,
  squarify,
  type Box,
  type TreemapItem,
} from '../../../src/hotspots/report/treemap.ts';

const eps = 1e-6;
const area = (b: Box): number => b.w * b.h;

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - eps &&
    inner.y >= outer.y - eps &&
    inner.x + inner.w <= outer.x + outer.w + eps &&
    inner.y + inner.h <= outer.y + outer.h + eps
  );
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

describe('squarify', () => {
  it('gives each value an area in proportion, filling the box exactly', () => {
    const box = { x: 10, y: 20, w: 600, h: 400 };
    const values = [6, 6, 4, 3, 2, 2, 1];

    const boxes = squarify(values, box);

    const total = values.reduce((s, v) => s + v, 0);
    boxes.forEach((b, i) => {
      expect(area(b)).toBeCloseTo((values[i]! / total) * area(box), 6);
      expect(inside(b, box)).toBe(true);
    });
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        expect(overlap(boxes[i]!, boxes[j]!)).toBeCloseTo(0);
  });

  it('makes squares of equal values in a square', () => {
    const boxes = squarify([1, 1, 1, 1], { x: 0, y: 0, w: 100, h: 100 });

    for (const b of boxes) {
      expect(b.w).toBeCloseTo(50);
      expect(b.h).toBeCloseTo(50);
    }
  });

  it('keeps aspect ratios far better than slicing would', () => {
    const values = Array.from({ length: 40 }, (_, i) => 40 - i);
    const boxes = squarify(values, { x: 0, y: 0, w: 1000, h: 640 });
    const worst = Math.max(...boxes.map((b) => Math.max(b.w / b.h, b.h / b.w)));

    // Slicing 40 strips across 1000 units would give ratios above 25.
    expect(worst).toBeLessThan(4);
  });

  it('places zero values and empty boxes without NaN', () => {
    const boxes = squarify([5, 0, 0], { x: 1, y: 2, w: 10, h: 10 });
    const empty = squarify([1, 2], { x: 0, y: 0, w: 0, h: 10 });

    expect(boxes[0]).toEqual({ x: 1, y: 2, w: 10, h: 10 });
    expect(area(boxes[1]!)).toBe(0);
    expect(area(boxes[2]!)).toBe(0);
    expect(empty.every((b) => area(b) === 0 && Number.isFinite(b.x))).toBe(true);
  });
});

describe('layoutTreemap', () => {
  const options = { padding: 3, header: 17 };
  const box = { x: 0, y: 0, w: 1000, h: 640 };

  it('nests files in their folders and merges single-child folder chains', () => {
    const items: TreemapItem[] = [
      { path: 'src/main/java/org/acme/App.java', value: 300 },
      { path: 'src/main/java/org/acme/util/Strings.java', value: 100 },
      { path: 'src/test/AppTest.java', value: 120 },
      { path: 'README.md', value: 40 },
    ];

    const layout = layoutTreemap(items, box, options);

    expect(layout.files).toHaveLength(4);
    expect(layout.folders.map((f) => [f.name, f.path, f.depth])).toEqual([
      ['src', 'src', 0],
      ['main/java/org/acme', 'src/main/java/org/acme', 1],
      ['util', 'src/main/java/org/acme/util', 2],
      ['test', 'src/test', 1],
    ]);
    const folder = (path: string) => layout.folders.find((f) => f.path === path)!.box;
    expect(inside(layout.files[0]!.box, folder('src/main/java/org/acme'))).toBe(true);
    expect(inside(layout.files[1]!.box, folder('src/main/java/org/acme/util'))).toBe(true);
    expect(inside(layout.files[2]!.box, folder('src/test'))).toBe(true);
    expect(inside(folder('src/main/java/org/acme'), folder('src'))).toBe(true);
    expect(layout.files[3]!.depth).toBe(0);
  });

  it('uses a lone top folder as the frame, with its full name', () => {
    const layout = layoutTreemap(
      [
        { path: 'packages/core/src/a.ts', value: 1 },
        { path: 'packages/core/src/b.ts', value: 2 },
      ],
      box,
      options,
    );

    expect(layout.folders).toHaveLength(1);
    expect(layout.folders[0]!.name).toBe('packages/core/src');
    expect(layout.folders[0]!.box).toEqual(box);
  });

  test.prop(
    [
      fc.array(
        fc.record({
          path: fc
            .array(fc.constantFrom('a', 'b', 'c', 'dé', 'x y', '<', ''), {
              minLength: 1,
              maxLength: 4,
            })
            .map((parts) => parts.join('/')),
          value: fc.oneof(
            fc.integer({ min: 0, max: 5000 }),
            fc.constant(Number.NaN),
            fc.double({ min: 0, max: 1e6, noNaN: true }),
          ),
        }),
        { maxLength: 40 },
      ),
    ],
    { numRuns: 200 },
  )('places every item inside the box and its folders, siblings apart', (items) => {
    const layout = layoutTreemap(items, box, options);

    expect(layout.files.filter(Boolean)).toHaveLength(items.length);
    for (const file of layout.files) {
      for (const n of [file.box.x, file.box.y, file.box.w, file.box.h])
        expect(Number.isFinite(n)).toBe(true);
      expect(file.box.w).toBeGreaterThanOrEqual(0);
      expect(file.box.h).toBeGreaterThanOrEqual(0);
      expect(inside(file.box, box)).toBe(true);
      const path = items[file.index]!.path.split('/').filter(Boolean).join('/');
      for (const folder of layout.folders)
        if (path.startsWith(folder.path + '/')) expect(inside(file.box, folder.box)).toBe(true);
    }
    const files = layout.files.map((f) => f.box);
    for (let i = 0; i < files.length; i++)
      for (let j = i + 1; j < files.length; j++)
        expect(overlap(files[i]!, files[j]!)).toBeLessThan(1e-6);
  });
});
