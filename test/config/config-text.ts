import { expect } from 'vitest';
import { formatConfigErrors } from '../../src/config/format.ts';
import { parseConfig } from '../../src/config/parse.ts';
import type { ConfigError } from '../../src/config/parse.ts';
import type { StewardConfig } from '../../src/config/schema.ts';

/** What the config tests parse: `.github/steward.yml` written line by line. */
export const CONFIG_FILE = '.github/steward.yml';

export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

/** The parsed config of a text that must be valid (its errors, formatted, otherwise). */
export function configOf(text: string): StewardConfig {
  const result = parseConfig(text, CONFIG_FILE);
  if (!result.ok) throw new Error(formatConfigErrors(result.errors, CONFIG_FILE));
  return result.config;
}

/** The errors of a text that must be invalid. */
export function errorsOf(text: string): ConfigError[] {
  const result = parseConfig(text, CONFIG_FILE);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors;
}

/**
 * For property tests over random configs: an invalid one has errors, and each points at a real
 * line and column of the text and speaks Steward's words, not zod's defaults.
 */
export function expectWellFormedErrors(text: string, errors: readonly ConfigError[]): void {
  expect(errors.length).toBeGreaterThan(0);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const error of errors) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lineCount);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).not.toMatch(/^Invalid input|^Unrecognized key/);
  }
}
