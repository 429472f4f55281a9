import { Node, type Type } from 'ts-morph';
import type { SourceText, TestCandidate, TestFramework, TestTarget } from '../types.ts';
import { deriveArbitrary, deriveDefinedArbitrary } from './arbitraries.ts';
import {
  nameWords,
  IDEMPOTENT_WORDS,
  ROUND_TRIP_VERBS,
  SIDE_EFFECT_WORDS,
  swapWord,
} from './names.ts';
import { loadModule, type LoadedModule, type ReadProjectFile } from './project.ts';
import {
  assertionsFor,
  frameworkImports,
  quote,
  renderProperty,
  RESERVED_NAMES,
  seedFor,
  type PropertySource,
} from './render.ts';
import { deriveShapeCheck } from './shape.ts';
import { describeType, libraryTypeName } from './type-facts.ts';

/**
 * Offline property tests: for exported functions that look pure and whose parameter types all
 * have arbitraries, fast-check properties derived from the types and the names, with no model:
 * round-trips for encode/decode-like pairs, idempotence for normalize/sort-like functions, and
 * "returns a value of the declared shape". They go through the same filter chain as the model's.
 */

export interface OfflineOptions {
  framework: TestFramework;
  /** The specifier the test file imports the target's module by. */
  importPath: string;
  /** Reads project files the module imports (repository-relative path, head revision). */
  readFile: ReadProjectFile;
}

export interface OfflineSkip {
  /** The target's name. */
  name: string;
  /** Why it (or one of its properties) got no test. */
  reason: string;
}

export interface OfflineResult {
  candidates: TestCandidate[];
  skipped: OfflineSkip[];
  /**
   * Imports of the module that could not be read (`src/a.ts: ./b.js`): types from them are
   * `any`, so functions using them are skipped.
   */
  unresolvedImports: string[];
}

/** An exported function the generator can call: its parameters' arbitraries and what it returns. */
interface Callable {
  name: string;
  node: Node;
  parameters: {
    name: string;
    type: Type;
    optional: boolean;
    arbitrary: string;
    /** Without `undefined` (for an optional parameter): the input of a round-trip or idempotence. */
    definedArbitrary: string;
  }[];
  /** The declared return type, unwrapped from its Promise when async. */
  returns: Type;
  async: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** An exported function's call facts, or why the generator cannot (or should not) call it. */
function callableFor(name: string, declarations: Node[]): Callable | string {
  if (!IDENTIFIER.test(name)) return `exported as ${JSON.stringify(name)}, not an identifier`;
  if (RESERVED_NAMES.has(name)) return `named like the generated test's own bindings (${name})`;
  const node = declarations.find(
    (d) =>
      Node.isFunctionDeclaration(d) ||
      (Node.isVariableDeclaration(d) &&
        (Node.isArrowFunction(d.getInitializer()) ||
          Node.isFunctionExpression(d.getInitializer()))),
  );
  if (!node) return 'not a function declaration or a const bound to a function';
  const sideEffect = nameWords(name).find((w) => SIDE_EFFECT_WORDS.has(w));
  if (sideEffect) return `its name suggests a side effect or nondeterminism ("${sideEffect}")`;
  const signatures = node.getType().getCallSignatures();
  if (signatures.length !== 1) return `overloaded (${signatures.length} signatures)`;
  const signature = signatures[0];
  if (!signature) return 'no call signature';
  if (signature.getTypeParameters().length > 0)
    return 'generic: its type parameters have no arbitrary';
  const parameters: Callable['parameters'] = [];
  for (const symbol of signature.getParameters()) {
    const declaration = symbol.getValueDeclaration();
    const label = symbol.getName();
    if (Node.isParameterDeclaration(declaration) && declaration.isRestParameter())
      return `parameter ${label} is a rest parameter`;
    const type = symbol.getTypeAtLocation(node);
    if (type.getCallSignatures().length > 0)
      return `parameter ${label} is a function (a callback): it does not look pure`;
    const arbitrary = deriveArbitrary(type, node);
    if (!arbitrary.ok) return `parameter ${label}: ${arbitrary.reason}`;
    const optional = Node.isParameterDeclaration(declaration) && declaration.isOptional();
    const defined = optional ? deriveDefinedArbitrary(type, node) : arbitrary;
    if (!defined.ok) return `parameter ${label}: ${defined.reason}`;
    // A parameter with a default (`prefix = ''`) has its default's type: left out, it gets it.
    const mayBeUndefined = type.isUndefined() || type.getUnionTypes().some((t) => t.isUndefined());
    parameters.push({
      name: label,
      type,
      optional,
      arbitrary:
        optional && !mayBeUndefined
          ? `fc.option(${arbitrary.source}, { nil: undefined })`
          : arbitrary.source,
      definedArbitrary: defined.source,
    });
  }
  if (parameters.length === 0) return 'it takes no parameters: there is nothing to generate';
  let returns = signature.getReturnType();
  const async = libraryTypeName(returns) === 'Promise';
  if (async) {
    const awaited = returns.getTypeArguments()[0];
    if (!awaited) return 'it returns a Promise of an unknown type';
    returns = awaited;
  }
  if (returns.isVoid() || returns.isUndefined() || returns.isNever())
    return `it returns ${describeType(returns)}: a pure function returns a value`;
  return { name, node, parameters, returns, async };
}

/** What the generator knows of one module: its exported functions, each callable or not. */
class ModuleFunctions {
  readonly #facts = new Map<string, Callable | string>();
  readonly #exports: ReadonlyMap<string, Node[]>;

  constructor(exports: ReadonlyMap<string, Node[]>) {
    this.#exports = exports;
  }

  has(name: string): boolean {
    return this.#exports.has(name);
  }

  /** The function's facts (computed once), or why it has none. */
  get(name: string): Callable | string {
    const known = this.#facts.get(name);
    if (known !== undefined) return known;
    const declarations = this.#exports.get(name);
    const facts = declarations
      ? callableFor(name, declarations)
      : 'not found among the module\u2019s exports';
    this.#facts.set(name, facts);
    return facts;
  }
}

/** Local names the property body binds, renamed when an imported function has the same name. */
function localNames(taken: readonly string[]) {
  const used = new Set(taken);
  return (wanted: string): string => {
    let name = wanted;
    while (used.has(name) || RESERVED_NAMES.has(name)) name = `${name}_`;
    used.add(name);
    return name;
  };
}

/** The rest of the parameters may be left out (called with the first argument only). */
const unaryCompatible = (f: Callable): boolean => f.parameters.slice(1).every((p) => p.optional);

interface Generated {
  kind: 'round-trip' | 'idempotence' | 'shape';
  uses: string[];
  property: Omit<PropertySource, 'seed'>;
}

function roundTrip(
  forward: Callable,
  backward: Callable,
  framework: TestFramework,
): Generated | string {
  const input = forward.parameters[0];
  const back = backward.parameters[0];
  if (!input || !back) return 'no parameter to round-trip';
  if (!unaryCompatible(forward) || !unaryCompatible(backward))
    return `${forward.name} and ${backward.name} take more than one required parameter`;
  if (!forward.returns.isAssignableTo(back.type))
    return `${forward.name} returns ${describeType(forward.returns)}, which ${backward.name} does not take`;
  if (!backward.returns.isAssignableTo(input.type))
    return `${backward.name} returns ${describeType(backward.returns)}, not ${forward.name}'s ${describeType(input.type)}`;
  // Only what the decoder gives back can come back: when the encoder takes more (`string |
  // number` in, `string` out), the inputs are drawn from the decoder's return type.
  let domain = input.definedArbitrary;
  if (!input.type.isAssignableTo(backward.returns)) {
    const narrowed = deriveDefinedArbitrary(backward.returns, backward.node);
    if (!narrowed.ok)
      return `${forward.name} takes more than ${backward.name} returns, and ${describeType(backward.returns)} has no arbitrary: ${narrowed.reason}`;
    domain = narrowed.source;
  }
  const local = localNames([forward.name, backward.name]);
  const x = local('input');
  const once = local('encoded');
  const awaitF = forward.async ? 'await ' : '';
  const awaitB = backward.async ? 'await ' : '';
  const assert = assertionsFor(framework);
  return {
    kind: 'round-trip',
    uses: [forward.name, backward.name],
    property: {
      title: `${backward.name}(${forward.name}(x)) deep-equals x`,
      arbitraries: [domain],
      parameters: [x],
      async: forward.async || backward.async,
      body: [
        `let ${once}: ${forward.async ? `Awaited<ReturnType<typeof ${forward.name}>>` : `ReturnType<typeof ${forward.name}>`};`,
        'try {',
        `  ${once} = ${awaitF}${forward.name}(${x});`,
        '} catch {',
        `  return; // outside ${forward.name}'s domain`,
        '}',
        assert.deepEqual(`${awaitB}${backward.name}(${once})`, x),
      ],
    },
  };
}

function idempotence(f: Callable, framework: TestFramework): Generated | string {
  const input = f.parameters[0];
  if (!input) return 'no parameter';
  if (!unaryCompatible(f)) return 'it takes more than one required parameter';
  if (!f.returns.isAssignableTo(input.type))
    return `it returns ${describeType(f.returns)}, which it does not take back`;
  const local = localNames([f.name]);
  const x = local('input');
  const once = local('once');
  const awaitF = f.async ? 'await ' : '';
  return {
    kind: 'idempotence',
    uses: [f.name],
    property: {
      title: `${f.name}(${f.name}(x)) equals ${f.name}(x)`,
      arbitraries: [input.definedArbitrary],
      parameters: [x],
      async: f.async,
      body: [
        `let ${once}: ${f.async ? `Awaited<ReturnType<typeof ${f.name}>>` : `ReturnType<typeof ${f.name}>`};`,
        'try {',
        `  ${once} = ${awaitF}${f.name}(${x});`,
        '} catch {',
        `  return; // outside ${f.name}'s domain`,
        '}',
        assertionsFor(framework).deepEqual(`${awaitF}${f.name}(${once})`, once),
      ],
    },
  };
}

function shape(f: Callable, framework: TestFramework): Generated | string {
  const check = deriveShapeCheck(f.returns, f.node);
  if (!check.ok) return `its return type cannot be checked at runtime: ${check.reason}`;
  const local = localNames([f.name]);
  const inputs = f.parameters.map((_, i) =>
    local(f.parameters.length === 1 ? 'input' : `input${i}`),
  );
  const result = local('result');
  const isShape = local('isDeclaredShape');
  return {
    kind: 'shape',
    uses: [f.name],
    property: {
      title: `${f.name} returns a value of its declared type (${describeType(f.returns)})`,
      arbitraries: f.parameters.map((p) => p.arbitrary),
      parameters: inputs,
      async: f.async,
      body: [
        `let ${result}: unknown;`,
        'try {',
        `  ${result} = ${f.async ? 'await ' : ''}${f.name}(${inputs.join(', ')});`,
        '} catch {',
        `  return; // outside ${f.name}'s domain`,
        '}',
        `const ${isShape} = ${check.source};`,
        assertionsFor(framework).isTrue(`${isShape}(${result})`),
      ],
    },
  };
}

/** Pairs `name` belongs to, forward first, whose partner the module exports. */
function roundTripPairs(name: string, functions: ModuleFunctions): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [forward, backward] of ROUND_TRIP_VERBS) {
    for (const partner of swapWord(name, forward, backward))
      if (functions.has(partner)) pairs.push([name, partner]);
    for (const partner of swapWord(name, backward, forward))
      if (functions.has(partner)) pairs.push([partner, name]);
  }
  return pairs;
}

/**
 * Property-test candidates for the module's targets, with no model: each exported, pure-looking
 * function whose parameters all have arbitraries gets a round-trip (with its partner), an
 * idempotence property (by its name) and a declared-shape property where they apply. Every target
 * or property left out is in `skipped`, with the reason.
 */
export async function offlineCandidates(
  module: SourceText,
  targets: readonly TestTarget[],
  options: OfflineOptions,
): Promise<OfflineResult> {
  let loaded: LoadedModule;
  try {
    loaded = await loadModule(module, options.readFile);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      candidates: [],
      skipped: targets.map((t) => ({ name: t.name, reason })),
      unresolvedImports: [],
    };
  }
  const { sourceFile } = loaded;
  const functions = new ModuleFunctions(sourceFile.getExportedDeclarations());
  const candidates: TestCandidate[] = [];
  const skipped: OfflineSkip[] = [];
  const pairsDone = new Set<string>();
  const targetsDone = new Set<string>();
  const emit = (target: TestTarget, generated: Generated): void => {
    const seed = seedFor(
      `${module.path}#${target.name}#${generated.kind}#${generated.uses.join('/')}`,
    );
    candidates.push({
      name: generated.property.title,
      code: renderProperty({ ...generated.property, seed }),
      imports: [
        ...frameworkImports(options.framework),
        `import { ${generated.uses.join(', ')} } from ${quote(options.importPath)};`,
      ],
      target: target.name,
      kind: 'property',
      origin: 'offline',
    });
  };
  for (const target of targets) {
    const targetKey = `${target.path}\u0000${target.name}`;
    if (targetsDone.has(targetKey)) continue;
    targetsDone.add(targetKey);
    const skip = (reason: string): void => {
      skipped.push({ name: target.name, reason });
    };
    if (target.path !== module.path) {
      skip(`in ${target.path}, not in ${module.path}`);
      continue;
    }
    if (!target.exported) {
      skip('not exported: a test cannot import it');
      continue;
    }
    if (target.name.includes('.')) {
      skip('a method: its property would need an instance of the class');
      continue;
    }
    if (target.name === 'default') {
      skip('an anonymous default export');
      continue;
    }
    const facts = functions.get(target.name);
    if (typeof facts === 'string') {
      skip(facts);
      continue;
    }
    const before = candidates.length;
    for (const [forward, backward] of roundTripPairs(target.name, functions)) {
      const key = `${forward}\u0000${backward}`;
      if (pairsDone.has(key)) continue;
      pairsDone.add(key);
      const f = functions.get(forward);
      const b = functions.get(backward);
      if (typeof f === 'string' || typeof b === 'string') {
        const which = typeof f === 'string' ? `${forward}: ${f}` : `${backward}: ${String(b)}`;
        skip(`round-trip ${forward}/${backward}: ${which}`);
        continue;
      }
      const generated = roundTrip(f, b, options.framework);
      if (typeof generated === 'string') skip(`round-trip ${forward}/${backward}: ${generated}`);
      else emit(target, generated);
    }
    if (nameWords(target.name).some((w) => IDEMPOTENT_WORDS.has(w))) {
      const generated = idempotence(facts, options.framework);
      if (typeof generated === 'string') skip(`idempotence: ${generated}`);
      else emit(target, generated);
    }
    const generated = shape(facts, options.framework);
    if (typeof generated === 'string') skip(`declared shape: ${generated}`);
    else emit(target, generated);
    if (candidates.length === before) skip('no property applies');
  }
  return { candidates, skipped, unresolvedImports: loaded.unresolved };
}
