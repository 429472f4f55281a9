import type { Smell } from '../../health/types.ts';
import type { Coupling, HotspotEntry } from '../types.ts';

/**
 * What the table, markdown and HTML reports share, so the three formats rank, round and band
 * files the same way.
 */

/**
 * Files by score, highest first. The engine already sorts them so, breaking ties of rounded scores
 * by the unrounded ones; the sort is stable, so those ties keep the engine's order.
 */
export function rankFiles(files: readonly HotspotEntry[]): HotspotEntry[] {
  return [...files].sort((x, y) => finite(y.score) - finite(x.score));
}

/** Couplings by degree, then shared revisions, strongest first. */
export function strongestCouplings(coupling: readonly Coupling[], limit: number): Coupling[] {
  return [...coupling]
    .sort((x, y) => finite(y.degree) - finite(x.degree) || finite(y.shared) - finite(x.shared))
    .slice(0, Math.max(0, limit));
}

/** CodeScene's bands: red 1.0–3.9, yellow 4.0–8.9, green 9.0–10.0. */
export const HealthBand = { alert: 'alert', warning: 'warning', healthy: 'healthy' } as const;
export type HealthBand = (typeof HealthBand)[keyof typeof HealthBand];

export function healthBand(health: number): HealthBand {
  if (health < 4) return HealthBand.alert;
  if (health < 9) return HealthBand.warning;
  return HealthBand.healthy;
}

export function formatHealth(health: number): string {
  return Number.isFinite(health) ? health.toFixed(1) : '—';
}

/**
 * The engine scores 0–100 with one decimal; should a report come with scores on a 0–1 scale, two
 * decimals keep them apart. One number of decimals for the whole report, so a column lines up.
 */
export function scoreFormatter(files: readonly HotspotEntry[]): (score: number) => string {
  const max = files.reduce((m, f) => Math.max(m, Math.abs(finite(f.score))), 0);
  const decimals = max <= 1 ? 2 : 1;
  return (score) => (Number.isFinite(score) ? score.toFixed(decimals) : '—');
}

/** "Complex Method ×2, Deep Nesting": the kinds a file suffers from, most frequent first. */
export function smellSummary(smells: readonly Smell[], limit = 3): string {
  const counts = new Map<string, number>();
  for (const smell of smells) counts.set(smell.kind, (counts.get(smell.kind) ?? 0) + 1);
  const kinds = [...counts].sort((x, y) => y[1] - x[1]);
  const shown = kinds
    .slice(0, limit)
    .map(([kind, count]) => (count > 1 ? `${kind} ×${count}` : kind));
  if (kinds.length > limit) shown.push(`+${kinds.length - limit} more`);
  return shown.join(', ');
}

/** Where a smell is: "parse() line 12", or "line 1" for file-level smells. */
export function smellLocation(smell: Smell): string {
  return smell.function ? `${smell.function} line ${smell.line}` : `line ${smell.line}`;
}

/** A full commit SHA shortened as git does; anything else (a ref name) as given. */
export function shortHead(head: string): string {
  return /^[0-9a-f]{40,64}$/i.test(head) ? head.slice(0, 12) : head;
}

export function windowLabel(since: string | null): string {
  return since ? `since ${since.slice(0, 10)}` : 'all history';
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${Math.round(fraction * 100)}%` : '—';
}

export function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/** Lines of code summed over files, and health averaged weighted by size (big files weigh more). */
export function totals(files: readonly HotspotEntry[]): {
  loc: number;
  meanHealth: number | null;
  alerts: number;
} {
  let loc = 0;
  let weighted = 0;
  let weight = 0;
  let alerts = 0;
  for (const file of files) {
    const size = Math.max(0, finite(file.loc));
    loc += size;
    if (Number.isFinite(file.health)) {
      weighted += file.health * Math.max(1, size);
      weight += Math.max(1, size);
      if (healthBand(file.health) === HealthBand.alert) alerts++;
    }
  }
  return { loc, meanHealth: weight > 0 ? weighted / weight : null, alerts };
}

/**
 * Paths and names come from the repository: control characters (an ESC among them) would let a
 * file name recolour or rewrite the user's terminal, so they are shown as escapes instead.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * What a file's score is made of, in one line: "(4.2 changes + 3.1 fixes) × size 2.4". Terms that
 * are zero and factors that are 1 are left out; empty for a report without contributions.
 */
export function scoreParts(file: Pick<HotspotEntry, 'contributions'>): string {
  const c = file.contributions as Partial<HotspotEntry['contributions']> | undefined;
  if (!c || typeof c !== 'object') return '';
  const number = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
  const terms = [
    [number(c.changes), 'changes'],
    [number(c.fixes), 'fixes'],
    [number(c.coupling), 'coupling'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, label]) => `${(n as number).toFixed(1)} ${label as string}`);
  if (terms.length === 0) return 'no change in the window';
  const sum = terms.length > 1 ? `(${terms.join(' + ')})` : terms[0]!;
  const factors = [
    [number(c.size), 'size'],
    [number(c.health), 'health'],
  ]
    .filter(([n]) => (n as number) !== 1 && (n as number) > 0)
    .map(([n, label]) => ` × ${label as string} ${(n as number).toFixed(2)}`);
  return sum + factors.join('');
}
