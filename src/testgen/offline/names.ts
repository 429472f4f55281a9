/**
 * What a function's name says about it, for the offline generator: the words it is made of, pairs
 * that undo each other (encode/decode), names of functions that should be idempotent, and names
 * that suggest side effects or nondeterminism (never given a property).
 */

/** `encodeBase64Url` → `encode base64 url`; `to_snake` → `to snake`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Forward and backward verbs: `back(forward(x))` should give `x` back. */
export const ROUND_TRIP_VERBS: readonly (readonly [string, string])[] = [
  ['encode', 'decode'],
  ['serialize', 'deserialize'],
  ['serialise', 'deserialise'],
  ['stringify', 'parse'],
  ['format', 'parse'],
  ['compress', 'decompress'],
  ['encrypt', 'decrypt'],
  ['to', 'from'],
  ['marshal', 'unmarshal'],
  ['pack', 'unpack'],
  ['escape', 'unescape'],
  ['deflate', 'inflate'],
  ['zip', 'unzip'],
];

/** Words of names whose function should give the same result when applied twice. */
export const IDEMPOTENT_WORDS: ReadonlySet<string> = new Set([
  'normalize',
  'normalise',
  'sort',
  'sorted',
  'format',
  'trim',
  'canonical',
  'canonicalize',
  'canonicalise',
  'dedupe',
  'dedup',
  'deduplicate',
  'uniq',
  'unique',
  'sanitize',
  'sanitise',
  'clean',
  'slugify',
  'tidy',
  'compact',
  'collapse',
  'squash',
  'strip',
  'lowercase',
  'uppercase',
]);

/** Words of names that suggest I/O, mutation or nondeterminism. */
export const SIDE_EFFECT_WORDS: ReadonlySet<string> = new Set([
  'save',
  'write',
  'delete',
  'send',
  'log',
  'fetch',
  'post',
  'put',
  'upload',
  'download',
  'emit',
  'publish',
  'dispatch',
  'print',
  'exec',
  'execute',
  'run',
  'spawn',
  'kill',
  'insert',
  'update',
  'upsert',
  'store',
  'persist',
  'flush',
  'commit',
  'push',
  'register',
  'subscribe',
  'notify',
  'open',
  'close',
  'connect',
  'request',
  'read',
  'load',
  'set',
  'clear',
  'reset',
  'destroy',
  'drop',
  'track',
  'random',
  'uuid',
  'now',
  'shuffle',
  'nonce',
  'sleep',
  'wait',
]);

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The names `name` becomes with the whole word `from` replaced by `to`, keeping its case:
 * `encodeBase64` → `decodeBase64`, `base64Encode` → `base64Decode`, `to_json` → `from_json`.
 * `tokenize` has no word `to`, `deserialize` no word `serialize`.
 */
export function swapWord(name: string, from: string, to: string): string[] {
  const out: string[] = [];
  const variants: [string, string][] = [
    [from, to],
    [capitalize(from), capitalize(to)],
    [from.toUpperCase(), to.toUpperCase()],
  ];
  for (const [f, t] of variants) {
    for (let i = name.indexOf(f); i !== -1; i = name.indexOf(f, i + 1)) {
      const before = i === 0 ? '' : (name[i - 1] ?? '');
      const after = name[i + f.length] ?? '';
      const upperStart = f !== f.toLowerCase();
      const startOk = before === '' || before === '_' || (upperStart && /[a-z0-9]/.test(before));
      const upperWord = f === f.toUpperCase();
      const endOk =
        after === '' || after === '_' || (upperWord ? /[0-9]/.test(after) : /[A-Z0-9]/.test(after));
      if (startOk && endOk) out.push(`${name.slice(0, i)}${t}${name.slice(i + f.length)}`);
    }
  }
  return out;
}
