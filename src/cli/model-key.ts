/**
 * Where the CLI's model commands find the model: ANTHROPIC_API_KEY (empty when unset) and
 * ANTHROPIC_BASE_URL (undefined for the Anthropic API) of the process environment, read when the
 * command runs. Tests create the commands with their own.
 */
export const processModelKey = {
  apiKey: (): string => process.env['ANTHROPIC_API_KEY']?.trim() ?? '',
  baseUrl: (): string | undefined => process.env['ANTHROPIC_BASE_URL']?.trim() || undefined,
};
