// The writer's own files next to each target: .<name>.cuda-scaffold-<pid>.tmp holds the new content
// until it is renamed over <name>; .<name>.cuda-scaffold-<pid>.old is a second link to the old
// content, kept until the commit so that a failed write can be undone. A run removes those a dead
// run left (or that are older than ten minutes, since pids are reused), and the .<name>.new-<pid>
// files of versions before this scheme; nothing else is touched.
import { lstatSync, readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pidAlive, STALE_AFTER_MS } from "./pid-alive.js";

export type TempKind = "tmp" | "old";

const OURS = /^\.(.+)\.cuda-scaffold-(\d+)\.(?:tmp|old)$/;
const LEGACY = /^\.(.+)\.new-(\d+)$/;

export const tempName = (target: string, kind: TempKind): string => join(dirname(target), `.${basename(target)}.cuda-scaffold-${process.pid}.${kind}`);

/** `path` with a temp file's name replaced by its target's. */
export const targetOf = (path: string): string => path.replace(/\/\.([^/]+)\.cuda-scaffold-\d+\.(?:tmp|old)$/, "/$1");

function stale(pid: number, path: string): boolean {
  if (pid === process.pid || !pidAlive(pid)) return true;
  return Date.now() - lstatSync(path).mtimeMs > STALE_AFTER_MS;
}

/** Removes stale temp files of the given targets, in the targets' folders. */
export function sweepStale(targets: string[]): void {
  const byFolder = new Map<string, Set<string>>();
  for (const t of targets) byFolder.set(dirname(t), (byFolder.get(dirname(t)) ?? new Set()).add(basename(t)));
  for (const [folder, names] of byFolder) {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const m = OURS.exec(entry) ?? LEGACY.exec(entry);
      if (!m || !names.has(m[1]!)) continue;
      const path = join(folder, entry);
      try {
        if (!lstatSync(path).isDirectory() && stale(Number(m[2]), path)) unlinkSync(path);
      } catch {
        // gone already, or not ours to remove: leave it
      }
    }
  }
}
