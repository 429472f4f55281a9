/**
 * Why a user's regular expression could take exponential or steep polynomial time on a hostile
 * commit message, or null. JavaScript's engine backtracks: a repeated group that itself holds a
 * quantifier or alternatives (`(a+)+`, `(\w+\s?)*`, `(a|aa)*`) can try every way of splitting a
 * long run of characters between its repetitions, two repeated atoms in a row (`a*a*b`, `.*.*x`)
 * try every split point of every run, and a backreference makes matching NP-hard. Anyone who can
 * push a commit chooses its message, so such a pattern is refused when the config is read. The
 * check is syntactic and conservative: a safe pattern in one of these shapes is refused too, and
 * can always be rewritten (a group of alternatives as a character class, `(a+)+` as `a+`).
 *
 * A pattern that passes can still take time quadratic in the message (`a*b` tried at every
 * position); matching reads only the first MAX_MATCHED_CHARS characters, which bounds that (see
 * bug-fix.ts).
 */
export function backtrackingHazard(source: string): string | null {
  interface Group {
    /** A quantifier or an alternation anywhere inside the group. */
    ambiguous: boolean;
    /** The group's last atom so far when it is repeated without bound (`*`, `+`, `{n,}`). */
    lastUnbounded: Atom | null;
    /** The atom before the group, in the enclosing sequence, when repeated without bound. */
    afterUnbounded: Atom | null;
  }
  const open = (afterUnbounded: Atom | null): Group => ({
    ambiguous: false,
    lastUnbounded: null,
    afterUnbounded,
  });
  const groups: Group[] = [open(null)];
  /** The atom a quantifier after it applies to, and the unbounded atom just before it. */
  let last = null as { atom: Atom; afterUnbounded: Atom | null } | null;
  /** An atom (source text, or a group) ends here, in the innermost group's sequence. */
  const atom = (found: Atom) => {
    const level = groups.at(-1)!;
    last = {
      atom: found,
      afterUnbounded: typeof found === 'string' ? level.lastUnbounded : found.afterUnbounded,
    };
    level.lastUnbounded = null;
  };
  let i = 0;
  const at = (index: number) => source[index] ?? '';
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\') {
      const next = at(i + 1);
      if (/[1-9]/.test(next) || (next === 'k' && at(i + 2) === '<')) {
        return `a backreference (\\${next}${next === 'k' ? '<…>' : ''}) at character ${i + 1}`;
      }
      atom(source.slice(i, i + 2));
      i += 2;
      continue;
    }
    if (char === '[') {
      // A character class is one atom: skip to its unescaped closing bracket.
      let j = i + 1;
      if (at(j) === '^') j++;
      if (at(j) === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      atom(source.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (char === '(') {
      const level = groups.at(-1)!;
      groups.push(open(level.lastUnbounded));
      level.lastUnbounded = null;
      last = null;
      i++;
      // (?: (?= (?! (?<= (?<! (?<name>: the marker is not an atom.
      if (at(i) === '?') {
        if (at(i + 1) === '<' && at(i + 2) !== '=' && at(i + 2) !== '!') {
          i = source.indexOf('>', i) + 1 || source.length;
        } else {
          i += at(i + 1) === '<' ? 3 : 2;
        }
      }
      continue;
    }
    if (char === ')') {
      const group = groups.length > 1 ? groups.pop()! : open(null);
      groups.at(-1)!.ambiguous ||= group.ambiguous;
      atom(group);
      i++;
      continue;
    }
    if (char === '|') {
      groups.at(-1)!.ambiguous = true;
      groups.at(-1)!.lastUnbounded = null;
      last = null;
      i++;
      continue;
    }
    const quantifier = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(source.slice(i, i + 24));
    if (quantifier && last) {
      const [text, min, comma, max] = quantifier;
      const unbounded = text === '*' || text === '+' || (comma !== undefined && max === '');
      const repeats =
        unbounded ||
        (min !== undefined && (comma === undefined ? Number(min) > 1 : Number(max) > 1));
      const where = `"${text}" at character ${i + 1}`;
      if (repeats && typeof last.atom !== 'string' && last.atom.ambiguous) {
        return `a repeated group that holds a quantifier or alternatives, ${where}`;
      }
      if (unbounded && last.afterUnbounded && overlap(last.afterUnbounded, last.atom)) {
        return `two atoms in a row repeated without bound that match the same characters, ${where}`;
      }
      groups.at(-1)!.ambiguous = true;
      groups.at(-1)!.lastUnbounded = unbounded ? last.atom : null;
      i += text.length;
      if (at(i) === '?') i++; // lazy
      last = null;
      continue;
    }
    // Anchors and other literals: an atom all the same (`^` and `$` match nothing repeatable).
    atom(char);
    i++;
  }
  return null;
}

/** One atom of a pattern: its source (a character, an escape, a class), or a group. */
type Atom = string | { ambiguous: boolean; afterUnbounded: Atom | null };

/** Characters tried to see whether two atoms can match the same one. */
const SAMPLE = [
  ...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)),
  '\u00a0',
  '\u00e9',
  '\u017f',
  '\u2028',
  '\u212a',
  '\u4e00',
  '\ud83d\ude00',
];

/**
 * Whether two single-character atoms can match the same character (a group is taken to overlap
 * anything): `\w+\s+` or `a+b+` is safe, `\w+\d+` is not.
 */
function overlap(first: Atom, second: Atom): boolean {
  if (typeof first !== 'string' || typeof second !== 'string') return true;
  const compile = (atom: string) => {
    try {
      return new RegExp(`^(?:${atom})$`, 'iu');
    } catch {
      return new RegExp(`^(?:${atom})$`, 'i');
    }
  };
  const a = compile(first);
  const b = compile(second);
  return SAMPLE.some((char) => a.test(char) && b.test(char));
}
