/**
 * GitHub requests per auto-merge decision, counted at the loopback GitHub fake.
 * Rerun: `npm run bench:automerge` (prints a markdown table; no network needed).
 *
 * Each scenario runs the bundled action once, as GitHub runs it, and counts what reached the fake:
 * GraphQL queries, REST reads, and writes (merge, label, comment).
 */
import {
  AutoMergeScenario,
  BASE_MANIFEST,
  botCommit,
  LODASH_21,
  lockWith,
  OWNER,
  REPO,
  type ScenarioOptions,
} from '../test/e2e/auto-merge-scenario.ts';

interface Case {
  name: string;
  options: ScenarioOptions;
  prepare?: (s: AutoMergeScenario) => void;
}

const cases: Case[] = [
  { name: 'merged (Renovate patch, green)', options: {} },
  {
    name: 'merged (yarn v1 lockfile)',
    options: { lockfile: { format: 'yarn-1', after: lockWith(LODASH_21) } },
  },
  {
    name: 'merged (Dependabot, required check bound to its App)',
    options: {
      bot: 'dependabot[bot]',
      title: 'Bump lodash from 4.17.20 to 4.17.21',
      requiredChecks: { classic: [{ context: 'test', appId: 15368 }] },
    },
  },
  {
    name: 'armed (native mode, required check not reported yet)',
    options: {
      config: 'auto-merge:\n  mode: native\n  minimum-release-age: 0\n',
      requiredChecks: { classic: ['test', 'e2e'] },
    },
  },
  {
    name: 'pending (a check running)',
    options: {},
    prepare: (s) =>
      s.github.addCheckRun(OWNER, REPO, s.headSha, { name: 'e2e', status: 'in_progress' }),
  },
  {
    name: 'refused (major; label + comment)',
    options: {
      headManifest: {
        ...BASE_MANIFEST,
        dependencies: { ...BASE_MANIFEST.dependencies, lodash: '^5.0.0' },
      },
    },
  },
  {
    name: 'refused (commit by a person)',
    options: {
      commits: [
        botCommit('renovate[bot]', 'Update lodash'),
        {
          message: 'x',
          author: { login: 'mallory', type: 'User' },
          committer: { login: 'mallory', type: 'User' },
        },
      ],
    },
  },
  {
    name: 'refused silently (PR by a person)',
    options: { pr: { author: { login: 'alice', type: 'User' } } },
  },
];

const rows: string[] = [];
for (const c of cases) {
  const scenario = await AutoMergeScenario.start(c.options);
  try {
    c.prepare?.(scenario);
    const run = await scenario.run();
    const requests = scenario.github.requests;
    const graphql = requests.filter((r) => r.path === '/graphql').length;
    const reads = requests.filter((r) => r.path !== '/graphql' && r.method === 'GET').length;
    const writes = requests.length - graphql - reads;
    rows.push(
      `| ${c.name} | ${run.outputs.decision ?? '?'} | ${requests.length} | ${graphql} | ${reads} | ${writes} | ${scenario.registry.requests.length} |`,
    );
  } finally {
    await scenario.close();
  }
}

console.log('| Scenario | Decision | GitHub requests | GraphQL | REST reads | Writes | Registry |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
