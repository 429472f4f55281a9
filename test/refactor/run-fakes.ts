import type { ModelCall } from '../../src/llm/model-call.ts';
import type {
  ProjectDiagnostic,
  RefactorProofPort,
  TestVerdict,
} from '../../src/refactor/proof-port.ts';
import type { RefactorPieces } from '../../src/refactor/run-refactor.ts';
import type { RefactorConfig } from '../../src/refactor/settings.ts';
import type {
  FunctionMeasures,
  RefactorProposal,
  RefactorTarget,
} from '../../src/refactor/types.ts';

/**
 * Fakes for the refactoring use case: pieces that stand for the model prompt, the AST edit and the
 * health comparison, and a proof port whose verdicts follow markers in the refactored text
 * (TYPE_ERROR, BREAKS_TEST, CHANGES_API, LOWER_HEALTH, FEWER_KILLS, NOT_PARSED). Each records what
 * it was asked, so a test checks what ran and in which order.
 */

export const MODEL = 'claude-haiku-5-5';

export function refactorConfig(overrides: Partial<RefactorConfig> = {}): RefactorConfig {
  return {
    model: MODEL,
    maxOpen: 1,
    minHealthGain: 0.5,
    maxTargets: 3,
    topFiles: 10,
    maxCalls: 6,
    maxCostUsd: 2,
    include: [],
    exclude: [],
    testCommand: null,
    mutation: false,
    ...overrides,
  };
}

export const MESSY_TS = `/** Two levels deep. */
export function messy(a: number): number {
  if (a > 0) {
    if (a > 1) {
      return 2;
    }
    return 1;
  }
  return 0;
}

export function other(): number {
  return 1;
}
`;

export const FLAT_MESSY = `/** Two levels deep. */
export function messy(a: number): number {
  if (a <= 0) return 0;
  return a > 1 ? 2 : 1;
}`;

export function target(path = 'src/messy.ts', name = 'messy'): RefactorTarget {
  return {
    path,
    function: name,
    line: 1,
    endLine: 10,
    fingerprint: '0123456789abcdef',
    hotspotRank: 1,
    revisions: 12,
    fileHealth: 6.1,
    smells: [{ kind: 'Deep Nesting', function: name, line: 2, detail: 'nesting 2' }],
    metrics: {
      name,
      kind: 'function',
      line: 2,
      endLine: 10,
      cyclomatic: 3,
      cognitive: 5,
      nesting: 2,
      length: 9,
      params: 1,
      bumps: 1,
      complexConditional: null,
    },
  };
}

/** What the fake model answers through propose_refactoring. */
export function proposalAnswer(code: string, t: RefactorTarget = target()) {
  return {
    toolUse: {
      name: 'propose_refactoring',
      input: {
        path: t.path,
        function: t.function,
        code,
        helpers: [],
        rationale: 'Guard clauses instead of nesting.',
        techniques: ['guard clause'],
      },
    },
    usage: { input_tokens: 1_000, output_tokens: 200 },
  };
}

const measures = (fileHealth: number, cognitive: number): FunctionMeasures => ({
  fileHealth,
  cognitive,
  cyclomatic: 3,
  nesting: 1,
  length: 4,
  smells: [],
});

/** Pieces that replace the target's function with the proposal's code; `feedback` records each retry's. */
export function fakePieces(): RefactorPieces & { feedback: (string | undefined)[] } {
  const feedback: (string | undefined)[] = [];
  return {
    feedback,
    proposeCall(t, fileText, config, told): ModelCall<RefactorProposal> {
      void config;
      feedback.push(told);
      return {
        system: 'You refactor one function.',
        user: `<file path="${t.path}">\n${fileText}\n</file>${told === undefined ? '' : `\n<feedback>${told}</feedback>`}`,
        maxOutputTokens: 4_000,
        label: `refactoring ${t.function}`,
        tool: {
          name: 'propose_refactoring',
          description: 'The new text of the function.',
          inputSchema: { type: 'object', properties: { code: { type: 'string' } } },
          validate(input) {
            const value = input as RefactorProposal;
            if (typeof value?.code !== 'string') return { ok: false, error: 'code: required' };
            return { ok: true, value: { ...value, helpers: value.helpers ?? [] } };
          },
        },
      };
    },
    applyProposal(fileText, t, proposal) {
      if (proposal.code.includes('NOT_PARSED'))
        return { ok: false, reason: 'the code does not parse: 1:1 Expression expected' };
      // The function runs from its first line to the next line that closes a top-level block.
      const lines = fileText.split('\n');
      const end = lines.findIndex((line, i) => i >= t.line - 1 && line.startsWith('}'));
      const text = [...lines.slice(0, t.line - 1), proposal.code, ...lines.slice(end + 1)].join(
        '\n',
      );
      return { ok: true, text, helperNames: [] };
    },
    compareHealth(path, before, after, t, thresholds, minHealthGain) {
      void [path, before, t, thresholds];
      if (after.includes('LOWER_HEALTH'))
        return {
          ok: false,
          detail: `the file's health fell from 6.1 to 5.0 (at least +${minHealthGain} needed)`,
          comparison: { before: measures(6.1, 5), after: measures(5, 6) },
        };
      return {
        ok: true,
        detail: 'health 6.1 → 7.4, cognitive complexity 5 → 2',
        comparison: { before: measures(6.1, 5), after: measures(7.4, 2) },
      };
    },
  };
}

export interface FakeProofs extends RefactorProofPort {
  /** Every call, in order: `typecheck`, `tests`, `api`, `mutation` with the overlay's size. */
  readonly calls: string[];
  closed: boolean;
}

/** A diagnostic the project has before any change: the type proof must not count it. */
export const OLD_DIAGNOSTIC: ProjectDiagnostic = {
  path: 'src/legacy.ts',
  line: 3,
  code: 2322,
  message: "Type 'string' is not assignable to type 'number'.",
};

export function fakeProofs(options: { red?: boolean; mutation?: boolean } = {}): FakeProofs {
  const calls: string[] = [];
  const text = (overlay: ReadonlyMap<string, string>) => [...overlay.values()].join('\n');
  const port: FakeProofs = {
    calls,
    closed: false,
    typecheck(overlay) {
      calls.push(`typecheck ${overlay.size}`);
      const diagnostics = [OLD_DIAGNOSTIC];
      if (text(overlay).includes('TYPE_ERROR'))
        diagnostics.push({
          path: 'src/messy.ts',
          line: 3,
          code: 2304,
          message: "Cannot find name 'TYPE_ERROR'.",
        });
      return Promise.resolve({ kind: 'checked', diagnostics });
    },
    compareApi(path, before, after) {
      calls.push(`api ${path}`);
      void before;
      return Promise.resolve(
        after.includes('CHANGES_API')
          ? {
              kind: 'changed',
              before: 'export declare function messy(a: number): number;',
              after: 'export declare function messy(a: string): number;',
            }
          : { kind: 'same' },
      );
    },
    runTests(overlay, path) {
      calls.push(`tests ${overlay.size} ${path}`);
      const verdict: TestVerdict =
        (overlay.size === 0 && options.red === true) || text(overlay).includes('BREAKS_TEST')
          ? {
              kind: 'failed',
              detail: 'FAIL test/messy.test.ts > messy > flattens\nexpected 2 to be 1',
            }
          : { kind: 'passed', detail: '3 tests passed' };
      return Promise.resolve(verdict);
    },
    mutationScore(overlay, path, lines) {
      calls.push(`mutation ${overlay.size} ${path}:${lines.start}-${lines.end}`);
      if (options.mutation !== true) return Promise.resolve(null);
      return Promise.resolve(text(overlay).includes('FEWER_KILLS') ? 50 : 80);
    },
    close() {
      port.closed = true;
    },
  };
  return port;
}
