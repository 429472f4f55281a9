import type { GitHubClient, IssueFacts } from '../github/client.ts';
import type { HealthSettings } from '../health/settings.ts';
import type { ModelClient } from '../llm/model-call.ts';
import { proposeHypothesis } from './hypothesis.ts';
import type { IncidentState } from './incident-state.ts';
import { gatherPostmortemFacts, type PostmortemFactsOptions } from './postmortem-facts.ts';
import { renderPostmortem, type Hypothesis } from './postmortem.ts';

/**
 * The one use case the faces call for the post-incident report: the facts from GitHub, the model's
 * hypothesis when there is a model and the config asks for one, and the rendered comment. The app
 * and the action pass it to syncIncident as its `postmortem` option:
 *
 *   postmortem: (incident) => incidentReport(client, incident, settings)
 */

export interface IncidentReportSettings {
  /** `incidents.lookback`. */
  lookbackMs: number;
  defaultBranch: string;
  /** `incidents.hypothesis`: ask the model, when there is one. */
  hypothesis: boolean;
  /** `incidents.model`: the model the face built `modelClient` for. */
  model: string;
  /** The model client the face built from its key; absent or null: no hypothesis. */
  modelClient?: ModelClient | null;
  /** What one hypothesis may cost at most (USD); DEFAULT_HYPOTHESIS_MAX_COST_USD otherwise. */
  maxCostUsd?: number;
  /** The repository's health settings, when the face read them. */
  health?: Pick<HealthSettings, 'thresholds' | 'exclude'>;
  now?: Date;
  /** Where the face logs why there is no hypothesis. */
  onNote?: (message: string) => void;
}

export async function incidentReport(
  client: Pick<
    GitHubClient,
    | 'listIssueComments'
    | 'listIssueEvents'
    | 'listMergedPullRequests'
    | 'listDeployments'
    | 'listPullRequestFiles'
    | 'getFileText'
    | 'countCommitsTouching'
  >,
  incident: { state: IncidentState; issue: IssueFacts },
  settings: IncidentReportSettings,
): Promise<string> {
  const options: PostmortemFactsOptions = {
    lookbackMs: settings.lookbackMs,
    defaultBranch: settings.defaultBranch,
    ...(settings.now ? { now: settings.now } : {}),
    ...(settings.health ? { health: settings.health } : {}),
  };
  const facts = await gatherPostmortemFacts(client, incident, options);
  let hypothesis: Hypothesis | null = null;
  if (settings.hypothesis && settings.modelClient) {
    const outcome = await proposeHypothesis(settings.modelClient, incident.state, facts.changes, {
      ...(settings.maxCostUsd === undefined ? {} : { maxCostUsd: settings.maxCostUsd }),
    });
    if (outcome.kind === 'shown') hypothesis = outcome.hypothesis;
    else settings.onNote?.(`incident report: no hypothesis: ${outcome.reason}`);
  }
  return renderPostmortem({
    state: incident.state,
    activity: facts.activity,
    activityProblem: facts.activityProblem,
    changes: facts.changes,
    hypothesis,
  });
}
