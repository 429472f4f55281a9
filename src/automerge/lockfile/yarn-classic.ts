import {
  aliasTarget,
  describeSource,
  splitDescriptor,
  type LockEntry,
  type ParsedLockfile,
} from './entry.ts';

/** One block of a yarn v1 lockfile: its descriptors and its indented fields. */
interface Block {
  line: number;
  descriptors: string[];
  fields: Map<string, string>;
  dependencies: string[];
}

/**
 * yarn.lock of yarn 1 (`# yarn lockfile v1`): blocks headed by their descriptors
 * (`lodash@^4.17.20, lodash@^4.17.21:`) with `version`, `resolved`, `integrity` and
 * `dependencies` indented below. Older lockfiles carry no `integrity`: the `#sha1` fragment of
 * `resolved` is then the hash.
 */
export function parseYarnClassicLockfile(text: string): ParsedLockfile {
  if (!/^# yarn lockfile v1\s*$/m.test(text)) {
    return { ok: false, reason: 'no "# yarn lockfile v1" header: not a yarn 1 lockfile' };
  }
  const blocks: Block[] = [];
  let block: Block | null = null;
  let inMap: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (!line.endsWith(':'))
        return {
          ok: false,
          reason: `line ${i + 1}: expected "descriptor:", got ${JSON.stringify(line)}`,
        };
      const descriptors = splitHeader(line.slice(0, -1));
      if (!descriptors)
        return {
          ok: false,
          reason: `line ${i + 1}: unreadable descriptors ${JSON.stringify(line)}`,
        };
      block = { line: i + 1, descriptors, fields: new Map(), dependencies: [] };
      blocks.push(block);
      inMap = null;
      continue;
    }
    if (!block) return { ok: false, reason: `line ${i + 1}: a field outside any entry` };
    const pair = splitPair(line.trim());
    if (!pair)
      return {
        ok: false,
        reason: `line ${i + 1}: unreadable field ${JSON.stringify(line.trim())}`,
      };
    if (indent <= 2) {
      if (pair[1] === null) inMap = pair[0];
      else {
        if (block.fields.has(pair[0]))
          return { ok: false, reason: `line ${i + 1}: "${pair[0]}" given twice in one entry` };
        block.fields.set(pair[0], pair[1]);
        inMap = null;
      }
    } else if (inMap === 'dependencies' || inMap === 'optionalDependencies') {
      block.dependencies.push(pair[0]);
    } else if (inMap === null) {
      return { ok: false, reason: `line ${i + 1}: unexpected indentation` };
    }
  }

  // Yarn reads one block per descriptor: a second would hide which one it installs.
  const seen = new Map<string, number>();
  for (const b of blocks) {
    for (const descriptor of b.descriptors) {
      const first = seen.get(descriptor);
      if (first !== undefined)
        return {
          ok: false,
          reason: `"${descriptor}" has two entries (lines ${first} and ${b.line})`,
        };
      seen.set(descriptor, b.line);
    }
  }
  const entries = new Map<string, LockEntry>();
  for (const b of blocks) {
    const [name, range] = splitDescriptor(b.descriptors[0]!);
    const alias = aliasTarget(range);
    const resolved = b.fields.get('resolved') ?? null;
    const hash = resolved?.includes('#') ? resolved.slice(resolved.indexOf('#') + 1) : null;
    const url = resolved?.split('#')[0] ?? null;
    const key = [...b.descriptors].sort().join(', ');
    const entry: LockEntry = {
      key,
      name,
      packageName: alias ?? name,
      version: b.fields.get('version') ?? '',
      source: { kind: 'registry', url },
      integrity: b.fields.get('integrity') ?? hash,
      hasInstallScript: false,
      dependencies: [...new Set(b.dependencies)].sort(),
    };
    const nonRegistryRange = !alias && /^(git|github:|file:|link:|https?:|[./~])/.test(range);
    if (url === null)
      entry.source = { kind: 'other', what: `no resolved URL (${range || 'no range'})` };
    else if (!/^https?:\/\//.test(url) || nonRegistryRange)
      entry.source = { kind: 'other', what: describeSource(nonRegistryRange ? range : url) };
    entries.set(key, entry);
  }
  return { ok: true, format: 'yarn lockfile v1', entries };
}

/** `a@1, "b@^2":` → ["a@1", "b@^2"]. */
function splitHeader(header: string): string[] | null {
  const out: string[] = [];
  for (const part of header.split(/,\s*/)) {
    const value = unquote(part.trim());
    if (value === null || value === '') return null;
    out.push(value);
  }
  return out;
}

/** `version "1.2.3"` → ["version", "1.2.3"]; `dependencies:` → ["dependencies", null]. */
function splitPair(text: string): [string, string | null] | null {
  if (text.endsWith(':') && !text.includes(' ')) return [unquote(text.slice(0, -1)) ?? '', null];
  const match = /^("(?:[^"\\]|\\.)*"|\S+)\s+(.+)$/.exec(text);
  if (!match) return null;
  const key = unquote(match[1]!);
  const value = unquote(match[2]!);
  return key === null || value === null ? null : [key, value];
}

function unquote(text: string): string | null {
  if (!text.startsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : null;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}
