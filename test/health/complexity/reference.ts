/**
 * The numbers the real rules report: ESLint's `complexity` (classic) and eslint-plugin-sonarjs's
 * `cognitive-complexity`, run by ESLint's Linter over typescript-eslint's parser.
 *
 * Each rule runs unmodified; only its `context.report` is observed, to learn which ESTree node a
 * number belongs to (the messages carry a location that differs per rule and per function kind).
 * Functions are paired with ours by where their body starts, which no two functions share.
 */
import { extname } from 'node:path';
import { Linter, type Rule } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import sonarjs from 'eslint-plugin-sonarjs';
import tseslint from 'typescript-eslint';

interface EstreeNode {
  type: string;
  range: [number, number];
  loc: { start: { line: number; column: number } };
  body?: EstreeNode;
}

export interface ReferenceFunction {
  type: string;
  line: number;
  column: number;
  cyclomatic: number;
  /** sonarjs reports only functions above the threshold 0; the others are 0. */
  cognitive: number;
}

export interface Reference {
  /** By body start offset in the text given (a byte-order mark included). */
  functions: Map<number, ReferenceFunction>;
  /** Complexity reports for class field initialisers and static blocks (not functions to us). */
  implicitFunctions: number;
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
]);

interface Observation {
  node: EstreeNode | undefined;
  data: Record<string, unknown>;
}

type Observer = (observation: Observation) => void;
let observeComplexity: Observer = () => {};
let observeCognitive: Observer = () => {};

/** The rule, unchanged, with its reports handed to `observer` instead of ESLint. */
function observed(rule: Rule.RuleModule, observer: () => Observer): Rule.RuleModule {
  return {
    meta: rule.meta,
    create(context) {
      let exiting: EstreeNode | undefined;
      const report = (descriptor: { node?: EstreeNode; data?: Record<string, unknown> }): void => {
        observer()({ node: descriptor.node ?? exiting, data: descriptor.data ?? {} });
      };
      const observedContext = Object.create(context, {
        report: { value: report },
      }) as Rule.RuleContext;
      const listeners = rule.create(observedContext) as Record<string, (node: unknown) => void>;
      // sonarjs reports a function from its `:function:exit` handler, with a location only.
      const exit = listeners[':function:exit'];
      if (exit) {
        listeners[':function:exit'] = (node) => {
          exiting = node as EstreeNode;
          exit(node);
          exiting = undefined;
        };
      }
      return listeners as Rule.RuleListener;
    },
  };
}

const complexityRule = builtinRules.get('complexity');
const cognitiveRule = (sonarjs.rules as unknown as Record<string, Rule.RuleModule>)[
  'cognitive-complexity'
];
if (!complexityRule || !cognitiveRule) {
  throw new Error('ESLint complexity or sonarjs cognitive-complexity rule not found');
}

const plugin = {
  rules: {
    complexity: observed(complexityRule, () => observeComplexity),
    cognitive: observed(cognitiveRule, () => observeCognitive),
  },
};

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 'latest',
      sourceType: 'module',
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    plugins: { reference: plugin },
    rules: {
      'reference/complexity': ['error', 0],
      'reference/cognitive': ['error', 0],
    },
  },
];

/** Runs both rules on one file. Throws when ESLint cannot parse it. */
export function reference(path: string, text: string): Reference {
  // ESLint drops a byte-order mark before parsing; TypeScript keeps it in its offsets.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const functions = new Map<number, ReferenceFunction>();
  const cognitive = new Map<number, number>();
  let implicitFunctions = 0;
  observeComplexity = ({ node, data }) => {
    // A field initialiser that is an arrow is reported twice with the same node: as the
    // function, and as the "class field initializer" around it.
    const implicit = /^class (field initializer|static block)$/i.test(String(data['name']));
    if (node && !implicit && FUNCTION_TYPES.has(node.type) && node.body) {
      functions.set(node.body.range[0] + shift, {
        type: node.type,
        line: node.loc.start.line,
        column: node.loc.start.column,
        cyclomatic: Number(data['complexity']),
        cognitive: 0,
      });
    } else {
      implicitFunctions++;
    }
  };
  observeCognitive = ({ node, data }) => {
    if (!node?.body) throw new Error(`${path}: a cognitive complexity report without a function`);
    cognitive.set(node.body.range[0] + shift, Number(data['complexityAmount']));
  };
  try {
    // Only the extension matters to the parser; a path under node_modules would be ignored.
    const messages = linter.verify(text, config, { filename: `input${extname(path)}` });
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(`${path}:${fatal.line}: ESLint could not parse: ${fatal.message}`);
  } finally {
    observeComplexity = () => {};
    observeCognitive = () => {};
  }
  for (const [bodyStart, value] of cognitive) {
    const entry = functions.get(bodyStart);
    if (!entry) throw new Error(`${path}: sonarjs reported a function ESLint did not`);
    entry.cognitive = value;
  }
  return { functions, implicitFunctions };
}
