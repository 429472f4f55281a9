import { FORMAT_PRICE, PRICE_ORDER, PRICING_PATH, TARGET_FUNCTION } from './refactor-fixture.ts';

/**
 * The seven answers the Anthropic fake gives for {@link TARGET_FUNCTION}, as `propose_refactoring`
 * tool inputs `{ path, function, code, helpers?, rationale, techniques[] }`. Each is checked by
 * hand in refactor-answers.test.ts (applied by text replacement, then the real tsc, vitest, a
 * declaration emit and src/health), so the e2e's premise — only {@link GOOD} proves — holds
 * whatever the pieces under test do.
 */
export interface ProposeRefactoringInput {
  path: string;
  function: string;
  code: string;
  helpers?: string[];
  rationale: string;
  techniques: string[];
}

/** Which proof each bad answer must fail. */
export type AnswerKind =
  | 'good'
  | 'breaks-types'
  | 'breaks-a-test'
  | 'changes-the-signature'
  | 'lowers-health'
  | 'edits-another-function'
  | 'does-not-parse';

const DOC = PRICE_ORDER.slice(0, PRICE_ORDER.indexOf('export function'));

const GOOD_CODE = `${DOC}export function priceOrder(order: Order): number {
  const subtotal = order.items.reduce((sum, item) => sum + priceItem(item, order), 0);
  return subtotal + shippingFor(subtotal, order.country);
}`;

const PRICE_ITEM = `function priceItem(item: LineItem, order: Order): number {
  if (item.quantity <= 0) return 0;
  const gross = item.quantity * item.unitCents;
  const rate = rateFor(item, order);
  return rate === 1 ? gross : Math.round(gross * rate);
}`;

const RATE_FOR = `function rateFor(item: LineItem, order: Order): number {
  if (item.category === "book") return order.member ? memberBookRate(item, order) : 1;
  if (item.category === "food") return hasFoodVat(order.country) ? 1.07 : 1;
  return 1;
}`;

const MEMBER_BOOK_RATE = `function memberBookRate(item: LineItem, order: Order): number {
  const bulk = item.quantity >= 3 && item.unitCents > 500;
  return bulk || order.coupon === "BOOKS" ? 0.8 : 0.9;
}`;

const HAS_FOOD_VAT = `function hasFoodVat(country: string): boolean {
  return ["DE", "FR", "NL"].includes(country);
}`;

const SHIPPING_FOR = `function shippingFor(subtotal: number, country: string): number {
  const small = subtotal > 0 && subtotal < 5000;
  return small && country !== "US" ? 499 : 0;
}`;

const GOOD_HELPERS = [PRICE_ITEM, RATE_FOR, MEMBER_BOOK_RATE, HAS_FOOD_VAT, SHIPPING_FOR];

const TECHNIQUES = ['Extract Function', 'Replace Nested Conditional with Guard Clauses'];

function answer(
  code: string,
  helpers: string[],
  rationale: string,
  techniques = TECHNIQUES,
): ProposeRefactoringInput {
  return { path: PRICING_PATH, function: TARGET_FUNCTION, code, helpers, rationale, techniques };
}

/** Extracts the per-item price, the rates and the shipping: same behaviour, flat and short. */
export const GOOD = answer(
  GOOD_CODE,
  GOOD_HELPERS,
  'The loop body decided three things at four levels of nesting. Each decision is now a small function with guard clauses, and priceOrder reads as subtotal plus shipping.',
);

/** The good one with a typo in a property name: TS2551 in the project's type-check. */
export const BREAKS_TYPES = answer(
  GOOD_CODE.replace('shippingFor(subtotal, order.country)', 'shippingFor(subtotal, order.county)'),
  GOOD_HELPERS,
  'Extracted the item price and shipping.',
);

/** The good one without the BOOKS coupon: type-checks, but "the BOOKS coupon…" test fails. */
export const BREAKS_A_TEST = answer(
  GOOD_CODE,
  GOOD_HELPERS.map((helper) =>
    helper === MEMBER_BOOK_RATE
      ? `function memberBookRate(item: LineItem, order: Order): number {
  return item.quantity >= 3 && item.unitCents > 500 ? 0.8 : 0.9;
}`
      : helper,
  ),
  'Simplified the member discount.',
);

/** The good one with a new optional parameter: tests and types pass, the declaration emit differs. */
export const CHANGES_THE_SIGNATURE = answer(
  GOOD_CODE.replace(
    'export function priceOrder(order: Order): number {\n  const subtotal',
    'export function priceOrder(order: Order, shipping = true): number {\n  const subtotal',
  ).replace(
    'return subtotal + shippingFor(subtotal, order.country);',
    'return shipping ? subtotal + shippingFor(subtotal, order.country) : subtotal;',
  ),
  GOOD_HELPERS,
  'Callers can now leave shipping out.',
  ['Extract Function', 'Add Parameter'],
);

/**
 * Not a refactoring at all: the same nesting with one more level and another compound condition
 * (a "defensive" check on the price), so the file's health falls and the function's cognitive
 * complexity rises. Behaviour stays the same for every order the tests build.
 */
export const LOWERS_HEALTH = answer(
  PRICE_ORDER.replace(
    '    if (item.quantity > 0) {\n',
    '    if (item.quantity > 0) {\n      if (!Number.isFinite(item.unitCents) || item.unitCents < 0 || item.sku === "") {\n        if (order.member && order.coupon !== undefined) {\n          continue;\n        }\n      }\n',
  ).trimEnd(),
  [],
  'Guards against bad prices.',
  ['Introduce Assertion'],
);

/** The good function followed by a changed formatPrice: another function of the file edited. */
export const EDITS_ANOTHER_FUNCTION = answer(
  `${GOOD_CODE}

${FORMAT_PRICE.replace('EUR', '€')}`.trimEnd(),
  GOOD_HELPERS,
  'Extracted the item price and shipping, and shows the euro sign.',
);

/** The good one with a parenthesis missing: the file does not parse. */
export const DOES_NOT_PARSE = answer(
  GOOD_CODE.replace('priceItem(item, order), 0);', 'priceItem(item, order), 0;'),
  GOOD_HELPERS,
  'Extracted the item price and shipping.',
);

export const ANSWERS: Readonly<Record<AnswerKind, ProposeRefactoringInput>> = {
  good: GOOD,
  'breaks-types': BREAKS_TYPES,
  'breaks-a-test': BREAKS_A_TEST,
  'changes-the-signature': CHANGES_THE_SIGNATURE,
  'lowers-health': LOWERS_HEALTH,
  'edits-another-function': EDITS_ANOTHER_FUNCTION,
  'does-not-parse': DOES_NOT_PARSE,
};

/**
 * The file as applying `answer` by hand gives it: the target's text (with its doc comment)
 * replaced by the answer's code, the helpers after it, one blank line apart. What
 * src/refactor/apply.ts does by AST for the answers it accepts; the test of the answers uses it to
 * run the proofs without the pieces under test.
 */
export function applyByHand(file: string, input: ProposeRefactoringInput): string {
  const replacement = [input.code, ...(input.helpers ?? [])].join('\n\n');
  const at = file.indexOf(PRICE_ORDER);
  if (at === -1) throw new Error('the target is not in the file');
  return `${file.slice(0, at)}${replacement}\n${file.slice(at + PRICE_ORDER.length)}`;
}
