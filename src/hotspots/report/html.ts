import { createHash } from 'node:crypto';
import { colorAt, gradient, healthStops, scoreStops } from './colors.ts';
import {
  formatCount,
  formatHealth,
  formatPercent,
  healthBand,
  rankFiles,
  sanitize,
  scoreFormatter,
  scoreParts,
  shortHead,
  smellSummary,
  strongestCouplings,
  totals,
  windowLabel,
} from './format.ts';
import type { HotspotEntry, HotspotFunction, HotspotsReport } from '../types.ts';
import { reportScript } from './html-client.ts';
import { escapeHtml, jsonForScript } from './html-escape.ts';
import { renderMap } from './html-map.ts';
import { reportCss } from './html-style.ts';

/** Couplings carried in the page for the panel's "changes together with"; the list shows fewer. */
const EMBEDDED_COUPLINGS = 500;
const LISTED_COUPLINGS = 16;
/** Functions per file carried in the page, the most complex first. */
const EMBEDDED_FUNCTIONS = 8;

/**
 * One self-contained HTML page: a treemap of the repository (folders hold files, area = lines of
 * code, colour = hotspot score or health), the strongest couplings and a sortable ranked table.
 * It loads nothing: styles and script are inline, and its Content-Security-Policy forbids every
 * fetch, so it opens the same from an artifact, a mail attachment or an air-gapped disk.
 */
export function renderHotspotsHtml(report: HotspotsReport): string {
  const ranked = rankFiles(report.files);
  const score = scoreFormatter(report.files);
  const maxScore = ranked.reduce((m, f) => Math.max(m, Number.isFinite(f.score) ? f.score : 0), 0);
  const decimals = score(1).split('.')[1]?.length ?? 0;
  const couplings = strongestCouplings(report.coupling, EMBEDDED_COUPLINGS);

  const data = {
    scoreDecimals: decimals,
    files: ranked.map((f) => ({
      ...f,
      functions: mostComplex(f.functions),
      functionCount: f.functions.length,
      why: scoreParts(f),
    })),
    coupling: couplings,
  };
  const script = reportScript;
  const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64');
  // Our own constant with single quotes only: safe in a double-quoted attribute as it is.
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${scriptHash}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `Hotspots · ${sanitize(report.repo)}`;
  const tick = (n: number): string => escapeHtml(score(n).replace(/\.0+$/, ''));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="steward hotspots">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${reportCss}</style>
</head>
<body>
<a class="skip" href="#ranked">Skip to the ranked table</a>
${renderHeader(report, ranked)}
<main>
<section class="card" id="map-card" data-colour="score" aria-labelledby="map-title">
<div class="card-head">
<h2 id="map-title">Repository map</h2>
<p class="note">Folders hold their files; area is lines of code.</p>
<span class="spacer"></span>
<fieldset class="toggle"><legend>Colour by</legend>
<label><input type="radio" name="colour" value="score" checked>Hotspot score</label>
<label><input type="radio" name="colour" value="health">Code health</label>
</fieldset>
<div class="legend score"><span class="name">Hotspot score<br>(change × complexity)</span><span class="ramp" style="background:${gradient(scoreStops)}"></span><span class="ticks"><span>0</span><span>${tick(maxScore / 2)}</span><span>${tick(maxScore)}</span></span></div>
<div class="legend health"><span class="name">Code health<br>(red is low)</span><span class="ramp" style="background:${gradient(healthStops)}"></span><span class="ticks"><span>1</span><span>4</span><span>7</span><span>10</span></span></div>
</div>
<div class="map-layout">
<figure class="map">${renderMap(ranked, score)}</figure>
<aside class="panel" id="panel" aria-live="polite" aria-label="File details">${renderIdlePanel(ranked, score)}</aside>
</div>
<p class="help" id="map-help">Hover a file for its numbers; click it to pin the details. Keyboard: <kbd>Tab</kbd> into the map, <kbd>←</kbd> <kbd>→</kbd> walk the files by rank, <kbd>Enter</kbd> pins, <kbd>Esc</kbd> clears.</p>
</section>
${renderCouplings(report, ranked)}
<section class="card" id="ranked" aria-labelledby="ranked-title">
<div class="card-head"><h2 id="ranked-title">Ranked files</h2><p class="note">${formatCount(ranked.length)} files. Click a column heading to sort.</p></div>
${renderTable(ranked, score, maxScore)}
</section>
</main>
<div class="tooltip" id="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="hotspots-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

function renderHeader(report: HotspotsReport, ranked: readonly HotspotEntry[]): string {
  const { loc, meanHealth, alerts } = totals(ranked);
  const top = ranked[0];
  const kpis = [
    kpi('Files', formatCount(ranked.length)),
    kpi('Lines of code', formatCount(loc)),
    meanHealth === null
      ? ''
      : kpi(
          'Mean health',
          `<span class="badge ${healthBand(meanHealth)}">${formatHealth(meanHealth)}</span>`,
          true,
        ),
    kpi('In alert', `${formatCount(alerts)} <small>health &lt; 4</small>`, true),
    top
      ? `<div class="kpi top"><dt>Top hotspot</dt><dd title="${escapeHtml(sanitize(top.path))}">${escapeHtml(sanitize(baseName(top.path)))}</dd></div>`
      : '',
  ];
  return `<header class="top">
<div class="title">
<p class="eyebrow">Steward · hotspots</p>
<h1>${escapeHtml(sanitize(report.repo))}</h1>
<p class="meta">at <code>${escapeHtml(sanitize(shortHead(report.head)))}</code> · ${escapeHtml(sanitize(windowLabel(report.since)))}</p>
</div>
<dl class="kpis">${kpis.join('')}</dl>
</header>`;
}

function kpi(label: string, value: string, isHtml = false): string {
  return `<div class="kpi"><dt>${escapeHtml(label)}</dt><dd>${isHtml ? value : escapeHtml(value)}</dd></div>`;
}

function renderIdlePanel(ranked: readonly HotspotEntry[], score: (n: number) => string): string {
  if (ranked.length === 0) return '<p class="lead">No files in this report.</p>';
  const items = ranked
    .slice(0, 6)
    .map(
      (f, i) =>
        `<li><button type="button" class="linkish" data-i="${i}">${pathHtml(f.path)}</button> <span class="dirname">${escapeHtml(score(f.score))}</span></li>`,
    )
    .join('');
  return `<p class="eyebrow">Details</p>
<p class="lead">Hover a file for its numbers. Click one, or press <kbd>Enter</kbd> on it, to pin its smells, functions and couplings here.</p>
<h4>Hottest files</h4><ol class="quick">${items}</ol>`;
}

function renderCouplings(report: HotspotsReport, ranked: readonly HotspotEntry[]): string {
  const index = new Map(ranked.map((f, i) => [f.path, i]));
  const pairs = strongestCouplings(report.coupling, LISTED_COUPLINGS);
  const head = `<div class="card-head"><h2 id="coupling-title">Change coupling</h2><p class="note">Files that change in the same commits: degree is shared revisions over the pair's average revisions.</p></div>`;
  if (pairs.length === 0)
    return `<section class="card" aria-labelledby="coupling-title">${head}<p class="empty">No pair of files changed together often enough to count.</p></section>`;
  const items = pairs
    .map((c) => {
      const a = index.get(c.a);
      const target = a === undefined ? 'disabled' : `data-i="${a}"`;
      const width = Math.round(Math.min(1, Math.max(0, c.degree)) * 100);
      return (
        `<li><button type="button" class="pair" ${target}>` +
        `<span class="deg">${formatPercent(c.degree)}<i style="--w:${width}%"></i></span>` +
        `<span class="files">${escapeHtml(sanitize(c.a))}<span class="with">↔</span>${escapeHtml(sanitize(c.b))}</span>` +
        `<span class="shared">${formatCount(c.shared)} shared</span></button></li>`
      );
    })
    .join('');
  const more =
    report.coupling.length > pairs.length
      ? `<p class="help">The strongest ${pairs.length} of ${formatCount(report.coupling.length)} pairs; a pinned file lists its own.</p>`
      : '';
  return `<section class="card" aria-labelledby="coupling-title">${head}<ol class="couplings">${items}</ol>${more}</section>`;
}

const columns = [
  { key: 'rank', label: '#', text: false },
  { key: 'path', label: 'File', text: true },
  { key: 'score', label: 'Score', text: false },
  { key: 'health', label: 'Health', text: false },
  { key: 'revisions', label: 'Revisions', text: false },
  { key: 'churn', label: 'Churn', text: false },
  { key: 'authors', label: 'Authors', text: false },
  { key: 'loc', label: 'LOC', text: false },
  { key: 'smells', label: 'Smells', text: true },
] as const;

function renderTable(
  ranked: readonly HotspotEntry[],
  score: (n: number) => string,
  maxScore: number,
): string {
  const head = columns
    .map(
      (c) =>
        `<th scope="col"${c.text ? ' class="text"' : ''}${c.key === 'score' ? ' aria-sort="descending"' : ''}>` +
        `<button type="button" data-key="${c.key}">${escapeHtml(c.label)}</button></th>`,
    )
    .join('');
  const rows = ranked.map((f, i) => {
    const share = maxScore > 0 ? Math.max(0, f.score / maxScore) : 0;
    // The map's own scale, kept off its palest end so a short bar still shows.
    const color = colorAt(scoreStops, 0.3 + share * 0.7);
    return (
      `<tr data-i="${i}">` +
      `<td class="rank">${i + 1}</td>` +
      `<td class="text"><button type="button" class="linkish" data-i="${i}">${pathHtml(f.path)}</button></td>` +
      `<td><span class="scorecell"><span class="scorebar" style="--w:${Math.round(share * 100)}%;--c:${color}"></span>${escapeHtml(score(f.score))}</span></td>` +
      `<td><span class="badge ${healthBand(f.health)}">${formatHealth(f.health)}</span></td>` +
      `<td>${formatCount(f.revisions)}</td>` +
      `<td class="churn"><span class="add">+${formatCount(f.added)}</span> <span class="del">−${formatCount(f.deleted)}</span></td>` +
      `<td>${formatCount(f.authors)}</td>` +
      `<td>${formatCount(f.loc)}</td>` +
      `<td class="text smell-list">${escapeHtml(smellSummary(f.smells, 2)) || '—'}</td>` +
      `</tr>`
    );
  });
  return `<div class="table-wrap"><table class="files" id="files-table"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** A path with its directory muted and its file name bold: the part people recognise first. */
function pathHtml(path: string): string {
  const clean = sanitize(path);
  const cut = clean.lastIndexOf('/') + 1;
  const dir = cut > 0 ? `<span class="dirname">${escapeHtml(clean.slice(0, cut))}</span>` : '';
  return `${dir}<span class="base">${escapeHtml(clean.slice(cut))}</span>`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function mostComplex(functions: readonly HotspotFunction[]): HotspotFunction[] {
  return [...functions]
    .sort((x, y) => y.cognitive - x.cognitive || y.cyclomatic - x.cyclomatic || x.line - y.line)
    .slice(0, EMBEDDED_FUNCTIONS);
}
