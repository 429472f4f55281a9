/** How bad a finding is, most severe first; the model's tool schema, anchoring and reports share it. */
export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 0 for the most severe: sort ascending to put the worst first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Whether `severity` is at least as bad as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/** Whether a text (a flag, an input) names a severity. */
export function isSeverity(text: string): text is Severity {
  return (SEVERITIES as readonly string[]).includes(text);
}

/**
 * `severity` made `steps` levels louder (positive) or quieter (negative), never past `loudest` nor
 * below the quietest.
 */
export function shiftSeverity(
  severity: Severity,
  steps: number,
  { loudest = SEVERITIES[0] }: { loudest?: Severity } = {},
): Severity {
  const rank = severityRank(severity) - steps;
  const clamped = Math.min(SEVERITIES.length - 1, Math.max(severityRank(loudest), rank));
  return SEVERITIES[clamped]!;
}
