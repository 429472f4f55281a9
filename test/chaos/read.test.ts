import { describe, expect, it } from 'vitest';
import { MAX_OBJECTS, readChaosFiles, readChaosObjects } from '../../src/chaos/read.ts';
import { fixture } from './fixtures.ts';

function result(overrides: Record<string, unknown> = {}, status: unknown = {}) {
  return {
    apiVersion: 'litmuschaos.io/v1alpha1',
    kind: 'ChaosResult',
    metadata: { name: 'r', namespace: 'shop' },
    spec: { engine: 'e', experiment: 'pod-delete' },
    status,
    ...overrides,
  };
}

describe('readChaosObjects', () => {
  it('reads a List as kubectl -o yaml writes it', () => {
    const { text, source } = fixture('litmus-2.x-list.yaml');
    const read = readChaosObjects(text, source);
    expect(read.errors).toEqual([]);
    expect(read.objects.map((o) => [o.kind, o.meta.name, o.origin])).toEqual([
      ['ChaosEngine', 'cart-chaos', { source, document: 1, item: 0 }],
      ['ChaosResult', 'cart-chaos-pod-network-latency', { source, document: 1, item: 1 }],
    ]);
  });

  it('reads one object as kubectl -o json writes it', () => {
    const { text, source } = fixture('litmus-3.0.0-beta2-result.json');
    const read = readChaosObjects(text, source);
    expect(read.objects).toHaveLength(1);
    expect(read.objects[0]!.origin).toEqual({ source, document: 1, item: null });
  });

  it('reads several YAML documents and skips the kinds it does not read, saying why', () => {
    const { text, source } = fixture('litmus-3.x-documents.yaml');
    const read = readChaosObjects(text, source);
    expect(read.objects.map((o) => `${o.kind}/${o.meta.name}@${o.origin.document}`)).toEqual([
      'ChaosEngine/checkout-chaos@1',
      'ChaosResult/checkout-chaos-pod-delete@2',
      'ChaosResult/checkout-chaos-pod-cpu-hog@4',
    ]);
    expect(read.skipped).toEqual([
      {
        origin: { source, document: 3, item: null },
        apiVersion: 'litmuschaos.io/v1alpha1',
        kind: 'ChaosExperiment',
        name: 'pod-delete',
        reason: 'ChaosExperiment is not a result: Steward reads ChaosResult and ChaosEngine',
      },
    ]);
  });

  it('reads a JSON List, and skips objects of other tools and Chaos Mesh bookkeeping', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
        { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodNetworkChaos', metadata: { name: 'x' } },
        { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'Workflow', metadata: { name: 'w' } },
        { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'DNSChaos', metadata: { name: 'dns' } },
      ],
    });
    const read = readChaosObjects(text, 'list.json');
    expect(read.objects.map((o) => o.kind)).toEqual(['DNSChaos']);
    expect(read.skipped.map((s) => [s.origin.item, s.reason])).toEqual([
      [0, 'v1 Pod is neither LitmusChaos nor Chaos Mesh'],
      [1, 'PodNetworkChaos is not a chaos experiment'],
      [2, 'Workflow is not a chaos experiment'],
    ]);
  });

  it('names the file, the document, the item and the field of a wrong type, and reads the rest', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: litmuschaos.io/v1alpha1',
      '  kind: ChaosResult',
      '  metadata: {name: ok}',
      '- apiVersion: litmuschaos.io/v1alpha1',
      '  kind: ChaosResult',
      '  metadata: {name: bad}',
      '  status:',
      '    experimentStatus: {verdict: {nested: true}}',
      '---',
      'apiVersion: litmuschaos.io/v1alpha1',
      'kind: ChaosResult',
      'metadata: {name: bad-probes}',
      'status: {probeStatuses: [{name: a}, 7]}',
    ].join('\n');
    const read = readChaosObjects(text, 'results/run.yaml');
    expect(read.objects.map((o) => o.meta.name)).toEqual(['ok']);
    expect(read.errors.map((e) => e.message)).toEqual([
      'results/run.yaml, document 1, items[1].status.experimentStatus.verdict: expected a string, got a mapping',
      'results/run.yaml, document 2, status.probeStatuses[1]: expected a mapping, got a number',
    ]);
    expect(read.errors[0]!.field).toBe('items[1].status.experimentStatus.verdict');
    expect(read.errors[0]!.origin).toEqual({ source: 'results/run.yaml', document: 1, item: 1 });
  });

  it.each([
    ['a missing name', result({ metadata: { namespace: 'shop' } }), 'metadata.name: missing'],
    ['metadata as a list', result({ metadata: [] }), 'metadata: expected a mapping, got a list'],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'x' } }, 'kind: missing'],
    ['a scalar document', 'just text', 'expected a Kubernetes object'],
    [
      'a history count below zero',
      result({}, { history: { passedRuns: -1 } }),
      'status.history.passedRuns: expected a count, got -1',
    ],
    [
      'a percentage over 100',
      result({}, { experimentStatus: { probeSuccessPercentage: 250 } }),
      'status.experimentStatus.probeSuccessPercentage: expected a percentage, got 250',
    ],
    [
      'probes as a mapping',
      result({}, { probeStatuses: { name: 'x' } }),
      'status.probeStatuses: expected a list, got a mapping',
    ],
  ])('reports %s', (_, object, message) => {
    const read = readChaosObjects(JSON.stringify(object), 'x.json');
    expect(read.objects).toEqual([]);
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]!.message).toContain(message);
    expect(read.errors[0]!.message.startsWith('x.json, document 1')).toBe(true);
  });

  it('reports text that is not YAML with its document, and reads the documents around it', () => {
    const good = JSON.stringify(result());
    const read = readChaosObjects(`${good}\n---\nkind: [unclosed\n---\n${good}\n`, 'mixed.yaml');
    expect(read.objects).toHaveLength(2);
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]!.message).toMatch(/^mixed\.yaml, document 2: not YAML: /);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const read = readChaosObjects(lines.join('\n'), 'bomb.yaml');
    expect(read.objects).toEqual([]);
    expect(read.errors[0]!.message).toMatch(/^bomb\.yaml, document 1: not YAML: /);
  });

  it('ignores empty documents and reads nothing from an empty file', () => {
    expect(readChaosObjects('', 'empty.yaml')).toEqual({
      objects: [],
      skipped: [],
      errors: [],
      dropped: 0,
    });
    expect(readChaosObjects('---\n---\n', 'empty.yaml').objects).toEqual([]);
  });

  it('reads at most MAX_OBJECTS objects of a huge List and counts the rest', () => {
    const items = Array.from({ length: MAX_OBJECTS + 25 }, (_, i) =>
      result({ metadata: { name: `r${i}` } }),
    );
    const read = readChaosObjects(JSON.stringify({ kind: 'List', items }), 'huge.json');
    expect(read.objects).toHaveLength(MAX_OBJECTS);
    expect(read.dropped).toBe(25);
  });

  it('reads several files as one', () => {
    const read = readChaosFiles([fixture('litmus-3.x-documents.yaml'), fixture('chaos-mesh.yaml')]);
    expect(read.objects.map((o) => o.origin.source)).toEqual([
      'litmus-3.x-documents.yaml',
      'litmus-3.x-documents.yaml',
      'litmus-3.x-documents.yaml',
      'chaos-mesh.yaml',
      'chaos-mesh.yaml',
      'chaos-mesh.yaml',
    ]);
    expect(read.skipped).toHaveLength(2);
  });
});
