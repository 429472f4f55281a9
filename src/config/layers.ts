/**
 * Merging the layers of an organisation's configuration: the `.github` repository's file, what it
 * `_extends`, and the repository's own file. Maps merge key by key; anything else (a list, a
 * number, a string) is taken whole from the nearer layer, so a repository can narrow an
 * organisation's list (`auto-merge.bots`) rather than only add to it.
 */

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function mergeTwo(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // A key YAML could carry but an object must not take over: never a prototype.
    if (key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeTwo(current, value) : value;
  }
  return out;
}

/** The layers in order of precedence, farthest first (as @probot/octokit-plugin-config passes them). */
export function mergeConfigLayers(layers: readonly unknown[]): Plain {
  let merged: Plain = {};
  for (const layer of layers) if (isPlainObject(layer)) merged = mergeTwo(merged, layer);
  return merged;
}
