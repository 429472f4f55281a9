import { CONFIG_PATH } from '../config/path.ts';
import type { CommandEntry } from './command.ts';

/**
 * Every top-level `steward` command, in the order `steward --help` lists them. A capability
 * defines its command's code (a CommandCode) in its own module and adds an entry here that
 * imports that module when the command runs; the router does the rest. Nothing here imports a
 * command's code up front: that keeps `--help` and `--version` fast.
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'review',
    summary: 'Review a local change: code-health findings, and the model review with a key',
    load: async () => (await import('./review-command.ts')).reviewCommand,
  },
  {
    name: 'hotspots',
    summary: 'Rank files by change frequency × complexity, with code health and a visual report',
    load: async () => (await import('./hotspots-command.ts')).hotspotsCommand,
  },
  {
    name: 'health',
    summary: 'Code health before and after a change: smells introduced and fixed',
    load: async () => (await import('./health-command.ts')).healthCommand,
  },
  {
    name: 'mutate',
    summary: "Mutation-test a change's lines with Stryker: the mutants the tests do not catch",
    load: async () => (await import('./mutate-command.ts')).mutateCommand,
  },
  {
    name: 'tests',
    summary:
      'Generate unit tests for a change: kept when they kill a surviving mutant or cover a line',
    load: async () => (await import('./tests-command.ts')).testsCommand,
  },
  {
    name: 'refactor',
    summary:
      'Refactor the worst function of the top hotspots, kept only when types, tests, API and health prove it',
    load: async () => (await import('./refactor-command.ts')).refactorCommand,
  },
  {
    name: 'incidents',
    summary:
      "Mean time to acknowledge and resolve over a repository's incident issues, and the open ones",
    load: async () => (await import('./incidents-command.ts')).incidentsCommand,
  },
  {
    name: 'anomalies',
    summary: 'Anomalies in a series from a CSV or Prometheus, and when it reaches a limit',
    load: async () => (await import('./anomalies-command.ts')).anomaliesCommand,
  },
  {
    name: 'chaos',
    summary: 'Chaos experiment results (LitmusChaos, Chaos Mesh) as a summary',
    subcommands: [
      {
        name: 'report',
        summary: 'Summarise chaos results as kubectl writes them: a table, the markdown, or JSON',
        load: async () => (await import('./chaos-command.ts')).chaosReportCommand,
      },
    ],
  },
  {
    name: 'config',
    summary: `Work with Steward's config file, ${CONFIG_PATH}`,
    subcommands: [
      {
        name: 'check',
        summary: `Validate ${CONFIG_PATH} and what it extends, and report each problem by line`,
        load: async () => (await import('./config-check.ts')).configCheckCommand,
      },
    ],
  },
];
