import { describe, expect, it } from 'vitest';
import { defaultChaosConfig } from '../../src/chaos/settings.ts';
import { parsePromDuration as parseStepSeconds } from '../../src/settings/prometheus.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { configOf, errorsOf, lines } from './config-text.ts';

describe('chaos config', () => {
  const defaults = {
    workflow: 'chaos.yml',
    incident: true,
    prometheusUrl: null,
    slo: [],
    stepSeconds: null,
  };

  it('has the documented defaults, also for an empty section', () => {
    expect(defaultConfig().chaos).toEqual(defaults);
    expect(defaultChaosConfig()).toEqual(defaults);
    expect(configOf(lines('chaos:')).chaos).toEqual(defaults);
    expect(configOf(lines('chaos: {}')).chaos).toEqual(defaults);
  });

  it('gives each call a fresh copy', () => {
    defaultChaosConfig().slo.push({ name: 'x', query: 'up', max: 1, min: null });
    expect(defaultChaosConfig().slo).toEqual([]);
  });

  it('reads every key', () => {
    const config = configOf(
      lines(
        'chaos:',
        '  workflow: chaos-tests.yaml',
        '  incident: false',
        '  prometheus: https://prom.example.com/prometheus/',
        '  step: 1m30s',
        '  slo:',
        '    - name: p99-latency',
        '      query: histogram_quantile(0.99, rate(http_duration_seconds_bucket[1m]))',
        '      max: 0.5',
        '    - name: availability',
        '      query: sum(rate(ok[1m])) / sum(rate(all[1m]))',
        '      min: 0.99',
        '      max: 1',
      ),
    ).chaos;
    expect(config).toEqual({
      workflow: 'chaos-tests.yaml',
      incident: false,
      prometheusUrl: 'https://prom.example.com/prometheus',
      stepSeconds: 90,
      slo: [
        {
          name: 'p99-latency',
          query: 'histogram_quantile(0.99, rate(http_duration_seconds_bucket[1m]))',
          max: 0.5,
          min: null,
        },
        {
          name: 'availability',
          query: 'sum(rate(ok[1m])) / sum(rate(all[1m]))',
          max: 1,
          min: 0.99,
        },
      ],
    });
  });

  it('reads a step as Prometheus writes durations, or as seconds', () => {
    expect(parseStepSeconds('30s')).toBe(30);
    expect(parseStepSeconds('1m30s')).toBe(90);
    expect(parseStepSeconds('500ms')).toBe(0.5);
    expect(parseStepSeconds('1h')).toBe(3600);
    expect(parseStepSeconds('15')).toBe(15);
    expect(parseStepSeconds(2.5)).toBe(2.5);
    for (const bad of ['', '30', 'x', '30 s', '1m30', 's30', '30sec', '-5s'])
      if (bad !== '30') expect(parseStepSeconds(bad), bad).toBeNull();
    expect(configOf(lines('chaos:', '  step: 15')).chaos.stepSeconds).toBe(15);
    for (const bad of ['0', '0s', '2d', '30 seconds', 'fast', '-1', 'true', '[1]']) {
      const [error] = errorsOf(lines('chaos:', `  step: ${bad}`));
      expect(error, bad).toMatchObject({ path: 'chaos.step', line: 2 });
      expect(error!.message).toMatch(/^expected a step such as 30s, 1m or 15 \(seconds\)/);
    }
  });

  it('rejects an SLO with neither max nor min, saying what to add', () => {
    const [error] = errorsOf(
      lines('chaos:', '  slo:', '    - name: p99', '      query: up', '  incident: true'),
    );
    expect(error).toMatchObject({ path: 'chaos.slo[0]', line: 3 });
    expect(error!.message).toBe(
      'the SLO "p99" has neither max nor min; add max: (values must stay at or below it) or min: (at or above it)',
    );
  });

  it('rejects an SLO that no value could hold, and non-numeric or infinite bounds', () => {
    const [crossed] = errorsOf(
      lines('chaos:', '  slo:', '    - {name: a, query: up, min: 5, max: 1}'),
    );
    expect(crossed!.message).toBe(
      'the SLO "a" has min 5 above max 1, so no value could hold it; swap them',
    );
    for (const [value, got] of [
      ['.inf', 'Infinity'],
      ['-.inf', '-Infinity'],
      ['.nan', 'NaN'],
      ['"0.5"', 'the string "0.5"'],
      ['fast', 'the string "fast"'],
      ['[1]', 'a list'],
    ] as const) {
      const [error] = errorsOf(
        lines('chaos:', '  slo:', `    - {name: a, query: up, max: ${value}}`),
      );
      expect(error, value).toMatchObject({ path: 'chaos.slo[0].max', line: 3 });
      expect(error!.message).toBe(
        `expected a number the SLO's values must stay at or below, got ${got}`,
      );
    }
    const [min] = errorsOf(lines('chaos:', '  slo:', '    - {name: a, query: up, min: low}'));
    expect(min!.message).toBe(
      'expected a number the SLO\'s values must stay at or above, got the string "low"',
    );
  });

  it('rejects empty names and queries, a name used twice, and an SLO that is not a map', () => {
    const [name] = errorsOf(lines('chaos:', '  slo:', '    - {name: " ", query: up, max: 1}'));
    expect(name).toMatchObject({ path: 'chaos.slo[0].name' });
    expect(name!.message).toMatch(/^must not be empty; name the SLO/);
    const [query] = errorsOf(lines('chaos:', '  slo:', '    - {name: a, query: "", max: 1}'));
    expect(query).toMatchObject({ path: 'chaos.slo[0].query' });
    expect(query!.message).toMatch(/^must not be empty; write the PromQL query/);
    const [twice] = errorsOf(
      lines(
        'chaos:',
        '  slo:',
        '    - {name: a, query: up, max: 1}',
        '    - {name: a, query: down, min: 1}',
      ),
    );
    expect(twice).toMatchObject({ path: 'chaos.slo[1].name', line: 4 });
    expect(twice!.message).toBe('the SLO name "a" is used twice; give each SLO its own name');
    const [notMap] = errorsOf(lines('chaos:', '  slo:', '    - up > 1'));
    expect(notMap).toMatchObject({ path: 'chaos.slo[0]' });
    expect(notMap!.message).toBe('expected a map of settings, got the string "up > 1"');
    const [notList] = errorsOf(lines('chaos:', '  slo: up'));
    expect(notList!.message).toBe(
      'expected a list of SLOs, each with name, query and max or min, got the string "up"',
    );
  });

  it('answers an unknown key with the nearest one, in the section and in an SLO', () => {
    const [section] = errorsOf(lines('chaos:', '  promethus: http://prom:9090'));
    expect(section).toMatchObject({
      path: 'chaos.promethus',
      line: 2,
      column: 3,
      message: 'unknown key',
      suggestion: 'prometheus',
    });
    // The misspelt max also leaves the SLO without a bound: both are said.
    const errors = errorsOf(
      lines('chaos:', '  slo:', '    - name: a', '      query: up', '      mx: 1'),
    );
    expect(errors.map((e) => e.path)).toEqual(['chaos.slo[0]', 'chaos.slo[0].mx']);
    const slo = errors[1];
    expect(slo).toMatchObject({
      path: 'chaos.slo[0].mx',
      line: 5,
      column: 7,
      message: 'unknown key',
      suggestion: 'max',
    });
    const [stray] = errorsOf(lines('chaos:', '  query: up'));
    expect(stray).toMatchObject({ path: 'chaos.query' });
    expect(stray!.message).toBe(
      'unknown key in chaos; query is a setting of chaos.slo, so indent it under "slo:"',
    );
  });

  it('takes an http or https base URL only, and says what to write instead', () => {
    const url = (text: string) =>
      configOf(lines('chaos:', `  prometheus: ${text}`)).chaos.prometheusUrl;
    expect(url('http://127.0.0.1:9090')).toBe('http://127.0.0.1:9090');
    expect(url('http://prom:9090///')).toBe('http://prom:9090');
    expect(url('null')).toBeNull();
    const errorFor = (text: string) => errorsOf(lines('chaos:', `  prometheus: ${text}`))[0]!;
    const bare = errorFor('prom:9090');
    expect(bare).toMatchObject({
      path: 'chaos.prometheus',
      line: 2,
      suggestion: 'http://prom:9090',
    });
    expect(bare.message).toBe(
      'expected an http or https URL for Prometheus such as http://prometheus.monitoring:9090, got "prom:9090"',
    );
    const host = errorFor('prometheus.monitoring');
    expect(host.message).toMatch(
      /^cannot read "prometheus.monitoring" as a URL; write Prometheus's base URL/,
    );
    expect(host.suggestion).toBe('http://prometheus.monitoring');
    for (const bad of ['ftp://prom', 'file:///etc/passwd', 'javascript:alert(1)'])
      expect(errorFor(bad).message, bad).toMatch(/^expected an http or https URL for Prometheus/);
    expect(errorFor('"http://user:secret@prom:9090"').message).toMatch(
      /must not carry a user name or password/,
    );
    const query = errorFor('"http://prom:9090/?x=1"');
    expect(query.message).toMatch(/without a query or fragment/);
    expect(query.suggestion).toBe('http://prom:9090');
    expect(errorFor('"not a url"').message).toMatch(/^cannot read "not a url" as a URL/);
    expect(errorFor('9090').message).toBe(
      "expected Prometheus's base URL such as http://prometheus.monitoring:9090, or null, got a number",
    );
  });

  it('rejects a workflow path outside .github/workflows and a non-boolean incident', () => {
    for (const bad of ['../x.yml', 'a/b.yml', 'chaos', 'chaos.json']) {
      const [error] = errorsOf(lines('chaos:', `  workflow: ${bad}`));
      expect(error!.message, bad).toMatch(
        /^expected a workflow file name under \.github\/workflows/,
      );
    }
    const [flag] = errorsOf(lines('chaos:', '  incident: sometimes'));
    expect(flag).toMatchObject({ path: 'chaos.incident' });
    expect(flag!.message).toBe('expected true or false, got the string "sometimes"');
  });
});
