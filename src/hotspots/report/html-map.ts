import { colorAt, healthStops, inkOn, scoreStops } from './colors.ts';
import { formatCount, formatHealth, sanitize } from './format.ts';
import type { HotspotEntry } from '../types.ts';
import { escapeHtml } from './html-escape.ts';
import { layoutTreemap, type Box } from './treemap.ts';

/** The map's coordinate space; the SVG scales to the width of the page. */
export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 640;
const PADDING = 3;
const HEADER = 17;
/** Average glyph width of the UI font as a share of its size, for cutting labels to fit. */
const GLYPH = 0.58;

/**
 * The repository as nested boxes: one `<rect data-path>` per file (area = lines of code, fill =
 * score or health through CSS variables, so the colour toggle needs no script), folders as framed
 * boxes with a name strip, labels where they fit.
 */
export function renderMap(ranked: readonly HotspotEntry[], score: (n: number) => string): string {
  const layout = layoutTreemap(
    ranked.map((f) => ({ path: f.path, value: Math.max(1, f.loc) })),
    { x: 0, y: 0, w: MAP_WIDTH, h: MAP_HEIGHT },
    { padding: PADDING, header: HEADER },
  );
  const maxScore = ranked.reduce((m, f) => Math.max(m, Number.isFinite(f.score) ? f.score : 0), 0);

  const folders: string[] = [];
  const folderLabels: string[] = [];
  for (const folder of layout.folders) {
    const { box } = folder;
    const title = `${sanitize(folder.path)}/: ${formatCount(folder.files)} files, ${formatCount(folder.value)} lines`;
    folders.push(
      `<rect class="dir d${Math.min(folder.depth, 3)}" ${coords(box)} rx="3"><title>${escapeHtml(title)}</title></rect>`,
    );
    if (folder.header) {
      const label = fit(`${folder.name}/`, box.w - 10, 11);
      if (label)
        folderLabels.push(
          `<text class="dl" x="${r(box.x + 5)}" y="${r(box.y + HEADER - 5)}">${escapeHtml(label)}</text>`,
        );
    }
  }

  const shapes: string[] = [];
  const labels: string[] = [];
  ranked.forEach((file, i) => {
    const box = layout.files[i]!.box;
    const fillScore = colorAt(scoreStops, maxScore > 0 ? file.score / maxScore : 0);
    const fillHealth = colorAt(healthStops, file.health);
    const name = `${sanitize(file.path)}: score ${score(file.score)}, health ${formatHealth(file.health)}, ${formatCount(file.loc)} lines`;
    shapes.push(
      `<rect class="f" data-i="${i}" data-path="${escapeHtml(file.path)}" ${coords(box)}` +
        ` style="--s:${fillScore};--h:${fillHealth}" tabindex="${i === 0 ? 0 : -1}"` +
        ` role="button" aria-label="${escapeHtml(name)}"></rect>`,
    );
    const label = fileLabel(file, box, score);
    if (label)
      labels.push(
        `<g class="fl" style="--st:${inkOn(fillScore)};--ht:${inkOn(fillHealth)}">${label}</g>`,
      );
  });

  return (
    `<svg viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="group" aria-label="Repository map: ` +
    `${formatCount(ranked.length)} files in nested folders" aria-describedby="map-help">` +
    `<g class="dirs">${folders.join('')}</g>` +
    `<g class="files">${shapes.join('')}</g>` +
    `<g class="labels" aria-hidden="true">${folderLabels.join('')}${labels.join('')}</g>` +
    `<g class="rings" aria-hidden="true"><g id="couple-rings"></g>` +
    `<rect id="hover-ring" class="ring hover" x="0" y="0" width="0" height="0"></rect>` +
    `<rect id="select-ring" class="ring select" x="0" y="0" width="0" height="0"></rect></g>` +
    `</svg>`
  );
}

/** The file name, and on roomy boxes a second line with the numbers that put it there. */
function fileLabel(file: HotspotEntry, box: Box, score: (n: number) => string): string {
  if (box.w < 34 || box.h < 15) return '';
  const size = box.w >= 150 && box.h >= 48 ? 13 : 11;
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  const name = fit(sanitize(base), box.w - 8, size);
  if (!name) return '';
  let out = `<text x="${r(box.x + 4)}" y="${r(box.y + size + 2)}" font-size="${size}">${escapeHtml(name)}</text>`;
  // The number behind the colour on show: score in score view, health in health view.
  if (box.h >= size + 22) {
    const y = r(box.y + size + 15);
    const x = r(box.x + 4);
    const lines = [
      ['s', `score ${score(file.score)}`],
      ['h', `health ${formatHealth(file.health)}`],
    ] as const;
    for (const [cls, text] of lines)
      if (text.length * 10 * GLYPH <= box.w - 8)
        out += `<text class="sub ${cls}" x="${x}" y="${y}" font-size="10">${escapeHtml(text)}</text>`;
  }
  return out;
}

/** The label cut with an ellipsis to fit `room` units, or '' when not even three letters fit. */
function fit(text: string, room: number, size: number): string {
  const max = Math.floor(room / (size * GLYPH));
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max < 5) return '';
  // "schema.…" reads worse than "schema…".
  return (
    chars
      .slice(0, max - 1)
      .join('')
      .replace(/[.\-_/ ]+$/, '') + '…'
  );
}

function coords(box: Box): string {
  return `x="${r(box.x)}" y="${r(box.y)}" width="${r(box.w)}" height="${r(box.h)}"`;
}

function r(n: number): string {
  return String(Math.round(n * 100) / 100);
}
