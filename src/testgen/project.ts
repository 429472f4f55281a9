import { posix } from 'node:path';

/**
 * The project as context building reads it: the paths of its files and their texts. A face builds
 * it over a checkout or a revision; tests build it over a map of texts. Paths are
 * repository-relative with `/` separators.
 */
export interface ProjectView {
  /** Every file of the project (the head revision's tree), repository-relative. */
  paths: readonly string[];
  /** A file's text, or null when it is not there or cannot be read. */
  read(path: string): string | null;
}

/** The view reading only the paths it lists: a file it does not list is null, never read. */
export function listedOnly(project: ProjectView): ProjectView {
  const known = new Set(project.paths);
  return { paths: project.paths, read: (path) => (known.has(path) ? project.read(path) : null) };
}

/** A project view over a map of path → text (tests, fixtures, the offline generator's scratch). */
export function projectOfTexts(texts: ReadonlyMap<string, string>): ProjectView {
  return { paths: [...texts.keys()], read: (path) => texts.get(path) ?? null };
}

/** The extensions code and tests are written in. */
const CODE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** `foo.test.ts`, `foo.spec.tsx`, `foo.test.mjs` … */
const TEST_SUFFIX = /\.(?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Top-level folders tests are kept in, mirroring the source tree. */
const TEST_ROOTS: ReadonlySet<string> = new Set(['test', 'tests', 'spec', '__tests__']);

/** Folders under a test root that hold data, not tests. */
const NOT_TESTS =
  /(?:^|\/)(?:fixtures?|__fixtures__|__mocks__|__snapshots__|support|helpers?|node_modules)\//;

/**
 * Whether a path is a test file by its name: `*.test.*` / `*.spec.*`, or a code file in a
 * `__tests__` folder. Files under `test/` without the suffix are tests only when they import a
 * test framework (see `isTestFile`).
 */
export function isTestFileName(path: string): boolean {
  if (!CODE_EXTENSION.test(path) || path.includes('node_modules/')) return false;
  return TEST_SUFFIX.test(path) || /(?:^|\/)__tests__\//.test(path);
}

/** A module specifier of a test framework, in an import or require. */
const FRAMEWORK_IMPORT =
  /(?:from\s*|require\s*\(\s*|import\s*\(\s*)['"](vitest|node:test|@jest\/globals)['"]/;

/** Whether a path is a test file: by its name, or a code file under `test/` that imports a framework. */
export function isTestFile(path: string, read: (path: string) => string | null): boolean {
  if (isTestFileName(path)) return true;
  if (!CODE_EXTENSION.test(path) || NOT_TESTS.test(path) || path.endsWith('.d.ts')) return false;
  if (!TEST_ROOTS.has(path.split('/')[0] ?? '')) return false;
  const text = read(path);
  return text !== null && FRAMEWORK_IMPORT.test(text.slice(0, 20_000));
}

/** Most files under test roots read to tell tests from helpers; tests by name are never read. */
const MAX_PROBED = 200;

/** The project's test files, sorted. */
export function testFilesOf(project: ProjectView): string[] {
  let probed = 0;
  const tests: string[] = [];
  for (const path of project.paths) {
    if (isTestFileName(path)) tests.push(path);
    else if (TEST_ROOTS.has(path.split('/')[0] ?? '') && probed < MAX_PROBED) {
      if (!CODE_EXTENSION.test(path) || NOT_TESTS.test(path)) continue;
      probed++;
      if (isTestFile(path, project.read)) tests.push(path);
    }
  }
  return tests.sort();
}

/** The file name without its folder, its `.test`/`.spec` and its extension: `args` for `test/args.test.ts`. */
export function stemOf(path: string): string {
  return posix
    .basename(path)
    .replace(TEST_SUFFIX, '')
    .replace(/\.(?:d\.)?(?:[cm]?[jt]s|[jt]sx)$/, '');
}

/** The extension of a path, with its dot (`.ts`), or '' when it has none. */
export function extensionOf(path: string): string {
  const base = posix.basename(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** Where a project keeps its tests. */
export type TestLayout =
  | { kind: 'beside' }
  | { kind: '__tests__' }
  /** Under `root/`, mirroring the source tree with its first folder (`src/`) dropped or kept. */
  | { kind: 'mirror'; root: string; keepsSourceRoot: boolean };

/** The folders source trees usually start with, which a mirroring test tree drops. */
const SOURCE_ROOTS: ReadonlySet<string> = new Set(['src', 'lib', 'source']);

function layoutOfTest(path: string): TestLayout['kind'] {
  if (/(?:^|\/)__tests__\//.test(path)) return '__tests__';
  return TEST_ROOTS.has(path.split('/')[0] ?? '') ? 'mirror' : 'beside';
}

/**
 * The layout most of the project's tests follow (ties: beside, then a test root, then
 * `__tests__`), and whether they are named `.test` or `.spec`. No tests: beside, `.test`.
 */
export function testLayoutOf(tests: readonly string[]): { layout: TestLayout; suffix: string } {
  const counts = { beside: 0, mirror: 0, __tests__: 0 };
  const roots = new Map<string, number>();
  let spec = 0;
  let keepsSourceRoot = false;
  for (const path of tests) {
    const kind = layoutOfTest(path);
    counts[kind]++;
    if (kind === 'mirror') {
      const [root = 'test', second = ''] = path.split('/');
      roots.set(root, (roots.get(root) ?? 0) + 1);
      if (SOURCE_ROOTS.has(second)) keepsSourceRoot = true;
    }
    if (/\.spec\.[^/]+$/.test(path)) spec++;
  }
  const suffix = spec * 2 > tests.length ? '.spec' : '.test';
  const best = (['beside', 'mirror', '__tests__'] as const).reduce((a, b) =>
    counts[b] > counts[a] ? b : a,
  );
  if (best === 'mirror') {
    const root = [...roots].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'test';
    return { layout: { kind: 'mirror', root, keepsSourceRoot }, suffix };
  }
  return { layout: { kind: best }, suffix };
}

/** Where a new test file for `modulePath` goes under the layout: `test/args.test.ts` for `src/args.ts`. */
export function newTestPath(modulePath: string, layout: TestLayout, suffix: string): string {
  const dir = posix.dirname(modulePath);
  const ext = extensionOf(modulePath);
  const file = `${stemOf(modulePath)}${suffix}${ext}`;
  switch (layout.kind) {
    case 'beside':
      return dir === '.' ? file : `${dir}/${file}`;
    case '__tests__':
      return dir === '.' ? `__tests__/${file}` : `${dir}/__tests__/${file}`;
    case 'mirror': {
      const parts = dir === '.' ? [] : dir.split('/');
      if (!layout.keepsSourceRoot && SOURCE_ROOTS.has(parts[0] ?? '')) parts.shift();
      return [layout.root, ...parts, file].join('/');
    }
  }
}

/** Relative module specifiers in a text: `./a`, `../src/b.ts`. */
export function relativeSpecifiers(text: string): string[] {
  const out: string[] = [];
  const pattern =
    /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"\n]*)\1/g;
  for (const match of text.matchAll(pattern)) out.push(match[2]!);
  return out;
}

/**
 * The project path a relative specifier in `fromPath` names, trying what TypeScript and bundlers
 * try: the path itself, `.js` written for a `.ts` file, no extension, and a folder's `index`.
 * Null when none is in the project.
 */
export function resolveSpecifier(
  fromPath: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  if (joined.startsWith('../') || joined === '..' || posix.isAbsolute(joined)) return null;
  // TypeScript reads `.js` in a specifier as the `.ts` or `.tsx` file it compiles to.
  const swapped = /\.js$/.test(joined)
    ? [joined.replace(/\.js$/, '.ts'), joined.replace(/\.js$/, '.tsx')]
    : [joined.replace(/\.([cm])js$/, '.$1ts').replace(/\.jsx$/, '.tsx')];
  const tries = [
    joined,
    ...swapped,
    ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].flatMap((ext) => [
      `${joined}${ext}`,
      `${joined}/index${ext}`,
    ]),
  ];
  return tries.find(exists) ?? null;
}

/** How a project writes the extension of relative imports. */
export type ImportStyle = 'source' | 'js' | 'none';

/** The style of one specifier; null for what says nothing (a `.json`, a folder). */
function styleOf(specifier: string): ImportStyle | null {
  if (/\.(?:[cm]?ts|tsx)$/.test(specifier)) return 'source';
  if (/\.(?:[cm]?js|jsx)$/.test(specifier)) return 'js';
  const base = posix.basename(specifier);
  if (base === '.' || base === '..' || base.includes('.')) return null;
  return 'none';
}

/** The style most of these texts' relative imports use; null when they have none. */
export function importStyleOf(texts: readonly string[]): ImportStyle | null {
  const counts = new Map<ImportStyle, number>();
  for (const text of texts)
    for (const specifier of relativeSpecifiers(text)) {
      const style = styleOf(specifier);
      if (style !== null) counts.set(style, (counts.get(style) ?? 0) + 1);
    }
  let best: ImportStyle | null = null;
  for (const style of ['source', 'js', 'none'] as const)
    if ((counts.get(style) ?? 0) > (best === null ? 0 : (counts.get(best) ?? 0))) best = style;
  return best;
}

/** The specifier `fromPath` imports `modulePath` by, in `style` (`../src/args.ts`, `.js`, none). */
export function importPathFor(fromPath: string, modulePath: string, style: ImportStyle): string {
  let relative = posix.relative(posix.dirname(fromPath), modulePath);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const ext = extensionOf(modulePath);
  if (style === 'source' || !/^\.(?:[cm]?[jt]s|[jt]sx)$/.test(ext)) return relative;
  const bare = relative.slice(0, -ext.length);
  if (style === 'none') return bare;
  const js = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs' }[ext] ?? ext;
  return `${bare}${js}`;
}
