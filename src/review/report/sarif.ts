import type { Severity } from '../severity.ts';
import type { ReviewFinding } from '../health-findings.ts';
import type { ReviewResult } from '../result.ts';
import { blockMarkdown, inlineMarkdown, plainText } from '../../markdown/untrusted.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What code scanning shows: critical and major fail a check run's annotations as errors. */
const LEVELS: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  major: 'error',
  minor: 'warning',
  info: 'note',
};

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  properties: { tags: string[] };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The rule a finding belongs to: for health findings the smell kinds (the title before " in "),
 * for model findings the category. Code scanning groups alerts and shows help per rule.
 */
function ruleOf(finding: ReviewFinding): SarifRule {
  const name =
    finding.source === 'health' ? finding.title.split(' in ')[0]!.trim() : finding.category;
  return {
    id: `${finding.source}/${slug(name) || 'finding'}`,
    name: plainText(name),
    shortDescription: { text: plainText(name) },
    properties: { tags: [plainText(finding.category)] },
  };
}

/**
 * SARIF 2.1.0 for github/codeql-action/upload-sarif: one run, a rule per smell kind or category,
 * every finding (inline and off-diff: code scanning is not limited to the diff) with its region,
 * and the finding's fingerprint as partial fingerprint, so alerts keep their identity across runs.
 */
export function renderReviewSarif(review: ReviewResult, version?: string): string {
  const findings = [...review.findings, ...review.offDiff];
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const results = findings.map((finding) => {
    const rule = ruleOf(finding);
    let index = ruleIndex.get(rule.id);
    if (index === undefined) {
      index = rules.push(rule) - 1;
      ruleIndex.set(rule.id, index);
    }
    return {
      ruleId: rule.id,
      ruleIndex: index,
      level: LEVELS[finding.severity],
      // Plain text for viewers that show text, and markdown rendered inert for those that render.
      message: {
        text: plainText(`${finding.title}\n\n${finding.body}`),
        markdown: `**${inlineMarkdown(finding.title)}**\n\n${blockMarkdown(finding.body)}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(finding.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: finding.line, endLine: finding.endLine },
          },
        },
      ],
      partialFingerprints: { 'stewardFinding/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        category: finding.category,
        source: finding.source,
      },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Steward',
            ...(version ? { version } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
