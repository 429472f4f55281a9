/**
 * Who may run a command. The answer comes from the collaborator permission endpoint's
 * `user.permissions` booleans, the highest grant across repository, team, organisation and
 * enterprise. Never from `author_association`: private organisation members show up there as
 * CONTRIBUTOR, and it says nothing about write access.
 */

export const PERMISSION_LEVELS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** The `user.permissions` object GitHub returns; any flag may be missing. */
export interface PermissionFlags {
  admin?: boolean;
  maintain?: boolean;
  push?: boolean;
  triage?: boolean;
  pull?: boolean;
}

/** The highest level the flags grant: admin > maintain > push (write) > triage > pull (read). */
export function levelFromFlags(flags: PermissionFlags | null | undefined): PermissionLevel {
  if (!flags) return 'none';
  if (flags.admin) return 'admin';
  if (flags.maintain) return 'maintain';
  if (flags.push) return 'write';
  if (flags.triage) return 'triage';
  if (flags.pull) return 'read';
  return 'none';
}

/** The level every command needs: commands write to the repository and spend its Actions time. */
export const COMMAND_LEVEL: PermissionLevel = 'write';

export function mayRunCommands(level: PermissionLevel): boolean {
  return PERMISSION_LEVELS.indexOf(level) >= PERMISSION_LEVELS.indexOf(COMMAND_LEVEL);
}
