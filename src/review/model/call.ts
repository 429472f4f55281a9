import type { ModelCall } from '../../llm/model-call.ts';
import { reportFindingsTool } from './findings.ts';
import type { ReportFindings } from './findings.ts';
import type { Chunk } from './pack.ts';
import { buildSystemPrompt, buildUserMessage } from './prompt.ts';
import type { PromptOptions } from './prompt.ts';

/** One packed chunk as the request the model client sends. */
export function buildReviewCall(
  chunk: Chunk,
  index: number,
  total: number,
  options: { prompt: PromptOptions; maxOutputTokens: number },
): ModelCall<ReportFindings> {
  return {
    system: buildSystemPrompt(options.prompt),
    user: buildUserMessage(chunk.files, chunk.namesOnly),
    tool: reportFindingsTool,
    maxOutputTokens: options.maxOutputTokens,
    label: `call ${index + 1} of ${total}`,
  };
}
