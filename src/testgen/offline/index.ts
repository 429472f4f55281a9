/** Offline property tests: fast-check properties derived from ts-morph types, with no model. */
export { arbitraryFor, deriveArbitrary } from './arbitraries.ts';
export {
  offlineCandidates,
  type OfflineOptions,
  type OfflineResult,
  type OfflineSkip,
} from './properties.ts';
export {
  loadModule,
  MAX_IMPORTED_CHARS,
  MAX_IMPORTED_FILES,
  MAX_MODULE_CHARS,
  type LoadedModule,
  type ReadProjectFile,
} from './project.ts';
export { deriveShapeCheck } from './shape.ts';
export type { Derived } from './type-facts.ts';
