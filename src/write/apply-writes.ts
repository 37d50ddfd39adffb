// Apply planned changes all or nothing: every file is first written to a temporary file in its
// own folder, then renamed into place; if anything fails, the tree is put back as it was.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { UserError } from "../errors.js";
import { dirname } from "node:path";
import type { Change } from "./plan-writes.js";

const temp = (target: string, tag: string) => `${dirname(target)}/.${target.split("/").pop()}.${tag}-${process.pid}`;

export function applyWrites(changes: Change[]): void {
  const todo = changes.filter((c) => c.kind === "create" || c.kind === "update" || c.kind === "edited");
  const createdDirs: string[] = [];
  const staged: { change: Change; tmp: string }[] = [];
  const done: { change: Change; backup: string | null }[] = [];
  try {
    for (const change of todo) {
      const dir = dirname(change.target);
      if (!existsSync(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        if (first) createdDirs.push(first);
      }
      const tmp = temp(change.target, "new");
      writeFileSync(tmp, change.file.content, { mode: 0o600, flag: "wx" });
      staged.push({ change, tmp });
      chmodSync(tmp, change.currentMode ?? change.file.mode);
    }
    for (const { change, tmp } of staged) {
      let backup: string | null = null;
      if (change.current !== null) {
        backup = temp(change.target, "old");
        renameSync(change.target, backup);
      }
      done.push({ change, backup });
      renameSync(tmp, change.target);
    }
  } catch (err) {
    for (const { change, backup } of done.reverse()) {
      rmSync(change.target, { force: true });
      if (backup) renameSync(backup, change.target);
    }
    for (const { tmp } of staged) rmSync(tmp, { force: true });
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    const where = e.path ? ` ${e.path.replace(/\/\.([^/]+)\.(new|old)-[0-9]+$/, "/$1")}` : "";
    throw new UserError([{ code: "write-failed", message: `Could not write${where} (${e.code ?? e.message}); nothing was changed.`, hint: "Check the folder's permissions and free space, then run again." }]);
  }
  for (const { backup } of done) if (backup) rmSync(backup, { force: true });
}
