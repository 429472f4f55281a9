import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { StewardConfig } from '../config/schema.ts';
import { readRegularFile } from '../git/checkout-project.ts';
import { sanitize } from '../hotspots/report/format.ts';
import type { ModelClient } from '../llm/model-call.ts';
import type { RefactorPlan, RefactorPlanInput } from '../refactor/plan.ts';
import type { RefactorProofPort } from '../refactor/proof-port.ts';
import type { RefactorPieces } from '../refactor/run-refactor.ts';
import type { RefactorConfig } from '../refactor/settings.ts';
import type { SkippedTarget } from '../refactor/types.ts';
import type { TargetSpec } from '../refactor/target-spec.ts';
import { analysisContext, exitOnGitError, parseFormat } from './analysis-args.ts';
import { colors } from './color.ts';
import { UsageError, parseCommandArgs, type CommandCode, type CommandIO } from './command.ts';
import { processModelKey } from './model-key.ts';
import {
  refactorJson,
  refactorMarkdown,
  refactorText,
  type RefactorCliRun,
} from './refactor-report.ts';
import { unifiedDiff } from './tests-diff.ts';

const FORMATS = ['text', 'json', 'markdown'] as const;

const USAGE = `Usage: steward refactor [--repo DIR] [--target PATH[:FUNCTION]] [--dry-run]
                        [--format text|json|markdown]

Refactor the worst function of the top hotspots, and keep the change only when it is proven:
the file's code health rises by refactor.min-health-gain (0.5) and the function's cognitive
complexity falls with no new smell, its exported declarations are unchanged (a declaration
emit of before and after), the project type-checks with no new diagnostic, and the tests pass
twice (refactor.test-command, or the detected vitest or jest on the tests that import the
file); with refactor.mutation, the mutation score on the function's lines must not fall.
Claude proposes the function's new text (ANTHROPIC_API_KEY is required, ANTHROPIC_BASE_URL
honoured), within refactor.max-calls and max-cost-usd; a failed proof is told to it once for
a second proposal. Targets are the functions with Complex Method, Deep Nesting, Bumpy Road,
Large Method or Complex Conditional in the top refactor.top-files hotspot files that a test
reaches, at most refactor.max-targets tried, worst first, until one is proven. The tests run
first on the unchanged checkout: when they fail, nothing is tried. The refactor section of
.github/steward.yml applies.

The proven change is written to the working tree; with --dry-run it is printed as a patch
(git apply takes it) and nothing in the repository changes.

Options:
  --target PATH[:FN]  Refactor the file PATH (relative to the repository root), or only its
                      function FN (a method as Class.method), wherever it ranks
  --dry-run           Print the patch instead of writing the file
  --format F          text (default), json or markdown
  --repo DIR          The repository (default: the current directory)
  -h, --help          Show this help

JSON (--format json), version 1: { version, target, model, baseline: { ok, reason? },
outcomes: [{ kind: proven|skipped, path, function, line, fingerprint, hotspotRank, smells,
attempts, reason?, health?: { before, after }, techniques?, rationale?, proofs: [{ name,
ok, detail, durationMs }] }], skipped: [{ path, function, reason }], patch, written,
usage: { calls, costUsd }, notices }.

Exit status: 0 done, whether a refactoring was proven or not, 1 no ANTHROPIC_API_KEY, the
repository or the config could not be read, the tests fail before any change, or the file
changed while the refactoring was proven (nothing is written then), 2 bad usage.
`;

export interface RefactorCommandEnvironment {
  /** ANTHROPIC_API_KEY, read by the caller; empty when unset. */
  apiKey(): string;
  /** ANTHROPIC_BASE_URL; undefined for the Anthropic API. */
  baseUrl(): string | undefined;
  /** The proof port over the checkout; src/testrun's when absent. */
  openProofs?: (root: string, config: RefactorConfig) => RefactorProofPort;
  /** The model prompt, the AST edit and the health proof; the real ones when absent. */
  pieces?: RefactorPieces;
  /** The selection; planRefactor over the hotspots when absent. */
  plan?: (input: RefactorPlanInput) => Promise<RefactorPlan>;
  /** The config's refactor section; `refactor:` of the loaded config when absent. */
  refactorConfig?: (config: StewardConfig) => RefactorConfig;
}

/** `steward refactor`, with the key and the edges injectable (tests pass their own). */
export function createRefactorCommand(env: RefactorCommandEnvironment): CommandCode {
  return { usage: USAGE, run: (argv, io) => refactor(argv, io, env) };
}

/** `steward refactor` as the CLI registers it: the key from the process environment. */
export const refactorCommand = createRefactorCommand(processModelKey);

const OPTIONS = {
  repo: { type: 'string' },
  target: { type: 'string' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
} as const;

/** How long one proof run (the type check, one test run, Stryker) may take. */
const PROOF_TIMEOUT_MS = 10 * 60_000;

async function refactor(
  argv: readonly string[],
  io: CommandIO,
  env: RefactorCommandEnvironment,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    options: OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}" (name a function with --target PATH[:FUNCTION])`,
    );
  const format = parseFormat(values.format, FORMATS, 'text');
  const only = values.target === undefined ? undefined : await targetSpec(values.target);
  const dryRun = values['dry-run'] === true;

  const apiKey = env.apiKey();
  if (apiKey === '') {
    io.stderr(
      'steward refactor: a model is needed: Claude proposes each refactoring before Steward proves it, and ANTHROPIC_API_KEY is not set.\n  Set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another Messages endpoint), then run again.\n',
    );
    return 1;
  }

  const context = await analysisContext(values, io);
  if (!context) return 1;
  const config = env.refactorConfig?.(context.config) ?? context.config.refactor;
  const { modelClientFor } = await import('../llm/model-client-for.ts');
  const model = (await modelClientFor(config, { apiKey, baseUrl: env.baseUrl() }))!;

  return exitOnGitError('refactor', io, async () => {
    const [{ openGitRevisionReader }, { checkoutView }, { changedSinceHead }] = await Promise.all([
      import('../git/revision-reader.ts'),
      import('./tests-checkout.ts'),
      import('./mutate-files.ts'),
    ]);
    const reader = await openGitRevisionReader(context.repoDir);
    const root = reader.repository.root;
    const project = await checkoutView(root);
    const progress = io.progress ? (line: string) => io.progress!(sanitize(line)) : undefined;

    const { calendarDurationBefore } = await import('../settings/duration.ts');
    const plan = env.plan ?? (await import('../refactor/plan.ts')).planRefactor;
    progress?.('refactor: ranking the hotspots');
    const chosen = await plan({
      reader,
      project,
      config,
      hotspots: context.config.hotspots,
      since: calendarDurationBefore(new Date(), context.config.hotspots.since),
      repoLabel: basename(root),
      ...(only ? { only } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    const notices = chosen.warnings.map((w) => `${w.message} ${w.hint}`);
    const { targets, skipped } = await cleanTargets(chosen, () => changedSinceHead(reader));

    const proofs = (env.openProofs ?? (await defaultProofs()))(root, config);
    let run;
    try {
      run = await runWith(model, {
        config,
        targets,
        skipped,
        root,
        read: project.read,
        proofs,
        pieces: env.pieces,
        thresholds: context.config.hotspots.thresholds,
        progress,
      });
    } finally {
      proofs.close();
    }

    const proven = run.outcomes.find((o) => o.kind === 'proven') ?? null;
    const patch =
      proven === null
        ? ''
        : unifiedDiff([{ path: proven.target.path, before: proven.before, after: proven.after }]);
    let written = false;
    let refused: string | null = null;
    if (proven !== null && !dryRun) {
      // Written only over the text it was made from, never through a link.
      if (readRegularFile(root, proven.target.path) === proven.before) {
        await writeFile(join(root, proven.target.path), proven.after);
        written = true;
      } else refused = proven.target.path;
    }
    const cli: RefactorCliRun = {
      target: values.target ?? null,
      model: model.model,
      run,
      proven,
      patch,
      written,
      dryRun: dryRun || refused !== null,
      notices,
    };
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(refactorJson(cli), null, 2)}\n`
        : format === 'markdown'
          ? refactorMarkdown(cli)
          : refactorText(cli, colors(io.color)),
    );
    if (written) io.stderr(`wrote ${sanitize(proven!.target.path)}\n`);
    if (refused !== null) {
      io.stderr(
        `steward refactor: ${sanitize(refused)} changed while the refactoring was proven; nothing was written, the patch is printed instead\n`,
      );
      return 1;
    }
    return run.baseline.ok ? 0 : 1;
  });
}

/** `--target PATH[:FUNCTION]`, checked as `steward tests --file` checks its argument. */
async function targetSpec(text: string): Promise<TargetSpec> {
  if (text.trim() === '')
    throw new UsageError('--target needs a path, such as --target src/args.ts:parse');
  // The rule lives with test generation's --file, which loads the parser: only when it is used.
  const { parseTargetSpec } = await import('../refactor/target-spec.ts');
  const parsed = parseTargetSpec(text);
  if (!parsed.ok) throw new UsageError(`--target: ${parsed.message}`);
  return parsed.target;
}

/**
 * The proofs run against the working tree and the targets come from HEAD's history: a target whose
 * file differs from HEAD is passed over, with what to do.
 */
async function cleanTargets(
  plan: RefactorPlan,
  changed: () => Promise<string[]>,
): Promise<{ targets: RefactorPlan['targets']; skipped: SkippedTarget[] }> {
  if (plan.targets.length === 0) return { targets: [], skipped: plan.skipped };
  const dirty = new Set(await changed());
  const skipped = [...plan.skipped];
  const targets = plan.targets.filter((target) => {
    if (!dirty.has(target.path)) return true;
    skipped.push({
      path: target.path,
      function: target.function,
      reason: 'the file differs from HEAD; commit the change or set it aside (git stash) first',
    });
    return false;
  });
  return { targets, skipped };
}

async function defaultProofs(): Promise<
  (root: string, config: RefactorConfig) => RefactorProofPort
> {
  const { createRefactorProofPort } = await import('../testrun/refactor-proofs.ts');
  return (root, config) =>
    createRefactorProofPort({
      root,
      testCommand: config.testCommand,
      env: {},
      timeoutMs: PROOF_TIMEOUT_MS,
      mutation: config.mutation,
    });
}

/** runRefactor over the working tree, with the project's prettier for the refactored file. */
async function runWith(
  model: ModelClient,
  input: {
    config: RefactorConfig;
    targets: RefactorPlan['targets'];
    skipped: SkippedTarget[];
    root: string;
    read: (path: string) => string | null;
    proofs: RefactorProofPort;
    pieces: RefactorPieces | undefined;
    thresholds: StewardConfig['hotspots']['thresholds'];
    progress: ((line: string) => void) | undefined;
  },
) {
  const [{ runRefactor }, { createPrettierFormatter }] = await Promise.all([
    import('../refactor/run-refactor.ts'),
    import('../prettier/format.ts'),
  ]);
  const formatter = createPrettierFormatter({ root: input.root });
  return runRefactor({
    config: input.config,
    targets: input.targets,
    skipped: input.skipped,
    readText: (path) => {
      const text = input.read(path);
      return text === null
        ? Promise.reject(new Error('not a regular file of the checkout'))
        : Promise.resolve(text);
    },
    model,
    proofs: input.proofs,
    // The working tree takes one change: the first proven.
    wanted: 1,
    formatText: async (path, text) => (await formatter.format({ path, text })).text,
    thresholds: input.thresholds,
    ...(input.pieces ? { pieces: input.pieces } : {}),
    ...(input.progress ? { onProgress: input.progress } : {}),
  });
}
