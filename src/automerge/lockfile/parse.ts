import type { ParsedLockfile } from './entry.ts';
import { parseNpmLockfile } from './npm.ts';
import { parsePnpmLockfile } from './pnpm.ts';
import { parseYarnBerryLockfile } from './yarn-berry.ts';
import { parseYarnClassicLockfile } from './yarn-classic.ts';

/** Lockfile names Steward reads, each with its parser. */
export const LOCKFILE_NAMES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
] as const;

/** Parses a lockfile by its file name (and, for yarn.lock, by which yarn wrote it). */
export function parseLockfile(path: string, text: string): ParsedLockfile {
  const name = path.slice(path.lastIndexOf('/') + 1);
  switch (name) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return parseNpmLockfile(text);
    case 'pnpm-lock.yaml':
      return parsePnpmLockfile(text);
    case 'yarn.lock':
      if (/^__metadata:/m.test(text)) return parseYarnBerryLockfile(text);
      if (/^# yarn lockfile v1\s*$/m.test(text)) return parseYarnClassicLockfile(text);
      return {
        ok: false,
        reason: 'neither a yarn 1 lockfile ("# yarn lockfile v1") nor a Yarn 2+ one (__metadata)',
      };
    default:
      return { ok: false, reason: `${name} is not a lockfile Steward reads` };
  }
}
