import { parseAllDocuments } from 'yaml';
import type { ChaosMeshExperiment } from './chaos-mesh.ts';
import { CHAOS_MESH_GROUP, chaosMeshSkipReason, readChaosMeshExperiment } from './chaos-mesh.ts';
import type { ObjectOrigin } from './fields.ts';
import { FieldError, isRecord } from './fields.ts';
import type { LitmusChaosEngine, LitmusChaosResult } from './litmus.ts';
import { LITMUS_GROUP, readChaosEngine, readChaosResult } from './litmus.ts';

/**
 * Chaos results from a file as `kubectl get … -o yaml` or `-o json` writes it: one object, a
 * List (`items`), or several YAML documents. Each object is read on its own: one with a field of
 * the wrong type is an error naming the file, the document and the field, and the others are
 * still read; a kind Steward does not read is skipped with the reason.
 */

export type ChaosObject = LitmusChaosResult | LitmusChaosEngine | ChaosMeshExperiment;

export interface SkippedObject {
  origin: ObjectOrigin;
  apiVersion: string | null;
  kind: string | null;
  name: string | null;
  reason: string;
}

export interface ChaosReadError {
  origin: ObjectOrigin;
  /** The field's path from the document's root (`items[2].status.experimentStatus.verdict`); null for the document itself. */
  field: string | null;
  /** The whole message: file, document, field and problem. */
  message: string;
}

export interface ChaosRead {
  objects: ChaosObject[];
  skipped: SkippedObject[];
  errors: ChaosReadError[];
  /** Objects past the most Steward reads from one file. */
  dropped: number;
}

/** The most objects Steward reads from one file; the rest are counted. */
export const MAX_OBJECTS = 1000;

function where(origin: ObjectOrigin): string {
  return `${origin.source}, document ${origin.document}`;
}

function itemPath(origin: ObjectOrigin, field: string | null): string | null {
  if (origin.item === null) return field;
  const item = `items[${origin.item}]`;
  return field === null || field === '' ? item : `${item}.${field}`;
}

function error(origin: ObjectOrigin, field: string | null, problem: string): ChaosReadError {
  const path = itemPath(origin, field);
  return {
    origin,
    field: path,
    message: `${where(origin)}${path === null ? '' : `, ${path}`}: ${problem}`,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, 200) : null;
}

function readObject(object: unknown, origin: ObjectOrigin, read: ChaosRead): void {
  if (!isRecord(object)) {
    read.errors.push(error(origin, null, 'expected a Kubernetes object (a mapping)'));
    return;
  }
  const apiVersion = text(object['apiVersion']);
  const kind = text(object['kind']);
  if (kind === null) {
    read.errors.push(error(origin, 'kind', 'missing: not a Kubernetes object'));
    return;
  }
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : null;
  const metadata = object['metadata'];
  const name = isRecord(metadata) ? text(metadata['name']) : null;
  const skip = (reason: string) => read.skipped.push({ origin, apiVersion, kind, name, reason });
  try {
    if (group === LITMUS_GROUP && kind === 'ChaosResult')
      read.objects.push(readChaosResult(object, origin));
    else if (group === LITMUS_GROUP && kind === 'ChaosEngine')
      read.objects.push(readChaosEngine(object, origin));
    else if (group === LITMUS_GROUP)
      skip(`${kind} is not a result: Steward reads ChaosResult and ChaosEngine`);
    else if (group === CHAOS_MESH_GROUP) {
      const reason = chaosMeshSkipReason(kind);
      if (reason === null) read.objects.push(readChaosMeshExperiment(object, kind, origin));
      else skip(reason);
    } else skip(`${apiVersion ?? '(no apiVersion)'} ${kind} is neither LitmusChaos nor Chaos Mesh`);
  } catch (caught: unknown) {
    if (!(caught instanceof FieldError)) throw caught;
    read.errors.push(error(origin, caught.field, caught.problem));
  }
}

function readDocument(value: unknown, source: string, document: number, read: ChaosRead): void {
  if (value === null || value === undefined) return;
  const list = Array.isArray(value)
    ? value
    : isRecord(value) &&
        Array.isArray(value['items']) &&
        (value['kind'] === undefined ||
          (typeof value['kind'] === 'string' && value['kind'].endsWith('List')))
      ? (value['items'] as unknown[])
      : null;
  if (list === null) {
    if (read.objects.length + read.skipped.length + read.errors.length >= MAX_OBJECTS)
      read.dropped++;
    else readObject(value, { source, document, item: null }, read);
    return;
  }
  list.forEach((item, index) => {
    if (read.objects.length + read.skipped.length + read.errors.length >= MAX_OBJECTS)
      read.dropped++;
    else readObject(item, { source, document, item: index }, read);
  });
}

/** JSON first (kubectl's `-o json`, quick and exact), YAML's documents otherwise. */
function documents(text: string, source: string, read: ChaosRead): unknown[] {
  if (/^\s*[[{]/.test(text)) {
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      // Not JSON after all: flow-style YAML starts the same way.
    }
  }
  const values: unknown[] = [];
  parseAllDocuments(text, { uniqueKeys: false }).forEach((doc, index) => {
    const origin = { source, document: index + 1, item: null };
    const problem = doc.errors[0];
    if (problem !== undefined) {
      read.errors.push(error(origin, null, `not YAML: ${problem.message.split('\n')[0]}`));
      values.push(undefined);
      return;
    }
    try {
      values.push(doc.toJS({ maxAliasCount: 100 }));
    } catch (caught: unknown) {
      read.errors.push(
        error(
          origin,
          null,
          `not YAML: ${caught instanceof Error ? caught.message : String(caught)}`,
        ),
      );
      values.push(undefined);
    }
  });
  return values;
}

/**
 * The chaos objects in `text`, as `kubectl get … -o yaml|json` writes them; `source` names the
 * file in errors and in the summary.
 */
export function readChaosObjects(text: string, source: string): ChaosRead {
  const read: ChaosRead = { objects: [], skipped: [], errors: [], dropped: 0 };
  documents(text, source, read).forEach((value, index) =>
    readDocument(value, source, index + 1, read),
  );
  return read;
}

/** Several files read as one. */
export function readChaosFiles(files: readonly { source: string; text: string }[]): ChaosRead {
  const all: ChaosRead = { objects: [], skipped: [], errors: [], dropped: 0 };
  for (const file of files) {
    const read = readChaosObjects(file.text, file.source);
    all.objects.push(...read.objects);
    all.skipped.push(...read.skipped);
    all.errors.push(...read.errors);
    all.dropped += read.dropped;
  }
  return all;
}
