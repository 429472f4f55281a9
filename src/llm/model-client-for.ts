import type { ModelClient } from './model-call.ts';

/** What a face read from its environment or inputs to reach the model; the core never reads them. */
export interface ModelCredentials {
  /** ANTHROPIC_API_KEY (or the action's input); empty when there is none. */
  apiKey: string;
  /** ANTHROPIC_BASE_URL (or the action's input): another Messages endpoint; the Anthropic API when absent. */
  baseUrl?: string | undefined;
}

/**
 * The model client every face asks the model with (review, test generation): the settings' model,
 * the credentials the face read, and MODEL_CLIENT_DEFAULTS' timeout and retries. null when there
 * is no key (the offline review, offline test generation).
 * The SDK loads only when there is a key to use it with, so the CLI starts without it.
 */
export async function modelClientFor(
  settings: { model: string },
  credentials: ModelCredentials,
): Promise<ModelClient | null> {
  if (!credentials.apiKey) return null;
  const { createAnthropicModelClient, MODEL_CLIENT_DEFAULTS } = await import('./client.ts');
  return createAnthropicModelClient({
    apiKey: credentials.apiKey,
    ...(credentials.baseUrl ? { baseURL: credentials.baseUrl } : {}),
    model: settings.model,
    ...MODEL_CLIENT_DEFAULTS,
  });
}
