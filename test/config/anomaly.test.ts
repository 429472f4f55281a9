import { describe, expect, it } from 'vitest';
import { defaultAnomalyConfig } from '../../src/anomaly/settings.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { configOf, errorsOf, lines } from './config-text.ts';

const DAY_MS = 86_400_000;

describe('anomaly config', () => {
  const defaults = {
    prometheusUrl: null,
    rangeMs: 7 * DAY_MS,
    horizonMs: 14 * DAY_MS,
    detector: 'default',
    incident: true,
    series: [],
    capacity: [],
  };

  it('has the documented defaults, also for an empty section', () => {
    expect(defaultConfig().anomaly).toEqual(defaults);
    expect(defaultAnomalyConfig()).toEqual(defaults);
    expect(configOf(lines('anomaly:')).anomaly).toEqual(defaults);
  });

  it('reads series and capacity rules', () => {
    const config = configOf(
      lines(
        'anomaly:',
        '  prometheus: http://prometheus.monitoring:9090/',
        '  range: 14 days',
        '  horizon: 3d',
        '  detector: mad',
        '  series:',
        '    - name: api-latency',
        '      query: histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))',
        '      direction: up',
        '    - name: disk-used',
        '      query: node_filesystem_size_bytes - node_filesystem_avail_bytes',
        '      step: 15m',
        '      limit: 100e9',
        '      detector: default',
        '  capacity:',
        '    - series: disk-used',
        '      file: deploy/db.yaml',
        '      path: spec.template.spec.containers[0].resources.limits["ephemeral-storage"]',
        '      min: 1',
        '      max: 8',
        '      step: 1',
      ),
    ).anomaly;
    expect(config.prometheusUrl).toBe('http://prometheus.monitoring:9090');
    expect(config.rangeMs).toBe(14 * DAY_MS);
    expect(config.horizonMs).toBe(3 * DAY_MS);
    expect(config.series).toEqual([
      {
        name: 'api-latency',
        query: 'histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))',
        stepSeconds: 300,
        direction: 'up',
        limit: null,
        counter: false,
        detector: null,
      },
      {
        name: 'disk-used',
        query: 'node_filesystem_size_bytes - node_filesystem_avail_bytes',
        stepSeconds: 900,
        direction: 'both',
        limit: 100e9,
        counter: false,
        detector: 'default',
      },
    ]);
    expect(config.capacity).toEqual([
      {
        series: 'disk-used',
        file: 'deploy/db.yaml',
        path: 'spec.template.spec.containers[0].resources.limits["ephemeral-storage"]',
        document: null,
        min: 1,
        max: 8,
        step: 1,
      },
    ]);
  });

  it('refuses a series name that could break out of a label or a chart', () => {
    const [error] = errorsOf(
      lines('anomaly:', '  series:', '    - name: "a b\\"]"', '      query: up'),
    );
    expect(error).toMatchObject({ path: 'anomaly.series[0].name', line: 3 });
    expect(error!.message).toMatch(/letters, digits/);
  });

  it('names a capacity rule whose series does not exist or has no limit', () => {
    const errors = errorsOf(
      lines(
        'anomaly:',
        '  series:',
        '    - name: latency',
        '      query: up',
        '  capacity:',
        '    - series: latency',
        '      file: deploy/a.yaml',
        '      path: spec.replicas',
        '      min: 1',
        '      max: 4',
        '      step: 1',
        '    - series: disk',
        '      file: deploy/a.yaml',
        '      path: spec.template.spec.replicas',
        '      min: 1',
        '      max: 4',
        '      step: 1',
      ),
    );
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      [
        'anomaly.capacity[0].series',
        'the series "latency" has no limit, so there is no forecast to act on; give it limit:',
      ],
      [
        'anomaly.capacity[1].series',
        'no series is named "disk"; name one of anomaly.series: latency',
      ],
    ]);
  });

  it('refuses bounds the wrong way round, a file outside the repository, and two rules on one field', () => {
    const rule = (file: string, min: number, max: number) => [
      '    - series: disk',
      `      file: ${file}`,
      '      path: spec.replicas',
      `      min: ${min}`,
      `      max: ${max}`,
      '      step: 1',
    ];
    const errors = errorsOf(
      lines(
        'anomaly:',
        '  series:',
        '    - name: disk',
        '      query: up',
        '      limit: 10',
        '  capacity:',
        ...rule('deploy/a.yaml', 5, 2),
        ...rule('../secrets.yaml', 1, 2),
        ...rule('./.GitHub//workflows/scale.yml', 1, 2),
      ),
    );
    expect(errors.map((e) => e.path)).toEqual([
      'anomaly.capacity[0]',
      'anomaly.capacity[1].file',
      'anomaly.capacity[2].file',
    ]);
    expect(errors[2]!.message).toMatch(/got the workflow file .*cannot change workflows/);
    expect(errors[0]!.message).toContain('min 5 above max 2');
    expect(errors[1]!.message).toContain('no leading /, no ..');
    const [twice] = errorsOf(
      lines(
        'anomaly:',
        '  series:',
        '    - name: disk',
        '      query: up',
        '      limit: 10',
        '  capacity:',
        ...rule('deploy/b.yaml', 1, 2),
        ...rule('deploy/b.yaml', 1, 3),
      ),
    );
    expect(twice).toMatchObject({ path: 'anomaly.capacity[1].path' });
    expect(twice!.message).toContain('one field, one rule');
  });

  it('reads Kubernetes quantities for min, max and step, in base units', () => {
    const rule = (min: string, max: string, step: string) => [
      'anomaly:',
      '  series:',
      '    - name: disk',
      '      query: up',
      '      limit: 10',
      '  capacity:',
      '    - series: disk',
      '      file: deploy/a.yaml',
      '      path: spec.resources.requests.storage',
      `      min: ${min}`,
      `      max: ${max}`,
      `      step: ${step}`,
    ];
    expect(configOf(lines(...rule('10Gi', '"1Ti"', '500Mi'))).anomaly.capacity[0]).toMatchObject({
      min: 10 * 2 ** 30,
      max: 2 ** 40,
      step: 500 * 2 ** 20,
    });
    expect(configOf(lines(...rule('100m', '2', '250m'))).anomaly.capacity[0]).toMatchObject({
      min: 0.1,
      max: 2,
      step: 0.25,
    });
    const errors = errorsOf(lines(...rule('ten', '1 Gi', '-1Gi')));
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      [
        'anomaly.capacity[0].min',
        'expected a finite amount: a number or a Kubernetes quantity such as 10Gi or 500m, got the string "ten"',
      ],
      [
        'anomaly.capacity[0].max',
        'expected a finite amount: a number or a Kubernetes quantity such as 10Gi or 500m, got the string "1 Gi"',
      ],
      [
        'anomaly.capacity[0].step',
        'expected an amount above 0: a number or a Kubernetes quantity such as 10Gi or 500m, got the string "-1Gi"',
      ],
    ]);
    const [wrongWay] = errorsOf(lines(...rule('2Gi', '1Gi', '1Gi')));
    expect(wrongWay!.message).toContain('min 2147483648 above max 1073741824');
  });

  it('refuses credentials in the Prometheus URL', () => {
    const [error] = errorsOf(lines('anomaly:', '  prometheus: https://user:pw@prom.example.com'));
    expect(error).toMatchObject({ path: 'anomaly.prometheus' });
    expect(error!.message).toMatch(/^anomaly.prometheus must not carry a user name or password/);
  });
});
