import { CONFIG_PATH } from '../config/reader.ts';
import type { CommandGroup } from './command.ts';
import { configCheckCommand } from './config-check.ts';

/** `steward config <command>`: the shared config file every capability reads. */
export const configCommand: CommandGroup = {
  name: 'config',
  summary: `Work with Steward's config file, ${CONFIG_PATH}`,
  subcommands: [configCheckCommand],
};
