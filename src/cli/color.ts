import type { Palette } from '../config/format.ts';

export interface Colors {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const none = (text: string): string => text;

/** ANSI colours when `enabled`, otherwise functions that return their text unchanged. */
export function colors(enabled: boolean): Colors {
  if (!enabled) return { green: none, red: none, yellow: none, bold: none, dim: none };
  return {
    green: paint(32, 39),
    red: paint(31, 39),
    yellow: paint(33, 39),
    bold: paint(1, 22),
    dim: paint(2, 22),
  };
}

/** How config errors are highlighted in a terminal. */
export function configErrorPalette(c: Colors): Palette {
  return { location: c.dim, path: c.bold, suggestion: c.green };
}
