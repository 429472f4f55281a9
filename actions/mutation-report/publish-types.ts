// TEMPORARY: the shapes of src/mutation/publish.ts (i15-github) until it is merged.
import type { Suppressions } from '../../src/mutation/survivors.ts';
export interface MutationFeedback {
  suppressed: Suppressions;
}
export type PublishOutcome =
  | {
      kind: 'published';
      summary: 'created' | 'updated' | 'unchanged';
      posted: number;
      resolved: number;
      reopened: number;
      kept: number;
      rejected: string | null;
    }
  | { kind: 'not-permitted'; message: string };
