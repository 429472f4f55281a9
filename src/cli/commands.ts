import type { CommandEntry } from './command.ts';
import { configCommand } from './config-command.ts';
import { healthCommand } from './health-command.ts';
import { hotspotsCommand } from './hotspots-command.ts';
import { reviewCommand } from './review-command.ts';

/**
 * Every top-level `steward` command, in the order `steward --help` lists them. A capability
 * defines its command (a Command, or a CommandGroup of subcommands) in its own module and adds
 * one line here; the router does the rest.
 */
export const commands: readonly CommandEntry[] = [
  reviewCommand,
  hotspotsCommand,
  healthCommand,
  configCommand,
];
