import type { HeadWorkflow } from '../head-dispatch.ts';

/** The repository_dispatch event type `/steward chaos` sends when `app.dispatch` is repository. */
export const CHAOS_EVENT_TYPE = 'steward-chaos';

/**
 * A chaos workflow to start from: it checks out the pull request's head without keeping the
 * token, runs the experiments where the repository's own steps say, and the chaos-report action
 * comments on the pull request the dispatch named.
 */
export const CHAOS_WORKFLOW = `name: Steward chaos
on:
  workflow_dispatch:
    inputs:
      pull-request:
        description: The pull request to run the chaos experiments for
        required: true
permissions:
  contents: read
  pull-requests: write
jobs:
  chaos:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          ref: refs/pull/\${{ inputs.pull-request }}/head
          persist-credentials: false
      # Deploy the pull request's build to a test cluster and run the experiments, for example
      # LitmusChaos: kubectl apply -f chaos/engine.yaml, then wait for the ChaosResult.
      - run: ./scripts/run-chaos.sh
      - if: always()
        run: kubectl get chaosengine,chaosresult -n shop -o yaml > "$RUNNER_TEMP/chaos.yaml"
      - if: always()
        uses: OWNER/steward/actions/chaos-report@v1
        with:
          files: \${{ runner.temp }}/chaos.yaml
          pull-request: \${{ inputs.pull-request }}`;

/**
 * `/steward chaos`: the app runs no experiment (nor any of the pull request's code). It starts the
 * repository's chaos workflow for the pull request's head (`dispatchForHead`), whose chaos-report
 * step comments the summary on the pull request.
 */
export const CHAOS: HeadWorkflow = {
  name: 'chaos',
  work: 'the chaos experiments for',
  openOnly: 'Steward runs chaos experiments for open pull requests.',
  workflowKey: 'chaos.workflow',
  workflow: (_app, config) => config.chaos.workflow,
  eventType: () => CHAOS_EVENT_TYPE,
  outcome: () => 'the chaos summary appears on this pull request when the run ends',
  purpose: 'the workflow that runs the chaos experiments and the chaos-report action',
  example: { summary: 'A minimal chaos workflow', yaml: CHAOS_WORKFLOW },
};
