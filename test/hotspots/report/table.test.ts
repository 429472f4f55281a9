import { describe, expect, it } from 'vitest';
import type { HotspotsReport } from '../../../src/hotspots/types.ts';
import { renderHotspotsTable, width } from '../../../src/hotspots/report/table.ts';
import { SmellKind } from '../../../src/health/types.ts';
import { entry } from './sample-report.ts';

const report: HotspotsReport = {
  repo: 'acme/shop',
  head: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  since: '2025-11-01',
  files: [
    entry('src/billing/invoice.ts', {
      score: 100,
      revisions: 48,
      authors: 6,
      loc: 1204,
      health: 2.9,
      smells: [
        { kind: SmellKind.complexMethod, function: 'total', line: 12, detail: 'cyclomatic 14' },
        { kind: SmellKind.complexMethod, function: 'tax', line: 80, detail: 'cyclomatic 11' },
        { kind: SmellKind.largeFile, function: null, line: 1, detail: '1204 lines' },
      ],
    }),
    entry('src/api/router.ts', { score: 41.5, revisions: 30, loc: 310, health: 6.4 }),
    entry('README.md', { score: 0, revisions: 2, loc: 80, health: 10 }),
    entry('src/util/format.ts', { score: 7.25, revisions: 9, loc: 45, health: 9.1 }),
  ],
  coupling: [
    { a: 'src/api/router.ts', b: 'src/util/format.ts', shared: 4, degree: 0.4 },
    { a: 'src/billing/invoice.ts', b: 'src/api/router.ts', shared: 12, degree: 0.82 },
  ],
};

// eslint-disable-next-line no-control-regex -- looking for escape sequences is the point
const ansi = /\u001b\[/;

describe('renderHotspotsTable', () => {
  it('lists the top files by score with their numbers, then the strongest couplings', () => {
    const out = renderHotspotsTable(report, { top: 3 });

    expect(out).toMatchInlineSnapshot(`
      "Hotspots in acme/shop at 4f2a9c1e8b7d (since 2025-11-01): top 3 of 4 files

      #  Score  Health  Revs  Fixes  Authors    LOC  File                    Smells
      ─  ─────  ──────  ────  ─────  ───────  ─────  ──────────────────────  ─────────────────────────────
      1  100.0     2.9    48      0        6  1,204  src/billing/invoice.ts  Complex Method ×2, Large File
      2   41.5     6.4    30      0        1    310  src/api/router.ts
      3    7.3     9.1     9      0        1     45  src/util/format.ts

      Strongest change coupling
      82%  12 shared  src/billing/invoice.ts ↔ src/api/router.ts
      40%   4 shared  src/api/router.ts ↔ src/util/format.ts
      "
    `);
  });

  it('is free of colour unless told, and colours health by band when told', () => {
    expect(renderHotspotsTable(report, { top: 4 })).not.toMatch(ansi);

    const coloured = renderHotspotsTable(report, { top: 4, color: true });

    expect(coloured).toContain('\u001b[31m   2.9\u001b[39m');
    expect(coloured).toContain('\u001b[32m  10.0\u001b[39m');
    // The colours wrap padded cells, so stripping them gives the plain table back.
    // eslint-disable-next-line no-control-regex -- stripping escape sequences
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderHotspotsTable(report, { top: 4 }));
  });

  it('keeps columns aligned whatever the widths of the numbers and paths', () => {
    const lines = renderHotspotsTable(report, { top: 4 }).split('\n');
    const header = lines.findIndex((l) => l.startsWith('#'));
    const fileColumn = lines[header]!.indexOf('File');
    for (const f of report.files) {
      const line = lines.find((l) => l.includes(f.path))!;
      expect(line.indexOf(f.path)).toBe(fileColumn);
    }
  });

  it('shows control characters in paths as escapes, never as raw terminal codes', () => {
    const evil: HotspotsReport = {
      ...report,
      repo: 'x\u001b]0;owned\u0007',
      files: [entry('src/\u001b[2Jclear\nme.ts', { score: 1 })],
      coupling: [],
    };

    const out = renderHotspotsTable(evil, { top: 5, color: false });

    expect(out).not.toMatch(ansi);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('src/\\x1b[2Jclear\\nme.ts');
    expect(out).toContain('x\\x1b]0;owned\\x07');
  });

  it('fits a narrow terminal by cutting smells, then paths from the left', () => {
    const long = entry('packages/very/deeply/nested/folder/structure/of/modules/checkout.ts', {
      score: 200,
      smells: report.files[0]!.smells,
    });
    const out = renderHotspotsTable(
      { ...report, files: [long, ...report.files] },
      { top: 5, width: 80 },
    );
    const rows = out.split('\n').slice(2, 9);

    for (const row of rows) expect(width(row)).toBeLessThanOrEqual(80);
    expect(out).toContain('  …/of/modules/checkout.ts  Comple…');
  });

  it('counts wide characters as two columns when aligning', () => {
    expect(width('日本語.ts')).toBe(9);
    expect(width('é')).toBe(1);
    expect(width('e\u0301')).toBe(1);
  });

  it('says so when there is nothing to list', () => {
    const out = renderHotspotsTable({ ...report, files: [], coupling: [] }, { top: 10 });

    expect(out).toContain('0 files');
    expect(out).toContain('No files to report');
  });
});
