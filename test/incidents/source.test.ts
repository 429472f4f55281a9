import { describe, expect, it } from 'vitest';
import { anomalyGroupKey } from '../../src/anomaly/incident.ts';
import { chaosGroupKey } from '../../src/chaos/incident.ts';
import { incidentSource } from '../../src/incidents/source.ts';

describe('incidentSource', () => {
  it("names Steward's own faces by the group keys they write", () => {
    const chaos = chaosGroupKey({ tool: 'litmus', experiment: 'pod-delete', target: 'shop/api' });
    expect(incidentSource(chaos).name).toBe("Steward's chaos report");
    expect(incidentSource(anomalyGroupKey('api-latency')).name).toBe("Steward's anomaly watch");
    expect(incidentSource(anomalyGroupKey('api-latency')).link).toBe('Workflow run');
  });

  it('is Alertmanager for every other group key, whatever it looks like', () => {
    for (const key of [
      '{}:{alertname="HighLatency"}',
      '',
      'steward-anomaly',
      'constructor:x',
      'toString:x',
    ])
      expect(incidentSource(key)).toMatchObject({ name: 'Alertmanager', link: 'Alertmanager' });
  });
});
