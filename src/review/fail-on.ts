import type { ReviewConfig } from './settings.ts';
import { atLeast, type Severity } from './severity.ts';

/** Why the fail-on gate fails a run: the threshold it applied and how many findings reach it. */
export interface FailOnGate {
  threshold: Severity;
  failing: number;
}

/**
 * The fail-on gate every face applies after the review: the face's own threshold (an input, a
 * flag) over `review.fail-on`; null when neither is set or no finding, inline or outside the
 * diff, is at least that severe.
 */
export function failOnGate(
  result: {
    findings: readonly { severity: Severity }[];
    offDiff: readonly { severity: Severity }[];
  },
  override: Severity | undefined,
  settings: Pick<ReviewConfig, 'failOn'>,
): FailOnGate | null {
  const threshold = override ?? settings.failOn ?? undefined;
  if (threshold === undefined) return null;
  const failing = [...result.findings, ...result.offDiff].filter((f) =>
    atLeast(f.severity, threshold),
  ).length;
  return failing > 0 ? { threshold, failing } : null;
}
