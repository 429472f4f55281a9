import { describe, expect, it } from 'vitest';
import type { ChaosMeshCondition, ChaosMeshRecord } from '../../src/chaos/chaos-mesh.ts';
import { chaosMeshPhase } from '../../src/chaos/chaos-mesh.ts';
import type { ChaosMeshExperiment } from '../../src/chaos/chaos-mesh.ts';
import { readChaosObjects } from '../../src/chaos/read.ts';
import { fixture } from './fixtures.ts';

function experiments(): ChaosMeshExperiment[] {
  const { text, source } = fixture('chaos-mesh.yaml');
  const read = readChaosObjects(text, source);
  expect(read.errors).toEqual([]);
  expect(read.skipped.map((s) => s.kind)).toEqual(['Schedule']);
  return read.objects as ChaosMeshExperiment[];
}

function conditions(values: Record<string, 'True' | 'False'>): ChaosMeshCondition[] {
  return Object.entries(values).map(([type, status]) => ({ type, status, reason: null }));
}

function record(overrides: Partial<ChaosMeshRecord> = {}): ChaosMeshRecord {
  return {
    id: 'shop/p',
    selectorKey: '.',
    phase: 'Injected',
    injectedCount: 1,
    recoveredCount: 0,
    events: [],
    ...overrides,
  };
}

describe('Chaos Mesh experiments', () => {
  it('reads conditions and container records, with the phase derived from them and no verdict', () => {
    const [podChaos, networkChaos, stressChaos] = experiments();
    expect(podChaos).toMatchObject({
      tool: 'chaos-mesh',
      kind: 'PodChaos',
      action: 'pod-failure',
      duration: '5m',
      selector: 'shop app=checkout',
      desiredPhase: 'Stop',
      phase: 'recovered',
      verdict: 'unknown',
      startedAt: Date.parse('2025-05-01T10:00:00Z'),
      endedAt: Date.parse('2025-05-01T10:05:00Z'),
      records: [
        {
          id: 'shop/checkout-7d9f8c6b5-x2x9q',
          phase: 'Not Injected',
          injectedCount: 1,
          recoveredCount: 1,
          events: [
            { type: 'Succeeded', operation: 'Apply' },
            { type: 'Succeeded', operation: 'Recover' },
          ],
        },
      ],
    });
    expect(podChaos!.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'Selected=True',
      'AllInjected=False',
      'AllRecovered=True',
      'Paused=False',
    ]);
    expect(networkChaos).toMatchObject({ phase: 'injected', endedAt: null, verdict: 'unknown' });
    expect(networkChaos!.records).toHaveLength(2);
    expect(stressChaos).toMatchObject({
      phase: 'failed',
      failures: ['rpc error: code = Unknown desc = container not found'],
    });
  });

  it('reads the records of early 2.x under status.experiment.records', () => {
    const read = readChaosObjects(
      JSON.stringify({
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'IOChaos',
        metadata: { name: 'io' },
        status: {
          experiment: { records: [{ id: 'ns/pod', phase: 'Injected', injectedCount: 1 }] },
        },
      }),
      'io.json',
    );
    expect(read.objects[0]).toMatchObject({ records: [{ id: 'ns/pod', phase: 'Injected' }] });
  });

  it('names the field of a wrong type in a record', () => {
    const read = readChaosObjects(
      JSON.stringify({
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'PodChaos',
        metadata: { name: 'p' },
        status: {
          experiment: { containerRecords: [{ id: 'a', events: [{ timestamp: 'yesterday' }] }] },
        },
      }),
      'p.json',
    );
    expect(read.errors.map((e) => e.message)).toEqual([
      'p.json, document 1, status.experiment.containerRecords[0].events[0].timestamp: expected a timestamp, got "yesterday"',
    ]);
  });
});

describe('chaosMeshPhase', () => {
  it.each([
    [
      'running while nothing is injected yet',
      'Run',
      { Selected: 'True', AllInjected: 'False' },
      [],
      'running',
    ],
    [
      'injected once every target is',
      'Run',
      { Selected: 'True', AllInjected: 'True' },
      [],
      'injected',
    ],
    ['paused', 'Run', { AllInjected: 'True', Paused: 'True' }, [], 'paused'],
    ['recovered once stopped and all recovered', 'Stop', { AllRecovered: 'True' }, [], 'recovered'],
    ['not recovered while still running', 'Run', { AllRecovered: 'True' }, [], 'running'],
    [
      'recovered from the records when the conditions lag',
      null,
      {},
      [record({ injectedCount: 2, recoveredCount: 2 })],
      'recovered',
    ],
    [
      'failed when a record’s latest event failed',
      'Run',
      { AllInjected: 'True' },
      [
        record({
          events: [
            { type: 'Succeeded', operation: 'Apply', message: null, timestamp: 1 },
            { type: 'Failed', operation: 'Recover', message: 'x', timestamp: 2 },
          ],
        }),
      ],
      'failed',
    ],
    [
      'not failed when a later event succeeded',
      'Run',
      { AllInjected: 'True' },
      [
        record({
          events: [
            { type: 'Succeeded', operation: 'Apply', message: null, timestamp: 3 },
            { type: 'Failed', operation: 'Apply', message: 'x', timestamp: 2 },
          ],
        }),
      ],
      'injected',
    ],
  ] as const)('is %s', (_, desired, values, records, phase) => {
    expect(chaosMeshPhase(desired, conditions(values), records)).toBe(phase);
  });
});
