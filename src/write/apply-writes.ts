// Apply planned changes all or nothing, and crash-safe. Each new file is written to a temp file in
// its own folder and synced; each file being replaced gets a second link (its backup); then every
// temp file is renamed over its target (an atomic replace: a target is never missing), the lock
// file last, after the folders are synced. A kill at any moment leaves every file wholly old or
// wholly new, and a lock that is either the old one (the new files are then "stale") or matches
// every file. If anything fails before the lock is in place, the backups are renamed back and the
// tree is as it was, with no temp file left. Stale temp files of dead runs are swept first.
import { accessSync, closeSync, constants, copyFileSync, existsSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors.js";
import { LOCK_FILE } from "../render/render-files.js";
import { faultPoint } from "./fault.js";
import { makeFoldersInside, targetInside } from "./inside-root.js";
import { withEol } from "./line-endings.js";
import type { Change } from "./plan-writes.js";
import { sweepStale, targetOf, tempName } from "./temp-files.js";
import { PATH_CAUSES } from "./out-folder.js";

interface Staged {
  change: Change;
  tmp: string;
  backup: string | null;
}

/** What exists only because of this run, to be removed on failure. */
interface Made {
  folders: string[];
  files: string[];
}

/** Writes `content` to a new file at `path` with `mode`, and syncs it; `made` learns the path before any byte is written. */
function writeTemp(path: string, content: string, mode: number, made: Made): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  made.files.push(path);
  try {
    faultPoint(`temp created ${path}`);
    writeFileSync(fd, content);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A second name for the file at `target` (a hard link, or a copy where links are not supported). */
function backUp(target: string, backup: string, made: Made): void {
  made.files.push(backup);
  try {
    linkSync(target, backup);
  } catch (err) {
    if (!["EPERM", "EXDEV", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
    copyFileSync(target, backup, constants.COPYFILE_EXCL);
  }
}

/** Best effort: where a folder cannot be opened or synced, the rename is still atomic, only not yet durable. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here
  }
}

const syncFoldersOf = (done: Staged[]) => new Set(done.map((s) => dirname(s.change.target))).forEach(syncFolder);

function stage(change: Change, made: Made): Staged {
  makeFoldersInside(change.root, change.file.path, made.folders);
  const tmp = tempName(change.target, "tmp");
  writeTemp(tmp, withEol(change.file.content, change.eol), change.currentMode ?? change.file.mode, made);
  let backup: string | null = null;
  if (change.current !== null) {
    backup = tempName(change.target, "old");
    backUp(change.target, backup, made);
  }
  faultPoint(`staged ${change.target}`);
  return { change, tmp, backup };
}

/** Renames the temp file over its target, after checking again that its folder is still inside the root. */
function commit({ change, tmp }: Staged): void {
  targetInside(change.root, change.file.path);
  renameSync(tmp, change.target);
}

/** Puts back what was replaced and removes what this run made; false when some of it could not be undone. */
function rollBack(committed: Staged[], made: Made): boolean {
  let clean = true;
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch {
      clean = false;
    }
  };
  for (const { change, backup } of committed.reverse()) {
    attempt(() => (backup ? renameSync(backup, change.target) : unlinkSync(change.target)));
  }
  for (const path of made.files) {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") clean = false;
    }
  }
  for (const dir of made.folders.reverse()) attempt(() => rmdirSync(dir));
  return clean;
}

/** What to do about a write that failed with `code`, by its cause. */
const NOT_ALLOWED = "You may not write there: check the folder's owner and permissions (ls -ld), or choose another --out.";
const CAUSE_HINTS: Record<string, string> = {
  EROFS: "The file system is mounted read-only: choose an --out on a writable one.",
  EACCES: NOT_ALLOWED,
  EPERM: NOT_ALLOWED,
  ENOSPC: "The disk is full: free some space, then run again.",
  EDQUOT: "Your disk quota is used up: free some space, then run again.",
  ...Object.fromEntries(Object.entries(PATH_CAUSES).map(([code, c]) => [code, `${c.why[0]!.toUpperCase()}${c.why.slice(1)}: ${c.hint[0]!.toLowerCase()}${c.hint.slice(1)}`])),
};

/**
 * The cause of a failed write. Node's recursive mkdir reports a read-only file system as ENOENT
 * (the folder it could not make is missing); then the nearest folder that exists is asked whether
 * it can be written to, which names the real cause (EROFS, EACCES).
 */
function causeOf(e: NodeJS.ErrnoException, where: string | undefined): string {
  const code = e.code ?? e.message;
  if (code !== "ENOENT" || !where) return code;
  let dir = where;
  while (dirname(dir) !== dir && !existsSync(dir)) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return code;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? code;
  }
}

function failure(err: unknown, at: Change | null, clean: boolean): Error {
  if (err instanceof UserError) return err;
  const e = err as NodeJS.ErrnoException;
  const where = e.path ? targetOf(e.path) : at?.target;
  const cause = causeOf(e, where);
  return new UserError([
    clean
      ? { code: "write-failed", message: `Could not write${where ? ` ${where}` : ""} (${cause}); nothing was changed.`, hint: CAUSE_HINTS[cause] ?? "Check the folder's permissions and free space, then run again." }
      : { code: "write-failed", message: `Could not write${where ? ` ${where}` : ""} (${cause}), and could not undo every step.`, hint: `${CAUSE_HINTS[cause] ? `${CAUSE_HINTS[cause]} ` : ""}Run \`cuda-scaffold check\` to see each file's state, then run again once the folder is writable.` },
  ]);
}

export function applyWrites(changes: Change[]): void {
  sweepStale(changes.map((c) => c.target));
  const todo = changes.filter((c) => c.kind !== "unchanged");
  const ordered = [...todo.filter((c) => c.file.path !== LOCK_FILE), ...todo.filter((c) => c.file.path === LOCK_FILE)];
  const made: Made = { folders: [], files: [] };
  const staged: Staged[] = [];
  const committed: Staged[] = [];
  /** How many of `committed` have their folders synced. */
  let synced = 0;
  let at: Change | null = null;
  try {
    for (const change of ordered) {
      at = change;
      staged.push(stage(change, made));
    }
    for (const s of staged) {
      at = s.change;
      if (s.change.file.path === LOCK_FILE) {
        syncFoldersOf(committed);
        synced = committed.length;
        faultPoint("folders synced");
      }
      commit(s);
      committed.push(s);
      faultPoint(`renamed ${s.change.target}`);
    }
  } catch (err) {
    throw failure(err, at, rollBack(committed, made));
  }
  // Only the folders renamed into since the sync before the lock (usually the lock's own folder).
  syncFoldersOf(committed.slice(synced));
  // Committed: what is left is tidying, and a failure there only leaves a backup for the next run to sweep.
  for (const { change, backup } of staged) {
    try {
      faultPoint(`committed ${change.target}`);
      if (backup) unlinkSync(backup);
    } catch {
      // swept by the next run
    }
  }
}
