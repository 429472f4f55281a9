import { resolve } from 'node:path';
import { GitError } from '../git/errors.ts';
import { renderHealthMarkdown, renderHealthTable } from '../hotspots/report/health.ts';
import { runHealthDelta } from '../hotspots/run-health.ts';
import { UsageError, parseCommandArgs, type Command, type CommandIO } from './command.ts';
import { loadRepoConfig, parseFormat, parsePositiveInt } from './analysis-args.ts';

const FORMATS = ['table', 'json', 'markdown'] as const;

const USAGE = `Usage: steward health --base REF [--head REF] [--repo DIR] [--format table|json|markdown]

Code health (1–10) of every file a change touched, before and after, with the smells it
introduced and fixed. The change is what HEAD (or --head) adds since its merge base with --base.

Options:
  --base REF     The revision to compare with (a branch, tag or SHA)
  --head REF     The changed revision (default: HEAD)
  --repo DIR     The repository (default: the current directory)
  --format F     table (default), json or markdown
  --threads N    Worker threads for parsing (default: every core)
  -h, --help     Show this help

Exit status: 0 done, 1 the repository or a revision could not be read, 2 bad usage.
`;

/** `steward health` */
export const healthCommand: Command = {
  name: 'health',
  summary: 'Code health before and after a change: smells introduced and fixed',
  usage: USAGE,
  run: health,
};

async function health(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      repo: { type: 'string' },
      format: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (values.base === undefined)
    throw new UsageError('--base REF is required (the revision to compare with)');
  const format = parseFormat(values.format, FORMATS, 'table');
  const threads =
    values.threads === undefined ? undefined : parsePositiveInt(values.threads, '--threads');
  const repoDir = resolve(io.cwd, values.repo ?? '.');
  const config = await loadRepoConfig(repoDir, io);
  if (!config) return 1;
  try {
    const { report, syntaxErrors } = await runHealthDelta({
      repoDir,
      base: values.base,
      head: values.head ?? 'HEAD',
      config: config.hotspots,
      ...(threads ? { threads } : {}),
      ...(io.progress ? { onProgress: io.progress } : {}),
    });
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'markdown'
          ? renderHealthMarkdown(report)
          : renderHealthTable(report),
    );
    for (const e of syntaxErrors)
      io.stderr(`syntax error (analysed as far as it parses): ${e.path}:${e.line}  ${e.message}\n`);
    return 0;
  } catch (error: unknown) {
    if (error instanceof GitError) {
      io.stderr(`steward health: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return 1;
    }
    throw error;
  }
}
