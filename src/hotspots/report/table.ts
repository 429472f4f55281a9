import type { HealthBand } from './format.ts';
import {
  formatCount,
  formatHealth,
  formatPercent,
  healthBand,
  rankFiles,
  sanitize,
  scoreFormatter,
  shortHead,
  smellSummary,
  strongestCouplings,
  windowLabel,
} from './format.ts';
import type { HotspotsReport } from '../types.ts';

export interface TableOptions {
  /** Files to list, highest score first. */
  top: number;
  /** ANSI colours; off unless the caller knows the output is a terminal that wants them. */
  color?: boolean;
  /** Terminal columns: long paths are shortened from the left (the file name stays), smells cut. */
  width?: number;
  /** Strongest couplings listed under the table; 5 unless told. */
  couplings?: number;
}

type Align = 'left' | 'right';
type Paint = (text: string) => string;

interface Column {
  header: string;
  align: Align;
  cells: string[];
  /** Colour of each cell, applied after padding so escapes never count as width. */
  paint?: (row: number) => Paint;
}

const plain: Paint = (text) => text;
const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const MIN_PATH = 24;
const MIN_SMELLS = 20;
const GAP = '  ';

/** The terminal face of `steward hotspots`: the top files, aligned, then the strongest couplings. */
export function renderHotspotsTable(report: HotspotsReport, options: TableOptions): string {
  const color = options.color === true;
  const bold = color ? ansi(1, 22) : plain;
  const dim = color ? ansi(2, 22) : plain;
  const bandPaint: Record<HealthBand, Paint> = {
    alert: color ? ansi(31, 39) : plain,
    warning: color ? ansi(33, 39) : plain,
    healthy: color ? ansi(32, 39) : plain,
  };

  const ranked = rankFiles(report.files);
  const shown = ranked.slice(0, Math.max(0, Math.floor(options.top)));
  const score = scoreFormatter(report.files);

  const title =
    `Hotspots in ${sanitize(report.repo)} at ${sanitize(shortHead(report.head))} ` +
    `(${sanitize(windowLabel(report.since))}): ` +
    (shown.length < ranked.length
      ? `top ${shown.length} of ${formatCount(ranked.length)} files`
      : `${formatCount(ranked.length)} files`);
  const lines = [bold(title)];
  if (shown.length === 0) {
    lines.push('', 'No files to report: nothing in the window is analysed source.');
    return lines.join('\n') + '\n';
  }

  const columns: Column[] = [
    { header: '#', align: 'right', cells: shown.map((_, i) => String(i + 1)), paint: () => dim },
    { header: 'Score', align: 'right', cells: shown.map((f) => score(f.score)), paint: () => bold },
    {
      header: 'Health',
      align: 'right',
      cells: shown.map((f) => formatHealth(f.health)),
      paint: (row) => bandPaint[healthBand(shown[row]!.health)],
    },
    { header: 'Revs', align: 'right', cells: shown.map((f) => formatCount(f.revisions)) },
    { header: 'Fixes', align: 'right', cells: shown.map((f) => formatCount(f.fixes ?? 0)) },
    { header: 'Authors', align: 'right', cells: shown.map((f) => formatCount(f.authors)) },
    { header: 'LOC', align: 'right', cells: shown.map((f) => formatCount(f.loc)) },
    { header: 'File', align: 'left', cells: shown.map((f) => sanitize(f.path)) },
    {
      header: 'Smells',
      align: 'left',
      cells: shown.map((f) => sanitize(smellSummary(f.smells, 2))),
      paint: () => dim,
    },
  ];
  fitToWidth(columns, options.width);

  const widths = columns.map((c) => Math.max(width(c.header), ...c.cells.map(width)));
  /** Cells padded to their column, then painted; no trailing blanks, which copy untidily. */
  const row = (text: (c: Column) => string, paint: (c: Column) => Paint): string => {
    const cells = columns.map((c, i) => pad(text(c), widths[i]!, c.align));
    while (cells.length > 1 && cells[cells.length - 1]!.trim() === '') cells.pop();
    cells[cells.length - 1] = cells[cells.length - 1]!.trimEnd();
    return cells.map((cell, i) => paint(columns[i]!)(cell)).join(GAP);
  };

  lines.push('');
  lines.push(
    row(
      (c) => c.header,
      () => bold,
    ),
  );
  lines.push(dim(widths.map((w) => '─'.repeat(w)).join(GAP)));
  for (let r = 0; r < shown.length; r++)
    lines.push(
      row(
        (c) => c.cells[r]!,
        (c) => c.paint?.(r) ?? plain,
      ),
    );

  const couplings = strongestCouplings(report.coupling, options.couplings ?? 5);
  if (couplings.length > 0) {
    lines.push('', bold('Strongest change coupling'));
    const degrees = couplings.map((c) => formatPercent(c.degree));
    const shared = couplings.map((c) => `${formatCount(c.shared)} shared`);
    const dw = Math.max(...degrees.map(width));
    const sw = Math.max(...shared.map(width));
    couplings.forEach((c, i) => {
      lines.push(
        `${pad(degrees[i]!, dw, 'right')}${GAP}${dim(pad(shared[i]!, sw, 'right'))}${GAP}` +
          `${sanitize(c.a)} ↔ ${sanitize(c.b)}`,
      );
    });
  }
  return lines.join('\n') + '\n';
}

/**
 * Shrinks columns until a row fits in `width` terminal columns: first the smells (down to a
 * readable stub), then the file paths (keeping their ends), then the smells to nothing more.
 */
function fitToWidth(columns: Column[], total: number | undefined): void {
  if (total === undefined || !Number.isFinite(total)) return;
  const widthOf = (c: Column): number => Math.max(width(c.header), ...c.cells.map(width));
  const excess = (): number =>
    columns.reduce((sum, c) => sum + widthOf(c), 0) + GAP.length * (columns.length - 1) - total;
  const smells = columns[columns.length - 1]!;
  const file = columns[columns.length - 2]!;
  const shrink = (column: Column, floor: number, cut: (text: string, to: number) => string) => {
    const over = excess();
    if (over <= 0) return;
    const target = Math.max(floor, widthOf(column) - over);
    column.cells = column.cells.map((cell) => cut(cell, target));
  };
  shrink(smells, MIN_SMELLS, truncateEnd);
  shrink(file, MIN_PATH, truncateStart);
  shrink(smells, width(smells.header), truncateEnd);
}

/** Columns a string takes in a terminal: wide East Asian characters and emoji count 2, marks 0. */
export function width(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function pad(text: string, to: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** "…/report/table.ts": keeps the end of a path, where the file name is. */
function truncateStart(text: string, to: number): string {
  if (width(text) <= to) return text;
  const chars = [...text];
  let w = 1;
  let i = chars.length;
  while (i > 0 && w + width(chars[i - 1]!) <= to) w += width(chars[--i]!);
  const tail = chars.slice(i).join('');
  // Cut at a folder boundary when one is left: "…/modules/checkout.ts", not "…dules/checkout.ts".
  const slash = tail.indexOf('/');
  return '…' + (slash >= 0 && slash < tail.length - 1 ? tail.slice(slash) : tail);
}

function truncateEnd(text: string, to: number): string {
  if (width(text) <= to) return text;
  const chars = [...text];
  let w = 1;
  let i = 0;
  while (i < chars.length && w + width(chars[i]!) <= to) w += width(chars[i++]!);
  return chars.slice(0, i).join('') + '…';
}
