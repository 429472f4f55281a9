/**
 * A capacity rule applied to a manifest's text (issue 19, capacity pull requests): when a series'
 * forecast reaches its limit within the horizon, the field the rule names is raised by one step,
 * within [min, max]. The new value is spliced into the original text at the field's range, so every
 * other byte (comments, quoting, key order, the other documents) stays as it was; the result is
 * parsed again and must read the new value at the path.
 *
 * A manifest Steward cannot edit safely is refused with a CapacityRefusal naming the file, the path
 * and what to do: a file over 1 MB, YAML that does not parse, several documents without `document`,
 * a path that is missing or passes through an alias or an anchored node, a map or list where a
 * value should be, a value that is neither a number nor a Kubernetes quantity ("10Gi", "500m").
 * Pure: no I/O, no clock.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ForecastResult } from './forecast.ts';
import { formatQuantity, parseQuantity, roundValue, type Quantity } from './quantity.ts';
import type { CapacityRule } from './settings.ts';

export type CapacityPlan =
  | {
      kind: 'change';
      from: number;
      to: number;
      /** The unit the file writes the value in ("Gi", "m", "" for a quoted number); null for a YAML number. */
      suffix: string | null;
      text: string;
      reason: string;
    }
  | { kind: 'none'; reason: string };

/** A manifest Steward will not edit; the message names the file, the path and what to do. */
export class CapacityRefusal extends Error {
  override name = 'CapacityRefusal';
}

/** Manifests larger than this are refused (a capacity field lives in a small file). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

type Segment = string | number;

/** `spec.containers[0].resources["limits"]` as ['spec', 'containers', 0, 'resources', 'limits']. */
export function parseYamlPath(path: string): Segment[] {
  const segments: Segment[] = [];
  const token = /\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"\\]+)"\]/y;
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (m === null || (m[1] !== undefined && m[0].startsWith('.') === (at === 0)))
      throw new Error(`the YAML path ${JSON.stringify(path)} is not valid at character ${at + 1}`);
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
    at = token.lastIndex;
  }
  if (segments.length === 0) throw new Error('the YAML path is empty');
  return segments;
}

function describeNode(node: unknown): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) return node.value === null ? 'null' : JSON.stringify(node.value);
  return 'nothing';
}

function pathText(segments: readonly Segment[]): string {
  return segments
    .map((s, i) =>
      typeof s === 'number'
        ? `[${s}]`
        : /^[A-Za-z_][\w-]*$/.test(s)
          ? i
            ? `.${s}`
            : s
          : `["${s}"]`,
    )
    .join('');
}

function documentOf(rule: CapacityRule, text: string): Document.Parsed {
  const where = `${rule.file}`;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MANIFEST_BYTES)
    throw new CapacityRefusal(
      `${where} is ${bytes} bytes, over the ${MAX_MANIFEST_BYTES} Steward edits; point the capacity rule for ${rule.path} at a smaller manifest`,
    );
  const parsed = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  for (const [index, doc] of parsed.entries()) {
    const problem = doc.errors[0];
    if (problem)
      throw new CapacityRefusal(
        `${where}, document ${index}: the YAML does not parse (${problem.message.split('\n')[0]}); fix the file before Steward changes ${rule.path}`,
      );
  }
  // Empty documents (a trailing `---`, one of comments only) hold no object, as kubectl sees it.
  const documents = parsed.filter(
    (doc) => doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null),
  );
  if (documents.length === 0)
    throw new CapacityRefusal(
      `${where} holds no YAML document; ${rule.path} cannot be found in it`,
    );
  if (rule.document === null) {
    if (documents.length > 1)
      throw new CapacityRefusal(
        `${where} holds ${documents.length} YAML documents; set document: (0 to ${documents.length - 1}) in the capacity rule for ${rule.path}`,
      );
    return documents[0]!;
  }
  const doc = documents[rule.document];
  if (!doc)
    throw new CapacityRefusal(
      `${where} holds ${documents.length} YAML document${documents.length === 1 ? '' : 's'}, so there is no document ${rule.document}; fix document: in the capacity rule for ${rule.path}`,
    );
  return doc;
}

/** The scalar at the path; refused when it is missing, shared (alias or anchor) or not a scalar. */
function scalarAt(rule: CapacityRule, doc: Document.Parsed): Scalar {
  const segments = parseYamlPath(rule.path);
  const where = (upTo: number) =>
    `${rule.file}${rule.document === null ? '' : ` (document ${rule.document})`}: ${pathText(segments.slice(0, upTo))}`;
  let node: unknown = doc.contents;
  for (let i = 0; i <= segments.length; i++) {
    if (isAlias(node))
      throw new CapacityRefusal(
        `${where(i)} is an alias (*${node.source}); Steward changes no value shared through anchors, so write ${rule.path} out in full`,
      );
    if (node && typeof node === 'object' && 'anchor' in node && (node as Node).anchor)
      throw new CapacityRefusal(
        `${where(i)} carries the anchor &${(node as Node).anchor}, which other places may copy; remove the anchor or change ${rule.path} by hand`,
      );
    if (i === segments.length) break;
    const segment = segments[i]!;
    let next: unknown;
    if (typeof segment === 'number') {
      if (!isSeq(node))
        throw new CapacityRefusal(
          `${where(i)} is ${describeNode(node)}, not a list, so it has no item [${segment}]; fix path: in the capacity rule`,
        );
      next = node.items[segment];
    } else {
      if (!isMap(node))
        throw new CapacityRefusal(
          `${where(i)} is ${describeNode(node)}, not a map, so it has no key ${JSON.stringify(segment)}; fix path: in the capacity rule`,
        );
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (pair && pair.key && isScalar(pair.key) && pair.key.anchor)
        throw new CapacityRefusal(
          `${where(i + 1)}: its key carries an anchor; change ${rule.path} by hand`,
        );
      next = pair?.value;
    }
    if (next === undefined || next === null)
      throw new CapacityRefusal(
        `${where(i + 1)} is missing; add the field to the manifest, or fix path: in the capacity rule`,
      );
    node = next;
  }
  if (!isScalar(node))
    throw new CapacityRefusal(
      `${where(segments.length)} is ${describeNode(node)}, not a number; point path: at the number to change`,
    );
  return node;
}

const PLAIN_DECIMAL = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** The scalar's value as a number or a Kubernetes quantity; refused otherwise. */
function quantityOf(rule: CapacityRule, node: Scalar): Quantity {
  const where = `${rule.file}: ${rule.path}`;
  if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL)
    throw new CapacityRefusal(
      `${where} is a block scalar; write it as a plain number such as 3, or change it by hand`,
    );
  if (node.tag !== undefined)
    throw new CapacityRefusal(
      `${where} carries the tag ${node.tag}; remove the tag so the value is a plain number, or change it by hand`,
    );
  if (typeof node.value === 'number') {
    // 0x10, 010, 1e3 and .inf read differently across YAML versions (Kubernetes reads YAML 1.1).
    if (!Number.isFinite(node.value) || !PLAIN_DECIMAL.test(String(node.source)))
      throw new CapacityRefusal(
        `${where} is written ${JSON.stringify(node.source)}, not as a plain decimal number; write it like 3 or 2.5`,
      );
    return { value: node.value, suffix: null };
  }
  if (typeof node.value === 'string') {
    const quantity = parseQuantity(node.value);
    if (quantity) return quantity;
  }
  throw new CapacityRefusal(
    `${where} is ${describeNode(node)}, neither a number nor a Kubernetes quantity such as 10Gi or 500m; point path: at a number`,
  );
}

/** The new value in the scalar's own style: plain stays plain, quoted stays quoted the same way. */
function scalarSource(node: Scalar, quantity: Quantity, value: number): string {
  const text =
    typeof node.value === 'number'
      ? formatQuantity(value, null)
      : formatQuantity(value, quantity.suffix);
  if (node.type === Scalar.QUOTE_DOUBLE) return `"${text}"`;
  if (node.type === Scalar.QUOTE_SINGLE) return `'${text}'`;
  return text;
}

function reaches(forecast: ForecastResult | null): boolean {
  return forecast !== null && forecast.withinHorizon && forecast.crossingAt !== null;
}

/**
 * What the rule does to `manifestText` given the series' forecast: the changed text, or why
 * nothing changes. Throws CapacityRefusal for a manifest Steward will not edit.
 */
export function planCapacityChange(
  rule: CapacityRule,
  manifestText: string,
  forecast: ForecastResult | null,
): CapacityPlan {
  const doc = documentOf(rule, manifestText);
  const node = scalarAt(rule, doc);
  const quantity = quantityOf(rule, node);
  const from = quantity.value;
  const field = `${rule.file} ${rule.path}`;
  if (from < rule.min || from > rule.max)
    return {
      kind: 'none',
      reason: `${field} is ${formatQuantity(from, quantity.suffix)}, outside the rule's bounds [${rule.min}, ${rule.max}]: Steward changes only a value within them; fix the value or the bounds`,
    };
  if (!reaches(forecast))
    return {
      kind: 'none',
      reason: `the forecast does not reach the limit within the horizon${forecast ? ` (${forecast.reason})` : ''}: ${field} stays ${formatQuantity(from, quantity.suffix)}`,
    };
  if (from >= rule.max)
    return {
      kind: 'none',
      reason: `${field} is already at max (${rule.max}) and the forecast still reaches the limit: raise max in the capacity rule, or act by hand`,
    };
  const to = Math.max(rule.min, Math.min(rule.max, roundValue(from + rule.step)));
  const range = node.range;
  if (!range) throw new CapacityRefusal(`${field}: the parser gave no position for the value`);
  const text =
    manifestText.slice(0, range[0]) +
    scalarSource(node, quantity, to) +
    manifestText.slice(range[1]);
  verify(rule, text, to);
  return {
    kind: 'change',
    from,
    to,
    suffix: quantity.suffix,
    text,
    reason: `${forecast!.reason}: ${field} ${formatQuantity(from, quantity.suffix)} → ${formatQuantity(to, quantity.suffix)} (one step of ${formatQuantity(rule.step, quantity.suffix)}, within [${formatQuantity(rule.min, quantity.suffix)}, ${formatQuantity(rule.max, quantity.suffix)}])`,
  };
}

/** The edited text must parse and read `to` at the path; anything else is a bug, not a change. */
function verify(rule: CapacityRule, text: string, to: number): void {
  const node = scalarAt(rule, documentOf(rule, text));
  const read = quantityOf(rule, node).value;
  if (Math.abs(read - to) > Math.abs(to) * 1e-9)
    throw new CapacityRefusal(
      `${rule.file}: ${rule.path} would read ${read} after the edit instead of ${to}; change it by hand`,
    );
}
