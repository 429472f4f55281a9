import { z } from 'zod';
import { DEFAULT_MODEL } from '../llm/models.ts';
import { expecting, got } from './kit.ts';

/**
 * The settings every capability that calls the model declares alike (`review:`, `test-gen:`):
 * which model, and a cap in US dollars on what one run may cost. One definition, so both read
 * and answer a wrong value the same way.
 */

/** An Anthropic model name, trimmed; `DEFAULT_MODEL` when the key is left out. */
export const modelSetting = z
  .string(expecting(`a model name such as ${DEFAULT_MODEL}`))
  .trim()
  .min(1, { error: `must not be empty; remove the key to use ${DEFAULT_MODEL}` })
  .default(DEFAULT_MODEL);

/** An amount written with its currency ("$2", "2 USD", "2 dollars"): the bare number it meant. */
function bareAmount(text: string): number | undefined {
  const match = /^\s*(?:\$|usd)?\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:\$|usd|dollars?)?\s*$/i.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/**
 * US dollars, more than 0, capping the worst-case cost of one `run` ("one review"); "$2" or
 * "2 USD" is answered with the bare number to write.
 */
export function costCapSetting(run: string, fallback: number) {
  return z
    .unknown()
    .meta({
      type: 'number',
      exclusiveMinimum: 0,
      description: `Cap in US dollars on the worst-case cost of ${run}.`,
    })
    .transform((value, ctx): number => {
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
      const expected = 'expected a number of US dollars greater than 0, such as 1.5';
      const amount = typeof value === 'string' ? bareAmount(value) : undefined;
      const bare = amount !== undefined && amount > 0 ? String(amount) : undefined;
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `${expected}, got ${got(value)}${bare === undefined ? '' : `; write the bare number ${bare}`}`,
        params: bare === undefined ? {} : { suggestion: bare },
      });
      return z.NEVER;
    })
    .default(fallback);
}
