import { z } from 'zod';
import { describeValue } from './describe-value.ts';
import { parseDurationHours } from './duration.ts';
import { rejectValue } from './kit.ts';

/**
 * A duration setting in hours, written as people write it ("3 days", "12 hours", "30 minutes") or
 * as a bare number of hours; `description` goes into the JSON schema. Every section that takes a
 * length of time reads it through this one schema, so all answer a wrong value alike.
 */
export function durationHoursSetting(description: string) {
  return z
    .unknown()
    .meta({ type: ['string', 'number'], description })
    .transform((value, ctx): number => {
      if (typeof value === 'number') {
        if (Number.isFinite(value) && value >= 0) return value;
        return rejectValue(ctx, value, `expected a number of hours of 0 or more, got ${value}`);
      }
      if (typeof value !== 'string') {
        return rejectValue(
          ctx,
          value,
          `expected a duration such as "3 days" or a number of hours, got ${describeValue(value)}`,
        );
      }
      const duration = parseDurationHours(value);
      if (duration.ok) return duration.hours;
      return rejectValue(ctx, value, duration.message, duration.suggestion);
    });
}
