import { describe, expect, it } from 'vitest';
import { reportFindingsTool } from '../../../src/review/model/findings.ts';

const finding = {
  path: 'a.ts',
  line: 3,
  severity: 'major',
  category: 'correctness',
  title: 't',
  body: 'b',
};

describe('report_findings', () => {
  it('has a JSON Schema the API accepts as a tool input schema', () => {
    const schema = reportFindingsTool.inputSchema as Record<string, unknown>;
    expect(schema['type']).toBe('object');
    expect(schema['$schema']).toBeUndefined();
    expect(schema['required']).toEqual(['findings', 'summary']);
    expect(JSON.stringify(schema)).toContain('"enum":["critical","major","minor","info"]');
  });

  it('accepts valid input, with or without the optional fields', () => {
    const input = {
      findings: [finding, { ...finding, endLine: 5, suggestion: 'fixed();' }],
      summary: 's',
    };
    expect(reportFindingsTool.validate(input)).toEqual({ ok: true, value: input });
  });

  it('explains what is wrong and where, for quoting back to the model', () => {
    const result = reportFindingsTool.validate({
      findings: [{ ...finding, line: 4, endLine: 2, severity: 'blocker', extra: 1 }],
    });
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    expect(error).toContain('findings[0].severity');
    expect(error).toContain('summary');
    expect(error).toContain('extra');
  });

  it('rejects an endLine before line', () => {
    const result = reportFindingsTool.validate({
      findings: [{ ...finding, endLine: 1 }],
      summary: 's',
    });
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining('endLine must be greater than or equal to line'),
    });
  });
});
