import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The parsed content of a JSON cache file, or null when the file is missing or is not JSON (a
 * torn or damaged write): either only costs the work the cache would have saved. Any other read
 * error is a real problem and is thrown. The caller checks the shape: JSON is not yet a cache.
 */
export async function readJsonCache(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Writes a JSON cache file atomically: a reader sees the old file or the new one, never half. */
export async function writeJsonCache(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value));
  await rename(temporary, file);
}
