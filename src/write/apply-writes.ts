// Apply planned changes all or nothing, and crash-safe. Each new file is written to a temp file in
// its own folder and synced; each file being replaced gets a second link (its backup); then every
// temp file is renamed over its target (an atomic replace: a target is never missing), the lock
// file last, after the folders are synced. A kill at any moment leaves every file wholly old or
// wholly new, and a lock that is either the old one (the new files are then "stale") or matches
// every file. If anything fails before the lock is in place, the backups are renamed back and the
// tree is as it was, with no temp file left. Stale temp files of dead runs are swept first. Every
// step goes through the folders opened once (folders.ts), never again through their path names.
import { accessSync, closeSync, constants, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { LOCK_FILE } from "../render/render-files.js";
import { faultPoint } from "./fault.js";
import { Folders, shownPath, type Folder, type MadeFolder } from "./folders.js";
import { targetInside } from "./inside-root.js";
import { withEol } from "./line-endings.js";
import type { Change } from "./plan-writes.js";
import { sweepStale, targetOf, tempName } from "./temp-files.js";
import { PATH_CAUSES } from "./out-folder.js";

/** A change staged in its folder: `name` is the target's, `tmp` and `backup` the names of its temp file and backup there. */
interface Staged {
  change: Change;
  folder: Folder;
  name: string;
  tmp: string;
  backup: string | null;
}

/** What exists only because of this run, to be removed on failure. */
interface Made {
  folders: MadeFolder[];
  files: { folder: Folder; name: string }[];
}

const FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Writes `content` to the new file `name` in `folder` with `mode`, and syncs it; `made` learns the file before any byte is written. */
function writeTemp(folder: Folder, name: string, content: string, mode: number, made: Made): void {
  const fd = openSync(folder.at(name), FILE_FLAGS, 0o600);
  made.files.push({ folder, name });
  try {
    faultPoint(`temp created ${join(folder.shown, name)}`);
    writeFileSync(fd, content);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A copy of the regular file `from` as the new file `to` (both in `folder`), with its mode; never through a link. */
function copyFile(folder: Folder, from: string, to: string): void {
  const src = openSync(folder.at(from), constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(src);
    if (!st.isFile()) throw Object.assign(new Error(`EINVAL: not a regular file, copy '${from}'`), { code: "EINVAL", path: folder.at(from) });
    const dst = openSync(folder.at(to), FILE_FLAGS, 0o600);
    try {
      writeFileSync(dst, readFileSync(src));
      fchmodSync(dst, st.mode & 0o7777);
    } finally {
      closeSync(dst);
    }
  } finally {
    closeSync(src);
  }
}

/** A second name `backup` for the file `name` in `folder` (a hard link, or a copy where links are not supported). */
function backUp(folder: Folder, name: string, backup: string, made: Made): void {
  made.files.push({ folder, name: backup });
  try {
    linkSync(folder.at(name), folder.at(backup));
  } catch (err) {
    if (!["EPERM", "EXDEV", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
    copyFile(folder, name, backup);
  }
}

const syncFoldersOf = (done: Staged[]) => new Set(done.map((s) => s.folder)).forEach((f) => f.sync());

/** The folder of `rel` relative to --out ("" for --out itself). */
const folderOf = (rel: string) => (dirname(rel) === "." ? "" : dirname(rel));

function stage(change: Change, folders: Folders, made: Made): Staged {
  const folder = folders.get(folderOf(change.file.path), true, change.file.path)!;
  const name = basename(change.file.path);
  const tmp = tempName(name, "tmp");
  writeTemp(folder, tmp, withEol(change.file.content, change.eol), change.currentMode ?? change.file.mode, made);
  let backup: string | null = null;
  if (change.current !== null) {
    backup = tempName(name, "old");
    backUp(folder, name, backup, made);
  }
  faultPoint(`staged ${change.target}`);
  return { change, folder, name, tmp, backup };
}

/** Renames the temp file over its target, after checking again that the target's folder is still inside the root (the rename itself goes into the folder opened). */
function commit({ change, folder, name, tmp }: Staged): void {
  targetInside(change.root, change.file.path);
  renameSync(folder.at(tmp), folder.at(name));
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
  for (const { change, folder, name, backup } of committed.reverse()) {
    attempt(() => {
      faultPoint(`undo ${change.target}`);
      if (backup) renameSync(folder.at(backup), folder.at(name));
      else unlinkSync(folder.at(name));
    });
  }
  for (const { folder, name } of made.files) {
    try {
      unlinkSync(folder.at(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") clean = false;
    }
  }
  for (const { parent, name } of made.folders.reverse()) attempt(() => rmdirSync(parent ? parent.at(name) : name));
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
  const where = e.path ? targetOf(shownPath(e.path)) : at?.target;
  const cause = causeOf(e, where);
  return new UserError([
    clean
      ? { code: "write-failed", message: `Could not write${where ? ` ${where}` : ""} (${cause}); nothing was changed.`, hint: CAUSE_HINTS[cause] ?? "Check the folder's permissions and free space, then run again." }
      : { code: "write-failed", message: `Could not write${where ? ` ${where}` : ""} (${cause}), and could not undo every step.`, hint: `${CAUSE_HINTS[cause] ? `${CAUSE_HINTS[cause]} ` : ""}Run \`cuda-scaffold check\` to see each file's state, then run again once the folder is writable.` },
  ]);
}

/** Removes stale temp files next to every target, in the folders that exist (none is made for it). */
function sweep(changes: Change[], folders: Folders): void {
  const byFolder = new Map<string, { file: string; names: Set<string> }>();
  for (const c of changes) {
    const rel = folderOf(c.file.path);
    const seen = byFolder.get(rel) ?? byFolder.set(rel, { file: c.file.path, names: new Set() }).get(rel)!;
    seen.names.add(basename(c.file.path));
  }
  for (const [rel, { file, names }] of byFolder) {
    let folder: Folder | null;
    try {
      folder = folders.get(rel, false, file);
    } catch {
      continue; // refused again, with its reason, when a file is written there
    }
    if (folder) sweepStale(folder, names);
  }
}

export function applyWrites(changes: Change[]): void {
  if (changes.length === 0) return;
  const made: Made = { folders: [], files: [] };
  const folders = new Folders(changes[0]!.root, made.folders);
  try {
    commitAll(changes, folders, made);
  } finally {
    folders.close();
  }
}

function commitAll(changes: Change[], folders: Folders, made: Made): void {
  const todo = changes.filter((c) => c.kind !== "unchanged");
  const ordered = [...todo.filter((c) => c.file.path !== LOCK_FILE), ...todo.filter((c) => c.file.path === LOCK_FILE)];
  const staged: Staged[] = [];
  const committed: Staged[] = [];
  /** How many of `committed` have their folders synced. */
  let synced = 0;
  let at: Change | null = null;
  try {
    faultPoint("applying");
    sweep(changes, folders);
    for (const change of ordered) {
      at = change;
      staged.push(stage(change, folders, made));
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
  for (const { change, folder, backup } of staged) {
    try {
      faultPoint(`committed ${change.target}`);
      if (backup) unlinkSync(folder.at(backup));
    } catch {
      // swept by the next run
    }
  }
}
