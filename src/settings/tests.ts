import { z } from 'zod';
import { expecting } from './kit.ts';

/**
 * The settings every capability that runs the project's tests declares alike (`test-gen:`,
 * `refactor:`): the command that runs them, or null to detect the runner. One definition, so both
 * read and answer a wrong value the same way.
 */

/** A command such as `npx vitest run`, trimmed; null (the default) detects the runner. */
export const testCommandSetting = z
  .string(expecting('a command such as npx vitest run, or null to detect it'))
  .trim()
  .min(1, { error: 'must not be empty; write null (or remove the key) to detect the command' })
  .nullable()
  .default(null);
