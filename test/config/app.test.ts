import { configOf, errorsOf, lines } from './config-text.ts';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';

describe('app config', () => {
  it('has the documented defaults, the mutation workflow beside the review one', () => {
    expect(defaultConfig().app).toEqual({
      review: 'off',
      dispatch: 'workflow',
      workflow: 'steward.yml',
      eventType: 'steward-review',
      mutationWorkflow: 'steward-mutation.yml',
      mutationEventType: 'steward-mutate',
    });
  });

  it('reads the mutation workflow and event type', () => {
    const { app } = configOf(
      lines('app:', '  mutation-workflow: mutants.yaml', '  mutation-event-type: mutate-please'),
    );
    expect(app).toMatchObject({
      mutationWorkflow: 'mutants.yaml',
      mutationEventType: 'mutate-please',
    });
  });

  it.each(['../../evil.yml', 'sub/dir.yml', 'mutation', '.github/workflows/m.yml'])(
    'rejects the mutation workflow %s: a file name under .github/workflows only',
    (name) => {
      const [error] = errorsOf(lines('app:', `  mutation-workflow: '${name}'`));
      expect(error).toMatchObject({ path: 'app.mutation-workflow', line: 2 });
      expect(error!.message).toContain('expected a workflow file name under .github/workflows');
    },
  );

  it('rejects an event type GitHub would refuse', () => {
    const [error] = errorsOf(lines('app:', `  mutation-event-type: ${'x'.repeat(101)}`));
    expect(error).toMatchObject({ path: 'app.mutation-event-type', line: 2 });
    expect(error!.message).toContain('at most 100 characters');
  });
});
