/**
 * The core folders of src/ (ARCHITECTURE.md): every capability, and the port types in
 * src/revision. The purity test and the core-imports lint test check each of them.
 */
export const CORE_FOLDERS = [
  'anomaly',
  'automerge',
  'chaos',
  'commands',
  'diff',
  'health',
  'hotspots',
  'incidents',
  'markdown',
  'mutation',
  'refactor',
  'review',
  'revision',
  'settings',
  'testgen',
] as const;
