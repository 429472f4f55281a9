import { configOf, errorsOf, lines } from './config-text.ts';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';

describe('app config', () => {
  it('has the documented defaults, the mutation, tests and refactor workflows beside the review one', () => {
    expect(defaultConfig().app).toEqual({
      review: 'off',
      dispatch: 'workflow',
      workflow: 'steward.yml',
      eventType: 'steward-review',
      mutationWorkflow: 'steward-mutation.yml',
      mutationEventType: 'steward-mutate',
      testsWorkflow: 'steward-tests.yml',
      testsEventType: 'steward-tests',
      refactorWorkflow: 'steward-refactor.yml',
      refactorEventType: 'steward-refactor',
    });
  });

  it('reads the refactor workflow and event type', () => {
    const { app } = configOf(
      lines('app:', '  refactor-workflow: tidy.yaml', '  refactor-event-type: tidy-please'),
    );
    expect(app).toMatchObject({ refactorWorkflow: 'tidy.yaml', refactorEventType: 'tidy-please' });
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

  it('reads the tests workflow and event type', () => {
    const { app } = configOf(
      lines('app:', '  tests-workflow: generate-tests.yaml', '  tests-event-type: tests-please'),
    );
    expect(app).toMatchObject({
      testsWorkflow: 'generate-tests.yaml',
      testsEventType: 'tests-please',
    });
  });

  describe.each(['mutation', 'tests', 'refactor'])('app.%s-workflow', (prefix) => {
    it.each(['../../evil.yml', 'sub/dir.yml', 'mutation', '.github/workflows/m.yml'])(
      'rejects %s: a file name under .github/workflows only',
      (name) => {
        const [error] = errorsOf(lines('app:', `  ${prefix}-workflow: '${name}'`));
        expect(error).toMatchObject({ path: `app.${prefix}-workflow`, line: 2 });
        expect(error!.message).toContain('expected a workflow file name under .github/workflows');
      },
    );
  });

  it.each(['mutation', 'tests', 'refactor'])(
    'rejects a %s event type GitHub would refuse',
    (prefix) => {
      const [error] = errorsOf(lines('app:', `  ${prefix}-event-type: ${'x'.repeat(101)}`));
      expect(error).toMatchObject({ path: `app.${prefix}-event-type`, line: 2 });
      expect(error!.message).toContain('at most 100 characters');
    },
  );
});
