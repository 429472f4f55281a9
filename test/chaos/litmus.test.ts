import { describe, expect, it } from 'vitest';
import type { LitmusChaosEngine, LitmusChaosResult } from '../../src/chaos/litmus.ts';
import { litmusVerdict } from '../../src/chaos/litmus.ts';
import { readChaosObjects } from '../../src/chaos/read.ts';
import { fixture } from './fixtures.ts';

function objects(name: string) {
  const { text, source } = fixture(name);
  const read = readChaosObjects(text, source);
  expect(read.errors).toEqual([]);
  return read.objects;
}

function results(name: string): LitmusChaosResult[] {
  return objects(name).filter((o): o is LitmusChaosResult => o.kind === 'ChaosResult');
}

function resultWith(status: unknown): LitmusChaosResult {
  const read = readChaosObjects(
    JSON.stringify({
      apiVersion: 'litmuschaos.io/v1alpha1',
      kind: 'ChaosResult',
      metadata: { name: 'r' },
      status,
    }),
    'r.json',
  );
  expect(read.errors).toEqual([]);
  return read.objects[0] as LitmusChaosResult;
}

describe('the three generations of the failure reason', () => {
  it('reads experimentStatus.failStep (2.x)', () => {
    const [result] = results('litmus-2.x-list.yaml');
    expect(result!.failure).toEqual({
      generation: 'failStep',
      errorCode: null,
      reason: 'Probe: cart-availability, Verdict: Failed',
    });
  });

  it('reads failureOutput{errorCode, failedStep} (3.0.0-beta2)', () => {
    const [result] = results('litmus-3.0.0-beta2-result.json');
    expect(result!.failure).toEqual({
      generation: 'failureOutput',
      errorCode: 'STATUS_CHECKS_ERROR',
      reason:
        '[pre-chaos]: Failed to verify status of AUT, err: pod payments-api-6c7f9 is not in Running state, phase: Pending',
    });
  });

  it('reads errorOutput{errorCode, reason} (3.0.0), and none from an empty one', () => {
    const [failed, passed] = results('litmus-3.x-documents.yaml');
    expect(failed!.failure).toEqual({
      generation: 'errorOutput',
      errorCode: 'CHAOS_PROBE_ERROR',
      reason: 'probe check-http failed: expected 200, got 503',
    });
    expect(passed!.failure).toBeNull();
  });

  it('prefers the newest generation when an object carries several, and ignores N/A', () => {
    expect(
      resultWith({
        experimentStatus: {
          failStep: 'old step',
          failureOutput: { failedStep: 'beta step' },
          errorOutput: { errorCode: 'E', reason: 'new reason' },
        },
      }).failure?.generation,
    ).toBe('errorOutput');
    expect(resultWith({ experimentStatus: { failStep: 'N/A', verdict: 'Pass' } }).failure).toBe(
      null,
    );
  });

  it('finds the fields misplaced directly under status too', () => {
    expect(resultWith({ errorOutput: { reason: 'at status' } }).failure?.reason).toBe('at status');
  });
});

describe('ChaosResult', () => {
  it('reads the verdict, phase, probe success (a string in the CRD), probes and history', () => {
    const [result] = results('litmus-3.x-documents.yaml');
    expect(result).toMatchObject({
      engine: 'checkout-chaos',
      experiment: 'pod-delete',
      phase: 'Completed_With_Probe_Failure',
      litmusVerdict: 'Fail',
      verdict: 'fail',
      probeSuccessPercentage: 50,
      probes: [
        {
          name: 'check-http',
          type: 'httpProbe',
          mode: 'Continuous',
          verdict: 'Failed',
          description: 'expected 200, got 503',
        },
        {
          name: 'pods-ready',
          type: 'k8sProbe',
          mode: 'EOT',
          verdict: 'Passed',
          description: 'Resource is found',
        },
      ],
      history: {
        passedRuns: 4,
        failedRuns: 1,
        stoppedRuns: 0,
        targets: [{ name: 'checkout', kind: 'deployment', chaosStatus: 'targeted' }],
      },
    });
  });

  it('reads a percentage as a number or as "Awaited" while running', () => {
    expect(
      resultWith({ experimentStatus: { probeSuccessPercentage: 66.67 } }).probeSuccessPercentage,
    ).toBe(66.67);
    expect(
      resultWith({ experimentStatus: { probeSuccessPercentage: '66.67' } }).probeSuccessPercentage,
    ).toBe(66.67);
    expect(
      resultWith({ experimentStatus: { probeSuccessPercentage: 'Awaited' } })
        .probeSuccessPercentage,
    ).toBeNull();
  });

  it('reads the probe statuses of old versions, a verdict with an emoji in a plain string', () => {
    const result = resultWith({ probeStatuses: [{ name: 'p', status: 'Failed 👎' }] });
    expect(result.probes[0]).toMatchObject({ verdict: 'Failed 👎', description: null });
    const mapped = resultWith({
      probeStatuses: [{ name: 'p', status: { PreChaos: 'Passed 👍', PostChaos: 'Failed 👎' } }],
    });
    expect(mapped.probes[0]).toMatchObject({
      verdict: 'Failed 👎',
      description: 'PreChaos: Passed 👍, PostChaos: Failed 👎',
    });
  });

  it('keeps at most 500 probes and counts the rest, and clips huge texts', () => {
    const probes = Array.from({ length: 600 }, (_, i) => ({
      name: `p${i}`,
      status: { verdict: 'Failed', description: 'x'.repeat(100_000) },
    }));
    const result = resultWith({ probeStatuses: probes });
    expect(result.probes).toHaveLength(500);
    expect(result.probesDropped).toBe(100);
    expect(result.probes[0]!.description!.length).toBeLessThanOrEqual(2000);
  });

  it('reads a bare object with no status as running, verdict unknown', () => {
    const result = resultWith(undefined);
    expect(result).toMatchObject({ verdict: 'unknown', phase: null, probes: [], history: null });
  });
});

describe('ChaosEngine', () => {
  it('reads the engine status, the application and each experiment', () => {
    const engine = objects('litmus-3.x-documents.yaml')[0] as LitmusChaosEngine;
    expect(engine).toMatchObject({
      kind: 'ChaosEngine',
      engineStatus: 'completed',
      app: { namespace: 'shop', label: 'app=checkout', kind: 'deployment' },
      experiments: [
        {
          name: 'pod-delete',
          runner: 'checkout-chaos-runner',
          experimentPod: 'pod-delete-fl2xg5-9hkwj',
          status: 'Completed',
          verdict: 'fail',
          lastUpdateTime: Date.parse('2025-05-01T10:03:30Z'),
        },
        { name: 'pod-cpu-hog', verdict: 'pass' },
      ],
    });
  });
});

describe('litmusVerdict', () => {
  it.each([
    ['Pass', 'pass'],
    ['Passed 👍', 'pass'],
    ['Fail', 'fail'],
    ['Failed 👎', 'fail'],
    ['Error', 'fail'],
    ['Stopped', 'unknown'],
    ['Awaited', 'unknown'],
    ['N/A', 'unknown'],
    [null, 'unknown'],
  ] as const)('reads %j as %s', (verdict, expected) => {
    expect(litmusVerdict(verdict)).toBe(expected);
  });
});
