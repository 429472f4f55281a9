import { z } from 'zod';
import type { ModelTool } from '../llm/model-call.ts';
import { checkImport, checkTestCode, quote } from './candidate-code.ts';
import { PROPOSE_TESTS } from './prompt.ts';
import type { TargetContext, TestCandidate } from './types.ts';

/**
 * The `propose_tests` tool and the checks of what the model sends through it. The model's answer
 * is hostile input: every field is typed and bounded, and each test is checked on its own, so one
 * bad test is dropped with its reason and never takes the others with it.
 */

export const CANDIDATE_LIMITS = {
  nameChars: 200,
  codeChars: 20_000,
  imports: 20,
  importChars: 1_000,
  /** The most candidates one call may ask for, whatever the settings say. */
  maxCandidates: 20,
} as const;

/** A test the model proposed that was not kept, with why. */
export interface RejectedCandidate {
  /** 0-based position in the model's `tests` array. */
  index: number;
  /** The proposed name, shortened to one line; `test N` when it had none. */
  name: string;
  reason: string;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function candidateSchema(targetName: string) {
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1)
        .max(CANDIDATE_LIMITS.nameChars)
        .refine((name) => !CONTROL.test(name), 'name must be one line without control characters')
        .describe('The title passed to it(…)/test(…) in the code.'),
      code: z
        .string()
        .min(1)
        .max(CANDIDATE_LIMITS.codeChars)
        .describe('Exactly one it(…), test(…) or test.prop(…)(…) call; no describe, no imports.'),
      imports: z
        .array(z.string().min(1).max(CANDIDATE_LIMITS.importChars))
        .max(CANDIDATE_LIMITS.imports)
        .describe('One complete import declaration per entry.'),
      target: z.literal(targetName).describe("The target's name, exactly."),
      kind: z.enum(['example', 'property']),
    })
    .strict();
}

/** What the tool accepts as a whole; each test is checked afterwards, one by one. */
const envelopeSchema = z.object({ tests: z.array(z.unknown()) }).strict();

export type ProposeAnswer = z.infer<typeof envelopeSchema>;

/**
 * The tool for one target: its JSON Schema names the target and bounds every field, so a model
 * that follows the schema sends nothing the checks drop. Its validator only checks the envelope
 * (an object with a `tests` array), so the client's one correction is spent on an answer that is
 * not the tool at all, never on one bad test among good ones.
 */
export function proposeTestsTool(
  context: TargetContext,
  maxCandidates: number,
): ModelTool<ProposeAnswer> {
  const schema: Record<string, unknown> = {
    ...z.toJSONSchema(
      z
        .object({ tests: z.array(candidateSchema(context.target.name)).max(maxCandidates) })
        .strict(),
      { io: 'input' },
    ),
  };
  delete schema['$schema'];
  return {
    name: PROPOSE_TESTS,
    description:
      `Propose up to ${maxCandidates} unit tests for the target in this message. ` +
      'This is the only way to answer. Send an empty tests array when no useful test can be written.',
    inputSchema: { ...schema, type: 'object' },
    validate(input) {
      const parsed = envelopeSchema.safeParse(input);
      if (parsed.success) return { ok: true, value: parsed.data };
      return { ok: false, error: z.prettifyError(parsed.error) };
    },
  };
}

/** The model's tests as candidates, each one that fails a check dropped with its reason. */
export function checkCandidates(
  tests: readonly unknown[],
  context: TargetContext,
  maxCandidates: number,
): { candidates: TestCandidate[]; rejected: RejectedCandidate[] } {
  const candidates: TestCandidate[] = [];
  const rejected: RejectedCandidate[] = [];
  const schema = candidateSchema(context.target.name);
  const rules = { framework: context.framework, importPath: context.importPath };
  const names = new Set<string>();
  tests.forEach((test, index) => {
    const name = nameOf(test, index);
    const reject = (reason: string) => void rejected.push({ index, name, reason });
    if (index >= maxCandidates) {
      reject(`over the ${maxCandidates} tests asked for`);
      return;
    }
    const target = (test as { target?: unknown } | null)?.target;
    if (typeof target === 'string' && target !== context.target.name) {
      reject(`its target ${quote(target)} is not this call's target ${quote(context.target.name)}`);
      return;
    }
    const parsed = schema.safeParse(test);
    if (!parsed.success) {
      reject(issuesText(parsed.error, test));
      return;
    }
    const value = parsed.data;
    if (names.has(value.name)) {
      reject('another test of this answer has the same name');
      return;
    }
    for (const text of value.imports) {
      const problem = checkImport(text, rules);
      if (problem) {
        reject(problem);
        return;
      }
    }
    const problem = checkTestCode(value.code, value.name, rules);
    if (problem) {
      reject(problem);
      return;
    }
    names.add(value.name);
    candidates.push({
      name: value.name,
      code: value.code,
      imports: value.imports.map((i) => i.trim()),
      target: value.target,
      kind: value.kind,
      origin: 'model',
    });
  });
  return { candidates, rejected };
}

/** Zod's issues as one line: the field, what was wrong, and a string's actual length when too long. */
function issuesText(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      const value = issue.path.reduce<unknown>(
        (at, key) => (typeof at === 'object' && at !== null ? (at as never)[key] : undefined),
        input,
      );
      const length =
        issue.code === 'too_big' && typeof value === 'string' ? ` (it has ${value.length})` : '';
      return `${where ? `${where}: ` : ''}${issue.message}${length}`;
    })
    .join('; ');
}

function nameOf(test: unknown, index: number): string {
  const name = (test as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '') return `test ${index + 1}`;
  const flat = name.replace(new RegExp(CONTROL.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
  if (flat === '') return `test ${index + 1}`;
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
