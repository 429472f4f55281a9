import { sanitize } from '../hotspots/report/format.ts';
import { codeBlock, codeSpan, inlineMarkdown } from '../markdown/untrusted.ts';
import type { RefactorRun } from '../refactor/run-refactor.ts';
import type { ProofStep, TargetOutcome } from '../refactor/types.ts';
import type { Colors } from './color.ts';
import { terminalSafe } from './tests-report.ts';

/**
 * What `steward refactor` prints: the run in the terminal's words (text), as the documented JSON,
 * or as markdown. Names, reasons and proof details come from the repository, the model or the
 * tests, so the text report escapes control characters and the markdown goes through
 * src/markdown/untrusted.ts.
 */

export interface RefactorCliRun {
  /** `--target`'s argument; null when the hotspots chose. */
  target: string | null;
  model: string;
  run: RefactorRun;
  /** The proven change, if any. */
  proven: Extract<TargetOutcome, { kind: 'proven' }> | null;
  /** The unified diff of the proven change; '' when none. */
  patch: string;
  /** True when the change was written to the working tree. */
  written: boolean;
  dryRun: boolean;
  notices: readonly string[];
}

/** The JSON shape's version: raised when a field changes meaning or goes away. */
export const REFACTOR_JSON_VERSION = 1;

/** `--format json`: documented in the command's usage text. */
export function refactorJson(cli: RefactorCliRun): Record<string, unknown> {
  const { run } = cli;
  return {
    version: REFACTOR_JSON_VERSION,
    target: cli.target,
    model: cli.model,
    baseline: run.baseline,
    outcomes: run.outcomes.map((o) => ({
      kind: o.kind,
      path: o.target.path,
      function: o.target.function,
      line: o.target.line,
      fingerprint: o.target.fingerprint,
      hotspotRank: o.target.hotspotRank,
      smells: o.target.smells.map((s) => s.kind),
      attempts: o.attempts,
      ...(o.kind === 'skipped'
        ? { reason: o.reason }
        : {
            health: o.health,
            techniques: o.proposal.techniques,
            rationale: o.proposal.rationale,
          }),
      proofs: o.proofs,
    })),
    skipped: run.skipped,
    patch: cli.patch === '' ? null : cli.patch,
    written: cli.written,
    usage: run.usage,
    notices: cli.notices,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function proofLine(step: ProofStep, c: Colors): string {
  const mark = step.ok ? c.green('✓') : c.red('✗');
  const time = c.dim(`${(step.durationMs / 1000).toFixed(1)} s`);
  return `      ${mark} ${step.name}: ${sanitize(step.detail)}  ${time}`;
}

/** `--format text`: the report, then the patch with --dry-run. */
export function refactorText(cli: RefactorCliRun, c: Colors): string {
  const { run } = cli;
  const lines: string[] = [];
  const proven = run.outcomes.filter((o) => o.kind === 'proven').length;
  const cost = run.usage.costUsd === null ? 'cost unknown' : `$${run.usage.costUsd.toFixed(2)}`;
  lines.push(
    c.bold(
      `refactoring${cli.target === null ? ' the top hotspots' : ` ${sanitize(cli.target)}`}: ${plural(run.outcomes.length, 'target')}, ${proven} proven`,
    ),
    c.dim(`${sanitize(cli.model)}: ${plural(run.usage.calls, 'call')}, ${cost}`),
  );
  if (!run.baseline.ok)
    lines.push('', c.red(`The tests fail before any change: ${sanitize(run.baseline.reason)}`));
  if (run.outcomes.length === 0) lines.push('', 'Nothing to refactor: no function was chosen.');
  for (const outcome of run.outcomes) {
    const t = outcome.target;
    const where = `${sanitize(t.function)} (${sanitize(t.path)}:${t.line})`;
    lines.push('');
    if (outcome.kind === 'proven') {
      const h = outcome.health;
      lines.push(
        `  ${c.green('proven')} ${where}: health ${h.before.fileHealth.toFixed(1)} → ${h.after.fileHealth.toFixed(1)}, cognitive ${h.before.cognitive} → ${h.after.cognitive}${outcome.attempts > 1 ? ' (second proposal)' : ''}`,
      );
      if (outcome.proposal.techniques.length > 0)
        lines.push(`      techniques: ${sanitize(outcome.proposal.techniques.join(', '))}`);
    } else {
      lines.push(`  ${c.yellow('skipped')} ${where}: ${sanitize(outcome.reason)}`);
    }
    for (const step of outcome.proofs) lines.push(proofLine(step, c));
  }
  for (const s of run.skipped.slice(0, 20))
    lines.push(
      c.dim(
        `not a target: ${sanitize(s.path)}${s.function === null ? '' : `:${sanitize(s.function)}`} (${sanitize(s.reason)})`,
      ),
    );
  if (run.skipped.length > 20)
    lines.push(c.dim(`… and ${run.skipped.length - 20} more (--format json lists them all)`));
  for (const notice of cli.notices) lines.push(c.yellow(`note: ${sanitize(notice)}`));

  lines.push('');
  if (cli.proven === null) lines.push('No proven refactoring: nothing changed.');
  else if (cli.written) lines.push(`Wrote ${sanitize(cli.proven.target.path)}.`);
  else if (cli.dryRun)
    lines.push('The refactoring as a patch (--dry-run); without it, the file is written:', '');
  const report = `${lines.join('\n')}\n`;
  if (cli.written || cli.patch === '') return report;
  return `${report}${terminalSafe(cli.patch, c)}`;
}

/** `--format markdown`: the outcomes with their proof logs, and the patch with --dry-run. */
export function refactorMarkdown(cli: RefactorCliRun): string {
  const { run } = cli;
  const parts = [
    `### Refactoring ${cli.target === null ? 'the top hotspots' : codeSpan(cli.target)}`,
    '',
  ];
  if (!run.baseline.ok)
    parts.push(`The tests fail before any change: ${inlineMarkdown(run.baseline.reason)}`, '');
  if (run.outcomes.length === 0) parts.push('Nothing to refactor: no function was chosen.', '');
  for (const outcome of run.outcomes) {
    const t = outcome.target;
    const head = `${codeSpan(t.function)} in ${codeSpan(t.path)}`;
    if (outcome.kind === 'proven') {
      const h = outcome.health;
      parts.push(
        `#### Proven: ${head}`,
        '',
        '| | before | after |',
        '| --- | --- | --- |',
        `| file health | ${h.before.fileHealth.toFixed(1)} | ${h.after.fileHealth.toFixed(1)} |`,
        `| cognitive complexity | ${h.before.cognitive} | ${h.after.cognitive} |`,
        `| cyclomatic complexity | ${h.before.cyclomatic} | ${h.after.cyclomatic} |`,
        `| nesting | ${h.before.nesting} | ${h.after.nesting} |`,
        `| lines | ${h.before.length} | ${h.after.length} |`,
        '',
      );
      if (outcome.proposal.techniques.length > 0)
        parts.push(
          `Techniques: ${outcome.proposal.techniques.map((x) => inlineMarkdown(x)).join(', ')}`,
          '',
        );
    } else {
      parts.push(`#### Skipped: ${head}`, '', inlineMarkdown(outcome.reason), '');
    }
    for (const step of outcome.proofs)
      parts.push(
        `- ${step.ok ? '✅' : '❌'} **${step.name}**: ${inlineMarkdown(step.detail)} (${(step.durationMs / 1000).toFixed(1)} s)`,
      );
    if (outcome.proofs.length > 0) parts.push('');
  }
  if (cli.notices.length > 0)
    parts.push('#### Notes', '', ...cli.notices.map((n) => `- ${inlineMarkdown(n)}`), '');
  if (!cli.written && cli.patch !== '')
    parts.push('#### Patch', '', codeBlock(cli.patch.trimEnd(), 'diff'), '');
  return `${parts.join('\n').trimEnd()}\n`;
}
