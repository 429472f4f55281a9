import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitRepo } from '../support/git-repo.ts';

/**
 * The refactoring e2e's project: a small shop's pricing as a real TypeScript + vitest project in a
 * real git repository. `src/pricing.ts` is the hotspot: it changes in most commits and holds the
 * one smelly function, {@link TARGET_FUNCTION} (deep nesting, a complex conditional, a complex
 * method), which `test/pricing.test.ts` reaches. Everything else is small and healthy, so the
 * hotspots engine ranks `src/pricing.ts` first and the selection has exactly one target.
 *
 * `node_modules` links to this worktree's, so the real TypeScript and vitest run in it.
 */

/** This worktree's node_modules (typescript, vitest), linked from a temp dir outside any worktree. */
const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');

export const PRICING_PATH = 'src/pricing.ts';
export const PRICING_TEST_PATH = 'test/pricing.test.ts';
export const TARGET_FUNCTION = 'priceOrder';
/** The other function of the hot file: what the "edits another function" answer touches. */
export const OTHER_FUNCTION = 'formatPrice';

const TYPES = `export type Category = "book" | "food" | "other";

export interface LineItem {
  sku: string;
  quantity: number;
  unitCents: number;
  category: Category;
}

export interface Order {
  items: LineItem[];
  member: boolean;
  country: string;
  coupon?: string;
}
`;

/** The target as it is on main: its text is what the answers replace. */
export const PRICE_ORDER = `/**
 * The order's total in cents: members get 10% off books (20% on three or more copies of a book
 * over 5 EUR, or with the BOOKS coupon), food carries 7% VAT in DE, FR and NL, and orders under
 * 50 EUR outside the US pay 4.99 shipping.
 */
export function priceOrder(order: Order): number {
  let total = 0;
  for (const item of order.items) {
    if (item.quantity > 0) {
      if (item.category === "book") {
        if (order.member) {
          if ((item.quantity >= 3 && item.unitCents > 500) || order.coupon === "BOOKS") {
            total += Math.round(item.quantity * item.unitCents * 0.8);
          } else {
            total += Math.round(item.quantity * item.unitCents * 0.9);
          }
        } else {
          total += item.quantity * item.unitCents;
        }
      } else if (item.category === "food") {
        if (order.country === "DE" || order.country === "FR" || order.country === "NL") {
          total += Math.round(item.quantity * item.unitCents * 1.07);
        } else {
          total += item.quantity * item.unitCents;
        }
      } else {
        total += item.quantity * item.unitCents;
      }
    }
  }
  if (total > 0 && total < 5000 && order.country !== "US") {
    total += 499;
  }
  return total;
}
`;

export const FORMAT_PRICE = `/** Cents as the shop shows them: "12.50 EUR". */
export function formatPrice(cents: number): string {
  return \`\${(cents / 100).toFixed(2)} EUR\`;
}
`;

/** src/pricing.ts on main. */
export const PRICING = `${TYPES}
${PRICE_ORDER}
${FORMAT_PRICE}`;

export const PRICING_TEST = `import { describe, expect, test } from "vitest";
import { formatPrice, priceOrder, type LineItem, type Order } from "../src/pricing.ts";

const item = (category: LineItem["category"], quantity: number, unitCents: number): LineItem => ({
  sku: \`\${category}-\${unitCents}\`,
  quantity,
  unitCents,
  category,
});

const order = (items: LineItem[], extra: Partial<Order> = {}): Order => ({
  items,
  member: false,
  country: "US",
  ...extra,
});

describe("priceOrder", () => {
  test("sums the items", () => {
    expect(priceOrder(order([item("other", 2, 1000), item("book", 1, 3000)]))).toBe(5000);
  });

  test("skips items with no quantity", () => {
    expect(priceOrder(order([item("other", 0, 1000), item("other", -1, 1000)]))).toBe(0);
  });

  test("members get 10% off books", () => {
    expect(priceOrder(order([item("book", 1, 6000)], { member: true }))).toBe(5400);
  });

  test("members get 20% off three copies of a book over 5 EUR", () => {
    expect(priceOrder(order([item("book", 3, 2000)], { member: true }))).toBe(4800);
    expect(priceOrder(order([item("book", 3, 500)], { member: true, country: "US" }))).toBe(1350);
  });

  test("the BOOKS coupon gives members 20% off any book", () => {
    expect(priceOrder(order([item("book", 1, 6000)], { member: true, coupon: "BOOKS" }))).toBe(
      4800,
    );
  });

  test("the coupon alone gives no discount", () => {
    expect(priceOrder(order([item("book", 1, 6000)], { coupon: "BOOKS" }))).toBe(6000);
  });

  test("food carries VAT in DE, FR and NL", () => {
    for (const country of ["DE", "FR", "NL"]) {
      expect(priceOrder(order([item("food", 10, 1000)], { country }))).toBe(10700);
    }
    expect(priceOrder(order([item("food", 10, 1000)], { country: "US" }))).toBe(10000);
  });

  test("small orders outside the US pay shipping", () => {
    expect(priceOrder(order([item("other", 1, 1000)], { country: "DE" }))).toBe(1499);
    expect(priceOrder(order([item("other", 1, 1000)], { country: "US" }))).toBe(1000);
    expect(priceOrder(order([item("other", 1, 5000)], { country: "DE" }))).toBe(5000);
    expect(priceOrder(order([], { country: "DE" }))).toBe(0);
  });
});

describe("formatPrice", () => {
  test("shows cents as euros", () => {
    expect(formatPrice(1250)).toBe("12.50 EUR");
  });
});
`;

const CART = `import { priceOrder, type LineItem, type Order } from "./pricing.ts";

/** A cart: items added one by one, priced as an order. */
export function addItem(items: readonly LineItem[], item: LineItem): LineItem[] {
  const existing = items.find((i) => i.sku === item.sku);
  if (existing === undefined) return [...items, item];
  return items.map((i) => (i.sku === item.sku ? { ...i, quantity: i.quantity + item.quantity } : i));
}

export function cartTotal(items: LineItem[], customer: Omit<Order, "items">): number {
  return priceOrder({ ...customer, items });
}
`;

const CART_TEST = `import { expect, test } from "vitest";
import { addItem, cartTotal } from "../src/cart.ts";

test("adding the same sku twice adds up the quantity", () => {
  const book = { sku: "b", quantity: 1, unitCents: 1000, category: "book" as const };
  const items = addItem(addItem([], book), book);
  expect(items).toEqual([{ ...book, quantity: 2 }]);
  expect(cartTotal(items, { member: false, country: "US" })).toBe(2000);
});
`;

/** The project's files besides the code. */
export const PROJECT_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'shop-pricing',
      private: true,
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { typescript: '*', vitest: '*' },
    },
    null,
    2,
  )}\n`,
  'tsconfig.json': `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      include: ['src', 'test'],
    },
    null,
    2,
  )}\n`,
  'vitest.config.ts': `import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/**/*.test.ts"] } });
`,
  '.gitignore': 'node_modules\n',
  // The README's settings (the defaults, written out as a repository would).
  '.github/steward.yml': 'refactor:\n  max-open: 1\n  min-health-gain: 0.5\n',
};

/**
 * The history, oldest first: the hot file grows in five of the seven commits (its last state is
 * {@link PRICING}), the others change once or twice. Each step is the files it writes.
 */
function history(): { message: string; files: Record<string, string> }[] {
  const noFormat = PRICING.replace(`\n${FORMAT_PRICE}`, '');
  const noNl = noFormat.replace(' || order.country === "NL"', '');
  const noFood = noNl.replace(
    /\n {6}\} else if \(item\.category === "food"\) \{[\s\S]*?\n {6}\} else \{/,
    '\n      } else {',
  );
  const noShipping = noFood.replace(/\n {2}if \(total > 0[\s\S]*?\n {2}\}\n/, '\n');
  return [
    {
      message: 'Pricing: items and members',
      files: { ...PROJECT_FILES, [PRICING_PATH]: noShipping, [PRICING_TEST_PATH]: PRICING_TEST },
    },
    { message: 'Shipping for small orders', files: { [PRICING_PATH]: noFood } },
    {
      message: 'Cart',
      files: {
        'src/cart.ts': CART.replace('readonly LineItem[]', 'LineItem[]'),
        'test/cart.test.ts': CART_TEST,
      },
    },
    { message: 'VAT on food in DE and FR', files: { [PRICING_PATH]: noNl } },
    { message: 'VAT on food in NL too', files: { [PRICING_PATH]: noFormat } },
    { message: 'Format prices', files: { [PRICING_PATH]: PRICING } },
    { message: 'Cart: items are read-only', files: { 'src/cart.ts': CART } },
  ];
}

/** Every file of the project on main, by path. */
export function mainFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const step of history()) Object.assign(files, step.files);
  return files;
}

export interface RefactorFixture {
  repo: GitRepo;
  /** main's tip. */
  headSha: string;
  cleanup(): void;
}

/**
 * The project in a temp dir with its history committed on main (fixed identities; the dates a
 * week apart up to yesterday, so the history window of any day holds them all) and node_modules
 * linked.
 */
export function createRefactorFixture(): RefactorFixture {
  const dir = mkdtempSync(join(tmpdir(), 'steward-refactor-fixture-'));
  const repo = new GitRepo(dir);
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  const steps = history();
  // A week apart, the last one yesterday: inside any history window the hotspots read.
  const day = 86_400_000;
  const first = Date.now() - (steps.length * 7 + 1) * day;
  for (const [index, step] of steps.entries()) {
    for (const [path, text] of Object.entries(step.files)) repo.write(path, text);
    repo.commit(step.message, {
      author: index % 2 === 0 ? 'Alice' : 'Bob',
      date: new Date(first + index * 7 * day).toISOString(),
    });
  }
  const headSha = repo.git('rev-parse', 'HEAD').trim();
  return { repo, headSha, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The text of `file` with the function text `from` replaced by `to` (which must occur once). */
export function replaceOnce(file: string, from: string, to: string): string {
  const at = file.indexOf(from);
  if (at === -1 || file.indexOf(from, at + 1) !== -1)
    throw new Error('the text to replace must occur exactly once');
  return file.slice(0, at) + to + file.slice(at + from.length);
}
