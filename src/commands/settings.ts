import { z } from 'zod';
import { quote } from '../settings/describe-value.ts';
import { nonEmptyString, oneOf, strictMap } from '../settings/kit.ts';

/** The `app:` section of `.github/steward.yml`: what the GitHub App does (the actions and the CLI ignore it). */

export const APP_REVIEW_MODES = ['off', 'offline', 'model'] as const;
export type AppReviewMode = (typeof APP_REVIEW_MODES)[number];
export const APP_DISPATCH_KINDS = ['workflow', 'repository'] as const;
export type AppDispatchKind = (typeof APP_DISPATCH_KINDS)[number];

export interface AppConfig {
  /**
   * On pull request events: `off` does nothing, `offline` runs the offline review in the app,
   * `model` runs it and also hands the model review to the repository's workflow.
   */
  review: AppReviewMode;
  /** How model reviews, `/steward mutate`, `/steward tests` and `/steward refactor` reach the workflow: workflow_dispatch or repository_dispatch. */
  dispatch: AppDispatchKind;
  /** The workflow file (under .github/workflows) that workflow_dispatch starts. */
  workflow: string;
  /** The repository_dispatch event type the workflow listens for. */
  eventType: string;
  /** The workflow file `/steward mutate` starts with workflow_dispatch (the mutation report). */
  mutationWorkflow: string;
  /** The repository_dispatch event type `/steward mutate` sends. */
  mutationEventType: string;
  /** The workflow file `/steward tests` starts with workflow_dispatch (test generation). */
  testsWorkflow: string;
  /** The repository_dispatch event type `/steward tests` sends. */
  testsEventType: string;
  /** The workflow file `/steward refactor` starts with workflow_dispatch (refactoring pull requests). */
  refactorWorkflow: string;
  /** The repository_dispatch event type `/steward refactor` sends. */
  refactorEventType: string;
}

/** `off` is a string in YAML 1.2, but people write `false` too: both turn app reviews off. */
const appReviewSchema = z.preprocess(
  (value) => (value === false ? 'off' : value),
  oneOf(APP_REVIEW_MODES),
);

/** A workflow file name under .github/workflows: no directory, no `..`, a .yml or .yaml name. */
const workflowFile = nonEmptyString.regex(/^[\w.-]+\.ya?ml$/, {
  error: (issue) =>
    `expected a workflow file name under .github/workflows such as steward.yml, got ${quote(String(issue.input))}`,
});

const eventType = nonEmptyString.max(100, {
  error: 'GitHub takes repository_dispatch event types of at most 100 characters',
});

export const appSettings = strictMap('app', {
  review: appReviewSchema.default('off'),
  dispatch: oneOf(APP_DISPATCH_KINDS).default('workflow'),
  workflow: workflowFile.default('steward.yml'),
  'event-type': eventType.default('steward-review'),
  'mutation-workflow': workflowFile.default('steward-mutation.yml').meta({
    description:
      'The workflow file under .github/workflows that `/steward mutate` starts (workflow_dispatch on the default branch, input pull-request) when app.dispatch is workflow.',
  }),
  'mutation-event-type': eventType.default('steward-mutate').meta({
    description:
      'The repository_dispatch event type `/steward mutate` sends (client_payload pull_request and head_sha) when app.dispatch is repository.',
  }),
  'tests-workflow': workflowFile.default('steward-tests.yml').meta({
    description:
      'The workflow file under .github/workflows that `/steward tests` starts (workflow_dispatch on the default branch, input pull-request) when app.dispatch is workflow.',
  }),
  'tests-event-type': eventType.default('steward-tests').meta({
    description:
      'The repository_dispatch event type `/steward tests` sends (client_payload pull_request and head_sha) when app.dispatch is repository.',
  }),
  'refactor-workflow': workflowFile.default('steward-refactor.yml').meta({
    description:
      'The workflow file under .github/workflows that `/steward refactor` starts (workflow_dispatch on the default branch, input target when the comment names one) when app.dispatch is workflow.',
  }),
  'refactor-event-type': eventType.default('steward-refactor').meta({
    description:
      'The repository_dispatch event type `/steward refactor` sends (client_payload target, null when the comment names none) when app.dispatch is repository.',
  }),
})
  .transform((v): AppConfig => ({
    review: v.review,
    dispatch: v.dispatch,
    workflow: v.workflow,
    eventType: v['event-type'],
    mutationWorkflow: v['mutation-workflow'],
    mutationEventType: v['mutation-event-type'],
    testsWorkflow: v['tests-workflow'],
    testsEventType: v['tests-event-type'],
    refactorWorkflow: v['refactor-workflow'],
    refactorEventType: v['refactor-event-type'],
  }))
  .prefault({});
