import { isSeverity, SEVERITIES, type Severity } from '../review/severity.ts';
import { modelClientFor } from '../llm/model-client-for.ts';
import { failOnGate } from '../review/fail-on.ts';
import { DiffParseError } from '../diff/review-file.ts';
import { reviewLocal } from '../review/local-review.ts';
import { openLocalRepository } from './local-repository.ts';
import type { LocalReview } from '../review/local-review.ts';
import { renderReview, REVIEW_FORMATS } from '../review/report/index.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import { processModelKey } from './model-key.ts';
import {
  analysisContext,
  exitOnGitError,
  parseFormat,
  REVISION_RANGE_OPTIONS,
  writeReport,
} from './analysis-args.ts';

const USAGE = `Usage: steward review [--repo DIR] [--base REF] [--head REF]
                      [--format text|json|markdown|sarif] [--offline] [--out FILE]
                      [--fail-on SEVERITY]

Review a local change: what HEAD (or --head) adds since its merge base with the base.
The offline review needs no model and no key: every code smell the change introduces
(complex, long or deeply nested functions, duplication…) becomes a finding on its line,
with a severity from how far the file's code health (1–10) fell, and a file the change
takes below hotspots.health-floor is major. With ANTHROPIC_API_KEY set (and
ANTHROPIC_BASE_URL honoured), Claude reviews the diff too, within the review section's
max-calls and max-cost-usd from .github/steward.yml; what did not fit is listed.

Options:
  --base REF         The revision to compare with (default: the current branch's upstream
                     unless it is the branch's own remote copy, else the default branch:
                     origin/HEAD, main or master)
  --head REF         The changed revision (default: HEAD)
  --repo DIR         The repository (default: the current directory)
  --format F         text (default), json, markdown (a summary comment) or sarif (2.1.0,
                     for github/codeql-action/upload-sarif)
  --out FILE         Write the report to FILE instead of stdout
  --offline          Review without a model even when ANTHROPIC_API_KEY is set
  --fail-on S        Exit 1 when a finding is at least this severe: critical, major, minor, info
  --threads N        Worker threads for parsing (default: every core)
  -h, --help         Show this help

Exit status: 0 done (findings do not fail it unless --fail-on says so), 1 the repository or
a revision could not be read, or --fail-on matched, 2 bad usage.
`;

export interface ReviewCommandEnvironment {
  /** ANTHROPIC_API_KEY, read by the caller, never inside src/review; empty when unset. */
  apiKey(): string;
  /** ANTHROPIC_BASE_URL, honoured as the SDK would; undefined for the Anthropic API. */
  baseUrl(): string | undefined;
}

/** `steward review`, with where the API key comes from injected (tests pass their own). */
export function createReviewCommand(env: ReviewCommandEnvironment): CommandCode {
  return {
    usage: USAGE,
    run: (argv, io) => review(argv, io, env),
  };
}

/** `steward review` as the CLI registers it: the key is looked up in the process environment. */
export const reviewCommand = createReviewCommand(processModelKey);

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (isSeverity(value)) return value;
  throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, got "${value}"`);
}

async function review(
  argv: readonly string[],
  io: CommandIO,
  env: ReviewCommandEnvironment,
): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: {
      ...REVISION_RANGE_OPTIONS,
      out: { type: 'string' },
      offline: { type: 'boolean' },
      'fail-on': { type: 'string' },
    },
  });
  const format = parseFormat(values.format, REVIEW_FORMATS, 'text');
  const failOnFlag = parseFailOn(values['fail-on']);
  const context = await analysisContext(values, io);
  if (!context) return 1;
  const model = await modelClientFor(context.config.review, {
    apiKey: values.offline ? '' : env.apiKey(),
    baseUrl: env.baseUrl(),
  });
  return exitOnGitError('review', io, async () => {
    let result: LocalReview;
    try {
      result = await reviewLocal({
        ...(await openLocalRepository(context.repoDir, context.config.hotspots)),
        ...(values.base !== undefined ? { base: values.base } : {}),
        ...(values.head !== undefined ? { head: values.head } : {}),
        config: context.config,
        model,
        offlineReason: values.offline ? '--offline' : 'no ANTHROPIC_API_KEY',
        ...context.runOptions,
      });
    } catch (error: unknown) {
      if (!(error instanceof DiffParseError)) throw error;
      io.stderr(`steward review: could not read the diff: ${error.message}\n`);
      return 1;
    }
    const output = renderReview(result, format);
    await writeReport(io, output, values.out);
    return failOnGate(result, failOnFlag, context.config.review) ? 1 : 0;
  });
}
