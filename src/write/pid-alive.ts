// Whether a process id names a live process on this host (the owner of a run lock or a temp file).

/** A run lock or temp file older than this is stale whatever its pid says (pids are reused). */
export const STALE_AFTER_MS = 10 * 60_000;

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid < 1 || pid > 0x3fffffff) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
