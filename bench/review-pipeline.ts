/**
 * The code review pipeline against the figures of issue 4 (Performance):
 * 1. non-model work on a 5,000-line, 100-file diff under 1 s: each stage timed over warm runs;
 * 2. input tokens sent at most 1.2× the selected diff with its context plus the fixed prompt,
 *    measured at the Anthropic fake on what the SDK actually sent;
 * 3. never more calls than the cap, and nothing dropped silently when the diff does not fit.
 * Rerun: `npm run bench:review` (prints markdown tables; no network, no key).
 *
 * The diff is bench/review-diff.ts: 100 real TypeScript files of the corpus (bench/corpus.ts),
 * each with about 50 changed lines from a fixed-seed generator. Timing is reported, never judged;
 * the exit code is non-zero only when a correctness figure fails (token ratio over 1.2, more calls
 * than the cap, a reviewable hunk neither sent nor named as not reviewed).
 */
import { cpus } from 'node:os';
import { defaultConfig } from '../src/config/schema.ts';
import { healthDeltaOfTexts } from '../src/health/assess-texts.ts';
import { createAnthropicModelClient } from '../src/llm/client.ts';
import { DEFAULT_MODEL } from '../src/llm/models.ts';
import { priceFor } from '../src/llm/prices.ts';
import { anchorFindings } from '../src/review/anchor.ts';
import type { Finding } from '../src/review/anchor.ts';
import { fileChanges, fromPullRequestFiles } from '../src/diff/review-file.ts';
import type { ReviewFile } from '../src/diff/review-file.ts';
import { filterFiles } from '../src/review/filter.ts';
import { healthFindings } from '../src/review/health-findings.ts';
import type { ReviewFinding } from '../src/review/health-findings.ts';
import { REPORT_FINDINGS } from '../src/review/model/findings.ts';
import { toModelFiles } from '../src/review/model/input.ts';
import { isDeletionOnly, packReview, PACK_DEFAULTS } from '../src/review/model/pack.ts';
import type { PackOptions } from '../src/review/model/pack.ts';
import { fixedPromptText, renderFile, renderNamesOnly } from '../src/review/model/prompt.ts';
import type { PromptOptions } from '../src/review/model/prompt.ts';
import { runModelReview } from '../src/review/model/run.ts';
import type { ModelReviewSettings } from '../src/review/model/run.ts';
import { FOCUS_AREAS } from '../src/review/model/types.ts';
import type { ModelFile } from '../src/review/model/types.ts';
import { commentBody } from '../src/review/post.ts';
import { renderReviewMarkdown } from '../src/review/report/markdown.ts';
import type { ReviewResult } from '../src/review/result.ts';
import { SEVERITIES } from '../src/review/severity.ts';
import { startAnthropicFake } from '../test/support/anthropic-fake.ts';
import type {
  AnthropicAnswer,
  AnthropicRecordedRequest,
  MessagesRequestBody,
} from '../test/support/anthropic-fake.ts';
import { estimateTokens as fakeTokens } from '../test/support/anthropic-fake-messages.ts';
import { benchPullRequest } from './review-diff.ts';
import type { BenchFile } from './review-diff.ts';

const WARM_RUNS = 20;
const MAX_RATIO = 1.2;
/** Per-call budget for the cap runs: a fifth of the default, so the diff needs many calls. */
const SMALL_BUDGET = 8_000;
const SYNTHETIC_FINDINGS_PER_FILE = 2;

const config = defaultConfig();
const prompt: PromptOptions = { focus: [...FOCUS_AREAS] };
const price = priceFor(DEFAULT_MODEL);
const failures: string[] = [];

const pr = benchPullRequest();
const contents = new Map(pr.map((f) => [f.file.path, f.after]));

// ---------------------------------------------------------------------------------------------
// 1. Non-model work, stage by stage.

/**
 * About 200 findings as a model reports them: on added lines, some on ranges, some off the diff,
 * a third with suggestions (on the statements the generator inserted; every tenth does not parse).
 */
function syntheticFindings(files: readonly ReviewFile[], bench: readonly BenchFile[]): Finding[] {
  const inserted = new Map(bench.map((b) => [b.file.path, b.insertedStatements]));
  const findings: (Finding & { source: 'model' })[] = [];
  let n = 0;
  const next = (path: string, line: number, extra: Partial<Finding> = {}) => {
    const category = FOCUS_AREAS[n % FOCUS_AREAS.length]!;
    findings.push({
      path,
      line,
      severity: SEVERITIES[n % SEVERITIES.length]!,
      category,
      title: `Possible ${category} problem ${n}`,
      body: `The change on line ${line} may not handle every case; consider checking the inputs first.`,
      ...extra,
      source: 'model',
    });
    n++;
  };
  for (const file of files) {
    const added = file.hunks.flatMap((h) =>
      h.lines.flatMap((l) => (l.kind === 'add' && l.newLine !== null ? [l.newLine] : [])),
    );
    if (added.length === 0) continue;
    const statement = inserted.get(file.path)?.[0];
    const text = contents.get(file.path)!.split('\n');
    for (let k = 0; k < SYNTHETIC_FINDINGS_PER_FILE; k++) {
      const kind = (findings.length + k) % 6;
      if (kind === 0 && statement !== undefined) {
        const current = text[statement - 1]!;
        const suggestion =
          n % 10 === 0 ? current.replace(');', ',') : current.replace(');', ', { once: true });');
        next(file.path, statement, { suggestion });
      } else if (kind === 1) {
        // Off the diff: the first line no hunk shows.
        let line = 1;
        while (file.commentable.RIGHT.has(line)) line++;
        next(file.path, line);
      } else if (kind === 2) {
        const line = added[Math.floor(added.length / 2)]!;
        const hunk = file.hunks.find((h) => line >= h.newStart && line < h.newStart + h.newLines)!;
        next(file.path, line, { endLine: Math.min(line + 2, hunk.newStart + hunk.newLines - 1) });
      } else {
        next(file.path, added[(k * 7 + findings.length) % added.length]!);
      }
    }
  }
  return findings;
}

const STAGES = [
  'fromPullRequestFiles',
  'filterFiles',
  'healthDeltaOfTexts',
  'toModelFiles',
  'packReview',
  'healthFindings + anchorFindings',
  'renderReviewMarkdown',
  'commentBody (every inline comment)',
] as const;
type Stage = (typeof STAGES)[number];

const packDefaults: PackOptions = { ...PACK_DEFAULTS, prompt, ...(price ? { price } : {}) };
const parsedOnce = fromPullRequestFiles(pr.map((f) => f.file));
const findings = syntheticFindings(parsedOnce, pr);

function runPipeline() {
  const times = {} as Record<Stage, number>;
  const time = <T>(stage: Stage, work: () => T): T => {
    const start = performance.now();
    const value = work();
    times[stage] = performance.now() - start;
    return value;
  };
  const files = time('fromPullRequestFiles', () => fromPullRequestFiles(pr.map((f) => f.file)));
  const { reviewed, skipped } = time('filterFiles', () =>
    filterFiles(files, { include: config.review.include, exclude: config.review.exclude }),
  );
  const byPath = new Map(pr.map((f) => [f.file.path, f]));
  const health = time('healthDeltaOfTexts', () =>
    healthDeltaOfTexts(
      reviewed.map((f) => ({
        path: f.path,
        previousPath: f.previousPath,
        before: byPath.get(f.path)!.before,
        after: byPath.get(f.path)!.after,
      })),
      config.hotspots,
    ),
  );
  const modelFiles = time('toModelFiles', () =>
    toModelFiles(reviewed, { contents, health: health.files }),
  );
  const packed = time('packReview', () => packReview(modelFiles, packDefaults));
  const anchored = time('healthFindings + anchorFindings', () => {
    const fromHealth = healthFindings(health.files, { healthFloor: config.hotspots.healthFloor });
    return {
      fromHealth: fromHealth.length,
      ...anchorFindings([...findings, ...fromHealth], reviewed, {
        contents,
        maxComments: config.review.maxComments,
      }),
    };
  });
  const withSource = (f: ReviewFinding | Finding): ReviewFinding =>
    ({ source: 'health', ...f }) as ReviewFinding;
  const result: ReviewResult = {
    base: 'main',
    head: 'feature',
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    nothingToReview: false,
    changes: fileChanges(files),
    findings: anchored.inline.map(withSource),
    offDiff: anchored.offDiff.map(withSource),
    skipped,
    health: { files: health.files },
    usage: {
      calls: packed.calls.length,
      inputTokens: packed.calls.reduce((sum, c) => sum + c.estimatedInputTokens, 0),
      outputTokens: 4_000,
      costUsd: 0.42,
    },
    mode: 'model',
    model: DEFAULT_MODEL,
    reason: null,
    walkthrough: packed.calls.map((c, i) => `Call ${i + 1} reviewed ${c.files.length} files.`),
    notReviewed: packed.notFitted,
    since: null,
  };
  const markdown = time('renderReviewMarkdown', () => renderReviewMarkdown(result));
  time('commentBody (every inline comment)', () => result.findings.map((f) => commentBody(f)));
  return { times, files, reviewed, health, modelFiles, packed, anchored, markdown };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const total = (times: Record<Stage, number>) => STAGES.reduce((sum, s) => sum + times[s], 0);

const first = runPipeline();
const warm = Array.from({ length: WARM_RUNS }, () => runPipeline());
const { files, reviewed, health, modelFiles, anchored, markdown } = first;

const additions = pr.reduce((sum, f) => sum + f.file.additions, 0);
const deletions = pr.reduce((sum, f) => sum + f.file.deletions, 0);
const hunks = files.reduce((sum, f) => sum + f.hunks.length, 0);
const patchLines = pr.reduce((sum, f) => sum + f.file.patch!.split('\n').length, 0);
const introducedErrors = health.syntaxErrors.length;
if (introducedErrors > 0) {
  // Not a Steward failure, but the diff would not be the realistic one this bench claims.
  const before = healthDeltaOfTexts(
    pr.map((f) => ({ path: f.file.path, previousPath: null, before: null, after: f.before })),
    config.hotspots,
  ).syntaxErrors.length;
  if (introducedErrors > before)
    failures.push(`the generated diff adds syntax errors (${before} → ${introducedErrors})`);
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const cpuList = cpus();
console.log('## Review pipeline (issue 4, Performance)\n');
console.log(
  `machine: ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform}/${process.arch}\n`,
);
console.log(
  `diff: ${files.length} files (${reviewed.length} reviewed), ${additions + deletions} changed lines ` +
    `(+${additions} −${deletions}), ${hunks} hunks, ${patchLines} patch lines with context; ` +
    `${findings.length} model findings + ${anchored.fromHealth} health findings → ` +
    `${anchored.inline.length} inline (max-comments ${config.review.maxComments}), ${anchored.offDiff.length} off-diff, ${anchored.dropped.length} dropped; ` +
    `${[...anchored.inline, ...anchored.offDiff].filter((f) => f.suggestion !== undefined).length} suggestions verified, ` +
    `${[...anchored.inline, ...anchored.offDiff].filter((f) => f.suggestionDropped).length} taken off; ` +
    `summary ${(markdown.length / 1024).toFixed(0)} KiB\n`,
);
console.log(`### 1. Non-model work (first run, then ${WARM_RUNS} warm runs)\n`);
console.log('| stage | first run | warm median | warm p95 |\n| --- | ---: | ---: | ---: |');
for (const stage of STAGES) {
  const values = warm.map((r) => r.times[stage]);
  console.log(
    `| ${stage} | ${ms(first.times[stage])} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} |`,
  );
}
const totals = warm.map((r) => total(r.times));
console.log(
  `| **total** (target < 1,000 ms) | ${ms(total(first.times))} | **${ms(percentile(totals, 50))}** | ${ms(percentile(totals, 95))} |\n`,
);

// ---------------------------------------------------------------------------------------------
// 2 and 3. Model calls through the Anthropic fake.

const DIFF_BLOCK = /<untrusted-diff path="([^"]*)"[^>]*>\n([\s\S]*?)\n<\/untrusted-diff>/g;

/** The user turn as sent (the first message: retries append, they do not change it). */
function userText(body: MessagesRequestBody): string {
  const content = body.messages[0]?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((block) => ('text' in block ? block.text : '')).join('\n');
}

/** Hunks sent, by path: the new-side start of each hunk header inside a diff block. */
function sentHunks(requests: readonly AnthropicRecordedRequest[]): Map<string, Set<number>> {
  const sent = new Map<string, Set<number>>();
  for (const request of requests) {
    for (const [, path, body] of userText(request.body).matchAll(DIFF_BLOCK)) {
      const starts = sent.get(path!) ?? new Set<number>();
      for (const [, start] of body!.matchAll(/^@@ -\d+,\d+ \+(\d+),\d+ @@$/gm))
        starts.add(Number(start));
      sent.set(path!, starts);
    }
  }
  return sent;
}

/** A valid report_findings answer with one finding on the first added line of each block. */
function answer(request: AnthropicRecordedRequest): AnthropicAnswer {
  const reported = [...userText(request.body).matchAll(DIFF_BLOCK)].flatMap(([, path, body]) => {
    const line = /^\s*(\d+) \+/m.exec(body!)?.[1];
    return line === undefined
      ? []
      : [
          {
            path: path!,
            line: Number(line),
            severity: 'minor' as const,
            category: 'correctness',
            title: 'Check the new branch',
            body: 'This added line is not covered by a test.',
          },
        ];
  });
  return {
    toolUse: {
      name: REPORT_FINDINGS,
      input: { findings: reported, summary: `Reviewed ${reported.length} file block(s).` },
    },
  };
}

/** The text the model reads: system, user turns, and the tool (name, description, schema). */
function decodedText(body: MessagesRequestBody): string {
  const system =
    typeof body.system === 'string'
      ? body.system
      : (body.system ?? []).map((block) => block.text).join('\n');
  const tools = (body.tools ?? []).map((tool) =>
    'input_schema' in tool
      ? `${tool.name}\n${tool.description ?? ''}\n${JSON.stringify(tool.input_schema)}`
      : JSON.stringify(tool),
  );
  const messages = body.messages.map((m) =>
    typeof m.content === 'string'
      ? m.content
      : m.content.map((block) => ('text' in block ? block.text : JSON.stringify(block))).join('\n'),
  );
  return [system, ...messages, ...tools].join('\n');
}

const fake = await startAnthropicFake({ apiKey: 'bench-key' });
const client = createAnthropicModelClient({
  apiKey: 'bench-key',
  baseURL: fake.url,
  model: DEFAULT_MODEL,
  timeoutMs: 60_000,
  maxRetries: 0,
});

/** Runs the model review and returns the requests it sent and what it packed (same options). */
async function modelReview(settings: ModelReviewSettings) {
  const from = fake.requests.length;
  // One answer more than the cap, so a request past the cap is answered and counted, not refused.
  // The answers are all the same function: what one run leaves, the next may take.
  const missing = settings.maxCalls + 1 - fake.pending;
  fake.enqueue(...Array.from({ length: Math.max(0, missing) }, () => answer));
  const outcome = await runModelReview(modelFiles, client, settings);
  const requests = fake.requests.slice(from);
  const maxOutputTokens = settings.maxOutputTokens ?? PACK_DEFAULTS.maxOutputTokens;
  const packed = packReview(modelFiles, {
    perCallInputTokens: settings.perCallInputTokens,
    maxCalls: settings.maxCalls,
    maxOutputTokens,
    prompt: settings.prompt,
    ...(price ? { maxCostUsd: settings.maxCostUsd, price } : {}),
  });
  return { outcome, requests, packed };
}

/** Every reviewable hunk must be in a request or its file named in notReviewed. */
function silentlyDropped(
  requests: readonly AnthropicRecordedRequest[],
  notReviewed: readonly { path: string }[],
): string[] {
  const sent = sentHunks(requests);
  const named = new Set(notReviewed.map((n) => n.path));
  const dropped: string[] = [];
  for (const file of reviewableFiles(modelFiles)) {
    for (const hunk of file.hunks.filter((h) => !isDeletionOnly(h))) {
      if (!sent.get(file.path)?.has(hunk.newStart) && !named.has(file.path))
        dropped.push(`${file.path}@${hunk.newStart}`);
    }
  }
  return dropped;
}

function reviewableFiles(all: readonly ModelFile[]): ModelFile[] {
  return all.filter((f) => f.status !== 'deleted' && f.hunks.some((h) => !isDeletionOnly(h)));
}

const defaults: ModelReviewSettings = {
  prompt,
  maxCalls: PACK_DEFAULTS.maxCalls,
  maxCostUsd: PACK_DEFAULTS.maxCostUsd,
  perCallInputTokens: PACK_DEFAULTS.perCallInputTokens,
  maxOutputTokens: PACK_DEFAULTS.maxOutputTokens,
};
const full = await modelReview(defaults);
const fixed = fixedPromptText(prompt);
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
let sentTotal = 0;
let referenceTotal = 0;
let decodedSentTotal = 0;
let decodedReferenceTotal = 0;
const callRows: string[] = [];
if (full.requests.length !== full.packed.calls.length)
  failures.push(
    `${full.requests.length} requests for ${full.packed.calls.length} packed calls (retries?)`,
  );
full.requests.forEach((request, i) => {
  const chunk = full.packed.calls[i];
  if (!chunk) return;
  const blocks = [
    ...chunk.files.map(renderFile),
    ...(chunk.namesOnly.length ? [renderNamesOnly(chunk.namesOnly)] : []),
  ];
  const reference = [fixed, ...blocks].join('\n\n');
  const sentPaths = [...userText(request.body).matchAll(DIFF_BLOCK)].map((m) => m[1]).join('\n');
  if (sentPaths !== chunk.files.map((f) => f.path).join('\n'))
    failures.push(`call ${i + 1}: the files sent are not the files packed`);
  // Measured as the fake measures (JSON text of system, messages and tools), both sides.
  const sent = bytes(
    JSON.stringify([request.body.system ?? null, request.body.messages, request.body.tools ?? []]),
  );
  const ref = bytes(JSON.stringify(reference));
  const decodedSent = bytes(decodedText(request.body));
  const decodedRef = bytes(reference);
  sentTotal += sent;
  referenceTotal += ref;
  decodedSentTotal += decodedSent;
  decodedReferenceTotal += decodedRef;
  const ratio = sent / ref;
  if (ratio > MAX_RATIO) failures.push(`call ${i + 1}: sent ${ratio.toFixed(3)}× the reference`);
  callRows.push(
    `| ${i + 1} | ${chunk.files.length} | ${sent.toLocaleString('en')} | ${ref.toLocaleString('en')} | **${ratio.toFixed(3)}×** | ${(decodedSent / decodedRef).toFixed(3)}× | ${fakeTokens(request.body).toLocaleString('en')} | ${chunk.estimatedInputTokens.toLocaleString('en')} |`,
  );
});
const overall = sentTotal / referenceTotal;
if (!(overall <= MAX_RATIO)) failures.push(`overall: sent ${overall.toFixed(3)}× the reference`);
const fullDropped = silentlyDropped(full.requests, full.outcome.notReviewed);
if (fullDropped.length) failures.push(`default budget: silently dropped ${fullDropped.join(', ')}`);

console.log(
  `### 2. Input sent vs selected diff + fixed prompt (defaults: ${PACK_DEFAULTS.perCallInputTokens.toLocaleString('en')} tokens a call, max ${PACK_DEFAULTS.maxCalls} calls, $${PACK_DEFAULTS.maxCostUsd}, ${DEFAULT_MODEL})\n`,
);
console.log(
  'Bytes of the JSON the SDK sent (system + messages + tools, as the fake counts them) vs the JSON of `fixedPromptText` + `renderFile` of the packed files; "decoded" compares the text the model reads.\n',
);
console.log(
  '| call | files | sent bytes | reference bytes | ratio (≤ 1.2) | decoded ratio | fake tokens (chars/4) | packer estimate (chars/2.5) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of callRows) console.log(row);
console.log(
  `| **all** | ${full.packed.calls.reduce((s, c) => s + c.files.length, 0)} | ${sentTotal.toLocaleString('en')} | ${referenceTotal.toLocaleString('en')} | **${overall.toFixed(3)}×** | ${(decodedSentTotal / decodedReferenceTotal).toFixed(3)}× | ${full.outcome.usage.inputTokens.toLocaleString('en')} | ${full.packed.calls.reduce((s, c) => s + c.estimatedInputTokens, 0).toLocaleString('en')} |\n`,
);
console.log(
  `${full.outcome.findings.length} model findings returned; ${new Set(full.outcome.notReviewed.map((n) => n.path)).size} file(s) named as not reviewed; ${fullDropped.length} hunk(s) silently dropped.\n`,
);

console.log(
  `### 3. Call cap (${SMALL_BUDGET.toLocaleString('en')} tokens a call, so the diff does not fit)\n`,
);
console.log(
  '| max-calls | requests sent | files sent (whole or part) | files named not reviewed | not-reviewed entries | reviewable files | hunks silently dropped |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const cap of [1, 2, 4]) {
  const run = await modelReview({ ...defaults, maxCalls: cap, perCallInputTokens: SMALL_BUDGET });
  const calls = run.requests.length;
  if (calls > cap || run.outcome.usage.calls > cap)
    failures.push(`max-calls ${cap}: ${calls} requests sent`);
  const dropped = silentlyDropped(run.requests, run.outcome.notReviewed);
  if (dropped.length) failures.push(`max-calls ${cap}: silently dropped ${dropped.join(', ')}`);
  const named = new Set(run.outcome.notReviewed.map((n) => n.path));
  console.log(
    `| ${cap} | ${calls} | ${sentHunks(run.requests).size} | ${named.size} | ${run.outcome.notReviewed.length} | ${reviewableFiles(modelFiles).length} | ${dropped.length} |`,
  );
}

try {
  fake.assertNoUnexpected();
} catch (error: unknown) {
  failures.push(error instanceof Error ? error.message : String(error));
}
await fake.close();

if (failures.length > 0) {
  console.log(`\nFAILED:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(
    `\nok: ratio ≤ ${MAX_RATIO} on every call, calls within every cap, nothing dropped silently.`,
  );
}
