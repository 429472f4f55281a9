/** Kills a detached child's whole process group (vitest's workers with it); gone already is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error;
  }
}
