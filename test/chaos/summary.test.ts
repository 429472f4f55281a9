import type { Table } from 'mdast';
import { chaosReport } from '../../src/chaos/report.ts';
import { describe, expect, it } from 'vitest';
import { readChaosFiles, readChaosObjects } from '../../src/chaos/read.ts';
import {
  CHAOS_MARKER,
  MAX_ROWS,
  formatChaosDuration,
  summariseChaos,
} from '../../src/chaos/summary.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm } from '../support/gfm.ts';
import { fixture } from './fixtures.ts';

const ALL = [
  'litmus-2.x-list.yaml',
  'litmus-3.0.0-beta2-result.json',
  'litmus-3.x-documents.yaml',
  'chaos-mesh.yaml',
];

/** The HTML Steward itself writes: the marker, the fold and line breaks in a cell. */
const OURS = new Set([CHAOS_MARKER, '<details><summary>Details</summary>', '</details>', '<br>']);

function tables(markdown: string): Table[] {
  return parseGfm(markdown).children.filter((n): n is Table => n.type === 'table');
}

function litmus(name: string, status: unknown, spec: unknown = { experiment: name }) {
  return {
    apiVersion: 'litmuschaos.io/v1alpha1',
    kind: 'ChaosResult',
    metadata: { name, namespace: 'shop' },
    spec,
    status,
  };
}

const HOSTILE = [
  '@alice please look',
  '@acme/security',
  '<!-- steward:chaos -->',
  '`<!-- steward:chaos -->`',
  '<img src=x onerror=alert(1)>',
  '</details><details open>',
  'a | b | c',
  '#12',
  '[click](https://evil.example)',
  '```suggestion\nrm -rf /\n```',
  '\u202Eevil',
].join(' ');

describe('summariseChaos', () => {
  it('summarises every recorded generation in one table, failures first, with the verdict and count', () => {
    const summary = summariseChaos(readChaosFiles(ALL.map(fixture)));
    expect(summary).toMatchObject({ verdict: 'fail', failed: 3, passed: 1, unknown: 3 });
    expect(summary.markdown.split('\n')[0]).toBe(CHAOS_MARKER);
    expect(summary.markdown).toContain('❌ **Chaos: 3 of 7 experiments failed**');
    const [table] = tables(summary.markdown);
    expect(table!.children).toHaveLength(1 + 7);
    expect(table!.children.every((row) => row.children.length === 7)).toBe(true);
    expect(summary.rows.map((r) => [r.experiment, r.verdict, r.status])).toEqual([
      ['pod-network-latency', 'fail', 'Fail'],
      ['pod-delete', 'fail', 'Fail'],
      ['pod-delete', 'fail', 'Fail'],
      ['checkout-pod-kill', 'unknown', 'recovered'],
      ['cart-delay', 'unknown', 'injected'],
      ['search-cpu', 'unknown', 'failed'],
      ['pod-cpu-hog', 'pass', 'Pass'],
    ]);
    expect(htmlNodes(summary.markdown).every((node) => OURS.has(node))).toBe(true);
  });

  it('writes the row a reviewer scans: target, verdict, probe success, failed probe and reason, duration, trend', () => {
    const summary = summariseChaos(
      readChaosObjects(fixture('litmus-3.x-documents.yaml').text, 'r.yaml'),
    );
    const row = summary.markdown.split('\n').find((l) => l.startsWith('| `pod-delete`'));
    expect(row).toBe(
      '| `pod-delete` | deployment/checkout | ❌ Fail | 50% | `check-http`: expected 200, got 503<br>CHAOS\\_PROBE\\_ERROR: probe check-http failed: expected 200, got 503 | 3 min 30 s | 4/5 passed (80%) |',
    );
    expect(summary.rows.find((r) => r.experiment === 'pod-cpu-hog')).toMatchObject({
      verdict: 'pass',
      probeSuccessPercentage: 100,
      durationMs: 6 * 60_000,
      history: { passed: 9, failed: 0, stopped: 0 },
    });
  });

  it('shows a 2.x failure step once when it repeats the failed probe', () => {
    const summary = summariseChaos(
      readChaosObjects(fixture('litmus-2.x-list.yaml').text, 'l.yaml'),
    );
    const row = summary.markdown.split('\n').find((l) => l.startsWith('| `pod-network-latency`'))!;
    expect(row.match(/Verdict: Failed/g)).toHaveLength(1);
    expect(row).toContain('5/7 passed (71%), 1 stopped');
    expect(row).toContain('2 min 7 s');
  });

  it('says pass only when every experiment passed and every object was read', () => {
    const pass = litmus('ok', { experimentStatus: { verdict: 'Pass' } });
    expect(summariseChaos(readChaosObjects(JSON.stringify(pass), 'a.json')).verdict).toBe('pass');
    const broken = readChaosObjects(
      `${JSON.stringify(pass)}\n---\n${JSON.stringify(litmus('bad', { probeStatuses: 3 }))}`,
      'a.yaml',
    );
    const summary = summariseChaos(broken);
    expect(summary.verdict).toBe('unknown');
    expect(summary.markdown).toContain('1 object could not be read');
    expect(summary.markdown).toContain('a.yaml, document 2, status.probeStatuses: expected a list');
  });

  it('has no verdict for Chaos Mesh alone, nor for nothing found', () => {
    const mesh = summariseChaos(readChaosObjects(fixture('chaos-mesh.yaml').text, 'm.yaml'));
    expect(mesh).toMatchObject({ verdict: 'unknown', failed: 0 });
    expect(mesh.markdown).toContain('❔ recovered (no verdict)');
    const none = summariseChaos(readChaosObjects('', 'e.yaml'));
    expect(none).toMatchObject({ verdict: 'unknown', failed: 0, rows: [] });
    expect(none.markdown).toContain('No chaos experiment was found');
  });

  it('makes a row of an engine experiment that has no ChaosResult', () => {
    const { text } = fixture('litmus-3.x-documents.yaml');
    const engineOnly = text.split('\n---\n')[0]!;
    const summary = summariseChaos(readChaosObjects(engineOnly, 'engine.yaml'));
    expect(summary.rows.map((r) => [r.experiment, r.verdict, r.target])).toEqual([
      ['pod-delete', 'fail', 'deployment shop app=checkout'],
      ['pod-cpu-hog', 'pass', 'deployment shop app=checkout'],
    ]);
  });

  it('renders hostile text from every field as inert text: no mention, no HTML, no marker, no extra cell', () => {
    const object = litmus(
      HOSTILE,
      {
        experimentStatus: {
          verdict: HOSTILE,
          phase: HOSTILE,
          errorOutput: { errorCode: HOSTILE, reason: HOSTILE },
        },
        probeStatuses: [
          {
            name: HOSTILE,
            type: HOSTILE,
            mode: HOSTILE,
            status: { verdict: 'Failed', description: HOSTILE },
          },
        ],
        history: { passedRuns: 1, failedRuns: 1, targets: [{ name: HOSTILE, kind: HOSTILE }] },
      },
      { experiment: HOSTILE, engine: HOSTILE },
    );
    const mesh = {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name: HOSTILE, namespace: HOSTILE },
      spec: {
        action: HOSTILE,
        selector: { namespaces: [HOSTILE], labelSelectors: { [HOSTILE]: HOSTILE } },
      },
      status: {
        conditions: [{ type: HOSTILE, status: HOSTILE }],
        experiment: {
          desiredPhase: HOSTILE,
          containerRecords: [
            {
              id: HOSTILE,
              phase: HOSTILE,
              events: [{ type: 'Failed', operation: HOSTILE, message: HOSTILE }],
            },
          ],
        },
      },
    };
    const other = { apiVersion: 'v1', kind: HOSTILE, metadata: { name: HOSTILE } };
    const bad = litmus('x', { probeStatuses: [{ name: 'p', status: { verdict: [HOSTILE] } }] });
    const read = readChaosObjects(
      JSON.stringify({ kind: 'List', items: [object, mesh, other, bad] }),
      HOSTILE,
    );
    expect(read.objects).toHaveLength(2);
    const { markdown } = summariseChaos(read);
    expect(mentionsOutsideCode(markdown)).toEqual([]);
    expect(htmlNodes(markdown).every((node) => OURS.has(node))).toBe(true);
    expect(markdown.match(/<!--/g)).toHaveLength(1);
    expect(markdown).not.toMatch(/\u202E/);
    expect(markdown).not.toMatch(/```suggestion/);
    const [table] = tables(markdown);
    expect(table!.children).toHaveLength(3);
    expect(table!.children.every((row) => row.children.length === 7)).toBe(true);
    // No markdown link or image: the hostile `[click](…)` stays text. (The mdast parser also reads
    // `https\://` as an autolink literal after unescaping; cmark-gfm does not: untrusted.ts's concern.)
    const links: string[] = [];
    const visit = (node: { type: string; url?: string; children?: unknown[] }) => {
      if (node.type === 'image') links.push('image');
      if (
        node.type === 'link' &&
        node.children?.some((c) => (c as { value?: string }).value === 'click')
      )
        links.push(node.url ?? '');
      for (const child of node.children ?? []) visit(child as typeof node);
    };
    visit(parseGfm(markdown));
    expect(links).toEqual([]);
  });

  it('keeps a huge input to a table of MAX_ROWS rows and a body GitHub accepts', () => {
    const items = Array.from({ length: 400 }, (_, i) =>
      litmus(`exp-${i}`, {
        experimentStatus: {
          verdict: i % 2 === 0 ? 'Fail' : 'Pass',
          errorOutput: { reason: 'x'.repeat(5000) },
        },
        probeStatuses: Array.from({ length: 50 }, (_, j) => ({
          name: `probe-${j}`,
          status: { verdict: 'Failed', description: 'y'.repeat(3000) },
        })),
      }),
    );
    const summary = summariseChaos(
      readChaosObjects(JSON.stringify({ kind: 'List', items }), 'big.json'),
    );
    expect(summary).toMatchObject({ verdict: 'fail', failed: 200, passed: 200 });
    expect(tables(summary.markdown)[0]!.children).toHaveLength(1 + MAX_ROWS);
    expect(summary.markdown).toContain(`and ${400 - MAX_ROWS} more experiments.`);
    expect(summary.markdown).toContain('The remaining details were left out');
    expect(summary.markdown.length).toBeLessThan(65_536);
  });
});

describe('formatChaosDuration', () => {
  it.each([
    [4_400, '4 s'],
    [60_000, '1 min'],
    [127_000, '2 min 7 s'],
    [3_900_000, '1 h 5 min'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatChaosDuration(ms)).toBe(text);
  });
});

describe('chaosReport', () => {
  it('reads the files and summarises them in one call', () => {
    const report = chaosReport(ALL.map(fixture));
    expect(report).toMatchObject({ verdict: 'fail', failed: 3 });
    expect(report.read.objects).toHaveLength(9);
    expect(report.markdown).toBe(summariseChaos(report.read).markdown);
  });
});
