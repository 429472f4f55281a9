/**
 * Bounds on what one config may make Steward do. A config is outside input (anyone who can push
 * to a repository writes one), and the app parses it on the path that answers webhooks, so its
 * size, its lists and its `_extends` chain are capped, each cap named in the error it causes.
 */

/**
 * Bytes of one config file; a hand-written `.github/steward.yml` is a few kilobytes. Parsing YAML
 * runs at about 1 MB/s here, so this bounds what one file costs the app's event loop.
 */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** Items in one list (or keys in one map) of a config file. */
export const MAX_COLLECTION_ITEMS = 1000;

/** Levels of lists and maps inside each other; Steward's deepest setting is 3 levels down. */
export const MAX_NESTING = 32;

/** Files one `_extends` chain may hold beyond the first (the organisation fallback not counted). */
export const MAX_EXTENDS_DEPTH = 5;

/** Errors reported per file; past this the list ends with how many more there were. */
export const MAX_ERRORS_PER_FILE = 50;

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** What a file over MAX_CONFIG_BYTES is told; `bytes` null when only "more than the limit" is known. */
export function tooLargeMessage(bytes: number | null): string {
  const size =
    bytes === null ? `more than ${describeBytes(MAX_CONFIG_BYTES)}` : describeBytes(bytes);
  return `the file is ${size}, over the limit of ${describeBytes(MAX_CONFIG_BYTES)} for a Steward config; keep it to settings (list globs such as "vendor/**" rather than every file)`;
}
