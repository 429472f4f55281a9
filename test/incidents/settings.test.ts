import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.ts';

function parse(yaml: string) {
  return parseConfig(yaml, '.github/steward.yml');
}

describe('the incidents: section', () => {
  it('takes defaults when absent: a 24 hour reopen window and a 72 hour look-back', () => {
    const result = parse('');
    expect(result.ok && result.config.incidents).toEqual({
      reopenWindowMs: 24 * 3_600_000,
      lookbackMs: 72 * 3_600_000,
      labelNames: [],
      hypothesis: true,
      model: expect.any(String),
    });
  });

  it('reads durations as people write them', () => {
    const result = parse(
      'incidents:\n  reopen-window: 30 minutes\n  lookback: 2 days\n  group-labels: [service, team]\n  hypothesis: false\n',
    );
    expect(result.ok && result.config.incidents).toMatchObject({
      reopenWindowMs: 30 * 60_000,
      lookbackMs: 48 * 3_600_000,
      labelNames: ['service', 'team'],
      hypothesis: false,
    });
  });

  it('names the key, the line and what to write for a bad duration', () => {
    const result = parse('incidents:\n  reopen-window: 3 fortnights\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: 'incidents.reopen-window', line: 2 });
    expect(result.errors[0]!.message).toMatch(/minutes, hours, days or weeks/);
  });

  it('refuses a label name Prometheus could not have', () => {
    const result = parse('incidents:\n  group-labels: ["service name"]\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: 'incidents.group-labels[0]' });
    expect(result.errors[0]!.message).toMatch(/Prometheus label name/);
  });

  it('suggests the key meant for a misspelt one', () => {
    const result = parse('incidents:\n  reopen-windw: 1 hour\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.path).toBe('incidents.reopen-windw');
    expect(result.errors[0]!.suggestion).toBe('reopen-window');
  });
});
