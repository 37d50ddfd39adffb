// The writer's own files next to each target: .<name>.cuda-scaffold-<pid>.tmp holds the new content
// until it is renamed over <name>; .<name>.cuda-scaffold-<pid>.old is a second link to the old
// content, kept until the commit so that a failed write can be undone. A run removes those a dead
// run left (or that are older than ten minutes, since pids are reused), and the .<name>.new-<pid>
// files of versions before this scheme; nothing else is touched.
import { lstatSync, unlinkSync } from "node:fs";
import type { Folder } from "./folders.js";
import { pidAlive, STALE_AFTER_MS } from "./pid-alive.js";

export type TempKind = "tmp" | "old";

const OURS = /^\.(.+)\.cuda-scaffold-(\d+)\.(?:tmp|old)$/;
const LEGACY = /^\.(.+)\.new-(\d+)$/;

/** The name of this run's temp file of the file `name`, in the same folder. */
export const tempName = (name: string, kind: TempKind): string => `.${name}.cuda-scaffold-${process.pid}.${kind}`;

/** `path` with a temp file's name replaced by its target's. */
export const targetOf = (path: string): string => path.replace(/\/\.([^/]+)\.cuda-scaffold-\d+\.(?:tmp|old)$/, "/$1");

function stale(pid: number, path: string): boolean {
  if (pid === process.pid || !pidAlive(pid)) return true;
  return Date.now() - lstatSync(path).mtimeMs > STALE_AFTER_MS;
}

/** Removes the stale temp files of the files `names` in `folder`. */
export function sweepStale(folder: Folder, names: Set<string>): void {
  let entries: string[];
  try {
    entries = folder.list();
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = OURS.exec(entry) ?? LEGACY.exec(entry);
    if (!m || !names.has(m[1]!)) continue;
    try {
      if (!lstatSync(folder.at(entry)).isDirectory() && stale(Number(m[2]), folder.at(entry))) unlinkSync(folder.at(entry));
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
}
