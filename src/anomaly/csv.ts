/**
 * A series from CSV text (`steward anomalies --csv FILE`): a `timestamp,value` header, then one
 * point per row. Timestamps are ISO 8601 with a zone (`2026-03-01T12:00:00Z`, `…+02:00`) or epoch
 * seconds (`1772366400`, `1772366400.5`); values are finite decimal numbers. Every problem is a
 * SeriesInputError naming `source:line`, the field and what to do; the first one ends the parse.
 * Pure and linear in the text's length: one pass, no backtracking patterns.
 */
import { quote } from '../settings/describe-value.ts';
import type { Point } from './types.ts';

export type SeriesField = 'header' | 'row' | 'timestamp' | 'value';

/** A CSV the series cannot be read from: where (`source:line`), which field, and why. */
export class SeriesInputError extends Error {
  readonly source: string;
  /** 1-based line of the text. */
  readonly line: number;
  readonly field: SeriesField;

  constructor(source: string, line: number, field: SeriesField, problem: string) {
    super(`${source}:${line}: ${problem}`);
    this.name = 'SeriesInputError';
    this.source = source;
    this.line = line;
    this.field = field;
  }
}

const HEADER_HINT = 'the first line must be the header timestamp,value';

/** ISO 8601 date and time; the zone is optional here so that its absence gets its own message. */
const ISO =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))?$/;
const DATE_ONLY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const EPOCH_SECONDS = /^[0-9]{1,15}(?:\.[0-9]{1,9})?$/;
/** Seconds past this (year 5138) are almost surely epoch milliseconds. */
const MAX_EPOCH_SECONDS = 1e11;
/** A decimal number: digits, an optional point and exponent. No hex, no separators, ASCII digits. */
const NUMBER = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const NOT_A_NUMBER = /^[-+]?(?:nan|inf|infinity)$/i;

/** A cell as shown in a message: quoted, cut short, invisible and reordering characters escaped. */
function shown(text: string): string {
  return quote(text).replace(
    /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The cells of one line: split on commas, a cell may be wrapped in double quotes (`""` inside is
 * one quote), spaces around cells are trimmed. Null when a quote is left open.
 */
function splitCells(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',').map((cell) => cell.trim());
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close === -1) return null;
        cell += line.slice(i, close);
        i = close + 1;
        if (line[i] !== '"') break;
        cell += '"';
        i++;
      }
      const comma = line.indexOf(',', i);
      const rest = comma === -1 ? line.slice(i) : line.slice(i, comma);
      // Text after the closing quote joins the cell, so "1"x is the cell 1x (and is rejected).
      cell += rest.trim();
      i = comma === -1 ? line.length : comma;
    } else {
      const comma = line.indexOf(',', i);
      cell = (comma === -1 ? line.slice(i) : line.slice(i, comma)).trim();
      i = comma === -1 ? line.length : comma;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms of an ISO 8601 timestamp or epoch seconds, or the problem with it. */
function readTimestamp(cell: string): number | string {
  if (cell === '')
    return 'the timestamp is empty; write an ISO 8601 time such as 2026-03-01T12:00:00Z or epoch seconds';
  if (EPOCH_SECONDS.test(cell)) {
    const secondsValue = Number(cell);
    if (secondsValue > MAX_EPOCH_SECONDS)
      return `the timestamp ${shown(cell)} is too large for epoch seconds; if it is milliseconds, divide by 1000`;
    return Math.round(secondsValue * 1000);
  }
  if (DATE_ONLY.test(cell))
    return `the timestamp ${shown(cell)} is a date without a time; write it as ${cell}T00:00:00Z (or with your offset)`;
  const match = ISO.exec(cell);
  if (match === null)
    return `the timestamp ${shown(cell)} is neither ISO 8601 (such as 2026-03-01T12:00:00Z) nor epoch seconds (such as 1772366400)`;
  const [, y, mo, d, h, mi, s, fraction, utc, sign, offsetH, offsetM] = match;
  if (utc === undefined && sign === undefined)
    return `the timestamp ${shown(cell)} has no time zone, so the instant is ambiguous; add Z for UTC or an offset such as +02:00`;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  // Date.UTC maps years 0–99 to 1900–1999; no series of ours starts before the epoch anyway.
  if (year < 1970) return `the timestamp ${shown(cell)} is before 1970; check the year`;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return `the timestamp ${shown(cell)} names a day that does not exist (${y}-${mo}-${d})`;
  if (hour > 23 || minute > 59 || second > 59)
    return `the timestamp ${shown(cell)} has a time of day out of range (hours 00–23, minutes and seconds 00–59)`;
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const oh = Number(offsetH);
    const om = Number(offsetM);
    if (oh > 23 || om > 59)
      return `the timestamp ${shown(cell)} has an offset out of range (at most ±23:59)`;
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** The value, or the problem with it. */
function readValue(cell: string): number | string {
  if (cell === '')
    return 'the value is empty; every row needs a number (drop the row: gaps between timestamps are allowed)';
  if (NOT_A_NUMBER.test(cell))
    return `the value is ${shown(cell)}, not a finite number; drop the row (gaps are allowed) or fix what produced it`;
  if (!NUMBER.test(cell))
    return `the value ${shown(cell)} is not a number; write a decimal such as 42, -0.5 or 1.5e3 (a point for decimals, no thousands separators)`;
  const value = Number(cell);
  if (!Number.isFinite(value))
    return `the value ${shown(cell)} is too large for a finite number; scale the series down`;
  return value;
}

/** The next line's bounds in `text` from `start`: LF, CRLF and a lone CR all end a line. */
function lineEnd(text: string, start: number): { end: number; next: number } {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return { end: i, next: i + 1 };
    if (code === 13) return { end: i, next: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
  }
  return { end: text.length, next: text.length + 1 };
}

function checkHeader(line: string, source: string): void {
  const cells = splitCells(line);
  const names = cells?.map((cell) => cell.toLowerCase());
  if (names !== undefined && names.length === 2 && names[0] === 'timestamp' && names[1] === 'value')
    return;
  if (line.trim() === '')
    throw new SeriesInputError(
      source,
      1,
      'header',
      `the file is empty or starts with a blank line; ${HEADER_HINT}`,
    );
  const looksLikeData =
    cells !== null && cells.length === 2 && typeof readValue(cells[1]!) === 'number';
  throw new SeriesInputError(
    source,
    1,
    'header',
    `the header is ${shown(line)}; ${HEADER_HINT}${looksLikeData ? ' (this looks like a row of data: add the header above it)' : ''}`,
  );
}

/**
 * The points of a `timestamp,value` CSV, in order. Blank lines are skipped; timestamps must
 * strictly increase (to the millisecond). Throws SeriesInputError on the first problem.
 */
export function parseSeriesCsv(text: string, source: string): Point[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = lineEnd(body, 0);
  checkHeader(body.slice(0, first.end), source);
  const points: Point[] = [];
  let previousLine = 0;
  let line = 1;
  for (let start = first.next; start <= body.length;) {
    const { end, next } = lineEnd(body, start);
    line++;
    const row = body.slice(start, end);
    start = next;
    if (row.trim() === '') continue;
    const cells = splitCells(row);
    if (cells === null)
      throw new SeriesInputError(
        source,
        line,
        'row',
        'a double quote is opened and never closed; close it or remove it',
      );
    if (cells.length !== 2)
      throw new SeriesInputError(
        source,
        line,
        'row',
        `expected 2 fields (timestamp,value), got ${cells.length}${cells.length > 2 ? '; a decimal comma? write decimals with a point' : ''}`,
      );
    const t = readTimestamp(cells[0]!);
    if (typeof t === 'string') throw new SeriesInputError(source, line, 'timestamp', t);
    const v = readValue(cells[1]!);
    if (typeof v === 'string') throw new SeriesInputError(source, line, 'value', v);
    const previous = points[points.length - 1];
    if (previous !== undefined && t <= previous.t)
      throw new SeriesInputError(
        source,
        line,
        'timestamp',
        t === previous.t
          ? `the timestamp ${shown(cells[0]!)} is the same instant as line ${previousLine}'s; keep one row per instant`
          : `the timestamp ${shown(cells[0]!)} is before line ${previousLine}'s; sort the rows by time`,
      );
    points.push({ t, v });
    previousLine = line;
  }
  if (points.length === 0)
    throw new SeriesInputError(
      source,
      line,
      'row',
      'the file has a header but no rows; add one row per point',
    );
  return points;
}
