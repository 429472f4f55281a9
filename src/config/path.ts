/**
 * Where a repository keeps its Steward config, relative to its root. A module of its own so the
 * CLI's list of commands names it without loading the parser.
 */
export const CONFIG_PATH = '.github/steward.yml';
