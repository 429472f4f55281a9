import { renderHealthMarkdown, renderHealthTable } from '../hotspots/report/health.ts';
import { runHealthDelta } from '../health/change-health.ts';
import { openLocalRepository } from './local-repository.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import {
  analysisContext,
  exitOnGitError,
  parseFormat,
  REVISION_RANGE_OPTIONS,
} from './analysis-args.ts';

const FORMATS = ['table', 'json', 'markdown'] as const;

const USAGE = `Usage: steward health --base REF [--head REF] [--repo DIR] [--format table|json|markdown]

Code health (1–10) of every file a change touched, before and after, with the smells it
introduced and fixed and the file's hotspot rank before the change. The change is what HEAD (or
--head) adds since its merge base with --base, which is what it is compared with.

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
export const healthCommand: CommandCode = {
  usage: USAGE,
  run: health,
};

async function health(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: REVISION_RANGE_OPTIONS,
  });
  if (values.base === undefined)
    throw new UsageError('--base REF is required (the revision to compare with)');
  const format = parseFormat(values.format, FORMATS, 'table');
  const context = await analysisContext(values, io);
  if (!context) return 1;
  return exitOnGitError('health', io, async () => {
    const { report, syntaxErrors } = await runHealthDelta({
      ...(await openLocalRepository(context.repoDir, context.config.hotspots)),
      base: values.base!,
      head: values.head ?? 'HEAD',
      config: context.config.hotspots,
      ...context.runOptions,
    });
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'markdown'
          ? renderHealthMarkdown(report)
          : renderHealthTable(report),
    );
    for (const e of syntaxErrors) {
      io.stderr(`syntax error (analysed as far as it parses): ${e.path}:${e.line}  ${e.message}\n`);
    }
    return 0;
  });
}
