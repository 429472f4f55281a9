import { z } from 'zod';
import type { ModelTool } from '../../llm/model-call.ts';

/** The only action the model has: report findings. Its input is data this code validates. */
export const REPORT_FINDINGS = 'report_findings';

import { SEVERITIES } from '../severity.ts';

const finding = z
  .object({
    path: z.string().min(1).describe('File path exactly as given in the diff block.'),
    line: z.int().positive().describe('New-side line number the finding starts on.'),
    endLine: z
      .int()
      .positive()
      .optional()
      .describe('Last new-side line of the range; the suggestion replaces line..endLine.'),
    severity: z.enum(SEVERITIES),
    category: z
      .string()
      .min(1)
      .describe('e.g. security, correctness, performance, maintainability, tests'),
    title: z.string().min(1).max(200),
    body: z.string().min(1),
    suggestion: z
      .string()
      .optional()
      .describe('Replacement code for lines line..endLine only, without diff markers or fences.'),
  })
  .strict()
  .refine((f) => f.endLine === undefined || f.endLine >= f.line, {
    message: 'endLine must be greater than or equal to line',
    path: ['endLine'],
  });

export const reportFindingsSchema = z
  .object({
    findings: z.array(finding),
    summary: z.string().describe('A short walkthrough of the change and its risk.'),
  })
  .strict();

export type ReportFindings = z.infer<typeof reportFindingsSchema>;
export type ModelFinding = ReportFindings['findings'][number];

/** JSON Schema for the API; `$schema` is dropped because tool input_schema is a bare object schema. */
function inputSchema(): ModelTool<ReportFindings>['inputSchema'] {
  const schema: Record<string, unknown> = {
    ...z.toJSONSchema(reportFindingsSchema, { io: 'input' }),
  };
  delete schema['$schema'];
  return { ...schema, type: 'object' };
}

export const reportFindingsTool: ModelTool<ReportFindings> = {
  name: REPORT_FINDINGS,
  description:
    'Report the review findings for the diff blocks in this message, and a summary. ' +
    'This is the only way to answer. Report an empty findings array when nothing is wrong.',
  inputSchema: inputSchema(),
  validate(input) {
    const parsed = reportFindingsSchema.safeParse(input);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, error: z.prettifyError(parsed.error) };
  },
};
