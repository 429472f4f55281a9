import { z } from 'zod';
import type { HealthThresholds } from '../health/thresholds.ts';
import type { ModelCall, ModelTool } from '../llm/model-call.ts';
import {
  PROPOSE_REFACTORING,
  buildRefactorSystemPrompt,
  buildRefactorUserMessage,
} from './prompt.ts';
import type { RefactorProposal, RefactorTarget } from './types.ts';

/**
 * The `propose_refactoring` tool and the one model call that uses it. The model's answer is
 * hostile input: every field is typed and bounded, and the path and function must be the target's,
 * so an answer for anything else is refused by the validator (and the client asks the model once
 * to correct it). What the code does to the file is judged afterwards, by applyProposal.
 */

export const PROPOSAL_LIMITS = {
  codeChars: 60_000,
  helpers: 10,
  helperChars: 20_000,
  rationaleChars: 3_000,
  techniques: 8,
  techniqueChars: 100,
} as const;

export const PROPOSE_DEFAULTS = {
  /** Room for a rewritten function of a few hundred lines, its helpers, and adaptive thinking. */
  maxOutputTokens: 16_000,
} as const;

/** The settings the call needs: `Pick<RefactorConfig, 'minHealthGain'>` and the thresholds. */
export interface ProposeSettings {
  minHealthGain: number;
  thresholds?: Readonly<HealthThresholds>;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function proposalSchema(target: Pick<RefactorTarget, 'path' | 'function'>) {
  return z
    .object({
      path: z.literal(target.path).describe("The target's path, exactly."),
      function: z.literal(target.function).describe("The target's function name, exactly."),
      code: z
        .string()
        .refine((code) => code.trim() !== '', 'code must not be empty')
        .max(PROPOSAL_LIMITS.codeChars)
        .describe('The complete new text of that one function, nothing else.'),
      helpers: z
        .array(
          z
            .string()
            .refine((helper) => helper.trim() !== '', 'a helper must not be empty')
            .max(PROPOSAL_LIMITS.helperChars),
        )
        .max(PROPOSAL_LIMITS.helpers)
        .optional()
        .describe(
          'New private top-level declarations, one per entry: a function, a const holding a function, a type alias or an interface; never exported.',
        ),
      rationale: z
        .string()
        .trim()
        .min(1)
        .max(PROPOSAL_LIMITS.rationaleChars)
        .describe('Why the new code does the same and reads better, for a reviewer.'),
      techniques: z
        .array(
          z
            .string()
            .trim()
            .min(1)
            .max(PROPOSAL_LIMITS.techniqueChars)
            .refine(
              (t) => !CONTROL.test(t),
              'a technique must be one line without control characters',
            ),
        )
        .min(1)
        .max(PROPOSAL_LIMITS.techniques)
        .describe('The refactorings used, a few words each: "guard clauses", "extract function".'),
    })
    .strict();
}

/** The tool for one target: its JSON Schema names the target and bounds every field. */
export function proposeRefactoringTool(
  target: Pick<RefactorTarget, 'path' | 'function'>,
): ModelTool<RefactorProposal> {
  const schema = proposalSchema(target);
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input' }) };
  delete json['$schema'];
  return {
    name: PROPOSE_REFACTORING,
    description:
      'Propose the refactored text of the target function and its private helpers. This is the only way to answer.',
    inputSchema: { ...json, type: 'object' },
    validate(input) {
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
      const { helpers, ...rest } = parsed.data;
      return { ok: true, value: { ...rest, helpers: helpers ?? [] } };
    },
  };
}

/**
 * The model call proposing a refactoring of `target`: the trusted system prompt, the file and the
 * function in untrusted blocks, and on the retry the failed proof's `feedback`. The caller adds
 * `costCeilingUsd` (what the run may still spend) when it sends it.
 */
export function proposeCall(
  target: RefactorTarget,
  fileText: string,
  config: ProposeSettings,
  feedback?: string,
): ModelCall<RefactorProposal> {
  const options = {
    minHealthGain: config.minHealthGain,
    ...(config.thresholds ? { thresholds: config.thresholds } : {}),
    ...(feedback !== undefined ? { feedback } : {}),
  };
  const retry = feedback !== undefined && feedback.trim() !== '';
  return {
    system: buildRefactorSystemPrompt(options),
    user: buildRefactorUserMessage(target, fileText, options),
    tool: proposeRefactoringTool(target),
    maxOutputTokens: PROPOSE_DEFAULTS.maxOutputTokens,
    label: `${retry ? 'retry of ' : ''}refactoring of ${shortName(target.function)}`,
  };
}

function shortName(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
