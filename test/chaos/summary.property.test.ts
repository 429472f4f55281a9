import { fc, test } from '@fast-check/vitest';
import type { Table } from 'mdast';
import { describe, expect } from 'vitest';
import { readChaosObjects } from '../../src/chaos/read.ts';
import { CHAOS_MARKER, summariseChaos } from '../../src/chaos/summary.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm, suggestionBlocks } from '../support/gfm.ts';

/** Pieces hostile objects string together to get past the renderer. */
const PIECES = [
  '@alice',
  '@acme/security',
  '_@bob_',
  '&#64;erin',
  '`',
  '```',
  '```suggestion\n',
  '<!--',
  '-->',
  CHAOS_MARKER,
  '<!-- steward:incident:abc -->',
  '<details>',
  '</details>',
  '</summary>',
  '<br>',
  '<img src=x onerror=alert(1)>',
  '|',
  '\\|',
  '#12',
  '\n',
  '\n\n| a | b |\n| - | - |\n',
  '- ',
  '> ',
  '\u202e',
  '\u0000',
];

const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 5 })), {
    minLength: 1,
    maxLength: 25,
  })
  .map((parts) => parts.join(''));

const ALLOWED = new Set([
  CHAOS_MARKER,
  '<details><summary>Details</summary>',
  '</details>',
  '<br>',
]);

describe('the chaos summary of hostile objects', () => {
  test.prop([hostile, hostile, hostile], { numRuns: 150 })(
    'mentions no one, carries only Steward’s HTML and marker, and keeps its table’s shape',
    (a, b, c) => {
      const litmus = {
        apiVersion: 'litmuschaos.io/v1alpha1',
        kind: 'ChaosResult',
        metadata: { name: a, namespace: b },
        spec: { engine: c, experiment: a },
        status: {
          experimentStatus: {
            verdict: 'Fail',
            phase: b,
            failureOutput: { errorCode: c, failedStep: a },
          },
          probeStatuses: [
            { name: b, type: c, mode: a, status: { verdict: 'Failed', description: c } },
            { name: c, status: { verdict: b, description: a } },
          ],
          history: { passedRuns: 1, targets: [{ name: a, kind: b }] },
        },
      };
      const mesh = {
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'NetworkChaos',
        metadata: { name: c, namespace: a },
        spec: { action: b, selector: { namespaces: [a], labelSelectors: { [b]: c } } },
        status: {
          conditions: [{ type: a, status: b }],
          experiment: {
            containerRecords: [
              { id: b, phase: c, events: [{ type: 'Failed', operation: a, message: b }] },
            ],
          },
        },
      };
      const other = { apiVersion: a, kind: b, metadata: { name: c } };
      const read = readChaosObjects(
        JSON.stringify({ kind: 'List', items: [litmus, mesh, other] }),
        a,
      );
      const { markdown } = summariseChaos(read);
      expect(mentionsOutsideCode(markdown)).toEqual([]);
      expect(suggestionBlocks(markdown)).toEqual([]);
      expect(htmlNodes(markdown).filter((node) => !ALLOWED.has(node))).toEqual([]);
      expect(markdown.split(CHAOS_MARKER)).toHaveLength(2);
      expect(markdown.startsWith(`${CHAOS_MARKER}\n`)).toBe(true);
      const tables = parseGfm(markdown).children.filter((n): n is Table => n.type === 'table');
      expect(tables).toHaveLength(1);
      expect(tables[0]!.children).toHaveLength(1 + read.objects.length);
      for (const row of tables[0]!.children) expect(row.children).toHaveLength(7);
    },
  );
});
