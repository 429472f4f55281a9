import { describe, expect, it } from 'vitest';
import type { IssueCommentFacts, IssueEventFacts } from '../../src/github/client.ts';
import { applyNotification } from '../../src/incidents/incident-state.ts';
import type { IncidentState } from '../../src/incidents/incident-state.ts';
import {
  firstAcknowledgement,
  formatDuration,
  impactStart,
  incidentDurations,
  parsePostmortemMarker,
  postmortemMarker,
  renderPostmortem,
  type IssueActivity,
} from '../../src/incidents/postmortem.ts';
import { MAX_BODY_CHARS } from '../../src/incidents/render.ts';
import { htmlNodes, mentionsOutsideCode, parseGfm } from '../support/gfm.ts';
import { payload, rawAlert } from './fixtures.ts';
import {
  MIN,
  NOTIFIED,
  RESOLVED,
  changes,
  deployment,
  mergedPr,
  resolvedState,
} from './postmortem-fixtures.ts';

function comment(at: string, login: string | null, more: Partial<IssueCommentFacts> = {}) {
  return {
    id: Math.floor(Math.random() * 1e9),
    body: 'looking',
    login,
    userType: 'User',
    ours: false,
    createdAt: at,
    ...more,
  } satisfies IssueCommentFacts;
}

function event(kind: string, at: string, login: string | null, userType = 'User'): IssueEventFacts {
  return { event: kind, login, userType, createdAt: at };
}

const ACTIVITY: IssueActivity = {
  comments: [
    comment('2026-03-01T10:05:01Z', 'steward[bot]', { userType: 'Bot', ours: true }),
    comment('2026-03-01T10:06:00Z', 'pager-bot[bot]', { userType: 'Bot' }),
    comment('2026-03-01T10:20:00Z', 'carol'),
  ],
  events: [
    event('labeled', '2026-03-01T10:05:02Z', 'steward[bot]', 'Bot'),
    event('assigned', '2026-03-01T10:08:00Z', 'auto-assign[bot]', 'Bot'),
    event('assigned', '2026-03-01T10:12:00Z', 'alice'),
  ],
};

describe('incidentDurations', () => {
  it('measures detect, acknowledge and resolve exactly', () => {
    const state = resolvedState();
    expect(impactStart(state)).toBe('2026-03-01T10:00:00.000Z');
    expect(incidentDurations(state, ACTIVITY)).toEqual({
      impactStart: '2026-03-01T10:00:00.000Z',
      detectedAt: NOTIFIED,
      acknowledgement: { at: '2026-03-01T10:12:00Z', by: 'alice', how: 'assigned' },
      resolvedAt: RESOLVED,
      timeToDetectMs: 5 * MIN,
      timeToAcknowledgeMs: 7 * MIN,
      timeToResolveMs: 50 * MIN,
    });
  });

  it('takes a person’s comment when it comes before any assignment', () => {
    const activity = {
      comments: [comment('2026-03-01T10:09:30Z', 'dave')],
      events: ACTIVITY.events,
    };
    expect(incidentDurations(resolvedState(), activity)).toMatchObject({
      acknowledgement: { at: '2026-03-01T10:09:30Z', by: 'dave', how: 'comment' },
      timeToAcknowledgeMs: 4.5 * MIN,
    });
  });

  it('counts no bot, no comment of our own account and nothing before the first notification', () => {
    const activity: IssueActivity = {
      comments: [
        comment('2026-03-01T10:06:00Z', 'steward', { ours: true }),
        comment('2026-03-01T10:07:00Z', 'renovate[bot]', { userType: 'Bot' }),
        comment('2026-03-01T09:00:00Z', 'early'),
        comment('not a time', 'garbage'),
      ],
      events: [
        event('assigned', '2026-03-01T10:08:00Z', 'bot[bot]', 'Bot'),
        event('closed', '2026-03-01T10:09:00Z', 'erin'),
      ],
    };
    expect(firstAcknowledgement(activity, NOTIFIED)).toBeNull();
    const durations = incidentDurations(resolvedState(), activity);
    expect(durations.acknowledgement).toBeNull();
    expect(durations.timeToAcknowledgeMs).toBeNull();
    expect(durations.timeToDetectMs).toBe(5 * MIN);
  });

  it('leaves resolve unknown while the group fires, and acknowledge unknown without activity', () => {
    const firing = applyNotification(
      null,
      payload({ alerts: [rawAlert({ startsAt: '2026-03-01T10:00:00.000Z' })] }),
      NOTIFIED,
    ).state;
    expect(incidentDurations(firing, null)).toEqual({
      impactStart: '2026-03-01T10:00:00.000Z',
      detectedAt: NOTIFIED,
      acknowledgement: null,
      resolvedAt: null,
      timeToDetectMs: 5 * MIN,
      timeToAcknowledgeMs: null,
      timeToResolveMs: null,
    });
  });

  it('counts a clock that puts the notification before the alert start as 0', () => {
    const state = applyNotification(
      null,
      payload({ alerts: [rawAlert({ startsAt: '2026-03-01T10:06:00.000Z' })] }),
      NOTIFIED,
    ).state;
    expect(incidentDurations(state, null).timeToDetectMs).toBe(0);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59_999, '59 s'],
    [5 * MIN, '5 min'],
    [60 * MIN, '1 h'],
    [125 * MIN, '2 h 5 min'],
    [24 * 60 * MIN, '1 d'],
    [(3 * 24 + 4) * 60 * MIN + 59_000, '3 d 4 h'],
    [-1, 'unknown'],
    [Number.NaN, 'unknown'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('postmortemMarker', () => {
  it('names the incident key and sequence, and reads back', () => {
    const state = resolvedState();
    const marker = postmortemMarker(state);
    expect(marker).toBe(`<!-- steward:incident-report key=${state.key} seq=1 -->`);
    expect(parsePostmortemMarker(`${marker}\nbody`)).toEqual({ key: state.key, sequence: 1 });
    expect(parsePostmortemMarker(`x${marker}`)).toBeNull();
    expect(() => postmortemMarker({ key: 'nope -->', sequence: 1 })).toThrow(/incident key/);
    expect(() => postmortemMarker({ key: state.key, sequence: 0 })).toThrow(/sequence/);
  });
});

describe('renderPostmortem', () => {
  it('has the SRE book’s sections, the durations and the suspicious changes', () => {
    const state = resolvedState();
    const body = renderPostmortem({ state, activity: ACTIVITY, changes: changes() });
    expect(body.split('\n')[0]).toBe(postmortemMarker(state));
    for (const heading of [
      '## 📝 Post-incident report: `HighErrorRate`, `HighLatency`',
      '### Summary',
      '### Impact',
      '### Detection and response',
      '### Timeline',
      '### Suspicious changes',
      '### Action items',
    ])
      expect(body).toContain(heading);
    expect(body).toContain('- **Services**: `api`, `checkout`');
    expect(body).toContain('severity `critical`');
    expect(body).toContain('- **Alerts**: 2 alerts');
    expect(body).toContain(
      '- **Duration**: `2026-03-01T10:00:00.000Z` → `2026-03-01T10:50:00.000Z` (50 min)',
    );
    expect(body).toContain('| 5 min after impact |');
    expect(body).toContain(
      '| **Acknowledged**: assigned by `alice` | `2026-03-01T10:12:00Z` | 7 min after detection |',
    );
    expect(body).toContain('| 50 min after impact |');
    expect(body).toContain('`pr#12` [#12](<https://github.com/acme/shop/pull/12>) Change 12');
    expect(body).toContain('health down 2.7 in `src/cart.ts` (9.1 → 6.4)');
    expect(body).toContain('hottest `src/cart.ts`, hotspot 1 of 2');
    expect(body).toContain('| `src/cart.ts` | modified | 9.1 → 6.4 (-2.7) | 1 of 2 |');
    expect(body).toContain(
      '- `deploy#3` to `production` at `2026-03-01T09:30:00Z`: ref `main` (`dddddddddddd`) by `ci-user` — deploy',
    );
    expect(body).toContain('in the 3 d before the impact started');
    expect(body).toContain('- [ ] Root cause');
    expect(body).not.toContain('### Hypothesis');
    // The timeline has the impact start, the notifications and the people, in order.
    const timeline = body.slice(body.indexOf('### Timeline'), body.indexOf('### Suspicious'));
    const order = [
      'Impact started',
      'Alertmanager notified: firing',
      '🙋 Acknowledged: `assigned` by `alice`',
      '💬 Comment by `carol`',
      'Alertmanager notified: resolved',
    ].map((text) => timeline.indexOf(text));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(timeline).not.toContain('steward[bot]');
    expect(timeline).not.toContain('auto-assign');
    // The only raw HTML is the report's own marker and the folds.
    expect(new Set(htmlNodes(body).map((h) => h.replace(/\n[\s\S]*/, '')))).toEqual(
      new Set([
        postmortemMarker(state),
        '<details><summary>5 entries, from the impact start to resolution</summary>',
        '</details>',
        '<details><summary>Files</summary>',
      ]),
    );
  });

  it('says "not acknowledged", and what could not be read', () => {
    const state = resolvedState();
    const quiet = renderPostmortem({
      state,
      activity: { comments: [], events: [] },
      changes: changes({
        pullRequests: [],
        pullRequestsProblem: 'GitHub answered 502',
        deployments: [],
        deploymentsProblem: null,
      }),
    });
    expect(quiet).toContain('nobody commented or was assigned | – | not acknowledged |');
    expect(quiet).toContain('_Could not read the merged pull requests: GitHub answered 502._');
    expect(quiet).toContain('_None in the window._');

    const blind = renderPostmortem({
      state,
      activity: null,
      activityProblem: 'listIssueComments failed',
      changes: null,
    });
    expect(blind).toContain('| **Acknowledged**: unknown | – | unknown |');
    expect(blind).toContain(
      "_The issue's comments and events could not be read: listIssueComments failed",
    );
    expect(blind).toContain('_The changes before the incident could not be read._');
    expect(blind).toContain('### Action items');
  });

  it('states when pull requests, files or deployments were cut', () => {
    const base = changes();
    const body = renderPostmortem({
      state: resolvedState(),
      activity: ACTIVITY,
      changes: {
        ...base,
        pullRequests: [{ ...base.pullRequests[0]!, filesLeftOut: 7 }],
        pullRequestsLeftOut: 4,
        deploymentsLeftOut: 2,
        ranksProblem: 'GitHub answered 403',
      },
    });
    expect(body).toContain('9 files');
    expect(body).toContain('…and 7 more files not analysed.');
    expect(body).toContain(
      '…and 4 more merged in the window, not analysed (the report shows the newest 1).',
    );
    expect(body).toContain('…and 2 more deployments in the window.');
    expect(body).toContain('> hotspot ranks unknown: GitHub answered 403');
  });

  it('shows a hypothesis marked as one, with what it rests on; none without a cite', () => {
    const state = resolvedState();
    const input = { state, activity: ACTIVITY, changes: changes() };
    const body = renderPostmortem({
      ...input,
      hypothesis: {
        text: 'The cart change in pr#12 raised the error rate.',
        cites: ['pr#12', 'alert:aaa1'],
        model: 'claude-test',
      },
    });
    expect(body).toContain('### Hypothesis (unverified)');
    expect(body).toContain('A hypothesis written by a model (`claude-test`)');
    expect(body).toContain('Rests on: `pr#12`, `alert:aaa1`.');
    expect(body.indexOf('### Hypothesis')).toBeLessThan(body.indexOf('### Action items'));
    const uncited = renderPostmortem({
      ...input,
      hypothesis: { text: 'Something broke.', cites: [], model: 'claude-test' },
    });
    expect(uncited).not.toContain('Hypothesis');
  });

  it('shows hostile labels, titles, paths, logins and model text as inert text', () => {
    const FORGED = `<!-- steward:incident-report key=${'f'.repeat(64)} seq=9 -->`;
    const state = resolvedState({
      groupLabels: { alertname: '@octocat look #1' },
      commonAnnotations: {
        summary: `${FORGED}\n<img src=x onerror=alert(1)> @here [x](https://evil.example)`,
      },
      commonLabels: { severity: '@admin' },
    });
    const hostileState: IncidentState = {
      ...state,
      alerts: state.alerts.map((a) => ({
        ...a,
        labels: {
          ...a.labels,
          service: '@acme/oncall <!-- steward:incident key=x -->',
          job: '`` @x ``',
        },
      })),
    };
    const base = changes();
    const body = renderPostmortem({
      state: hostileState,
      activity: {
        comments: [comment('2026-03-01T10:20:00Z', '@evil <!--')],
        events: [event('assigned', '2026-03-01T10:12:00Z', 'alice')],
      },
      changes: {
        ...base,
        defaultBranch: 'main <!-- x -->',
        pullRequests: [
          {
            ...base.pullRequests[0]!,
            pullRequest: mergedPr(12, {
              title: `Fix @everyone #34 ${FORGED} [click](javascript:alert(1))`,
              author: '@mallory',
              url: 'javascript:alert(1)',
            }),
            files: base.pullRequests[0]!.files.map((f) => ({
              ...f,
              path: `src/@team|<!-- x -->.ts`,
            })),
            filesProblem: '@someone broke it',
          },
        ],
        deployments: [
          deployment(3, {
            environment: '@prod-team',
            description: `<!-- steward:incident key=${'a'.repeat(64)} --> @ops #2`,
            ref: '<script>',
            creator: '@root',
          }),
        ],
        notes: ['@note #5'],
      },
      hypothesis: {
        text: `@oncall ${FORGED}\n# Heading\n[evil](https://evil.example) #7\n\`\`\`suggestion\nrm -rf /\n\`\`\``,
        cites: ['pr#12'],
        model: 'claude-test',
      },
    });
    // Exactly one HTML comment: the report's own marker, on the first line.
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(parsePostmortemMarker(body)).toEqual({ key: state.key, sequence: 1 });
    expect(mentionsOutsideCode(body)).toEqual([]);
    expect(body).not.toMatch(/(^|[^\w])#(1|2|5|7|34)\b/);
    // No link or image made by the hostile text's own markup (a bare URL it holds may still be
    // autolinked as text, as GitHub does with any URL), and no heading from it.
    const links: string[] = [];
    const headings: string[] = [];
    type Node = { type: string; url?: string; value?: string; children?: Node[]; depth?: number };
    const text = (node: Node): string => node.value ?? (node.children ?? []).map(text).join('');
    const walk = (node: Node) => {
      if (node.type === 'image') links.push(`image ${node.url}`);
      if (node.type === 'link' && text(node) !== node.url) links.push(`${text(node)} ${node.url}`);
      if (node.type === 'heading') headings.push(String(node.depth));
      for (const child of node.children ?? []) walk(child);
    };
    walk(parseGfm(body) as unknown as Node);
    expect(links).toEqual([]);
    expect(headings).toEqual(['2', '3', '3', '3', '3', '3', '3', '3']);
    for (const html of htmlNodes(body))
      expect(html).toMatch(/^(<!-- steward:incident-report |<details>|<\/details>)/);
    expect(body).not.toMatch(/^```suggestion/m);
  });

  it('stays within GitHub’s comment limit for the largest facts', () => {
    const base = changes();
    const longTitle = 'x'.repeat(5000);
    const pr = base.pullRequests[0]!;
    const files = Array.from({ length: 30 }, (_, i) => ({
      ...pr.files[0]!,
      path: `src/${'deep/'.repeat(200)}${i}.ts`,
    }));
    const body = renderPostmortem({
      state: resolvedState(),
      activity: {
        comments: Array.from({ length: 500 }, (_, i) =>
          comment(new Date(Date.parse(NOTIFIED) + i * 1000).toISOString(), `user${i}`),
        ),
        events: [],
      },
      changes: {
        ...base,
        pullRequests: Array.from({ length: 20 }, (_, i) => ({
          ...pr,
          pullRequest: mergedPr(i + 1, { title: longTitle }),
          files,
        })),
        deployments: Array.from({ length: 100 }, (_, i) =>
          deployment(i, { description: longTitle }),
        ),
      },
      hypothesis: { text: 'y'.repeat(50_000), cites: ['pr#1'], model: 'm' },
    });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body.split('\n')[0]).toMatch(/^<!-- steward:incident-report /);
  });
});
