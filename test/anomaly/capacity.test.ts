import { describe, expect, it } from 'vitest';
import {
  CapacityRefusal,
  MAX_MANIFEST_BYTES,
  parseYamlPath,
  planCapacityChange,
} from '../../src/anomaly/capacity.ts';
import type { ForecastResult } from '../../src/anomaly/forecast.ts';
import { formatQuantity, parseQuantity } from '../../src/anomaly/quantity.ts';
import type { CapacityRule } from '../../src/anomaly/settings.ts';

const CROSSING: ForecastResult = {
  method: 'linear',
  crossingAt: Date.UTC(2026, 11, 10),
  interval: { earliest: Date.UTC(2026, 11, 9), latest: Date.UTC(2026, 11, 12) },
  withinHorizon: true,
  reason: 'the linear trend reaches the limit in 40.0 h, within the 336.0 h horizon',
  fit: { linear: 1, holt: 2 },
};
const FAR: ForecastResult = {
  ...CROSSING,
  withinHorizon: false,
  reason: 'not within the horizon: the linear trend reaches the limit in 900.0 h',
};

function rule(overrides: Partial<CapacityRule> = {}): CapacityRule {
  return {
    series: 'disk',
    file: 'deploy/api.yaml',
    path: 'spec.replicas',
    document: null,
    min: 2,
    max: 10,
    step: 2,
    ...overrides,
  };
}

const DEPLOYMENT = `# The API deployment: keep the comments
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api   # trailing comment
  labels: {"app.kubernetes.io/name": 'api'}
spec:
  replicas: 3 # raised by hand in March
  template:
    spec:
      containers:
        - name: api
          resources:
            limits:
              memory: "4Gi"
              cpu: 500m
`;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CapacityRefusal);
    return (error as Error).message;
  }
  throw new Error('expected a CapacityRefusal');
}

describe('planCapacityChange', () => {
  it('raises the field by one step, and every other byte stays as it was', () => {
    const plan = planCapacityChange(rule(), DEPLOYMENT, CROSSING);
    expect(plan).toMatchObject({ kind: 'change', from: 3, to: 5 });
    if (plan.kind !== 'change') throw new Error('no change');
    expect(plan.text).toBe(DEPLOYMENT.replace('replicas: 3 #', 'replicas: 5 #'));
    expect(plan.reason).toContain('deploy/api.yaml spec.replicas 3 → 5');
    expect(plan.reason).toContain('within [2, 10]');
  });

  it('never passes max, and is at least min', () => {
    const atNine = DEPLOYMENT.replace('replicas: 3', 'replicas: 9');
    expect(planCapacityChange(rule(), atNine, CROSSING)).toMatchObject({ kind: 'change', to: 10 });
    const low = planCapacityChange(rule({ min: 0, step: 0.5 }), DEPLOYMENT, CROSSING);
    expect(low).toMatchObject({ kind: 'change', to: 3.5 });
    const bumped = planCapacityChange(
      rule({ min: 6 }),
      DEPLOYMENT.replace('replicas: 3', 'replicas: 6'),
      CROSSING,
    );
    expect(bumped).toMatchObject({ to: 8 });
  });

  it('changes nothing at max, and says to raise max or act by hand', () => {
    const plan = planCapacityChange(
      rule(),
      DEPLOYMENT.replace('replicas: 3', 'replicas: 10'),
      CROSSING,
    );
    expect(plan.kind).toBe('none');
    expect(plan.reason).toMatch(/already at max \(10\).*raise max.*act by hand/);
  });

  it('changes nothing for a value outside the bounds, and says so', () => {
    for (const value of ['1', '12']) {
      const plan = planCapacityChange(
        rule(),
        DEPLOYMENT.replace('replicas: 3', `replicas: ${value}`),
        CROSSING,
      );
      expect(plan.kind).toBe('none');
      expect(plan.reason).toContain(`is ${value}, outside the rule's bounds [2, 10]`);
    }
  });

  it('changes nothing when the forecast does not reach the limit within the horizon', () => {
    expect(planCapacityChange(rule(), DEPLOYMENT, FAR)).toMatchObject({
      kind: 'none',
      reason: expect.stringContaining('not within the horizon'),
    });
    expect(planCapacityChange(rule(), DEPLOYMENT, null).kind).toBe('none');
  });

  it('keeps quoting and units of a Kubernetes quantity', () => {
    const memory = planCapacityChange(
      rule({
        path: 'spec.template.spec.containers[0].resources.limits.memory',
        min: 2 ** 30,
        max: 16 * 2 ** 30,
        step: 2 ** 30,
      }),
      DEPLOYMENT,
      CROSSING,
    );
    if (memory.kind !== 'change') throw new Error(memory.reason);
    expect(memory.text).toBe(DEPLOYMENT.replace('"4Gi"', '"5Gi"'));
    const cpu = planCapacityChange(
      rule({
        path: 'spec.template.spec.containers[0]["resources"].limits.cpu',
        min: 0.1,
        max: 2,
        step: 0.25,
      }),
      DEPLOYMENT,
      CROSSING,
    );
    if (cpu.kind !== 'change') throw new Error(cpu.reason);
    expect(cpu.text).toBe(DEPLOYMENT.replace('cpu: 500m', 'cpu: 750m'));
  });

  it('does not count empty documents: a trailing --- or one of comments only', () => {
    const text = `---\n# header\n---\n${DEPLOYMENT}---\n# nothing here\n---\n`;
    const plan = planCapacityChange(rule(), text, CROSSING);
    if (plan.kind !== 'change') throw new Error(plan.reason);
    expect(plan.text).toBe(text.replace('replicas: 3 #', 'replicas: 5 #'));
  });

  it('edits the named document of several and leaves the others byte for byte', () => {
    const text = `${DEPLOYMENT}---\n# the HPA\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: '4'\n`;
    const plan = planCapacityChange(
      rule({ path: 'spec.maxReplicas', document: 1 }),
      text,
      CROSSING,
    );
    if (plan.kind !== 'change') throw new Error(plan.reason);
    expect(plan.text).toBe(text.replace("maxReplicas: '4'", "maxReplicas: '6'"));
  });
});

describe('planCapacityChange refuses a manifest it cannot edit safely', () => {
  it('several documents without document:, naming the count', () => {
    const message = refusal(() =>
      planCapacityChange(rule(), `${DEPLOYMENT}---\nspec:\n  replicas: 1\n---\n{}\n`, CROSSING),
    );
    expect(message).toMatch(/deploy\/api\.yaml holds 3 YAML documents; set document: \(0 to 2\)/);
    expect(refusal(() => planCapacityChange(rule({ document: 5 }), DEPLOYMENT, CROSSING))).toMatch(
      /holds 1 YAML document, so there is no document 5/,
    );
  });

  it('a missing path', () => {
    expect(
      refusal(() => planCapacityChange(rule({ path: 'spec.replica' }), DEPLOYMENT, CROSSING)),
    ).toMatch(/deploy\/api\.yaml: spec\.replica is missing; add the field .* or fix path:/);
    expect(
      refusal(() =>
        planCapacityChange(
          rule({ path: 'spec.template.spec.containers[3].name' }),
          DEPLOYMENT,
          CROSSING,
        ),
      ),
    ).toMatch(/containers\[3\] is missing/);
    expect(
      refusal(() => planCapacityChange(rule({ path: 'spec.replicas.x' }), DEPLOYMENT, CROSSING)),
    ).toMatch(/spec\.replicas is 3, not a map/);
  });

  it('a map or a list where a number should be', () => {
    expect(refusal(() => planCapacityChange(rule({ path: 'spec' }), DEPLOYMENT, CROSSING))).toMatch(
      /: spec is a map, not a number; point path: at the number/,
    );
    expect(
      refusal(() =>
        planCapacityChange(rule({ path: 'spec.template.spec.containers' }), DEPLOYMENT, CROSSING),
      ),
    ).toMatch(/is a list, not a number/);
  });

  it('an alias, an anchored value, or a path through an anchored map', () => {
    const alias = 'base: &n 3\nspec:\n  replicas: *n\n';
    expect(refusal(() => planCapacityChange(rule(), alias, CROSSING))).toMatch(
      /spec\.replicas is an alias \(\*n\); .*write spec\.replicas out in full/,
    );
    const anchored = 'spec:\n  replicas: &n 3\nother: *n\n';
    expect(refusal(() => planCapacityChange(rule(), anchored, CROSSING))).toMatch(
      /spec\.replicas carries the anchor &n/,
    );
    const anchoredMap = 'spec: &s\n  replicas: 3\ncopy: *s\n';
    expect(refusal(() => planCapacityChange(rule(), anchoredMap, CROSSING))).toMatch(
      /: spec carries the anchor &s/,
    );
    const merged = 'base: &b\n  replicas: 3\nspec:\n  <<: *b\n';
    expect(refusal(() => planCapacityChange(rule(), merged, CROSSING))).toMatch(
      /spec\.replicas is missing/,
    );
  });

  it('a value that is not a number or a quantity', () => {
    for (const value of [
      'three',
      '"3 pods"',
      '.inf',
      'null',
      '1e3Gi',
      '|\n    3',
      '[3]',
      'true',
      '0x3',
      '03',
      '3e0',
      '!!int 3',
      '!custom 3',
      '"1_000"',
    ]) {
      const text = DEPLOYMENT.replace('replicas: 3', `replicas: ${value}`);
      expect(refusal(() => planCapacityChange(rule(), text, CROSSING))).toMatch(
        /deploy\/api\.yaml: spec\.replicas (is .*(not a number|block scalar|neither a number nor a Kubernetes quantity)|is written .*not as a plain decimal number|carries the tag)/,
      );
    }
  });

  it('YAML that does not parse, or duplicate keys', () => {
    expect(refusal(() => planCapacityChange(rule(), 'spec: [1, 2\n', CROSSING))).toMatch(
      /document 0: the YAML does not parse/,
    );
    expect(
      refusal(() => planCapacityChange(rule(), 'spec:\n  replicas: 3\n  replicas: 4\n', CROSSING)),
    ).toMatch(/does not parse/);
  });

  it('a file over 1 MB', () => {
    const big = `${DEPLOYMENT}# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`;
    expect(refusal(() => planCapacityChange(rule(), big, CROSSING))).toMatch(
      /deploy\/api\.yaml is \d+ bytes, over the 1048576/,
    );
    // Multi-byte characters count as bytes, not characters.
    const wide = `${DEPLOYMENT}# ${'é'.repeat(MAX_MANIFEST_BYTES / 2)}\n`;
    expect(refusal(() => planCapacityChange(rule(), wide, CROSSING))).toMatch(/over the 1048576/);
  });

  it('an empty file', () => {
    expect(refusal(() => planCapacityChange(rule(), '', CROSSING))).toMatch(
      /spec\.replicas is missing|holds no YAML document/,
    );
  });
});

describe('parseYamlPath and quantities', () => {
  it('reads dots, indices and quoted keys, and rejects anything else', () => {
    expect(parseYamlPath('a.b[2]["c.d"].e')).toEqual(['a', 'b', 2, 'c.d', 'e']);
    expect(parseYamlPath('["x"].y')).toEqual(['x', 'y']);
    for (const bad of ['', '.a', 'a..b', 'a[x]', 'a.', 'a b'])
      expect(() => parseYamlPath(bad)).toThrow();
  });

  it('reads and writes Kubernetes quantities in their own unit', () => {
    expect(parseQuantity('10Gi')).toEqual({ value: 10 * 2 ** 30, suffix: 'Gi' });
    expect(parseQuantity('500m')).toEqual({ value: 0.5, suffix: 'm' });
    expect(parseQuantity('3')).toEqual({ value: 3, suffix: '' });
    expect(parseQuantity('1e3')).toBeNull();
    expect(parseQuantity('10 Gi')).toBeNull();
    expect(formatQuantity(5 * 2 ** 30, 'Gi')).toBe('5Gi');
    expect(formatQuantity(0.75, 'm')).toBe('750m');
    expect(parseQuantity('1Ei')).toEqual({ value: 2 ** 60, suffix: 'Ei' });
    expect(formatQuantity(2 ** 40 + 2 ** 30, 'Gi')).toBe('1025Gi');
    expect(formatQuantity(0.1 + 0.2, null)).toBe('0.3');
  });
});
